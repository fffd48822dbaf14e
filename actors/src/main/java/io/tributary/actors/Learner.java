package io.tributary.actors;

import io.tributary.learner.Learners;
import io.tributary.learner.UpdateReport;
import io.tributary.rewards.ScoredChunk;
import io.tributary.simulator.rollout.ChunkTransform;
import io.tributary.streams.kafka.Accounts;
import io.tributary.streams.kafka.CheckpointStore;
import io.tributary.streams.kafka.Ledger;
import io.tributary.streams.port.ScoredSource;
import io.tributary.streams.port.StreamsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The learner role: reads scored chunks (read_committed) from the offsets of its last checkpoint, drops
 * chunks older than {@code max-policy-lag} (counted, with the lag), feeds the rest to the configured
 * {@link io.tributary.learner.Learner}, publishes each new policy version, and every
 * {@code checkpoint-every-updates} updates writes a durable checkpoint and then the ledger entry of the
 * chunk ids it covers. Stops when the env-step or wall-time budget is spent. Runs on the pinned
 * dispatcher: polls and DJL updates block.
 *
 * <p>Guarantees kept across poison input, resumes and long outages:
 * <ul>
 *   <li>a chunk the algorithm cannot train ({@code accept} throws) goes to the dead-letter topic with
 *       reason {@code train: <message>} and the run goes on (a resume would read it again otherwise);</li>
 *   <li>latency and lag values beyond their histogram's range are clamped and counted ({@code latency_clamped});</li>
 *   <li>policy versions never repeat: a resumed learner moves its counter above every version on the
 *       policy topic, and chunks made by versions the killed run published after its checkpoint (a
 *       discarded branch) are dropped with reason {@code discarded-branch}; the skipped ranges do not
 *       count as lag;</li>
 *   <li>the summary's counters and histograms are in the checkpoint and survive a resume.</li>
 * </ul>
 */
public final class Learner extends AbstractBehavior<Learner.Command> {
    /** Messages of the learner. */
    public interface Command {
    }

    /** Read the scored topic to its end (after workers and scorers stopped), account for what is left, reply. */
    public record Drain(ActorRef<Finished> replyTo) implements Command {
    }

    /** What the learner did, reported when its budget is spent and again after a drain. */
    public record Finished(long version, long envSteps, long updates, long skippedUpdates, long chunksTrained,
                           long chunksDroppedStale, long chunksRejected, long chunksUnusedAtEnd,
                           Histogram lagHistogram, Histogram e2eMicros, String reason,
                           io.tributary.learner.PolicySnapshot policy, String device, long latencyClamped) {
        /** This report (made when the budget was spent) with the end-of-run count of the drain's report. */
        public Finished withDrain(Finished drained) {
            return new Finished(version, envSteps, updates, skippedUpdates, chunksTrained, chunksDroppedStale,
                    chunksRejected, drained.chunksUnusedAtEnd(), lagHistogram, e2eMicros, reason, policy, device,
                    latencyClamped);
        }
    }

    private enum Poll implements Command { INSTANCE }

    private final RunContext ctx;
    private final io.tributary.learner.Learner algo;
    private final ScoredSource reader;
    private final CheckpointStore store;
    private final ActorRef<PolicyPublisher.Command> publisher;
    private final ActorRef<Monitor.Command> monitor;
    private final ActorRef<TrainingGuardian.Command> guardian;
    private final long startMillis = System.currentTimeMillis();
    private final long wallBudgetMillis;
    private final Histogram lag = new Histogram(1_000_000L, 3);
    private final Histogram e2e = new Histogram(3_600_000_000L, 3);
    /** Version ranges {lo, hi} skipped at resumes: lo..hi-1 discarded branch, hi = restored weights again. */
    private final List<long[]> versionGaps = new ArrayList<>();
    private final Map<Integer, Long> consumed = new HashMap<>();
    private Map<Integer, Long> offsetsAtUpdate;
    private final List<String> pendingTrained = new ArrayList<>();
    private final List<String> pendingDropped = new ArrayList<>();
    private final List<String> pendingRejected = new ArrayList<>();
    private final List<String> committedTrained = new ArrayList<>();
    private final List<String> committedDropped = new ArrayList<>();
    private final List<String> committedRejected = new ArrayList<>();
    /** Chunks read after the budget was spent (rest of the last poll): accounted as end-of-run. */
    private final List<String> leftover = new ArrayList<>();
    private long envSteps;
    private long pendingSteps;
    private long updates;
    private long skipped;
    private long chunksTrained;
    private long chunksDropped;
    private long chunksRejected;
    private long latencyClamped;
    private long trainDeadLettered;
    private long checkpointNumber;
    private long updatesSinceCheckpoint;
    private boolean finished;
    /** The ledger could not be written (e.g. another learner took over the run): the run is failing. */
    private boolean failed;
    private long priorWallMillis;
    private long lastDataMillis = System.currentTimeMillis();

