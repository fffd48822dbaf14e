package io.tributary.actors;

import io.tributary.simulator.writing.WritingGroups;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The guardian of a training run in one JVM: starts the monitor, policy publisher and subscriber, the
 * learner, the scorer pool and the worker pool; when the learner's budget is spent it stops the workers,
 * lets the scorers drain the rollouts topic, lets the learner account for what is left, and completes
 * the run's result. Any fatal report or unexpected stop of a role fails the run with its reason; every
 * phase of the shutdown has a timeout.
 */
public final class TrainingGuardian extends AbstractBehavior<TrainingGuardian.Command> {
    /** Messages of the guardian. */
    public interface Command {
    }

    /** The learner spent its budget. */
    public record LearnerFinished(Learner.Finished report) implements Command {
    }

    /** A role hit a problem the run cannot survive. */
    public record Fatal(String reason) implements Command {
    }

    /** Stop a rollout worker now (used to test that a stopped worker loses nothing). */
    public record StopWorker(int index) implements Command {
    }

    private record WorkerStopped(RolloutWorker.Stopped stopped) implements Command {
    }

    private record ScorerDrained(RewardScorer.Drained drained) implements Command {
    }

    private record LearnerDrained(Learner.Finished report) implements Command {
    }

    /** Reply of a worker stopped by {@link StopWorker}: its counts, kept for the run's totals. */
    private record StoppedEarly(RolloutWorker.Stopped stopped) implements Command {
    }

    private enum PhaseTimeout implements Command { INSTANCE }

    /** Final result of a run's training phase. */
    public record Result(Learner.Finished learner, long chunksProducedByWorkers, long stepsProducedByWorkers,
                         java.util.Set<Long> quarantinedSeeds, long environmentFailures, int workersStoppedEarly) {
    }

    /** Config path of the dispatcher with one thread per actor, for roles that block in polls or updates. */
    public static final String PINNED_DISPATCHER = "tributary.actors.pinned-dispatcher";
    /** Config path of the dispatcher for roles that make short blocking calls (file writes, acknowledged sends). */
    public static final String BLOCKING_DISPATCHER = "tributary.actors.blocking-dispatcher";

    private final RunContext ctx;
    private final CompletableFuture<Result> result;
    private final TimerScheduler<Command> timers;
    private final List<ActorRef<RolloutWorker.Command>> workers = new ArrayList<>();
    private final List<ActorRef<RewardScorer.Command>> scorers = new ArrayList<>();
    private final ActorRef<Learner.Command> learner;
    private Learner.Finished learnerReport;
    private int workersStopping;
    private int scorersDraining;
    private long producedChunks;
    private long producedSteps;
    private String phase = "training";
    private final SeedSchedule seeds;
    private int stoppedEarly;
    private final java.util.concurrent.atomic.AtomicInteger liveWorkers = new java.util.concurrent.atomic.AtomicInteger();
    /** Role names of the watched children, so a termination can name the role that died. */
    private final java.util.Map<ActorRef<?>, String> roles = new java.util.HashMap<>();

    /** Starts the roles of a guardian made by {@link #createGated}. */
    public enum Begin implements Command { INSTANCE }

    /** Creates the guardian; {@code result} completes when the run's training phase is over. */
    public static Behavior<Command> create(RunContext ctx, CompletableFuture<Result> result) {
        return Behaviors.setup(c -> Behaviors.withTimers(t -> new TrainingGuardian(c, t, ctx, result)));
    }

    /**
     * A guardian that starts its roles only on {@link Begin}: the run's process first brings up what must
     * watch the run from its first step (the dashboard's HTTP server needs the actor system), then begins.
     * Without the gate a tiny run could finish, and stop the system, before the dashboard bound.
     */
    public static Behavior<Command> createGated(RunContext ctx, CompletableFuture<Result> result) {
        return Behaviors.receive(Command.class)
                .onMessageEquals(Begin.INSTANCE, () -> create(ctx, result))
                .build();
    }

