package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.Environments;
import io.tributary.simulator.data.DatasetFiles;
import io.tributary.simulator.rollout.TrajectoryChunk;
import io.tributary.streams.codec.TrajectoryChunkCodec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ModelRollouts-v0} (true PointMass2D dynamics, start states from a collected dataset) run by the
 * unchanged rollout workers: every step carries its depth 1..k, and the last step of a truncated k-step
 * rollout has depth k, the edge-of-reach marker.
 */
class ModelRolloutsPipelineTest {
    private static final int K = 10;

    @TempDir
    Path dir;

    @Test
    void workersFillDepthOneToKWithKAtTheLastStep() throws Exception {
        Path data = dir.resolve("pm.tds");
        try (var env = Environments.create("PointMass2D-v0", Map.of())) {
            DatasetFiles.write(DatasetCollector.collect(env, new PointMass2DDataController(), 20, 1L).dataset(), data);
        }
        TributaryConfig c = TributaryConfig.load(Path.of("..", "configs", "pendulum-ppo.conf"), List.of(
                "tributary.run.folder=\"" + dir + "\"",
                "tributary.run.max-env-steps=1200",
                "tributary.run.eval-episodes=1",
                "tributary.simulator.env.name=ModelRollouts-v0",
                "tributary.simulator.env.options.dataset=\"" + data + "\"",
                "tributary.simulator.env.options.dynamics=\"true\"",
                "tributary.simulator.env.options.rollout-length=\"" + K + "\"",
                "tributary.actors.chunk-steps=16",
                "tributary.learner.ppo.batch-steps=400",
                "tributary.learner.ppo.epochs=1",
                "tributary.learner.ppo.minibatch-size=200",
                "tributary.kafka.partitions=1"));
        TrainingRun.Outcome out = TrainingRun.run(c, null, null);
        long produced = out.summary().chunksProduced();
        List<TrajectoryChunk> chunks = new ArrayList<>();
        TestRuns.withRunBroker(out, c, clients -> {
            try (KafkaConsumer<byte[], byte[]> consumer = clients.consumer("depth-test", null, false)) {
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
            return null;
        });
        assertEquals(produced, chunks.size());
        int truncated = 0;
        int terminated = 0;
        for (TrajectoryChunk ch : chunks) {
            assertEquals("ModelRollouts-v0", ch.envName());
            int[] depth = ch.depth();
            assertEquals(ch.steps(), depth.length);
            for (int i = 0; i < ch.steps(); i++) {
                assertTrue(depth[i] >= 1 && depth[i] <= K, "depth=" + depth[i]);
                if (i > 0) {
                    assertEquals(depth[i - 1] + 1, depth[i]);
                }
                // PointMass2D's observation carries t/H, so the steps taken since the rollout's start are visible.
                if (ch.truncated()[i]) {
                    assertEquals(K, depth[i], "a truncated rollout ends at depth k");
                    truncated++;
                }
                if (ch.terminated()[i]) {
                    terminated++;
                }
            }
            if (ch.chunkIndex() == 0) {
                assertEquals(1, depth[0], "the first step after a reset has depth 1");
            }
        }
        assertTrue(truncated > 50, "many rollouts were truncated at k: " + truncated);
        assertTrue(terminated > 0, "rollouts from late dataset states end terminally (t = H): " + terminated);
    }
}