    /** Creates the learner role; restores from the latest checkpoint when the run is resumed. */
    public static Behavior<Command> create(RunContext ctx, ActorRef<PolicyPublisher.Command> publisher,
                                           ActorRef<Monitor.Command> monitor, ActorRef<TrainingGuardian.Command> guardian) {
        return Behaviors.setup(c -> {
            try {
                return new Learner(c, ctx, publisher, monitor, guardian);
            } catch (StreamsException e) {
                // Out-of-range checkpoint offsets, a ledger that cannot be claimed: the run fails with this cause.
                c.getLog().error("learner cannot start", e);
                guardian.tell(new TrainingGuardian.Fatal("learner cannot start: " + e.getMessage()));
                return Behaviors.ignore();
            }
        });
    }

    private Learner(ActorContext<Command> c, RunContext ctx, ActorRef<PolicyPublisher.Command> publisher,
                    ActorRef<Monitor.Command> monitor, ActorRef<TrainingGuardian.Command> guardian) {
        super(c);
        this.ctx = ctx;
        this.publisher = publisher;
        this.monitor = monitor;
        this.guardian = guardian;
        this.wallBudgetMillis = ctx.config().run().maxWallSeconds() * 1000L;
        this.store = new CheckpointStore(ctx.checkpointDir(), ctx.config().run().keepCheckpoints());
        // One learner per run: a learner started earlier on this run is fenced now, and stops at its next ledger write.
        ctx.streams().ledger().claim();
        this.algo = Learners.create(ctx.config().learnerContext(ctx.runId()));
        Map<Integer, Long> start = Map.of();
        Optional<CheckpointStore.Checkpoint> cp = ctx.resume() ? store.latest() : Optional.empty();
        if (ctx.resume() && cp.isEmpty()) {
            throw new IllegalStateException("cannot resume run " + ctx.runId() + ": no checkpoint in " + ctx.checkpointDir());
        }
        if (cp.isPresent()) {
            CheckpointStore.Checkpoint k = cp.get();
            try {
                algo.restore(k.learnerDir());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot restore learner from " + k.learnerDir(), e);
            }
            start = k.meta().offsets();
            envSteps = k.meta().envSteps();
            updates = k.meta().updates();
            chunksTrained = k.meta().chunksTrained();
            chunksDropped = k.meta().chunksDroppedStale();
            checkpointNumber = k.meta().number();
            priorWallMillis = k.meta().wallMillis();
            skipped = k.meta().skippedUpdates();
            chunksRejected = k.meta().chunksRejected();
            latencyClamped = k.meta().latencyClamped();
            decodeHistogram(k.meta().lagHistogram(), lag);
            decodeHistogram(k.meta().e2eHistogram(), e2e);
            versionGaps.addAll(decodeGaps(k.meta().versionGaps()));
            // Versions the killed run published after this checkpoint belong to a discarded branch: never
            // publish them again (with other weights), and drop chunks they made.
            long checkpointVersion = algo.version();
            long next = Math.max(checkpointVersion, ctx.streams().maxPublishedPolicyVersion()) + 1;
            algo.skipVersionsTo(next);
            versionGaps.add(new long[] {checkpointVersion + 1, next});
            if (next > checkpointVersion + 1) {
                c.getLog().warn("versions v{}..v{} were published after checkpoint {} and are discarded; restored "
                        + "policy is republished as v{}", checkpointVersion + 1, next - 1, k.dir(), next);
            }
            // A crash between the checkpoint's rename and its ledger append leaves the entry unwritten: write it now.
            if (!ctx.streams().ledger().checkpoints().contains(checkpointNumber)) {
                ctx.streams().ledger().append(k.ledgerEntry());
            }
            c.getLog().info("resumed from checkpoint {} (policy v{}, {} env steps)", k.dir(), algo.version(), envSteps);
        }
        c.getLog().info("learner {} on {}", algo.algorithm(), algo.deviceDescription());
        System.err.println("[tributary] learner " + algo.algorithm() + " on " + algo.deviceDescription());
        consumed.putAll(start);
        offsetsAtUpdate = new HashMap<>(start);
        try {
            this.reader = ctx.streams().scored(start);
        } catch (RuntimeException e) {
            algo.close();
            throw e;
        }
        publisher.tell(new PolicyPublisher.Publish(algo.snapshot()));
        c.getSelf().tell(Poll.INSTANCE);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessageEquals(Poll.INSTANCE, this::onPoll)
                .onMessage(Drain.class, this::onDrain)
                .onSignal(PostStop.class, s -> {
                    reader.close();
                    algo.close();
                    return this;
                })
                .build();
    }

