package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.learner.PolicySnapshot;
import io.tributary.simulator.rollout.ChunkId;
import io.tributary.simulator.rollout.TrajectoryChunk;
import io.tributary.streams.codec.PolicySnapshotCodec;
import io.tributary.streams.codec.TrajectoryChunkCodec;
import io.tributary.streams.kafka.DeadLetters;
import io.tributary.streams.kafka.KafkaClients;
import io.tributary.streams.kafka.KafkaRunStreams;
import io.tributary.streams.kafka.Ledger;
import io.tributary.streams.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learner's guarantees under poison input, long downtime and resumes, on the real embedded broker:
 * an untrainable chunk is dead-lettered and the run goes on; hours-old chunks are clamped into the
 * latency histogram and counted; the counters survive a resume; a resumed learner never republishes a
 * version number and drops chunks of the discarded branch.
 */
class LearnerGuaranteesTest {
    private static final long HOUR_MICROS = 3_600_000_000L;

    @TempDir
    Path dir;

    @Test
    void anUntrainableChunkIsDeadLetteredAndTheRunGoesOn() {
        // Big lag allowance: the injected chunks must reach accept, whatever the learner's version then.
        TributaryConfig c = TestRuns.cartPole(dir, 3000, "tributary.actors.max-policy-lag=1000000");
        TrajectoryChunk[] poison = new TrajectoryChunk[2];
        TrainingRun.Outcome out = TrainingRun.run(c, null, (system, ctx) -> {
            long now = System.currentTimeMillis() * 1000L;
            poison[0] = chunk(ctx.runId(), 3, 0, now); // CartPole observations have 4 floats
            poison[1] = withLogProb(chunk(ctx.runId(), 4, 0, now), Float.NaN);
            for (TrajectoryChunk p : poison) {
                ctx.streams().rollouts().send(p, e -> { throw new AssertionError("injection failed", e); });
            }
            ctx.streams().rollouts().flush();
        });
        RunSummary s = out.summary();
        assertTrue(s.envSteps() >= 3000, "training went on: " + s);
        assertEquals(0L, s.chunksLost(), "lost: " + s);
        assertEquals(0L, s.chunksDuplicated(), "duplicated: " + s);
        assertEquals(2L, s.chunksDeadLettered(), "both untrainable chunks are dead letters: " + s);
        assertEquals(s.chunksProduced(), s.chunksTrained() + s.chunksDroppedStale() + s.chunksUnusedAtEnd()
                + s.chunksRejected() + s.chunksDeadLettered(), "accounts balance: " + s);

        Map<String, String> reasons = new HashMap<>();
        List<String> trained = new ArrayList<>();
        TestRuns.withRunBroker(out, c, clients -> {
            for (ConsumerRecord<byte[], byte[]> r : readAll(clients, TestRuns.topics(out).dlq())) {
                reasons.put(new String(r.key(), StandardCharsets.UTF_8), DeadLetters.header(r.headers(), DeadLetters.REASON));
                assertEquals("train", DeadLetters.header(r.headers(), DeadLetters.STAGE));
                assertEquals(TestRuns.topics(out).scored(), DeadLetters.header(r.headers(), DeadLetters.SOURCE_TOPIC));
            }
            Ledger.readAll(clients, TestRuns.topics(out), e -> trained.addAll(e.trained()));
            return null;
        });
        for (TrajectoryChunk p : poison) {
            String reason = reasons.get(p.id().key());
            assertTrue(reason != null && reason.startsWith("train: "), "dead letter of " + p.id().key() + ": " + reasons);
            assertFalse(trained.contains(p.id().key()), "an untrainable chunk is not trained");
        }
        assertTrue(reasons.get(poison[0].id().key()).contains("observationSize=3"), reasons.toString());
        assertTrue(reasons.get(poison[1].id().key()).contains("logProb is not finite"), reasons.toString());
    }