    private TrainingGuardian(ActorContext<Command> c, TimerScheduler<Command> timers, RunContext ctx,
                             CompletableFuture<Result> result) {
        super(c);
        this.ctx = ctx;
        this.result = result;
        this.timers = timers;
        DispatcherSelector pinned = DispatcherSelector.fromConfig(PINNED_DISPATCHER);
        // Blocking calls never run on the default dispatcher: the monitor writes a file, the publisher waits
        // for each version's acknowledgement; the subscriber, learner and scorers block in polls (pinned).
        DispatcherSelector blocking = DispatcherSelector.fromConfig(BLOCKING_DISPATCHER);
        ActorRef<Monitor.Command> monitor = c.spawn(Monitor.create(ctx), "monitor", blocking);
        watchRole(monitor, "monitor");
        ActorRef<PolicyPublisher.Command> publisher = c.spawn(PolicyPublisher.create(ctx), "policy-publisher", blocking);
        watchRole(publisher, "policy-publisher");
        ActorRef<PolicySubscriber.Command> subscriber = c.spawn(PolicySubscriber.create(ctx, true), "policy-subscriber", pinned);
        watchRole(subscriber, "policy-subscriber");
        learner = c.spawn(Learner.create(ctx, publisher, monitor, c.getSelf()), "learner", pinned);
        watchRole(learner, "learner");
        liveWorkers.set(ctx.config().actors().workers());
        seeds = new SeedSchedule(ctx.config().run().seed(), ctx.config().actors().seedFailuresBeforeQuarantine());
        for (int i = 0; i < ctx.config().actors().scorers(); i++) {
            ActorRef<RewardScorer.Command> s = c.spawn(RewardScorer.create(ctx, i, monitor), "scorer-" + i, pinned);
            watchRole(s, "scorer-" + i);
            scorers.add(s);
        }
        boolean text = WritingGroups.ENV_NAME.equals(ctx.config().simulator().envName());
        for (int i = 0; i < ctx.config().actors().workers(); i++) {
            // Writing-v0 has no step-by-step environment: its workers are the text rollout role, which samples
            // whole groups with blocking DJL calls, so they get a thread of their own (pinned).
            ActorRef<RolloutWorker.Command> w = text
                    ? c.spawn(TextRolloutWorker.create(ctx, i, c.getSelf(), subscriber, liveWorkers), "text-worker-" + i, pinned)
                    : c.spawn(RolloutWorker.create(ctx, i, monitor, c.getSelf(), seeds, subscriber, liveWorkers), "worker-" + i);
            watchRole(w, "worker-" + i);
            workers.add(w);
        }
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(LearnerFinished.class, this::onLearnerFinished)
                .onMessage(WorkerStopped.class, this::onWorkerStopped)
                .onMessage(ScorerDrained.class, this::onScorerDrained)
                .onMessage(LearnerDrained.class, this::onLearnerDrained)
                .onMessage(StopWorker.class, this::onStopWorker)
                .onMessage(Fatal.class, f -> fail(f.reason()))
                .onMessage(StoppedEarly.class, st -> {
                    stoppedEarly++;
                    producedChunks += st.stopped().chunks();
                    producedSteps += st.stopped().steps();
                    return this;
                })
                // ChildFailed (a Terminated with the child's exception) must come before Terminated.
                .onSignal(ChildFailed.class, f -> onRoleTerminated(f.getRef(), f.getCause()))
                .onSignal(Terminated.class, t -> onRoleTerminated(t.getRef(), null))
                .onMessageEquals(PhaseTimeout.INSTANCE, () -> fail("shutdown phase '" + phase + "' timed out after "
                        + ctx.config().actors().waitTimeoutMs() + " ms"))
                .build();
    }

