package io.tributary.streams.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.tributary.rewards.EnvironmentRewardModel;
import io.tributary.rewards.RewardModel;
import io.tributary.rewards.ScoredChunk;
import io.tributary.simulator.rollout.TrajectoryChunk;
import io.tributary.streams.codec.ScoredChunkCodec;
import io.tributary.streams.port.ScoringStage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scoring loop is parameterised by its stage: a second stage re-scores the same run's rollouts log
 * with another reward model, into its own topic, under its own group and transactional id, and a third
 * re-scores the first stage's scored topic; every target ends up holding every chunk exactly once with
 * its own model's rewards.
 */
class ScoringStageTest {
    @TempDir
    Path dir;

    /** A second reward model: twice the environment's reward plus one. */
    static final class Shaped implements RewardModel {
        @Override
        public String id() {
            return "shaped";
        }

        @Override
        public long version() {
            return 2;
        }

        @Override
        public float scoreStep(TrajectoryChunk chunk, int step) {
            return 2f * chunk.rewards()[step] + 1f;
        }
    }

    @Test
    void aSecondStageRescoresTheRunsLogIntoItsOwnTopic() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0, 1 << 20)) {
            KafkaClients clients = new KafkaClients(KafkaSettings.fromConfig(ConfigFactory.defaultReference().resolve())
                    .withBootstrapServers(broker.bootstrapServers()));
            Topics topics = new Topics("stages");
            clients.ensureTopics(topics);
            String rescored = topics.scored() + "-shaped";
            String chained = topics.scored() + "-chained";
            try (Admin admin = clients.admin()) {
                admin.createTopics(List.of(new NewTopic(rescored, 2, (short) 1), new NewTopic(chained, 1, (short) 1)))
                        .all().get(30, TimeUnit.SECONDS);
            }
            int n = 40;
            UUID w = UUID.randomUUID();
            try (KafkaRunStreams streams = new KafkaRunStreams(clients, topics, "stages-test")) {
                for (int i = 0; i < n; i++) {
                    streams.rollouts().send(KafkaRunStreamsTest.chunk(w, i), e -> {
                        throw new AssertionError(e);
                    });
                }
                streams.rollouts().flush();
            }
            ScoringStage first = ScoringStage.primary(topics, 0);
            ScoringStage second = new ScoringStage(topics.rollouts(), rescored, topics.dlq(), "stages.rescore.shaped",
                    "stages-rescore-shaped-0");
            ScoringStage third = new ScoringStage(topics.scored(), chained, topics.dlq(), "stages.rescore.chained",
                    "stages-rescore-chained-0");
            try (ScoringLoop a = new ScoringLoop(clients, first, new EnvironmentRewardModel());
                 ScoringLoop b = new ScoringLoop(clients, second, new Shaped());
                 ScoringLoop d = new ScoringLoop(clients, third, new Shaped())) {
                assertEquals(second, b.stage());
                long deadline = System.currentTimeMillis() + 60_000;
                while ((a.scoredCount() < n || b.scoredCount() < n || d.scoredCount() < n)
                        && System.currentTimeMillis() < deadline) {
                    a.pollOnce();
                    b.pollOnce();
                    d.pollOnce();
                }
                // A few more polls: a duplicate would show up in the targets.
                for (int i = 0; i < 5; i++) {
                    a.pollOnce();
                    b.pollOnce();
                    d.pollOnce();
                }
                assertEquals(n, a.scoredCount());
                assertEquals(n, b.scoredCount());
                assertEquals(n, d.scoredCount());
                assertEquals(0, a.deadLetteredCount() + b.deadLetteredCount() + d.deadLetteredCount());
            }
            Map<String, ScoredChunk> env = readAll(clients, topics.scored(), n);
            Map<String, ScoredChunk> shaped = readAll(clients, rescored, n);
            Map<String, ScoredChunk> rechained = readAll(clients, chained, n);
            assertEquals(n, env.size());
            assertEquals(env.keySet(), shaped.keySet(), "both stages scored every chunk");
            assertEquals(env.keySet(), rechained.keySet(), "the chained stage re-scored every scored chunk");
            for (String k : env.keySet()) {
                TrajectoryChunk c = env.get(k).chunk();
                assertEquals("env", env.get(k).rewardModelId());
                assertEquals("shaped", shaped.get(k).rewardModelId());
                for (int t = 0; t < c.steps(); t++) {
                    assertEquals(c.rewards()[t], env.get(k).rewards()[t]);
                    assertEquals(2f * c.rewards()[t] + 1f, shaped.get(k).rewards()[t]);
                    assertEquals(2f * c.rewards()[t] + 1f, rechained.get(k).rewards()[t]);
                }
            }
        }
    }

    /**
     * The rescore stage of a run: its own topic (created once, laid out as scored), a lone scorer's backlog
     * unknown before it owns the source's partitions and 0 exactly when everything is scored, and the
     * committed target read back whole through the port.
     */
    @Test
    void aRescoreStageDrainsTheRolloutsLogAndReportsItsBacklog() {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0, 1 << 20)) {
            KafkaClients clients = new KafkaClients(KafkaSettings.fromConfig(ConfigFactory.defaultReference().resolve())
                    .withBootstrapServers(broker.bootstrapServers()));
            Topics topics = new Topics("drain");
            clients.ensureTopics(topics);
            int n = 25;
            UUID w = UUID.randomUUID();
            try (KafkaRunStreams streams = new KafkaRunStreams(clients, topics, "drain-test")) {
                ScoringStage stage = ScoringStage.rescore(topics, "double");
                assertEquals("tributary.drain.scored.double", stage.targetTopic());
                assertEquals(topics.rollouts(), stage.sourceTopic());
                assertEquals(false, streams.topicExists(stage.targetTopic()));
                assertTrue(streams.createScoredTopic(stage.targetTopic()));
                assertEquals(false, streams.createScoredTopic(stage.targetTopic()), "a second creation finds it");
                assertTrue(streams.topicExists(stage.targetTopic()));
                for (int i = 0; i < n; i++) {
                    streams.rollouts().send(KafkaRunStreamsTest.chunk(w, i), e -> {
                        throw new AssertionError(e);
                    });
                }
                streams.rollouts().flush();
                try (var scorer = streams.scorer(stage, new Shaped())) {
                    assertEquals(-1, scorer.backlog(), "no partition is owned before the first poll");
                    long deadline = System.currentTimeMillis() + 60_000;
                    long backlog = -1;
                    int polls = 0;
                    while (backlog != 0 && System.currentTimeMillis() < deadline) {
                        scorer.pollOnce();
                        polls++;
                        backlog = scorer.backlog();
                        if (backlog == 0) {
                            break;
                        }
                        assertTrue(scorer.scoredCount() < n || backlog > 0, "backlog " + backlog);
                    }
                    assertEquals(0, backlog);
                    assertEquals(n, scorer.scoredCount(), "backlog 0 only once every chunk is scored (" + polls + " polls)");
                    streams.rollouts().send(KafkaRunStreamsTest.chunk(w, n), e -> {
                        throw new AssertionError(e);
                    });
                    streams.rollouts().flush();
                    assertEquals(1, scorer.backlog(), "a chunk written later is backlog again");
                }
                Map<String, ScoredChunk> read = new HashMap<>();
                long malformed = streams.readScored(stage.targetTopic(), s -> assertEquals(null,
                        read.put(s.chunk().id().key(), s), "read twice"));
                assertEquals(0, malformed);
                assertEquals(n, read.size());
                for (ScoredChunk s : read.values()) {
                    assertEquals(2f * s.chunk().rewards()[0] + 1f, s.rewards()[0]);
                }
            }
        }
    }

    @Test
    void aStageMustNotWriteWhereItReads() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ScoringStage("t", "t", "dlq", "g", "tx"));
        assertTrue(e.getMessage().contains("sourceTopic=t"), e.getMessage());
    }

    /** Every committed record of {@code topic}, by chunk id; a chunk seen twice fails the test. */
    private static Map<String, ScoredChunk> readAll(KafkaClients clients, String topic, int expected) {
        Map<String, ScoredChunk> out = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> c = clients.consumer("stages-reader", null, true)) {
            List<TopicPartition> tps = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            long deadline = System.currentTimeMillis() + 30_000;
            int idle = 0;
            while ((out.size() < expected || idle < 5) && System.currentTimeMillis() < deadline) {
                var recs = c.poll(Duration.ofMillis(200));
                idle = recs.isEmpty() ? idle + 1 : 0;
                for (ConsumerRecord<byte[], byte[]> r : recs) {
                    ScoredChunk s = ScoredChunkCodec.decode(r.value(), r.topic(), r.partition(), r.offset());
                    ScoredChunk was = out.put(s.chunk().id().key(), s);
                    assertEquals(null, was, "chunk scored twice into " + topic + ": " + s.chunk().id().key());
                }
            }
        }
        return out;
    }
}