    private Behavior<Command> onPoll() {
        if (finished) {
            return this;
        }
        if (envSteps >= ctx.config().run().maxEnvSteps()) {
            // Restored from the final checkpoint of a run whose end was cut short (its process or node died while
            // stopping the pools): the budget is spent, so go straight to the end of the run.
            finish("max-env-steps reached");
            return this;
        }
        List<ScoredSource.Item> items = reader.poll();
        long now = System.currentTimeMillis();
        if (!items.isEmpty()) {
            lastDataMillis = now;
        } else if (now - lastDataMillis > ctx.config().actors().waitTimeoutMs()) {
            finished = true;
            guardian.tell(new TrainingGuardian.Fatal("learner received no scored chunk for " + (now - lastDataMillis)
                    + " ms from " + ctx.topics().scored() + " at " + ctx.streams().endpoint()
                    + " (broker unreachable, or workers/scorers stopped?)"));
            return this;
        }
        long maxLag = ctx.config().actors().maxPolicyLag();
        for (ScoredSource.Item it : items) {
            if (finished) {
                leftover.add(it.chunk() == null ? keyOf(it) : it.chunk().chunk().id().key());
                continue;
            }
            consumed.put(it.partition(), it.offset() + 1);
            if (it.chunk() == null) {
                chunksRejected++;
                pendingRejected.add(keyOf(it) + " malformed");
                continue;
            }
            ScoredChunk sc = it.chunk();
            long v = sc.chunk().policyVersion();
            String key = sc.chunk().id().key();
            if (discarded(v)) {
                chunksDropped++;
                pendingDropped.add(key + " discarded-branch v=" + v);
                continue;
            }
            long l = lagOf(v);
            if (l > maxLag) {
                chunksDropped++;
                pendingDropped.add(key + " lag=" + l);
                continue;
            }
            try {
                algo.accept(sc);
            } catch (RuntimeException e) {
                // Reading it again on resume would fail again: the chunk leaves the stream with its cause.
                String reason = "train: " + e.getMessage();
                reader.deadLetter(it, reason);
                trainDeadLettered++;
                // The ledger lists it too, so the accounts check finds every scored record accounted for.
                pendingRejected.add(key + " " + Accounts.LEARNER_DEAD_LETTER + " " + reason.replace('\n', ' '));
                getContext().getLog().warn("chunk {} cannot be trained, dead-lettered ({} so far): {}", key,
                        trainDeadLettered, e.toString());
                monitor.tell(new Monitor.Note("chunk_dead_lettered", Map.of("chunk", key, "reason", reason)));
                continue;
            }
            record(lag, l);
            record(e2e, System.currentTimeMillis() * 1000L - sc.chunk().createdAtMicros());
            pendingTrained.add(key);
            // Budgets count real env steps: an augmented copy (e.g. a mirrored chunk) comes on top.
            pendingSteps += ChunkTransform.realSteps(sc.chunk());
            if (algo.readyToUpdate()) {
                update();
            }
        }
        if (finished) {
            return this;
        }
        if (System.currentTimeMillis() - startMillis + priorWallMillis >= wallBudgetMillis && !finished) {
            finish("max-wall-seconds reached");
            return this;
        }
        getContext().getSelf().tell(Poll.INSTANCE);
        return this;
    }