    private Behavior<Command> onStopWorker(StopWorker s) {
        if (s.index() < 0 || s.index() >= workers.size() || workers.get(s.index()) == null) {
            getContext().getLog().warn("no running worker with index {}", s.index());
            return this;
        }
        ActorRef<RolloutWorker.Command> w = workers.set(s.index(), null);
        liveWorkers.decrementAndGet();
        getContext().unwatch(w);
        w.tell(new RolloutWorker.Stop(getContext().messageAdapter(RolloutWorker.Stopped.class, StoppedEarly::new)));
        for (ActorRef<RolloutWorker.Command> other : workers) {
            if (other != null) {
                other.tell(RolloutWorker.Rebalance.INSTANCE);
            }
        }
        return this;
    }

    private Behavior<Command> onLearnerFinished(LearnerFinished f) {
        learnerReport = f.report();
        phase = "stopping workers";
        startPhaseTimer();
        ActorRef<RolloutWorker.Stopped> reply = getContext().messageAdapter(RolloutWorker.Stopped.class, WorkerStopped::new);
        for (ActorRef<RolloutWorker.Command> w : workers) {
            if (w != null) {
                getContext().unwatch(w);
                w.tell(new RolloutWorker.Stop(reply));
                workersStopping++;
            }
        }
        if (workersStopping == 0) {
            drainScorers();
        }
        return this;
    }

    private Behavior<Command> onWorkerStopped(WorkerStopped s) {
        producedChunks += s.stopped().chunks();
        producedSteps += s.stopped().steps();
        if (--workersStopping == 0) {
            drainScorers();
        }
        return this;
    }

    private void drainScorers() {
        phase = "draining scorers";
        startPhaseTimer();
        ActorRef<RewardScorer.Drained> reply = getContext().messageAdapter(RewardScorer.Drained.class, ScorerDrained::new);
        for (ActorRef<RewardScorer.Command> s : scorers) {
            getContext().unwatch(s);
            s.tell(new RewardScorer.Drain(reply));
            scorersDraining++;
        }
    }

    private Behavior<Command> onScorerDrained(ScorerDrained d) {
        if (--scorersDraining == 0) {
            phase = "draining learner";
            startPhaseTimer();
            getContext().unwatch(learner);
            learner.tell(new Learner.Drain(getContext().messageAdapter(Learner.Finished.class, LearnerDrained::new)));
        }
        return this;
    }

    private Behavior<Command> onLearnerDrained(LearnerDrained d) {
        timers.cancel(PhaseTimeout.INSTANCE);
        Learner.Finished merged = learnerReport.withDrain(d.report());
        result.complete(new Result(merged, producedChunks, producedSteps, seeds.quarantined(), seeds.failures(),
                stoppedEarly));
        return Behaviors.stopped();
    }

    private <T> void watchRole(ActorRef<T> ref, String role) {
        roles.put(ref, role);
        getContext().watch(ref);
    }

    /**
     * A watched role stopped while the run still needs it: fail the run now, with the role's own exception
     * when it died of one (the typed {@code ChildFailed} signal carries it), not after some wait times out.
     */
    private Behavior<Command> onRoleTerminated(ActorRef<?> ref, Throwable cause) {
        String role = roles.getOrDefault(ref, ref.path().name());
        if (cause == null) {
            return fail("role stopped unexpectedly: role=" + role);
        }
        IllegalStateException e = new IllegalStateException("run " + ctx.runId() + " failed: role " + role
                + " died: " + describe(cause), cause);
        getContext().getLog().error("role {} died", role, cause);
        result.completeExceptionally(e);
        return Behaviors.stopped();
    }

    /** The exception's class and message, and its root cause's when it wraps another. */
    public static String describe(Throwable cause) {
        String d = cause.getClass().getName() + ": " + cause.getMessage();
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == cause ? d : d + " (root cause: " + root.getClass().getName() + ": " + root.getMessage() + ")";
    }

    private void startPhaseTimer() {
        timers.startSingleTimer(PhaseTimeout.INSTANCE, Duration.ofMillis(ctx.config().actors().waitTimeoutMs()));
    }

    private Behavior<Command> fail(String reason) {
        result.completeExceptionally(new IllegalStateException("run " + ctx.runId() + " failed: " + reason));
        return Behaviors.stopped();
    }
}
