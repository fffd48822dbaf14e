package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.learner.PolicyInference;
import io.tributary.learner.PolicySnapshot;
import io.tributary.simulator.lane.LaneMirror;
import io.tributary.simulator.rollout.ChunkTransform;
import io.tributary.simulator.rollout.TrajectoryChunk;
import io.tributary.streams.codec.PolicySnapshotCodec;
import io.tributary.streams.codec.TrajectoryChunkCodec;
import io.tributary.streams.kafka.Ledger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lane-mirror} through the real pipeline on {@code LaneKeeping-v0} with a fusion policy: every chunk is
 * followed by its mirror, whose log-probs are those of the policy version that labels it (and whose signal
 * {@code behaviour_log_prob} keeps the original's, through Kafka), and every step count
 * (the run's env-step budget, the learner's batch-steps, each worker's per-version quota) counts real steps only,
 * the mirrors coming on top. Chunks of 16 steps are flushed before a worker's share (128 real steps) is reached,
 * so a quota that counted mirrors would stop each worker at 64 real steps per version.
 */
class LaneMirrorPipelineTest {
    @TempDir
    Path dir;

    @Test
    void mirroredChunksCarryTheirPolicyVersionsLogProbsAndDoNotCountAsEnvSteps() {
        TributaryConfig c = TestRuns.cartPole(dir, 512, "tributary.simulator.env.name=LaneKeeping-v0",
                "tributary.simulator.env.options.max-episode-steps=150",
                "tributary.actors.chunk-transform=lane-mirror", "tributary.actors.chunk-steps=16",
                "tributary.learner.policy.architecture=fusion", "tributary.learner.ppo.batch-steps=256",
                "tributary.learner.ppo.epochs=1", "tributary.run.eval-episodes=1");
        TrainingRun.Outcome out = TrainingRun.run(c, null, null);
        RunSummary s = out.summary();
        assertEquals(0L, s.chunksLost(), "lost: " + s);
        assertEquals(0L, s.chunksDuplicated(), "duplicated: " + s);

        List<TrajectoryChunk> chunks = new ArrayList<>();
        Map<Long, PolicySnapshot> policies = new HashMap<>();
        Set<String> trained = new HashSet<>();
        TestRuns.withRunBroker(out, c, clients -> {
            for (String topic : List.of(TestRuns.topics(out).rollouts(), TestRuns.topics(out).policy())) {
                try (KafkaConsumer<byte[], byte[]> consumer = clients.consumer("lane-mirror-test", null, false)) {
                    List<TopicPartition> tps = consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition())).toList();
                    consumer.assign(tps);
                    consumer.seekToBeginning(tps);
                    Map<TopicPartition, Long> end = consumer.endOffsets(tps);
                    long deadline = System.currentTimeMillis() + 30_000;
                    while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
                            && System.currentTimeMillis() < deadline) {
                        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                            if (topic.equals(TestRuns.topics(out).policy())) {
                                long v = Long.parseLong(new String(r.key(), StandardCharsets.UTF_8));
                                policies.put(v, PolicySnapshotCodec.decode(r.value(), r.topic(), r.partition(), r.offset()));
                            } else {
                                chunks.add(TrajectoryChunkCodec.decode(r.value(), r.topic(), r.partition(), r.offset()));
                            }
                        }
                    }
                }
            }
            Ledger.readAll(clients, TestRuns.topics(out), e -> trained.addAll(e.trained()));
            return null;
        });
        assertEquals(s.chunksProduced(), chunks.size());
        Map<String, TrajectoryChunk> originals = new HashMap<>();
        List<TrajectoryChunk> mirrors = new ArrayList<>();
        for (TrajectoryChunk ch : chunks) {
            if (ChunkTransform.isAugmented(ch)) {
                mirrors.add(ch);
            } else {
                originals.put(ch.id().workerIncarnation() + "/" + ch.envIndex() + "/" + ch.episodeId() + "/"
                        + ch.chunkIndex(), ch);
            }
        }
        assertEquals(originals.size(), mirrors.size(), "one mirror per chunk");
        int checked = 0;
        for (TrajectoryChunk m : mirrors) {
            TrajectoryChunk o = originals.get(m.id().workerIncarnation() + "/"
                    + (m.envIndex() - LaneMirror.MIRROR_ENV_INDEX_OFFSET) + "/" + m.episodeId() + "/" + m.chunkIndex());
            assertTrue(o != null, "mirror without its original: " + m.id());
            assertEquals(o.id().sequence() + 1, m.id().sequence(), "sent right after its original, with an id of its own");
            assertEquals(o.policyVersion(), m.policyVersion());
            PolicySnapshot snapshot = policies.get(m.policyVersion());
            assertTrue(snapshot != null, "policy version " + m.policyVersion() + " was published");
            float[] expected = new float[m.steps()];
            new PolicyInference(snapshot, m.steps()).logProbs(m.observations(), m.steps(), m.actions(), expected);
            int behaviour = m.signalIndex(ChunkTransform.BEHAVIOUR_LOG_PROB_SIGNAL);
            assertTrue(behaviour >= 0, "the mirror carries the log-probs its actions were drawn with: " + m.id());
            for (int t = 0; t < m.steps(); t++) {
                assertEquals(expected[t], m.logProbs()[t], 1e-4f, "step " + t + " of " + m.id());
                assertEquals(-o.actions()[2 * t], m.actions()[2 * t], 0f);
                assertEquals(o.logProbs()[t], m.signal(t, behaviour), 0f, "behaviour log-prob, step " + t);
            }
            checked++;
        }
        assertTrue(checked > 0);
        // The budget counts real env steps: the mirrors the learner trained come on top.
        long realTrained = 0;
        long allTrained = 0;
        for (TrajectoryChunk ch : chunks) {
            if (trained.contains(ch.id().key())) {
                realTrained += ChunkTransform.realSteps(ch);
                allTrained += ch.steps();
            }
        }
        assertEquals(realTrained, s.envSteps(), "env_steps counts real steps: " + s);
        assertTrue(allTrained > realTrained, "mirrors were trained too: all=" + allTrained + ", real=" + realTrained);
        // batch-steps counts real steps: 512 real steps are two updates of 256, not four of 256 samples.
        assertEquals(2L, s.updates(), "updates: " + s);
        // Each worker produced its share of the quota, 256 / 2 workers = 128 real steps, with each completed version,
        // and as many mirrored steps on top.
        Map<String, long[]> perWorkerVersion = new HashMap<>();
        for (TrajectoryChunk ch : chunks) {
            if (ch.policyVersion() < s.updates()) {
                long[] steps = perWorkerVersion.computeIfAbsent(ch.id().workerIncarnation() + "@v" + ch.policyVersion(),
                        k -> new long[2]);
                steps[ChunkTransform.isAugmented(ch) ? 1 : 0] += ch.steps();
            }
        }
        assertEquals(4, perWorkerVersion.size(), "2 workers x versions 0 and 1: " + perWorkerVersion.keySet());
        for (Map.Entry<String, long[]> e : perWorkerVersion.entrySet()) {
            assertEquals(128L, e.getValue()[0], "real steps of " + e.getKey());
            assertEquals(128L, e.getValue()[1], "mirrored steps of " + e.getKey());
        }
    }
}