    /** Records {@code value} clamped to the histogram's range [0, highest trackable]; a clamp is counted. */
    private void record(Histogram h, long value) {
        long max = h.getHighestTrackableValue();
        if (value < 0 || value > max) {
            latencyClamped++;
            if (latencyClamped == 1 || Long.bitCount(latencyClamped) == 1) {
                getContext().getLog().warn("value {} outside histogram range 0..{} clamped ({} so far; chunks from "
                        + "before a long outage, or a clock step)", value, max, latencyClamped);
            }
        }
        h.recordValue(Math.max(0, Math.min(max, value)));
    }

    /** True when {@code version} was published by a branch a resume discarded. */
    private boolean discarded(long version) {
        for (long[] g : versionGaps) {
            if (version >= g[0] && version < g[1]) {
                return true;
            }
        }
        return false;
    }

    /** Updates between {@code version} and the current policy, not counting versions skipped at resumes. */
    private long lagOf(long version) {
        long l = algo.version() - version;
        for (long[] g : versionGaps) {
            if (g[0] > version) {
                l -= g[1] - g[0] + 1;
            }
        }
        return Math.max(0, l);
    }

    private static String encodeHistogram(Histogram h) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(b);
        return java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(b.array(), n));
    }

    private static void decodeHistogram(String encoded, Histogram into) {
        if (encoded.isEmpty()) {
            return;
        }
        try {
            into.add(Histogram.decodeFromCompressedByteBuffer(
                    java.nio.ByteBuffer.wrap(java.util.Base64.getDecoder().decode(encoded)), into.getHighestTrackableValue()));
        } catch (java.util.zip.DataFormatException | RuntimeException e) {
            throw new IllegalStateException("checkpoint histogram is unreadable: " + e, e);
        }
    }

    private static List<long[]> decodeGaps(String s) {
        List<long[]> out = new ArrayList<>();
        for (String part : s.split(",")) {
            if (!part.isBlank()) {
                String[] lh = part.trim().split("-");
                out.add(new long[] {Long.parseLong(lh[0]), Long.parseLong(lh[1])});
            }
        }
        return out;
    }

    private String encodeGaps() {
        StringBuilder sb = new StringBuilder();
        for (long[] g : versionGaps) {
            sb.append(sb.length() == 0 ? "" : ",").append(g[0]).append('-').append(g[1]);
        }
        return sb.toString();
    }

    private void update() {
        UpdateReport r = algo.update();
        if (r.applied()) {
            updates++;
            envSteps += pendingSteps;
            chunksTrained += pendingTrained.size();
            committedTrained.addAll(pendingTrained);
            publisher.tell(new PolicyPublisher.Publish(algo.snapshot()));
        } else {
            skipped++;
            chunksRejected += pendingTrained.size();
            for (String k : pendingTrained) {
                committedRejected.add(k + " skipped-update " + r.skipReason().replace('\n', ' '));
            }
            getContext().getLog().warn("update skipped ({} so far): {}", skipped, r.skipReason());
            monitor.tell(new Monitor.Note("update_skipped", Map.of("version", algo.version(), "reason", r.skipReason(),
                    "chunks", pendingTrained.size())));
            // Workers wait at their quota for a publication; the unchanged policy lets them go on.
            publisher.tell(new PolicyPublisher.Publish(algo.snapshot()));
        }
        committedDropped.addAll(pendingDropped);
        committedRejected.addAll(pendingRejected);
        pendingTrained.clear();
        pendingDropped.clear();
        pendingRejected.clear();
        pendingSteps = 0;
        offsetsAtUpdate = new HashMap<>(consumed);
        updatesSinceCheckpoint++;
        monitor.tell(new Monitor.UpdateDone(algo.version(), r.applied(), envSteps, chunksTrained, chunksDropped,
                lag.getValueAtPercentile(50), lag.getValueAtPercentile(99),
                e2e.getValueAtPercentile(50) / 1000.0, e2e.getValueAtPercentile(99) / 1000.0, r.stats()));
        boolean budgetSpent = envSteps >= ctx.config().run().maxEnvSteps();
        // an algorithm that cannot go on (e.g. a diverged critic) ends the run now, with its reason
        String algorithmStop = algo.stopReason();
        boolean stopped = !algorithmStop.isEmpty();
        if (updatesSinceCheckpoint >= ctx.config().run().checkpointEveryUpdates() || budgetSpent || stopped) {
            checkpoint();
        }
        if (failed) {
            return;
        }
        if (budgetSpent) {
            finish("max-env-steps reached");
        } else if (stopped) {
            finish("learner stopped: " + algorithmStop);
        }
    }

    private void checkpoint() {
        checkpointNumber++;
        long wall = System.currentTimeMillis() - startMillis + priorWallMillis;
        CheckpointStore.Meta meta = new CheckpointStore.Meta(checkpointNumber, algo.version(), offsetsAtUpdate, envSteps,
                updates, chunksTrained, chunksDropped, wall, skipped, chunksRejected, latencyClamped,
                encodeHistogram(lag), encodeHistogram(e2e), encodeGaps());
        Ledger.Entry entry = new Ledger.Entry(checkpointNumber, committedTrained, committedDropped, committedRejected);
        store.write(algo, meta, entry);
        try {
            ctx.streams().ledger().append(entry);
        } catch (StreamsException e) {
            // Fenced by a second learner of this run (or the ledger is unreachable): stop training and fail
            // the run with that cause; the checkpoint on disk stays, and a resume writes its entry.
            getContext().getLog().error("ledger append failed, learner stops", e);
            failed = true;
            finished = true;
            guardian.tell(new TrainingGuardian.Fatal(e.getMessage()));
            return;
        }
        committedTrained.clear();
        committedDropped.clear();
        committedRejected.clear();
        updatesSinceCheckpoint = 0;
    }

    private void finish(String reason) {
        if (updatesSinceCheckpoint > 0) {
            checkpoint();
        }
        if (failed) {
            return;
        }
        finished = true;
        guardian.tell(new TrainingGuardian.LearnerFinished(report(reason, 0)));
    }

    private Behavior<Command> onDrain(Drain d) {
        // Everything after the last checkpoint was not trained by a durable update: record why, so the
        // accounts balance (a resumed run would train these again, exactly once).
        List<String> unused = new ArrayList<>();
        for (String k : leftover) {
            unused.add(k + " end-of-run");
        }
        for (String k : pendingTrained) {
            unused.add(k + " end-of-run");
        }
        for (String k : committedTrained) {
            unused.add(k + " end-of-run");
        }
        List<String> dropped = new ArrayList<>(pendingDropped);
        dropped.addAll(committedDropped);
        List<String> rejected = new ArrayList<>(pendingRejected);
        rejected.addAll(committedRejected);
        int idle = 0;
        long deadline = System.currentTimeMillis() + ctx.config().actors().waitTimeoutMs();
        while (idle < 5) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("learner drain did not reach the end of " + ctx.topics().scored()
                        + " within " + ctx.config().actors().waitTimeoutMs() + " ms");
            }
            List<ScoredSource.Item> items = reader.poll();
            idle = items.isEmpty() ? idle + 1 : 0;
            for (ScoredSource.Item it : items) {
                if (it.chunk() == null) {
                    rejected.add(keyOf(it) + " malformed");
                } else {
                    unused.add(it.chunk().chunk().id().key() + " end-of-run");
                }
            }
        }
        if (!unused.isEmpty() || !dropped.isEmpty() || !rejected.isEmpty()) {
            dropped.addAll(unused);
            ctx.streams().ledger().append(new Ledger.Entry(checkpointNumber + 1_000_000_000L, List.of(), dropped, rejected));
        }
        d.replyTo().tell(report("drained", unused.size()));
        return Behaviors.stopped();
    }

    private Finished report(String reason, long unused) {
        return new Finished(algo.version(), envSteps, updates, skipped, chunksTrained, chunksDropped, chunksRejected,
                unused, lag.copy(), e2e.copy(), reason, algo.snapshot(), algo.deviceDescription(), latencyClamped);
    }

    private static String keyOf(ScoredSource.Item it) {
        return it.key() == null ? "p" + it.partition() + "@" + it.offset() : new String(it.key(), StandardCharsets.UTF_8);
    }
}