    @Test
    void hoursOldChunksAreClampedAndCountedAndTheCountersSurviveAResume() {
        TributaryConfig c = TestRuns.cartPole(dir, 2000, "tributary.actors.max-policy-lag=1000000",
                "tributary.run.id=old-chunks");
        TrainingRun.Outcome first = TrainingRun.run(c, null, (system, ctx) -> {
            long threeHoursAgo = System.currentTimeMillis() * 1000L - 3 * HOUR_MICROS;
            for (int i = 0; i < 2; i++) {
                ctx.streams().rollouts().send(chunk(ctx.runId(), 4, 0, threeHoursAgo), e -> {
                    throw new AssertionError("injection failed", e);
                });
            }
            ctx.streams().rollouts().flush();
        });
        RunSummary s1 = first.summary();
        assertEquals(0L, s1.chunksLost(), "lost: " + s1);
        assertEquals(2L, s1.latencyClamped(), "both hours-old chunks were clamped: " + s1);
        assertTrue(s1.latencyMsMax() >= 3_500_000, "the clamped value is the histogram's top (1 h): " + s1);
        System.out.printf("first leg: latency_clamped=%d latency_ms_max=%.0f policy_lag_max=%d%n",
                s1.latencyClamped(), s1.latencyMsMax(), s1.policyLagMax());

        TributaryConfig more = TestRuns.cartPole(dir, 3500, "tributary.actors.max-policy-lag=1000000",
                "tributary.run.id=old-chunks");
        RunSummary s2 = TrainingRun.run(more, first.runDir(), null).summary();
        System.out.printf("resumed: latency_clamped=%d latency_ms_max=%.0f policy_lag_max=%d%n",
                s2.latencyClamped(), s2.latencyMsMax(), s2.policyLagMax());
        assertTrue(s2.envSteps() >= 3500, "resumed run finished its budget: " + s2);
        assertEquals(2L, s2.latencyClamped(), "the clamp count survives the resume: " + s2);
        assertTrue(s2.latencyMsMax() >= 3_500_000, "the latency histogram survives the resume: " + s2);
        assertTrue(s2.policyLagMax() >= s1.policyLagMax(), "the lag histogram survives the resume: " + s1 + " / " + s2);
        assertEquals(0L, s2.chunksLost(), "lost: " + s2);
    }

    @Test
    void aResumeNeverRepublishesAVersionAndDropsTheDiscardedBranch() {
        TributaryConfig c = TestRuns.cartPole(dir, 1500, "tributary.run.id=branch");
        TrainingRun.Outcome first = TrainingRun.run(c, null, null);
        Topics topics = TestRuns.topics(first);
        // Play the part of a killed learner: it published two versions after its last checkpoint, and
        // workers made chunks with them, which reached the rollouts topic.
        List<String> branchChunks = new ArrayList<>();
        long[] lastVersion = {-1};
        TestRuns.withRunBroker(first, c, clients -> {
            List<ConsumerRecord<byte[], byte[]>> policies = readAll(clients, topics.policy());
            PolicySnapshot last = PolicySnapshotCodec.decode(policies.get(policies.size() - 1).value(), topics.policy(), 0,
                    policies.size() - 1);
            lastVersion[0] = last.version();
            try (KafkaProducer<byte[], byte[]> p = clients.producer("killed-branch")) {
                for (long v = last.version() + 1; v <= last.version() + 2; v++) {
                    float[] other = last.parameters().clone();
                    Arrays.fill(other, 0.5f);
                    PolicySnapshot branch = new PolicySnapshot(last.runId(), v, last.algorithm(), last.spec(), other,
                            last.observationMean(), last.observationVar(), last.createdAtMicros());
                    p.send(new ProducerRecord<>(topics.policy(), 0, Long.toString(v).getBytes(StandardCharsets.UTF_8),
                            PolicySnapshotCodec.encode(branch)));
                    for (int i = 0; i < 3; i++) {
                        TrajectoryChunk ch = chunk(first.runId(), 4, v, System.currentTimeMillis() * 1000L);
                        branchChunks.add(ch.id().key());
                        p.send(new ProducerRecord<>(topics.rollouts(), ch.id().key().getBytes(StandardCharsets.UTF_8),
                                TrajectoryChunkCodec.encode(ch)));
                    }
                }
                p.flush();
            }
            return null;
        });

        TributaryConfig more = TestRuns.cartPole(dir, 3000, "tributary.run.id=branch");
        RunSummary s = TrainingRun.run(more, first.runDir(), null).summary();
        assertEquals(0L, s.chunksLost(), "lost: " + s);
        assertEquals(0L, s.chunksDuplicated(), "duplicated: " + s);

        Map<Long, byte[]> byVersion = new HashMap<>();
        List<String> repeats = new ArrayList<>();
        Map<String, String> dropped = new HashMap<>();
        List<String> trained = new ArrayList<>();
        TestRuns.withRunBroker(first, more, clients -> {
            for (ConsumerRecord<byte[], byte[]> r : readAll(clients, topics.policy())) {
                long v = Long.parseLong(new String(r.key(), StandardCharsets.UTF_8));
                byte[] prev = byVersion.putIfAbsent(v, r.value());
                if (prev != null && !Arrays.equals(prev, r.value())) {
                    repeats.add("v" + v + "@" + r.offset());
                }
            }
            Ledger.readAll(clients, topics, e -> {
                trained.addAll(e.trained());
                for (String d : e.droppedStale()) {
                    String[] kv = d.split(" ", 2);
                    dropped.put(kv[0], kv.length > 1 ? kv[1] : "");
                }
            });
            return null;
        });
        assertTrue(repeats.isEmpty(), "no version number is published twice with different weights: " + repeats);
        assertTrue(byVersion.keySet().stream().anyMatch(v -> v > lastVersion[0] + 2),
                "the resumed learner published above the discarded branch: " + byVersion.keySet());
        for (String k : branchChunks) {
            assertFalse(trained.contains(k), "a discarded-branch chunk is not trained: " + k);
            assertTrue(dropped.getOrDefault(k, "").startsWith("discarded-branch"), "dropped as discarded-branch: " + k
                    + " -> " + dropped.get(k));
        }
        assertTrue(s.chunksDroppedStale() >= branchChunks.size(), "counted in dropped_stale: " + s);
    }

