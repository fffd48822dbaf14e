package io.tributary.actors;

import io.tributary.learner.Learners;
import io.tributary.learner.ProductionQuota;
import io.tributary.learner.lm.GroupUpdateSettings;
import io.tributary.simulator.random.SplitMix64;
import io.tributary.simulator.rollout.ChunkId;
import io.tributary.simulator.rollout.TrajectoryChunk;
import io.tributary.simulator.writing.WordTokenizer;
import io.tributary.simulator.writing.WritingPrompts;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The text rollout role: what the worker pool hosts instead of step-by-step {@link RolloutWorker}s when the
 * run's environment is {@code Writing-v0}. It speaks the same protocol ({@link RolloutWorker.Command}: policy
 * updates, {@code Stop}, {@code Rebalance}), so the guardian, the policy subscriber and the accounts treat it
 * like any worker. Each tick samples one group of G responses to one training prompt from the followed
 * SEQUENCE policy ({@link TextGroupSampler}) and sends it as one chunk through the run's rollout sink, with a
 * fresh chunk id (incarnation UUID + sequence), exactly as step workers do.
 *
 * <p>Backpressure is the step workers': the learner's per-version quota (unit GROUPS) is shared by the live
 * workers; after its share of groups with one version the worker waits for a newer policy, and a wait longer
 * than {@code wait-timeout-ms} fails the run. A group chunk counts as ONE group (the writing layout puts one
 * group in one chunk; its segments are the G responses, not groups).
 *
 * <p>Sampling is a blocking DJL call (tens of milliseconds per group): the guardian runs this actor on the
 * pinned dispatcher, and one tick samples one group, so a {@code Stop} or a new policy waits at most one group.
 * A failure while sampling is a bug, not a flaky environment: it stops the worker, and the guardian fails the run
 * naming it.
 */
public final class TextRolloutWorker extends AbstractBehavior<RolloutWorker.Command> {
    private enum Tick implements RolloutWorker.Command { INSTANCE }

    private enum WaitTimedOut implements RolloutWorker.Command { INSTANCE }

    private record SendFailed(String chunk, Throwable cause) implements RolloutWorker.Command {
    }

    private final RunContext ctx;
    private final int index;
    private final ActorRef<TrainingGuardian.Command> guardian;
    private final TimerScheduler<RolloutWorker.Command> timers;
    private final UUID incarnation = UUID.randomUUID();
    private final AtomicInteger liveWorkers;
    private final ProductionQuota productionQuota;
    private final TextGroupSampler sampler;
    private long quota;
    private long groupsThisVersion;
    private long sequence;
    private long groupsSent;
    private long tokensSampled;
    private boolean ticking;
    private boolean closed;

    /** A text worker; it subscribes to the policy feed and starts sampling at the first policy. */
    public static Behavior<RolloutWorker.Command> create(RunContext ctx, int index, ActorRef<TrainingGuardian.Command> guardian,
                                                         ActorRef<PolicySubscriber.Command> policies, AtomicInteger liveWorkers) {
        return Behaviors.setup(c -> Behaviors.withTimers(timers -> {
            policies.tell(new PolicySubscriber.Subscribe(c.getSelf().narrow()));
            return new TextRolloutWorker(c, timers, ctx, index, guardian, liveWorkers);
        }));
    }

    private TextRolloutWorker(ActorContext<RolloutWorker.Command> c, TimerScheduler<RolloutWorker.Command> timers,
                              RunContext ctx, int index, ActorRef<TrainingGuardian.Command> guardian,
                              AtomicInteger liveWorkers) {
        super(c);
        this.ctx = ctx;
        this.index = index;
        this.guardian = guardian;
        this.timers = timers;
        this.liveWorkers = liveWorkers;
        this.productionQuota = Learners.quota(ctx.config().learnerContext(ctx.runId()));
        if (productionQuota.unit() != ProductionQuota.Unit.GROUPS) {
            throw new IllegalStateException("the text rollout role needs a learner whose quota is in groups: unit="
                    + productionQuota.unit() + ", algorithm=" + ctx.config().learner().algorithm());
        }
        TextRolloutSettings settings = TextRolloutSettings.fromConfig(ctx.config().config());
        float temperature = (float) GroupUpdateSettings.fromConfig(ctx.config().config()).temperature();
        long seed = new SplitMix64(ctx.config().run().seed() * 7919L + index * 104729L).nextLong();
        this.sampler = new TextGroupSampler(WordTokenizer.standard(), WritingPrompts.load().training(),
                settings.groupSize(), temperature, seed);
        timers.startSingleTimer(WaitTimedOut.INSTANCE, Duration.ofMillis(ctx.config().actors().waitTimeoutMs()));
    }

