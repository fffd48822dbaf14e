package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.config.SettingsException;
import io.tributary.simulator.rollout.TrajectoryChunk;
import io.tributary.streams.codec.TrajectoryChunkCodec;
import io.tributary.streams.kafka.Ledger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
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
 * A chunk transform through the real pipeline: every chunk goes out with a mirrored copy under an id of
 * its own, the accounts balance over both, and the learner trains on originals and copies. The chunks
 * also carry each step's depth and the environment's info values as signals.
 */
class ChunkTransformPipelineTest {
    @TempDir
    Path dir;

    @Test
    void mirroredCopiesAreProducedAccountedAndTrained() {
        TributaryConfig c = TestRuns.cartPole(dir, 3000, "tributary.simulator.env.name=Faults-v0",
                "tributary.actors.chunk-transform=mirror-test", "tributary.actors.chunk-steps=8");
        TrainingRun.Outcome out = TrainingRun.run(c, null, null);
        RunSummary s = out.summary();
        long produced = s.chunksProduced();
        assertEquals(0L, s.chunksLost(), "lost: " + s);
        assertEquals(0L, s.chunksDuplicated(), "duplicated: " + s);
        assertEquals(produced, s.chunksTrained() + s.chunksDroppedStale() + s.chunksUnusedAtEnd() + s.chunksRejected()
                + s.chunksDeadLettered(), "every produced chunk, copies included, is accounted for: " + s);

        List<TrajectoryChunk> chunks = new ArrayList<>();
        Set<String> trained = new HashSet<>();
        TestRuns.withRunBroker(out, c, clients -> {
            try (KafkaConsumer<byte[], byte[]> consumer = clients.consumer("transform-test", null, false)) {
                String topic = TestRuns.topics(out).rollouts();
                List<TopicPartition> tps = consumer.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                consumer.assign(tps);
                consumer.seekToBeginning(tps);
                long deadline = System.currentTimeMillis() + 30_000;
                while (chunks.size() < produced && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(java.time.Duration.ofMillis(200))) {
                        chunks.add(TrajectoryChunkCodec.decode(r.value(), r.topic(), r.partition(), r.offset()));
                    }
                }
            }
            Ledger.readAll(clients, TestRuns.topics(out), e -> trained.addAll(e.trained()));
            return null;
        });
        assertEquals(produced, chunks.size());
        assertEquals(0, produced % 2, "chunks come in pairs");

        // Pair each chunk with its mirror: same worker incarnation, env, episode and chunk index.
        Map<String, List<TrajectoryChunk>> pairs = new HashMap<>();
        for (TrajectoryChunk ch : chunks) {
            pairs.computeIfAbsent(ch.id().workerIncarnation() + "/" + ch.envIndex() + "/" + ch.episodeId() + "/"
                    + ch.chunkIndex(), k -> new ArrayList<>()).add(ch);
        }
        assertEquals(produced / 2, pairs.size());
        int bothTrained = 0;
        for (List<TrajectoryChunk> pair : pairs.values()) {
            assertEquals(2, pair.size());
            pair.sort(Comparator.comparingLong(ch -> ch.id().sequence()));
            TrajectoryChunk original = pair.get(0);
            TrajectoryChunk mirror = pair.get(1);
            assertTrue(!original.id().equals(mirror.id()), "the copy has an id of its own");
            assertEquals(original.id().workerIncarnation(), mirror.id().workerIncarnation());
            for (int i = 0; i < original.observations().length; i++) {
                assertEquals(-original.observations()[i], mirror.observations()[i]);
            }
            assertArrayEquals(original.actions(), mirror.actions());
            assertArrayEquals(original.depth(), mirror.depth());
            // Depth is the steps taken to reach the step's next state, as is the env's info "t" after the step,
            // so the last step of a k-step rollout has depth k (the edge-of-reach marker).
            int t = original.signalIndex("t");
            assertEquals(List.of("x", "t"), List.of(original.signalNames()));
            for (int i = 0; i < original.steps(); i++) {
                assertEquals(original.depth()[0] + i, original.depth()[i]);
                assertEquals(original.depth()[i], original.signal(i, t), 0f);
            }
            if (original.chunkIndex() == 0) {
                assertEquals(1, original.depth()[0], "depth is 1 for the first step after a reset");
            }
            if (trained.contains(original.id().key()) && trained.contains(mirror.id().key())) {
                bothTrained++;
            }
        }
        assertTrue(bothTrained > 0, "the learner trained originals and their mirrors: pairs=" + pairs.size());
    }

    @Test
    void anUnknownTransformIsRefusedAtStart() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> TestRuns.cartPole(dir, 100, "tributary.actors.chunk-transform=nope"));
        assertTrue(e.getMessage().contains("tributary.actors.chunk-transform") && e.getMessage().contains("mirror-test"),
                e.getMessage());
    }
}