    @Test
    void aCheckpointOffsetOutOfRangeFailsTheResumedRunNamingIt() throws Exception {
        TributaryConfig c = TestRuns.cartPole(dir, 1000, "tributary.run.id=offsets");
        TrainingRun.Outcome first = TrainingRun.run(c, null, null);
        // A checkpoint whose offsets point past the end of the scored topic (another broker, a wiped topic).
        Path store = first.runDir().resolve("checkpoints");
        Path props = store.resolve(java.nio.file.Files.readString(store.resolve("LATEST")).trim()).resolve("checkpoint.properties");
        java.util.Properties p = new java.util.Properties();
        try (var r = java.nio.file.Files.newBufferedReader(props)) {
            p.load(r);
        }
        p.setProperty("offset.0", "999999");
        try (var w = java.nio.file.Files.newBufferedWriter(props)) {
            p.store(w, "moved past the end by the test");
        }
        TributaryConfig more = TestRuns.cartPole(dir, 2000, "tributary.run.id=offsets");
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> TrainingRun.run(more, first.runDir(), null));
        String m = e.getMessage();
        assertTrue(m.contains("topic=" + TestRuns.topics(first).scored()) && m.contains("partition=0")
                && m.contains("offset=999999"), "the run fails naming topic, partition and offset: " + m);
    }

    @Test
    void aSecondLearnerOnTheRunFencesTheFirst() {
        TributaryConfig c = TestRuns.cartPole(dir, 20000, "tributary.run.id=two-learners");
        KafkaRunStreams[] second = new KafkaRunStreams[1];
        try {
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> TrainingRun.run(c, null, (system, ctx) -> {
                        // Once the first learner has written a checkpoint's entry (so it holds the ledger), a second
                        // learner process starting on the same run claims the ledger.
                        long deadline = System.currentTimeMillis() + 60_000;
                        while (ctx.streams().ledger().checkpoints().isEmpty() && System.currentTimeMillis() < deadline) {
                            try {
                                Thread.sleep(100);
                            } catch (InterruptedException ie) {
                                throw new IllegalStateException(ie);
                            }
                        }
                        KafkaClients clients = new KafkaClients(c.kafka().withBootstrapServers(ctx.streams().endpoint()));
                        second[0] = new KafkaRunStreams(clients, ctx.topics(), "second-learner");
                        second[0].ledger().claim();
                    }));
            assertTrue(e.getMessage().contains("another learner took over run two-learners"), e.getMessage());
        } finally {
            if (second[0] != null) {
                second[0].close();
            }
        }
    }

    /** A CartPole-like chunk of 4 steps with {@code obsSize} floats per observation, made by policy {@code version}. */
    static TrajectoryChunk chunk(String runId, int obsSize, long version, long createdAtMicros) {
        int steps = 4;
        float[] obs = new float[steps * obsSize];
        float[] actions = {0, 1, 0, 1};
        float[] logProbs = new float[steps];
        Arrays.fill(logProbs, -0.69f);
        float[] rewards = new float[steps];
        Arrays.fill(rewards, 1f);
        boolean[] truncated = new boolean[steps];
        truncated[steps - 1] = true;
        return new TrajectoryChunk(new ChunkId(runId, UUID.randomUUID(), 0), "CartPole-v1", 0, 999_999L, 0, version, steps,
                obsSize, obs, 1, actions, logProbs, new float[steps], rewards, new boolean[steps], truncated,
                new float[obsSize], new int[0], new int[0], new int[0], createdAtMicros);
    }

    private static TrajectoryChunk withLogProb(TrajectoryChunk c, float value) {
        float[] lp = c.logProbs().clone();
        lp[1] = value;
        return new TrajectoryChunk(c.id(), c.envName(), c.envIndex(), c.episodeId(), c.chunkIndex(), c.policyVersion(),
                c.steps(), c.observationSize(), c.observations(), c.actionSize(), c.actions(), lp, c.values(), c.rewards(),
                c.terminated(), c.truncated(), c.bootstrapObservation(), c.segmentOffsets(), c.context(), c.depth(),
                c.createdAtMicros(), c.signalNames(), c.signals());
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaClients clients, String topic) {
        List<ConsumerRecord<byte[], byte[]>> recs = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = clients.consumer("guarantees-test", null, false)) {
            List<TopicPartition> tps = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps);
            long deadline = System.currentTimeMillis() + 30_000;
            while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(recs::add);
            }
        }
        return recs;
    }
}
