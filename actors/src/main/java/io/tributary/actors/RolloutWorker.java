package io.tributary.actors;

import io.tributary.learner.Learners;
import io.tributary.learner.PolicyInference;
import io.tributary.learner.PolicySnapshot;
import io.tributary.learner.ProductionQuota;
import io.tributary.simulator.Environment;
import io.tributary.simulator.StepResult;
import io.tributary.simulator.rollout.ChunkId;
import io.tributary.simulator.rollout.ChunkTransform;
import io.tributary.simulator.rollout.ChunkTransforms;
import io.tributary.simulator.rollout.TrajectoryChunk;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Steps {@code envs-per-worker} environments with batched policy inference and emits trajectory chunks
 * to the rollouts topic. Each incarnation (every start or restart) has a fresh UUID, so chunk ids never
 * repeat. A worker produces at most its share of the learner's per-version quota with one policy version
 * (the learner declares the unit: env steps, or groups of responses, where each sent chunk is one
 * group) and then waits for a newer one (backpressure), so it never produces chunks the learner
 * would drop as too stale; a wait longer than {@code wait-timeout-ms} fails the run loudly. An environment
 * that throws restarts the worker with backoff; its seed is retried and, after repeated failures,
 * quarantined. Each step's depth (steps taken to reach its next state: 1 after a reset) and the
 * environment's info values (named by its {@code infoKeys}) go into the chunk as depth and signals; a
 * configured {@link ChunkTransform} may add chunks before sending; with a quota in env steps an added chunk
 * marked augmented (a mirror) comes on top of the quota, which counts real env steps (as the learner's
 * {@code batch-steps} and the run's budget do), while any other added chunk uses up quota like produced ones.
 */
public final class RolloutWorker extends AbstractBehavior<RolloutWorker.Command> {
    /** Messages of a rollout worker. */
    public interface Command {
    }

    /** A newly published policy; it replaces the current one (publication order, see PolicyFeed). */
    public record PolicyUpdate(PolicySnapshot snapshot) implements Command {
    }

    /** Flush partial chunks, then stop; replies when done. */
    public record Stop(ActorRef<Stopped> replyTo) implements Command, io.tributary.actors.cluster.JsonSerializable {
    }

    /** Reply to {@link Stop}: chunks sent and environment steps taken by all incarnations of this worker. */
    public record Stopped(int worker, long chunks, long steps) implements io.tributary.actors.cluster.JsonSerializable {
    }

    /** The number of live workers changed: recompute this version's quota and resume if below it. */
    public enum Rebalance implements Command { INSTANCE }

    private enum Tick implements Command { INSTANCE }

    private enum WaitTimedOut implements Command { INSTANCE }

    private record SendFailed(String chunk, Throwable cause) implements Command {
    }

    private final RunContext ctx;
    private final int index;
    /** This worker's node for the monitor: host:port of a clustered system, "local" in one process. */
    private final String node;
    private final ActorRef<Monitor.Command> monitor;
    private final ActorRef<TrainingGuardian.Command> guardian;
    private final SeedSchedule seeds;
    private final TimerScheduler<Command> timers;
    private final UUID incarnation = UUID.randomUUID();
    private final int m;
    private final int t;
    private final int obsSize;
    private final int actSize;
    private final java.util.concurrent.atomic.AtomicInteger liveWorkers;
    /** The learner's per-version production quota; this worker produces its share of it per policy version. */
    private final ProductionQuota productionQuota;
    private long quota;
    private final Environment[] envs;
    private final StepResult[] results;
    private final long[] episodeSeeds;
    private final long[] episodeIds;
    private final int[] chunkIndex;
    private final double[] episodeReturn;
    private final int[] episodeLength;
    private final int[] count;
    private final float[][] obsBuf;
    private final float[][] actBuf;
    private final float[][] logpBuf;
    private final float[][] rewBuf;
    private final boolean[][] termBuf;
    private final boolean[][] truncBuf;
    private final int[][] depthBuf;
    private final String[] signalNames;
    private final float[][] signalBuf;
    private final ChunkTransform transform;
    private final ChunkTransform.ActionLogProb policyLogProbs = this::logProbsUnderCurrentPolicy;
    private final float[] batchObs;
    private final float[] batchAct;
    private final float[] batchLogp;
    private final float[] stepAction;
    private final SplittableRandom rng;
    private PolicyInference policy;
    /**
     * Produced with the current version, in the quota's unit: real env steps (STEPS; augmented copies excluded)
     * or chunks sent (GROUPS: one chunk is one group, see ProductionQuota.Unit.GROUPS).
     */
    private long stepsThisVersion;
    private long sequence;
    private final Produced produced;
    private boolean ticking;
    private int currentEnv = -1;

    /** A supervised worker: restarted with backoff when its environment throws. */
    public static Behavior<Command> create(RunContext ctx, int index, ActorRef<Monitor.Command> monitor,
                                           ActorRef<TrainingGuardian.Command> guardian, SeedSchedule seeds,
                                           ActorRef<PolicySubscriber.Command> policies,
                                           java.util.concurrent.atomic.AtomicInteger liveWorkers) {
        ActorsSettings a = ctx.config().actors();
        // Outlives the incarnations: a restart builds a new RolloutWorker from this same factory.
        Produced produced = new Produced();
        Behavior<Command> worker = Behaviors.setup(c -> Behaviors.withTimers(timers -> {
            policies.tell(new PolicySubscriber.Subscribe(c.getSelf().narrow()));
            return new RolloutWorker(c, timers, ctx, index, monitor, guardian, seeds, liveWorkers, produced);
        }));
        return Behaviors.supervise(worker).onFailure(EnvironmentFailure.class,
                SupervisorStrategy.restartWithBackoff(Duration.ofMillis(a.restartBackoffMinMs()),
                        Duration.ofMillis(a.restartBackoffMaxMs()), 0.2).withResetBackoffAfter(Duration.ofSeconds(30)));
    }

    /**
     * What a worker slot produced over all its incarnations (chunks sent, environment steps taken). Only the
     * worker's own actor touches it, one incarnation after another, so plain fields suffice.
     */
    private static final class Produced {
        private long chunks;
        private long steps;
    }

    /** An environment threw while stepping or resetting; the worker is restarted with backoff. */
    static final class EnvironmentFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        EnvironmentFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private RolloutWorker(ActorContext<Command> c, TimerScheduler<Command> timers, RunContext ctx, int index,
                          ActorRef<Monitor.Command> monitor, ActorRef<TrainingGuardian.Command> guardian,
                          SeedSchedule seeds, java.util.concurrent.atomic.AtomicInteger liveWorkers, Produced produced) {
        super(c);
        this.produced = produced;
        this.liveWorkers = liveWorkers;
        this.ctx = ctx;
        this.index = index;
        org.apache.pekko.actor.Address address = c.getSystem().address();
        this.node = address.host().isDefined() ? address.hostPort().replaceFirst("^[^@]*@", "") : "local";
        this.monitor = monitor;
        this.guardian = guardian;
        this.seeds = seeds;
        this.timers = timers;
        ActorsSettings a = ctx.config().actors();
        this.m = a.envsPerWorker();
        this.t = a.chunkSteps();
        this.obsSize = ctx.policySpec().observationSize();
        this.actSize = ctx.policySpec().actionFloats();
        this.productionQuota = Learners.quota(ctx.config().learnerContext(ctx.runId()));
        this.envs = new Environment[m];
        this.results = new StepResult[m];
        this.episodeSeeds = new long[m];
        this.episodeIds = new long[m];
        this.chunkIndex = new int[m];
        this.episodeReturn = new double[m];
        this.episodeLength = new int[m];
        this.count = new int[m];
        this.obsBuf = new float[m][t * obsSize];
        this.actBuf = new float[m][t * actSize];
        this.logpBuf = new float[m][t];
        this.rewBuf = new float[m][t];
        this.termBuf = new boolean[m][t];
        this.truncBuf = new boolean[m][t];
        this.depthBuf = new int[m][t];
        this.transform = ChunkTransforms.create(a.chunkTransform());
        this.batchObs = new float[m * obsSize];
        this.batchAct = new float[m * actSize];
        this.batchLogp = new float[m];
        this.stepAction = new float[actSize];
        this.rng = new SplittableRandom(ctx.config().run().seed() * 7919L + index * 104729L + incarnation.getLeastSignificantBits());
        try {
            for (int e = 0; e < m; e++) {
                envs[e] = ctx.config().simulator().createEnvironment();
                results[e] = StepResult.forEnvironment(envs[e]);
            }
            this.signalNames = envs[0].infoKeys().toArray(new String[0]);
            this.signalBuf = new float[m][t * signalNames.length];
            for (int e = 0; e < m; e++) {
                resetEnv(e);
            }
        } catch (RuntimeException ex) {
            // A failure while building this incarnation gets no PreRestart signal (the behaviour never
            // existed): release the environments created so far before the supervisor restarts the worker.
            closeEnvironments();
            throw ex;
        }
        timers.startSingleTimer(WaitTimedOut.INSTANCE, Duration.ofMillis(a.waitTimeoutMs()));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(PolicyUpdate.class, this::onPolicy)
                .onMessageEquals(Tick.INSTANCE, this::onTick)
                .onMessageEquals(Rebalance.INSTANCE, this::onRebalance)
                .onMessageEquals(WaitTimedOut.INSTANCE, this::onWaitTimedOut)
                .onMessage(SendFailed.class, f -> {
                    throw new IllegalStateException("worker " + index + " could not deliver chunk " + f.chunk()
                            + " to " + ctx.topics().rollouts() + ": " + f.cause(), f.cause());
                })
                .onMessage(Stop.class, this::onStop)
                // A supervised restart signals PreRestart, not PostStop: release the environments on both.
                .onSignal(PreRestart.class, s -> closeEnvironments())
                .onSignal(PostStop.class, s -> closeEnvironments())
                .build();
    }

    /**
     * Closes every environment once (both signals may arrive). A failing close is logged, not thrown: the
     * worker is already stopping or restarting, and the other environments must still be released.
     */
    private Behavior<Command> closeEnvironments() {
        for (int e = 0; e < envs.length; e++) {
            Environment env = envs[e];
            envs[e] = null;
            if (env != null) {
                try {
                    env.close();
                } catch (RuntimeException ex) {
                    getContext().getLog().warn("worker {} could not close environment {}: {}", index, e, ex.toString());
                }
            }
        }
        return this;
    }

    private Behavior<Command> onPolicy(PolicyUpdate u) {
        policy = new PolicyInference(u.snapshot(), m);
        stepsThisVersion = 0;
        // The learner updates once a batch is in; the live workers share it, so a stopped worker's share
        // is taken over by the others instead of stalling the learner.
        quota = productionQuota.share(liveWorkers.get());
        timers.cancel(WaitTimedOut.INSTANCE);
        if (!ticking) {
            ticking = true;
            getContext().getSelf().tell(Tick.INSTANCE);
        }
        return this;
    }

    private Behavior<Command> onRebalance() {
        quota = productionQuota.share(liveWorkers.get());
        if (policy != null && !ticking && stepsThisVersion < quota) {
            ticking = true;
            timers.cancel(WaitTimedOut.INSTANCE);
            getContext().getSelf().tell(Tick.INSTANCE);
        }
        return this;
    }

    private Behavior<Command> onWaitTimedOut() {
        guardian.tell(new TrainingGuardian.Fatal("worker " + index + " waited " + ctx.config().actors().waitTimeoutMs()
                + " ms for policy version > " + (policy == null ? "none" : Long.toString(policy.version()))
                + " (is the learner running and publishing to " + ctx.topics().policy() + "?)"));
        return this;
    }

    private Behavior<Command> onTick() {
        for (int k = 0; k < t && stepsThisVersion < quota; k++) {
            stepAll();
        }
        if (stepsThisVersion >= quota) {
            // Quota for this version reached: hand over what we have and wait for the next policy.
            for (int e = 0; e < m; e++) {
                if (count[e] > 0) {
                    flush(e);
                }
            }
            ticking = false;
            timers.startSingleTimer(WaitTimedOut.INSTANCE, Duration.ofMillis(ctx.config().actors().waitTimeoutMs()));
        } else {
            getContext().getSelf().tell(Tick.INSTANCE);
        }
        return this;
    }

    private void stepAll() {
        for (int e = 0; e < m; e++) {
            System.arraycopy(results[e].observation, 0, batchObs, e * obsSize, obsSize);
        }
        policy.act(batchObs, m, batchAct, batchLogp, rng, false);
        for (int e = 0; e < m; e++) {
            int i = count[e];
            System.arraycopy(batchObs, e * obsSize, obsBuf[e], i * obsSize, obsSize);
            System.arraycopy(batchAct, e * actSize, actBuf[e], i * actSize, actSize);
            System.arraycopy(batchAct, e * actSize, stepAction, 0, actSize);
            logpBuf[e][i] = batchLogp[e];
            StepResult r = results[e];
            currentEnv = e;
            try {
                envs[e].step(stepAction, r);
            } catch (RuntimeException ex) {
                throw envFailure(e, "step", ex);
            }
            checkFinite(e, "step", r);
            rewBuf[e][i] = r.reward;
            termBuf[e][i] = r.terminated;
            truncBuf[e][i] = r.truncated;
            // A step's depth is the number of steps taken to reach its next state (1 for the first step after a
            // reset), so in k-step model rollouts depth k marks exactly the states reached only at the last step.
            depthBuf[e][i] = episodeLength[e] + 1;
            int k = signalNames.length;
            for (int j = 0; j < k; j++) {
                signalBuf[e][i * k + j] = (float) r.info[j];
            }
            count[e] = i + 1;
            episodeReturn[e] += r.reward;
            episodeLength[e]++;
            if (productionQuota.unit() == ProductionQuota.Unit.STEPS) {
                stepsThisVersion++;
            }
            produced.steps++;
            if (r.done()) {
                flush(e);
                monitor.tell(new Monitor.EpisodeFinished(index, episodeReturn[e], episodeLength[e], node));
                resetEnv(e);
            } else if (count[e] == t) {
                flush(e);
            }
        }
    }

    private EnvironmentFailure envFailure(int e, String phase, RuntimeException ex) {
        boolean quarantined = seeds.failed(index, e, episodeSeeds[e]);
        if (quarantined) {
            monitor.tell(new Monitor.Note("seed_quarantined", Map.of("worker", index, "env", e,
                    "seed", episodeSeeds[e], "cause", String.valueOf(ex))));
        }
        monitor.tell(new Monitor.Note("worker_restart", Map.of("worker", index, "env", e, "phase", phase,
                "seed", episodeSeeds[e], "cause", String.valueOf(ex))));
        return new EnvironmentFailure("environment " + ctx.config().simulator().envName() + " failed in " + phase
                + ": worker=" + index + ", env=" + e + ", seed=" + episodeSeeds[e] + ", cause=" + ex, ex);
    }

    private void resetEnv(int e) {
        episodeSeeds[e] = seeds.next(index, e);
        episodeIds[e]++;
        chunkIndex[e] = 0;
        episodeReturn[e] = 0;
        episodeLength[e] = 0;
        try {
            envs[e].reset(episodeSeeds[e], results[e]);
        } catch (RuntimeException ex) {
            throw envFailure(e, "reset", ex);
        }
        checkFinite(e, "reset", results[e]);
    }

    /**
     * A non-finite observation or reward is an environment failure like a throw: the worker restarts, the
     * seed is retried and then quarantined, and the chunk that would carry the value is never sent (the
     * learner cannot train it and a NaN observation poisons the policy's normalisation).
     */
    private void checkFinite(int e, String phase, StepResult r) {
        if (!Float.isFinite(r.reward)) {
            throw envFailure(e, phase, new NonFiniteValueException("non-finite reward: reward=" + r.reward));
        }
        float[] o = r.observation;
        for (int j = 0; j < o.length; j++) {
            if (!Float.isFinite(o[j])) {
                throw envFailure(e, phase, new NonFiniteValueException("non-finite observation: index=" + j
                        + ", value=" + o[j]));
            }
        }
    }

    /** An environment returned NaN or an infinity. */
    static final class NonFiniteValueException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NonFiniteValueException(String message) {
            super(message);
        }
    }

    private void flush(int e) {
        int n = count[e];
        TrajectoryChunk chunk = new TrajectoryChunk(
                new ChunkId(ctx.runId(), incarnation, sequence++),
                ctx.config().simulator().envName(), e, episodeIds[e], chunkIndex[e]++, policy.version(), n,
                obsSize, Arrays.copyOf(obsBuf[e], n * obsSize), actSize, Arrays.copyOf(actBuf[e], n * actSize),
                Arrays.copyOf(logpBuf[e], n), new float[n], Arrays.copyOf(rewBuf[e], n),
                Arrays.copyOf(termBuf[e], n), Arrays.copyOf(truncBuf[e], n), results[e].observation.clone(),
                new int[0], new int[0], Arrays.copyOf(depthBuf[e], n), System.currentTimeMillis() * 1000L,
                signalNames.clone(), Arrays.copyOf(signalBuf[e], n * signalNames.length));
        if (productionQuota.unit() == ProductionQuota.Unit.GROUPS) {
            stepsThisVersion++;
        }
        count[e] = 0;
        if (transform == null) {
            send(chunk);
            return;
        }
        for (TrajectoryChunk out : transform.apply(chunk, policyLogProbs)) {
            if (out == chunk) {
                send(chunk);
            } else {
                // A chunk the transform added gets an id of its own. A step quota counts real env steps, so an
                // augmented copy (a mirror) comes on top; groups count whatever is sent.
                send(out.withId(new ChunkId(ctx.runId(), incarnation, sequence++)));
                stepsThisVersion += productionQuota.unit() == ProductionQuota.Unit.GROUPS ? 1
                        : ChunkTransform.realSteps(out);
            }
        }
    }

    /**
     * Log-probs under the policy that labels the chunks being flushed, for transforms that add actions the
     * policy did not take (lane-mirror); in slices of the inference's batch size.
     */
    private void logProbsUnderCurrentPolicy(float[] obs, int n, float[] actions, float[] out) {
        int batch = policy.maxBatch();
        for (int off = 0; off < n; off += batch) {
            int rows = Math.min(batch, n - off);
            float[] lp = new float[rows];
            policy.logProbs(Arrays.copyOfRange(obs, off * obsSize, (off + rows) * obsSize), rows,
                    Arrays.copyOfRange(actions, off * actSize, (off + rows) * actSize), lp);
            System.arraycopy(lp, 0, out, off, rows);
        }
    }

    private void send(TrajectoryChunk chunk) {
        String key = chunk.id().key();
        ActorRef<Command> self = getContext().getSelf();
        ctx.streams().rollouts().send(chunk, ex -> self.tell(new SendFailed(key, ex)));
        produced.chunks++;
    }

    private Behavior<Command> onStop(Stop s) {
        if (policy != null) {
            for (int e = 0; e < m; e++) {
                if (count[e] > 0) {
                    flush(e);
                }
            }
        }
        ctx.streams().rollouts().flush();
        s.replyTo().tell(new Stopped(index, produced.chunks, produced.steps));
        return Behaviors.stopped();
    }
}
