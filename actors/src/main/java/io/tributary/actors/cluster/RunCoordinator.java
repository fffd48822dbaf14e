package io.tributary.actors.cluster;

import io.tributary.actors.Learner;
import io.tributary.actors.Monitor;
import io.tributary.actors.PolicyPublisher;
import io.tributary.actors.RolloutWorker;
import io.tributary.actors.RunContext;
import io.tributary.actors.TrainingGuardian;
import io.tributary.actors.TrainingRun;
import io.tributary.streams.kafka.CheckpointStore;
import io.tributary.streams.kafka.KafkaRunStreams;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * The learner side of a cluster run, a cluster singleton on the nodes with the learner role: runs the
 * learner (restored from the run's latest checkpoint whenever one exists, as {@code train --resume} does)
 * and the policy publisher; when the learner's budget is spent it ends the run cluster-wide in the same
 * phases as {@link TrainingGuardian}: stop every rollout worker the Receptionist lists (a worker whose node
 * dies counts as stopped), have every scorer slot drain the rollouts topic (asked again every few seconds,
 * so a slot that moved to another node is drained there), drain the learner, then evaluate and write the
 * run's outputs with {@link TrainingRun#finish} and tell every node the run finished. A coordinator that
 * starts on a run already finished (its marker is in the checkpoint folder) only says so again.
 */
public final class RunCoordinator extends AbstractBehavior<RunCoordinator.Command> {
    /** Messages of the coordinator. */
    public interface Command {
    }

    /** The singleton's stop message at a handover: stop the learner (its checkpoint is where the next one starts). */
    public enum HandOver implements Command { INSTANCE }

    /** File in the checkpoint folder that marks a finished run (the checkpoint folder is shared by learner nodes). */
    public static final String FINISHED_MARKER = "run-finished";

    /** File in the run folder naming the node ({@code host:port}) whose learner runs now. */
    public static final String LEARNER_MARKER = "learner-node";

    private record FromRole(TrainingGuardian.Command message) implements Command {
    }

    /**
     * A Receptionist listing: of the nodes (subscribed) or of the workers (found once at the end). One adapter
     * serves both, as a second adapter for the same class would replace the first.
     */
    private record Listed(Receptionist.Listing listing) implements Command {
    }

    private record WorkerStopped(RolloutWorker.Stopped stopped) implements Command {
    }

    private record SlotDrained(NodeGuardian.SlotDrained drained) implements Command {
    }

    private record LearnerDrained(Learner.Finished report) implements Command {
    }

    private record Written(TrainingRun.Outcome outcome, Throwable failure) implements Command {
    }

    private enum AskDrain implements Command { INSTANCE }

    private enum StartLearner implements Command { INSTANCE }

    /**
     * DJL allows one GradientCollector per JVM: when the singleton moves between nodes of one JVM (tests), the
     * next learner starts only once the previous coordinator (and its learner) stopped.
     */
    private static final java.util.concurrent.Semaphore ONE_LEARNER_PER_JVM = new java.util.concurrent.Semaphore(1);

    private enum PhaseTimeout implements Command { INSTANCE }

    private final RunContext ctx;
    private final KafkaRunStreams streams;
    private final TimerScheduler<Command> timers;
    private final Map<ActorRef<?>, String> roles = new HashMap<>();
    private Set<ActorRef<NodeGuardian.Command>> nodes = Set.of();
    private final Set<ActorRef<RolloutWorker.Command>> stopping = new HashSet<>();
    private final Set<Integer> drainedSlots = new TreeSet<>();
    private ActorRef<Learner.Command> learner;
    private Learner.Finished learnerReport;
    private long producedChunks;
    private long producedSteps;
    private String phase = "training";
    private boolean over;
    private boolean holdsLearnerPermit;
    private String failedReason;
    private final ActorRef<Receptionist.Listing> listings;
    private final ActorRef<Monitor.Command> monitor;

    /**
     * Creates the coordinator of {@code ctx}'s run; {@code monitor} is the monitor singleton's proxy. The singleton
     * is a thin parent of the coordinator proper: if that one dies of an exception, the parent tells every node the
     * run failed (with the cause) instead of leaving the cluster waiting for a singleton that is gone.
     */
    public static Behavior<Command> create(RunContext ctx, KafkaRunStreams streams, ActorRef<Monitor.Command> monitor) {
        return Behaviors.setup(c -> {
            ActorRef<Command> run = c.spawn(Behaviors.<Command>setup(rc -> Behaviors.withTimers(
                    t -> new RunCoordinator(rc, t, ctx, streams, monitor))), "run");
            c.watch(run);
            ActorRef<Receptionist.Listing> listings = c.messageAdapter(Receptionist.Listing.class, Listed::new);
            String[] failure = new String[1];
            return Behaviors.receive(Command.class)
                    .onMessageEquals(HandOver.INSTANCE, Behaviors::stopped)
                    .onMessage(Listed.class, l -> {
                        for (ActorRef<NodeGuardian.Command> n : l.listing().getServiceInstances(NodeGuardian.nodesKey(ctx.runId()))) {
                            n.tell(new NodeGuardian.RunFailed(failure[0]));
                        }
                        return Behaviors.same();
                    })
                    .onSignal(ChildFailed.class, f -> {
                        c.getLog().error("the run's coordinator died", f.getCause());
                        // A failed start wraps the cause in an ActorInitializationException: name the cause itself.
                        Throwable cause = f.getCause() instanceof org.apache.pekko.actor.ActorInitializationException
                                && f.getCause().getCause() != null ? f.getCause().getCause() : f.getCause();
                        failure[0] = "run " + ctx.runId() + " failed: its coordinator died: " + TrainingGuardian.describe(cause);
                        System.err.println("[tributary] " + failure[0]);
                        // Subscribed, not found once: a node that joins later hears it too.
                        c.getSystem().receptionist().tell(Receptionist.subscribe(NodeGuardian.nodesKey(ctx.runId()), listings));
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    private RunCoordinator(ActorContext<Command> c, TimerScheduler<Command> timers, RunContext ctx,
                           KafkaRunStreams streams, ActorRef<Monitor.Command> monitor) {
        super(c);
        this.ctx = ctx;
        this.streams = streams;
        this.timers = timers;
        this.monitor = monitor;
        this.listings = c.messageAdapter(Receptionist.Listing.class, Listed::new);
        c.getSystem().receptionist().tell(Receptionist.subscribe(NodeGuardian.nodesKey(ctx.runId()), listings));
        if (Files.exists(finishedMarker())) {
            over = true;
            phase = "finished";
            System.err.println("[tributary] coordinator: run " + ctx.runId() + " already finished");
            return;
        }
        startLearner();
    }

    /** Starts the publisher and the learner once this JVM has no other learner (see {@link #ONE_LEARNER_PER_JVM}). */
    private Behavior<Command> startLearner() {
        ActorContext<Command> c = getContext();
        if (!ONE_LEARNER_PER_JVM.tryAcquire()) {
            timers.startSingleTimer(StartLearner.INSTANCE, Duration.ofMillis(200));
            return this;
        }
        holdsLearnerPermit = true;
        boolean resume;
        try {
            resume = new CheckpointStore(ctx.checkpointDir(), ctx.config().run().keepCheckpoints()).latest().isPresent();
            writeLearnerMarker();
        } catch (RuntimeException e) {
            // An actor that fails while it starts gets no PostStop: give the permit back here, or no learner of
            // this JVM could ever start again.
            holdsLearnerPermit = false;
            ONE_LEARNER_PER_JVM.release();
            throw e;
        }
        System.err.println("[tributary] coordinator of run " + ctx.runId() + " starts here"
                + (resume ? " (restoring the learner from the latest checkpoint in " + ctx.checkpointDir() + ")" : ""));
        RunContext learnerCtx = ctx.withResume(resume);
        ActorRef<PolicyPublisher.Command> publisher = c.spawn(PolicyPublisher.create(learnerCtx), "policy-publisher",
                DispatcherSelector.fromConfig(TrainingGuardian.BLOCKING_DISPATCHER));
        watchRole(publisher, "policy-publisher");
        ActorRef<TrainingGuardian.Command> guardian = c.messageAdapter(TrainingGuardian.Command.class, FromRole::new);
        learner = c.spawn(Learner.create(learnerCtx, publisher, monitor, guardian), "learner",
                DispatcherSelector.fromConfig(TrainingGuardian.PINNED_DISPATCHER));
        watchRole(learner, "learner");
        return this;
    }

    /**
     * Writes {@code <run>/learner-node} = host:port of this node (atomically), so tools that launch nodes (cluster
     * local, chaos) know which node to kill for the learner case.
     */
    private void writeLearnerMarker() {
        org.apache.pekko.actor.Address self = org.apache.pekko.cluster.typed.Cluster.get(getContext().getSystem())
                .selfMember().address();
        String text = self.getHost().orElse("?") + ":" + self.getPort().map(String::valueOf).orElse("?") + "\n";
        Path marker = ctx.runDir().resolve(LEARNER_MARKER);
        Path tmp = ctx.runDir().resolve(LEARNER_MARKER + ".tmp-" + self.getPort().orElse(0));
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, marker, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + marker, e);
        }
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessageEquals(HandOver.INSTANCE, Behaviors::stopped)
                .onMessageEquals(StartLearner.INSTANCE, this::startLearner)
                // Children have stopped when PostStop runs: the learner's DJL resources are released.
                .onSignal(PostStop.class, s -> {
                    if (holdsLearnerPermit) {
                        holdsLearnerPermit = false;
                        ONE_LEARNER_PER_JVM.release();
                    }
                    return this;
                })
                .onMessage(Listed.class, l -> l.listing().isForKey(NodeGuardian.nodesKey(ctx.runId()))
                        ? onNodesListed(l.listing()) : onWorkersFound(l.listing()))
                .onMessage(FromRole.class, this::onFromRole)
                .onMessage(WorkerStopped.class, s -> {
                    producedChunks += s.stopped().chunks();
                    producedSteps += s.stopped().steps();
                    stopping.removeIf(w -> w.path().name().equals("worker-" + s.stopped().worker()));
                    return afterWorkerGone();
                })
                .onMessage(SlotDrained.class, this::onSlotDrained)
                .onMessageEquals(AskDrain.INSTANCE, () -> {
                    askDrain();
                    return this;
                })
                .onMessage(LearnerDrained.class, this::onLearnerDrained)
                .onMessage(Written.class, this::onWritten)
                .onMessageEquals(PhaseTimeout.INSTANCE, () -> fail("shutdown phase '" + phase + "' timed out after "
                        + ctx.config().actors().waitTimeoutMs() + " ms"))
                // ChildFailed (a Terminated with the child's exception) must come before Terminated.
                .onSignal(ChildFailed.class, f -> onTerminated(f.getRef(), f.getCause()))
                .onSignal(Terminated.class, t -> onTerminated(t.getRef(), null))
                .build();
    }

    private Behavior<Command> onNodesListed(Receptionist.Listing l) {
        nodes = l.getServiceInstances(NodeGuardian.nodesKey(ctx.runId()));
        if (over && "finished".equals(phase)) {
            // Started on a finished run (e.g. after the first coordinator's node left): say so again.
            broadcast(new NodeGuardian.RunFinished("run " + ctx.runId() + " finished"));
        } else if (failedReason != null) {
            // A node that joins after the run failed hears it too.
            broadcast(new NodeGuardian.RunFailed(failedReason));
        }
        return this;
    }

    private Behavior<Command> onFromRole(FromRole r) {
        if (over) {
            return this;
        }
        if (r.message() instanceof TrainingGuardian.LearnerFinished f) {
            learnerReport = f.report();
            phase = "stopping workers";
            startPhaseTimer();
            getContext().getSystem().receptionist().tell(Receptionist.find(NodeGuardian.workersKey(ctx.runId()), listings));
            return this;
        }
        if (r.message() instanceof TrainingGuardian.Fatal f) {
            return fail(f.reason());
        }
        getContext().getLog().warn("unexpected message from the learner: {}", r.message());
        return this;
    }

    private Behavior<Command> onWorkersFound(Receptionist.Listing l) {
        if (!"stopping workers".equals(phase)) {
            return this;
        }
        ActorRef<RolloutWorker.Stopped> reply = getContext().messageAdapter(RolloutWorker.Stopped.class, WorkerStopped::new);
        for (ActorRef<RolloutWorker.Command> w : l.getServiceInstances(NodeGuardian.workersKey(ctx.runId()))) {
            // Watched: a worker whose node dies (or that stopped already) counts as stopped.
            getContext().watch(w);
            stopping.add(w);
            w.tell(new RolloutWorker.Stop(reply));
        }
        return afterWorkerGone();
    }

    private Behavior<Command> afterWorkerGone() {
        if ("stopping workers".equals(phase) && stopping.isEmpty()) {
            phase = "draining scorers";
            startPhaseTimer();
            askDrain();
            timers.startTimerWithFixedDelay(AskDrain.INSTANCE, Duration.ofSeconds(3));
        }
        return this;
    }

    private void askDrain() {
        ActorRef<NodeGuardian.SlotDrained> reply = getContext().messageAdapter(NodeGuardian.SlotDrained.class, SlotDrained::new);
        broadcast(new NodeGuardian.DrainScorers(reply));
    }

    private Behavior<Command> onSlotDrained(SlotDrained d) {
        if (!"draining scorers".equals(phase)) {
            return this;
        }
        drainedSlots.add(d.drained().slot());
        if (drainedSlots.size() >= ctx.config().actors().scorers()) {
            timers.cancel(AskDrain.INSTANCE);
            phase = "draining learner";
            startPhaseTimer();
            getContext().unwatch(learner);
            learner.tell(new Learner.Drain(getContext().messageAdapter(Learner.Finished.class, LearnerDrained::new)));
        }
        return this;
    }

    private Behavior<Command> onLearnerDrained(LearnerDrained d) {
        phase = "writing outputs";
        startPhaseTimer();
        TrainingGuardian.Result result = new TrainingGuardian.Result(learnerReport.withDrain(d.report()), producedChunks,
                producedSteps, Set.of(), 0, 0);
        Executor blocking = getContext().getSystem().dispatchers().lookup(
                DispatcherSelector.fromConfig(TrainingGuardian.BLOCKING_DISPATCHER));
        // The marker is written by the same task, right after the outputs: a coordinator that starts later (this
        // node may be leaving) sees the run finished even when this actor is stopped before it hears back.
        getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> {
            TrainingRun.Outcome o = TrainingRun.finish(ctx, streams, result);
            writeFinishedMarker();
            return o;
        }, blocking), Written::new);
        return this;
    }

    private Behavior<Command> onWritten(Written w) {
        timers.cancel(PhaseTimeout.INSTANCE);
        if (w.failure() != null) {
            getContext().getLog().error("cannot finish the run", w.failure());
            return fail("cannot finish the run: " + w.failure());
        }
        over = true;
        phase = "finished";
        TrainingRun.Outcome o = w.outcome();
        broadcast(new NodeGuardian.RunFinished(String.format("run %s finished: eval_return_mean=%.1f, env_steps=%d, lost=%d, "
                        + "duplicated=%d -> %s", o.runId(), o.evalReturnMean(), o.summary().envSteps(), o.summary().chunksLost(),
                o.summary().chunksDuplicated(), o.runDir().resolve("summary.json"))));
        return this;
    }

    private Behavior<Command> onTerminated(ActorRef<?> ref, Throwable cause) {
        if (stopping.remove(ref)) {
            return afterWorkerGone();
        }
        String role = roles.get(ref);
        if (role == null || over) {
            return this;
        }
        getContext().getLog().error("role {} died", role, cause);
        return fail(cause == null ? "role stopped unexpectedly: role=" + role
                : "role " + role + " died: " + cause.getClass().getName() + ": " + cause.getMessage());
    }

    private void writeFinishedMarker() {
        try {
            Files.writeString(finishedMarker(), ctx.runDir().resolve("summary.json") + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + finishedMarker(), e);
        }
    }

    private Path finishedMarker() {
        return ctx.checkpointDir().resolve(FINISHED_MARKER);
    }

    private void broadcast(NodeGuardian.Command m) {
        for (ActorRef<NodeGuardian.Command> n : nodes) {
            n.tell(m);
        }
    }

    private <T> void watchRole(ActorRef<T> ref, String role) {
        roles.put(ref, role);
        getContext().watch(ref);
    }

    private void startPhaseTimer() {
        timers.startSingleTimer(PhaseTimeout.INSTANCE, Duration.ofMillis(ctx.config().actors().waitTimeoutMs()));
    }

    private Behavior<Command> fail(String reason) {
        if (over) {
            return this;
        }
        over = true;
        phase = "failed";
        timers.cancel(PhaseTimeout.INSTANCE);
        timers.cancel(AskDrain.INSTANCE);
        System.err.println("[tributary] run " + ctx.runId() + " failed: " + reason);
        failedReason = "run " + ctx.runId() + " failed: " + reason;
        broadcast(new NodeGuardian.RunFailed(failedReason));
        return this;
    }
}
