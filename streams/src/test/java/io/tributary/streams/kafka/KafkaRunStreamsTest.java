package io.tributary.streams.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.tributary.rewards.EnvironmentRewardModel;
import io.tributary.simulator.rollout.ChunkId;
import io.tributary.simulator.rollout.TrajectoryChunk;
import io.tributary.streams.codec.MetricEvent;
import io.tributary.streams.port.MetricsSource;
import io.tributary.streams.port.ScoredSource;
import io.tributary.streams.port.Scorer;
import io.tributary.streams.port.ScoringStage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interfaces the roles use carry chunks, metrics and ledger entries through a real broker (policies: the actors runs). */
class KafkaRunStreamsTest {
    @TempDir
    Path dir;

    @Test
    void everyPortCarriesItsRecordsThroughTheBroker() {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0, 1 << 20)) {
            KafkaClients clients = new KafkaClients(KafkaSettings.fromConfig(ConfigFactory.defaultReference().resolve())
                    .withBootstrapServers(broker.bootstrapServers()));
            Topics topics = new Topics("ports");
            clients.ensureTopics(topics);
            try (KafkaRunStreams streams = new KafkaRunStreams(clients, topics, "ports-test");
                 MetricsSource metrics = streams.metricsSource()) {
                assertEquals(broker.bootstrapServers(), streams.endpoint());
                // Rollouts -> scorer -> scored source.
                UUID w = UUID.randomUUID();
                List<Throwable> failures = new CopyOnWriteArrayList<>();
                for (int i = 0; i < 5; i++) {
                    streams.rollouts().send(chunk(w, i), failures::add);
                }
                streams.rollouts().flush();
                assertTrue(failures.isEmpty(), "no delivery failed: " + failures);
                Set<String> scored = new HashSet<>();
                try (Scorer scorer = streams.scorer(ScoringStage.primary(topics, 0), new EnvironmentRewardModel());
                     ScoredSource source = streams.scored(Map.of())) {
                    long deadline = System.currentTimeMillis() + 60_000;
                    while (scored.size() < 5 && System.currentTimeMillis() < deadline) {
                        scorer.pollOnce();
                        for (ScoredSource.Item it : source.poll()) {
                            assertEquals(it.chunk().chunk().rewards()[0], it.chunk().rewards()[0]);
                            scored.add(it.chunk().chunk().id().key());
                        }
                    }
                    assertEquals(5, scored.size(), "every chunk arrived scored");
                    assertEquals(5, scorer.scoredCount());
                    // A woken-up poll returns nothing instead of throwing a client exception.
                    source.wakeup();
                    assertTrue(source.poll().isEmpty());
                }
                // Metrics sink -> metrics source.
                for (int i = 0; i < 3; i++) {
                    streams.metrics().publish(new MetricEvent("ports", "reward.mean", i, i * 1.5, 1L, Map.of("k", "v")),
                            failures::add);
                }
                List<MetricEvent> events = new ArrayList<>();
                long deadline = System.currentTimeMillis() + 30_000;
                while (events.size() < 3 && System.currentTimeMillis() < deadline) {
                    events.addAll(metrics.poll());
                }
                assertEquals(3, events.size());
                assertEquals(3.0, events.get(2).value());
                assertEquals(Map.of("k", "v"), events.get(0).tags());
                // Ledger.
                streams.ledger().append(new Ledger.Entry(7, List.of(new ArrayList<>(scored).get(0)), List.of(), List.of()));
                assertEquals(List.of(7L), new ArrayList<>(streams.ledger().checkpoints()));
                Accounts a = streams.accounts();
                assertEquals(5, a.produced());
                assertEquals(1, a.trained());
                assertTrue(failures.isEmpty(), "no delivery failed: " + failures);
            }
        }
    }

    /**
     * A scorer made with a cap on records per poll never takes more than that many in one poll (one
     * transaction), and still scores everything; without the cap the same backlog comes in larger polls.
     */
    @Test
    void aScorerTakesAtMostItsCapOfRecordsPerPoll() {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0, 1 << 20)) {
            KafkaClients clients = new KafkaClients(KafkaSettings.fromConfig(ConfigFactory.defaultReference().resolve())
                    .withBootstrapServers(broker.bootstrapServers()));
            Topics topics = new Topics("capped");
            clients.ensureTopics(topics);
            try (org.apache.kafka.clients.admin.Admin admin = clients.admin()) {
                admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topics.scored("uncapped"), 1,
                        (short) 1))).all().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("cannot create the second stage's topic", e);
            }
            try (KafkaRunStreams streams = new KafkaRunStreams(clients, topics, "capped-test")) {
                UUID w = UUID.randomUUID();
                List<Throwable> failures = new CopyOnWriteArrayList<>();
                for (int i = 0; i < 40; i++) {
                    streams.rollouts().send(chunk(w, i), failures::add);
                }
                streams.rollouts().flush();
                assertTrue(failures.isEmpty(), "no delivery failed: " + failures);
                int largestCapped = 0;
                try (Scorer scorer = streams.scorer(ScoringStage.primary(topics, 0), new EnvironmentRewardModel(), 3)) {
                    long deadline = System.currentTimeMillis() + 60_000;
                    while (scorer.scoredCount() < 40 && System.currentTimeMillis() < deadline) {
                        largestCapped = Math.max(largestCapped, scorer.pollOnce());
                    }
                    assertEquals(40, scorer.scoredCount(), "the capped scorer still scores the whole backlog");
                }
                assertTrue(largestCapped >= 1 && largestCapped <= 3, "a capped poll took at most 3 records: largest="
                        + largestCapped);
                // The same backlog read again by another stage without a cap arrives in a poll larger than 3.
                int largestUncapped = 0;
                try (Scorer scorer = streams.scorer(ScoringStage.rescore(topics, "uncapped"), new EnvironmentRewardModel())) {
                    long deadline = System.currentTimeMillis() + 60_000;
                    while (scorer.scoredCount() < 40 && System.currentTimeMillis() < deadline) {
                        largestUncapped = Math.max(largestUncapped, scorer.pollOnce());
                    }
                    assertEquals(40, scorer.scoredCount());
                }
                assertTrue(largestUncapped > 3, "without the cap one poll took more than 3: largest=" + largestUncapped);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new ScoringLoop(null, (ScoringStage) null, null, 0));
    }

    static TrajectoryChunk chunk(UUID w, long seq) {
        int n = 3;
        float[] rewards = {1f + seq, 2f, 3f};
        return new TrajectoryChunk(new ChunkId("ports", w, seq), "test", 0, seq, 0, 1, n, 2, new float[n * 2], 1,
                new float[n], new float[n], new float[n], rewards, new boolean[n], new boolean[n], new float[2],
                new int[0], new int[0], new int[0], 1_000L);
    }
}
