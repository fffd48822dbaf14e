package io.tributary.actors.cluster;

import io.tributary.actors.Learner;
import io.tributary.actors.Monitor;
import io.tributary.actors.PolicySubscriber;
import io.tributary.actors.RewardScorer;
import io.tributary.actors.RolloutWorker;
import io.tributary.actors.RunContext;
import io.tributary.actors.SeedSchedule;
import io.tributary.actors.TrainingGuardian;
import io.tributary.streams.kafka.KafkaRunStreams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.Address;
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
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.ClusterSingletonSettings;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * The guardian of one cluster node: joins the cluster (the seed nodes are in the actor system's config),
 * and starts what the node's roles ask for:
 * <ul>
 *   <li>{@code rollout}: a policy subscriber and {@code tributary.actors.workers} rollout workers, each
 *       registered with the Receptionist; every worker's per-version quota is the learner's quota divided by
 *       the number of workers the Receptionist lists cluster-wide, recomputed when that number changes;</li>
 *   <li>{@code reward}: the scorer slots it owns out of {@code tributary.actors.scorers} cluster-wide. Slot
 *       {@code s} belongs to the {@code s mod n}-th Up reward node (by address); when a node joins, leaves or
 *       is downed every node recomputes, stops the slots it lost and starts the ones it gained. A slot's
 *       transactional id (and static group member id) is run id + slot, so its new owner fences a dead one
 *       at once;</li>
 *   <li>{@code learner}: may host the {@link RunCoordinator} singleton (learner, publisher, end of run) and
 *       the {@link Monitor} singleton (progress line, metrics.jsonl, metrics topic).</li>
 * </ul>
 * Every node registers itself under {@link #nodesKey}: the coordinator asks the nodes to drain their scorer
 * slots and tells them when the run finished or failed. The node then completes its exit code (0 when the
 * run finished, 1 with a one-line reason otherwise); a worker or scorer that dies of an exception fails the
 * node the same way.
 */
public final class NodeGuardian extends AbstractBehavior<NodeGuardian.Command> {
    /** Messages of a node guardian. */
    public interface Command {
    }

    /** From the coordinator: the run is complete ({@code line} says how it ended); leave and exit 0. */
    public record RunFinished(String line) implements Command, JsonSerializable {
    }

    /** From the coordinator: the run failed; leave and exit non-zero with {@code reason}. */
    public record RunFailed(String reason) implements Command, JsonSerializable {
    }

    /**
     * From the coordinator, repeated until every slot answered: drain every scorer slot this node owns now or
     * takes over later, and report each drained slot to {@code replyTo}.
     */
    public record DrainScorers(ActorRef<SlotDrained> replyTo) implements Command, JsonSerializable {
    }

    /** Reply to {@link DrainScorers}: scorer slot {@code slot} read the rollouts topic to its end. */
    public record SlotDrained(int slot, long scored, long deadLettered) implements JsonSerializable {
    }

    /** Asks for this node's {@link Status} (tools and tests; also answered for a node on another machine). */
    public record GetStatus(ActorRef<Status> replyTo) implements Command, JsonSerializable {
    }

    /**
     * What a node runs now.
     *
     * @param node               host:port of the node
     * @param roles              its roles
     * @param workersClusterWide rollout workers the Receptionist lists cluster-wide (the quota's divisor); 0 on a
     *                           node without the rollout role
     * @param workersHere        rollout workers on this node
     * @param scorerSlots        scorer slots this node runs now
     * @param peakWorkersClusterWide the largest quota divisor this node has used (workers stopping at the end
     *                           of a run leave the listing, so a finished run's status still tells the peak)
     * @param workersStarted     rollout workers this node has started in all
     */
    public record Status(String node, List<String> roles, int workersClusterWide, int workersHere,
                         List<Integer> scorerSlots, int peakWorkersClusterWide, int workersStarted)
            implements JsonSerializable {
    }

    /** How a node ends: its process exit code and a one-line reason. */
    public record Exit(int code, String reason) {
    }

    private record FromRole(TrainingGuardian.Command message) implements Command {
    }

    private record WorkersListed(Receptionist.Listing listing) implements Command {
    }

    private record MembershipChanged(ClusterEvent.MemberEvent event) implements Command {
    }

    private record ScorerDrained(RewardScorer.Drained drained) implements Command {
    }

    private record ExitNow(Exit exit) implements Command {
    }

    private enum Tick implements Command { INSTANCE }

    private final RunContext ctx;
    private final ClusterSettings settings;
    private final CompletableFuture<Exit> exit;
    private final TimerScheduler<Command> timers;
    private final Cluster cluster;
    private final AtomicInteger liveWorkers = new AtomicInteger();
    private int peakWorkersClusterWide;
    private int workersStarted;
    private final List<ActorRef<RolloutWorker.Command>> workers = new ArrayList<>();
    /** Up (or weakly up) members with the reward role, by address: slot s belongs to the (s mod n)-th. */
    private final Map<Address, Member> rewardMembers = new TreeMap<>(Member.addressOrdering()::compare);
    private final Map<Integer, ActorRef<RewardScorer.Command>> scorers = new HashMap<>();
    private final Map<ActorRef<?>, String> roles = new HashMap<>();
    private final Set<Integer> drainedSlots = new TreeSet<>();
    private final List<SlotDrained> drainedReports = new ArrayList<>();
    private int scorerIncarnation;
    private ActorRef<SlotDrained> drainReplyTo;
    private boolean exiting;
    private final long startMillis = System.currentTimeMillis();

    /** Service key under which every node of run {@code runId} registers its guardian. */
    public static ServiceKey<Command> nodesKey(String runId) {
        return ServiceKey.create(Command.class, "tributary-nodes-" + runId);
    }

    /** Service key under which every rollout worker of run {@code runId} is registered. */
    public static ServiceKey<RolloutWorker.Command> workersKey(String runId) {
        return ServiceKey.create(RolloutWorker.Command.class, "tributary-workers-" + runId);
    }

    /**
     * Creates the node's guardian; {@code exit} completes with the node's exit code.
     *
     * @param streams the node's streams (the coordinator, when hosted here, writes the run's outputs with them)
     */
    public static Behavior<Command> create(RunContext ctx, KafkaRunStreams streams, ClusterSettings settings,
                                           CompletableFuture<Exit> exit) {
        return Behaviors.setup(c -> Behaviors.withTimers(t -> new NodeGuardian(c, t, ctx, streams, settings, exit)));
    }

    private NodeGuardian(ActorContext<Command> c, TimerScheduler<Command> timers, RunContext ctx,
                         KafkaRunStreams streams, ClusterSettings settings, CompletableFuture<Exit> exit) {
        super(c);
        this.ctx = ctx;
        this.settings = settings;
        this.exit = exit;
        this.timers = timers;
        this.cluster = Cluster.get(c.getSystem());
        c.getSystem().receptionist().tell(Receptionist.register(nodesKey(ctx.runId()), c.getSelf()));
        // Singletons are initialised on every node: nodes with the learner role may host them, every node
        // gets a proxy (workers send episodes to the monitor wherever it runs).
        ClusterSingleton singletons = ClusterSingleton.get(c.getSystem());
        ClusterSingletonSettings onLearners = ClusterSingletonSettings.create(c.getSystem()).withRole("learner");
        ActorRef<Monitor.Command> monitor = singletons.init(SingletonActor.of(Monitor.create(ctx), "monitor")
                .withSettings(onLearners).withProps(DispatcherSelector.fromConfig(TrainingGuardian.BLOCKING_DISPATCHER)));
        singletons.init(SingletonActor.of(RunCoordinator.create(ctx, streams, monitor), "coordinator")
                .withSettings(onLearners).withStopMessage(RunCoordinator.HandOver.INSTANCE));
        if (settings.has("rollout")) {
            startWorkers(monitor);
        }
        if (settings.has("reward")) {
            cluster.subscriptions().tell(Subscribe.create(
                    c.messageAdapter(ClusterEvent.MemberEvent.class, MembershipChanged::new), ClusterEvent.MemberEvent.class));
        }
        timers.startTimerWithFixedDelay(Tick.INSTANCE, Duration.ofMillis(5L * ctx.config().run().progressIntervalMs()));
        System.err.println("[tributary] node " + settings.host() + ":" + settings.port() + " roles " + settings.roles()
                + " run " + ctx.runId() + ", seed nodes " + settings.seedNodes());
    }

    private void startWorkers(ActorRef<Monitor.Command> monitor) {
        ActorContext<Command> c = getContext();
        int n = ctx.config().actors().workers();
        // Until the Receptionist's first listing arrives, the quota assumes this node's workers alone.
        liveWorkers.set(n);
        SeedSchedule seeds = new SeedSchedule(ctx.config().run().seed(), ctx.config().actors().seedFailuresBeforeQuarantine());
        ActorRef<PolicySubscriber.Command> subscriber = c.spawn(PolicySubscriber.create(ctx, true), "policy-subscriber",
                DispatcherSelector.fromConfig(TrainingGuardian.PINNED_DISPATCHER));
        watchRole(subscriber, "policy-subscriber");
        ActorRef<TrainingGuardian.Command> guardian = c.messageAdapter(TrainingGuardian.Command.class, FromRole::new);
        for (int i = 0; i < n; i++) {
            // Worker indices differ between nodes, so their training seeds do too.
            int index = settings.nodeIndex() * n + i;
            ActorRef<RolloutWorker.Command> w = c.spawn(
                    RolloutWorker.create(ctx, index, monitor, guardian, seeds, subscriber, liveWorkers), "worker-" + index);
            watchRole(w, "worker-" + index);
            workers.add(w);
            workersStarted++;
            c.getSystem().receptionist().tell(Receptionist.register(workersKey(ctx.runId()), w));
        }
        c.getSystem().receptionist().tell(Receptionist.subscribe(workersKey(ctx.runId()),
                c.messageAdapter(Receptionist.Listing.class, WorkersListed::new)));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(RunFinished.class, f -> leave(new Exit(0, f.line())))
                .onMessage(RunFailed.class, f -> leave(new Exit(1, f.reason())))
                .onMessage(DrainScorers.class, this::onDrainScorers)
                .onMessage(GetStatus.class, g -> {
                    g.replyTo().tell(status());
                    return this;
                })
                .onMessage(ScorerDrained.class, this::onScorerDrained)
                .onMessage(FromRole.class, this::onFromRole)
                .onMessage(WorkersListed.class, this::onWorkersListed)
                .onMessage(MembershipChanged.class, this::onMembershipChanged)
                // The guardian stays: the node's owner then leaves the cluster by coordinated shutdown.
                .onMessage(ExitNow.class, e -> {
                    exit.complete(e.exit());
                    return this;
                })
                .onMessageEquals(Tick.INSTANCE, this::onTick)
                // ChildFailed (a Terminated with the child's exception) must come before Terminated.
                .onSignal(ChildFailed.class, f -> onChildFailed(f.getRef(), f.getCause()))
                .onSignal(Terminated.class, t -> onChildStopped(t.getRef()))
                .build();
    }

    private Behavior<Command> onFromRole(FromRole r) {
        if (r.message() instanceof TrainingGuardian.Fatal f) {
            return leave(new Exit(1, "node " + settings.host() + ":" + settings.port() + " failed: " + f.reason()));
        }
        getContext().getLog().warn("unexpected message from a role: {}", r.message());
        return this;
    }

    private Behavior<Command> onWorkersListed(WorkersListed l) {
        int n = l.listing().getServiceInstances(workersKey(ctx.runId())).size();
        // Workers stopping at the end leave the listing; the quota never divides by zero.
        if (n > 0 && n != liveWorkers.getAndSet(n)) {
            for (ActorRef<RolloutWorker.Command> w : workers) {
                w.tell(RolloutWorker.Rebalance.INSTANCE);
            }
        }
        // The divisor actually in use (not the listing), so a quota that stopped following the listing shows here.
        peakWorkersClusterWide = Math.max(peakWorkersClusterWide, liveWorkers.get());
        return this;
    }

    private Behavior<Command> onMembershipChanged(MembershipChanged m) {
        Member member = m.event().member();
        MemberStatus s = member.status();
        boolean up = s == MemberStatus.up() || s == MemberStatus.weaklyUp();
        if (up && member.hasRole("reward")) {
            rewardMembers.put(member.address(), member);
        } else if (!up) {
            rewardMembers.remove(member.address());
        }
        assignSlots();
        // The status line at once, not at the next tick: launchers (chaos) wait for "| members N |" before a
        // fault, and a tiny run on a quiet machine can end within one tick interval.
        return onTick();
    }

    /** Starts the scorer slots this node owns now and stops the ones it no longer owns. */
    private void assignSlots() {
        if (exiting) {
            return;
        }
        List<Address> owners = new ArrayList<>(rewardMembers.keySet());
        Address self = cluster.selfMember().address();
        for (int slot = 0; slot < ctx.config().actors().scorers(); slot++) {
            boolean mine = !owners.isEmpty() && owners.get(slot % owners.size()).equals(self);
            ActorRef<RewardScorer.Command> running = scorers.get(slot);
            if (mine && running == null && !drainedSlots.contains(slot)) {
                ActorRef<RewardScorer.Command> s = getContext().spawn(RewardScorer.create(ctx, slot),
                        "scorer-" + slot + "-" + (++scorerIncarnation),
                        DispatcherSelector.fromConfig(TrainingGuardian.PINNED_DISPATCHER));
                watchRole(s, "scorer-" + slot);
                scorers.put(slot, s);
                System.err.println("[tributary] node " + settings.host() + ":" + settings.port() + " owns scorer slot " + slot);
                if (drainReplyTo != null) {
                    s.tell(new RewardScorer.Drain(getContext().messageAdapter(RewardScorer.Drained.class, ScorerDrained::new)));
                }
            } else if (!mine && running != null) {
                // Another node owns it now: its scorer fences this one's transactional id, so stop here at once.
                scorers.remove(slot);
                roles.remove(running);
                getContext().unwatch(running);
                getContext().stop(running);
            }
        }
    }

    private Behavior<Command> onDrainScorers(DrainScorers d) {
        drainReplyTo = d.replyTo();
        ActorRef<RewardScorer.Drained> reply = getContext().messageAdapter(RewardScorer.Drained.class, ScorerDrained::new);
        for (ActorRef<RewardScorer.Command> s : scorers.values()) {
            s.tell(new RewardScorer.Drain(reply));
        }
        // A coordinator that restarted elsewhere asks again: tell it what was drained here already.
        for (SlotDrained r : drainedReports) {
            drainReplyTo.tell(r);
        }
        return this;
    }

    private Behavior<Command> onScorerDrained(ScorerDrained d) {
        int slot = d.drained().scorer();
        ActorRef<RewardScorer.Command> s = scorers.remove(slot);
        if (s != null) {
            getContext().unwatch(s);
            roles.remove(s);
        }
        if (drainedSlots.add(slot)) {
            SlotDrained r = new SlotDrained(slot, d.drained().scored(), d.drained().deadLettered());
            drainedReports.add(r);
            if (drainReplyTo != null) {
                drainReplyTo.tell(r);
            }
        }
        return this;
    }

    private Status status() {
        return new Status(settings.host() + ":" + settings.port(), settings.roles(), liveWorkers.get(), workers.size(),
                List.copyOf(new TreeSet<>(scorers.keySet())), Math.max(peakWorkersClusterWide, liveWorkers.get()), workersStarted);
    }

    private Behavior<Command> onTick() {
        Status s = status();
        System.err.printf("[tributary] node %s %.0fs | members %d | workers cluster-wide %d (here %d) | scorer slots here %s%n",
                s.node(), (System.currentTimeMillis() - startMillis) / 1000.0, memberCount(), s.workersClusterWide(),
                s.workersHere(), s.scorerSlots());
        return this;
    }

    private int memberCount() {
        int n = 0;
        for (Member ignored : cluster.state().getMembers()) {
            n++;
        }
        return n;
    }

    private <T> void watchRole(ActorRef<T> ref, String role) {
        roles.put(ref, role);
        getContext().watch(ref);
    }

    private Behavior<Command> onChildFailed(ActorRef<?> ref, Throwable cause) {
        String role = roles.getOrDefault(ref, ref.path().name());
        getContext().getLog().error("role {} died", role, cause);
        return leave(new Exit(1, "node " + settings.host() + ":" + settings.port() + " failed: role " + role + " died: "
                + cause.getClass().getName() + ": " + cause.getMessage()));
    }

    private Behavior<Command> onChildStopped(ActorRef<?> ref) {
        String role = roles.remove(ref);
        workers.removeIf(w -> w.equals(ref));
        // A worker stops after the coordinator's Stop, a scorer after its drain: only the subscriber must not.
        if ("policy-subscriber".equals(role) && !exiting && !workers.isEmpty()) {
            return leave(new Exit(1, "node " + settings.host() + ":" + settings.port()
                    + " failed: role stopped unexpectedly: role=" + role));
        }
        return this;
    }

    /** Stops taking work, waits the exit grace (so the message that ended the run reaches every node), then exits. */
    private Behavior<Command> leave(Exit e) {
        if (exiting) {
            return this;
        }
        exiting = true;
        timers.cancel(Tick.INSTANCE);
        timers.startSingleTimer(new ExitNow(e), Duration.ofMillis(settings.exitGraceMs()));
        return this;
    }
}