    @Override
    public Receive<RolloutWorker.Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(RolloutWorker.PolicyUpdate.class, this::onPolicy)
                .onMessageEquals(Tick.INSTANCE, this::onTick)
                .onMessageEquals(RolloutWorker.Rebalance.INSTANCE, this::onRebalance)
                .onMessageEquals(WaitTimedOut.INSTANCE, this::onWaitTimedOut)
                .onMessage(SendFailed.class, f -> {
                    throw new IllegalStateException("text worker " + index + " could not deliver chunk " + f.chunk()
                            + " to " + ctx.topics().rollouts() + ": " + f.cause(), f.cause());
                })
                .onMessage(RolloutWorker.Stop.class, this::onStop)
                .onSignal(PreRestart.class, s -> close())
                .onSignal(PostStop.class, s -> close())
                .build();
    }

    private Behavior<RolloutWorker.Command> close() {
        if (!closed) {
            closed = true;
            sampler.close();
        }
        return this;
    }

    private Behavior<RolloutWorker.Command> onPolicy(RolloutWorker.PolicyUpdate u) {
        sampler.follow(u.snapshot());
        groupsThisVersion = 0;
        quota = productionQuota.share(liveWorkers.get());
        timers.cancel(WaitTimedOut.INSTANCE);
        if (!ticking) {
            ticking = true;
            getContext().getSelf().tell(Tick.INSTANCE);
        }
        return this;
    }

    private Behavior<RolloutWorker.Command> onRebalance() {
        quota = productionQuota.share(liveWorkers.get());
        if (sampler.version() >= 0 && !ticking && groupsThisVersion < quota) {
            ticking = true;
            timers.cancel(WaitTimedOut.INSTANCE);
            getContext().getSelf().tell(Tick.INSTANCE);
        }
        return this;
    }

    private Behavior<RolloutWorker.Command> onWaitTimedOut() {
        guardian.tell(new TrainingGuardian.Fatal("text worker " + index + " waited " + ctx.config().actors().waitTimeoutMs()
                + " ms for policy version > " + (sampler.version() < 0 ? "none" : Long.toString(sampler.version()))
                + " (is the learner running and publishing to " + ctx.topics().policy() + "?)"));
        return this;
    }

    private Behavior<RolloutWorker.Command> onTick() {
        if (groupsThisVersion < quota) {
            // Group k of this worker is a function of (run seed, worker index, k, weights): see TextGroupSampler.
            TrajectoryChunk chunk = sampler.sampleGroup(new ChunkId(ctx.runId(), incarnation, sequence++), 0, groupsSent);
            send(chunk);
            groupsThisVersion++;
            groupsSent++;
            tokensSampled += chunk.steps();
        }
        if (groupsThisVersion >= quota) {
            ctx.streams().rollouts().flush();
            ticking = false;
            timers.startSingleTimer(WaitTimedOut.INSTANCE, Duration.ofMillis(ctx.config().actors().waitTimeoutMs()));
        } else {
            getContext().getSelf().tell(Tick.INSTANCE);
        }
        return this;
    }

    private void send(TrajectoryChunk chunk) {
        String key = chunk.id().key();
        ActorRef<RolloutWorker.Command> self = getContext().getSelf();
        ctx.streams().rollouts().send(chunk, ex -> self.tell(new SendFailed(key, ex)));
    }

    private Behavior<RolloutWorker.Command> onStop(RolloutWorker.Stop s) {
        ctx.streams().rollouts().flush();
        // "steps" of a text worker are the response tokens it sampled (the chunks' steps), as the learner counts them.
        s.replyTo().tell(new RolloutWorker.Stopped(index, groupsSent, tokensSampled));
        return Behaviors.stopped();
    }
}
