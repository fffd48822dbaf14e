package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.streams.kafka.EmbeddedKafkaBroker;
import io.tributary.streams.kafka.KafkaClients;
import io.tributary.streams.kafka.KafkaSettings;
import io.tributary.streams.kafka.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scorer whose transaction fails mid-run (its producer is fenced by a second producer with its
 * transactional id, as a zombie would be) is restarted by its supervisor, closes its clients, and the
 * restarted scorer commits again within seconds; the run finishes with balanced accounts.
 */
class ScorerRestartTest {
    @TempDir
    Path dir;

    @Test
    void aFailedScorerTransactionCostsSecondsAndLosesNothing() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0, 8 * 1024 * 1024)) {
            TributaryConfig c = TestRuns.cartPole(dir, 12000, "tributary.kafka.bootstrap-servers=\"" + broker.bootstrapServers() + "\"",
                    "tributary.run.id=fenced");
            KafkaClients clients = new KafkaClients(c.kafka().withBootstrapServers(broker.bootstrapServers()));
            Topics topics = new Topics("fenced");
            AtomicLong stallMillis = new AtomicLong(-1);
            CompletableFuture<Void> injected = new CompletableFuture<>();
            TrainingRun.Outcome out = TrainingRun.run(c, null, (system, ctx) -> CompletableFuture.runAsync(() -> {
                try {
                    stallMillis.set(fenceScorerOnceTrainingRuns(ctx, clients, topics));
                    injected.complete(null);
                } catch (Throwable t) {
                    injected.completeExceptionally(t);
                }
            }));
            injected.get();
            RunSummary s = out.summary();
            System.out.printf("scorer restart: %d ms from the fenced transaction to the next committed scorer transaction%n",
                    stallMillis.get());
            assertTrue(stallMillis.get() >= 0 && stallMillis.get() < 20_000,
                    "the restarted scorer committed within 20 s: " + stallMillis.get() + " ms");
            assertTrue(s.envSteps() >= 12000, "training finished: " + s);
            assertEquals(0L, s.chunksLost(), "lost: " + s);
            assertEquals(0L, s.chunksDuplicated(), "duplicated: " + s);
            assertEquals(s.chunksProduced(), s.chunksTrained() + s.chunksDroppedStale() + s.chunksUnusedAtEnd()
                    + s.chunksRejected() + s.chunksDeadLettered(), "every produced chunk is accounted for: " + s);
            String metrics = Files.readString(out.runDir().resolve("metrics.jsonl"));
            assertTrue(metrics.contains("\"kind\":\"update\""), "updates were written");
        }
    }

    /**
     * Waits for the first checkpoint, fences scorer 0's transactional id, and returns the milliseconds until
     * a record of a later committed transaction appears on the scored topic (read_committed).
     */
    private static long fenceScorerOnceTrainingRuns(RunContext ctx, KafkaClients clients, Topics topics) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!Files.exists(ctx.checkpointDir().resolve("LATEST")) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        try (KafkaConsumer<byte[], byte[]> scored = clients.consumer("fence-test-reader", null, true)) {
            List<TopicPartition> tps = new ArrayList<>();
            scored.partitionsFor(topics.scored()).forEach(p -> tps.add(new TopicPartition(p.topic(), p.partition())));
            scored.assign(tps);
            try (KafkaProducer<byte[], byte[]> zombieKiller = clients.transactionalProducer("tributary-fenced-scorer-0")) {
                // Bumps the epoch of scorer 0's transactional id: its open transaction is aborted and its next
                // transactional call fails with a ProducerFencedException (a KafkaException).
                zombieKiller.initTransactions();
            }
            long fencedAt = System.currentTimeMillis();
            Map<TopicPartition, Long> end = scored.endOffsets(tps);
            end.forEach(scored::seek);
            while (System.currentTimeMillis() - fencedAt < 90_000) {
                if (!scored.poll(Duration.ofMillis(100)).isEmpty()) {
                    return System.currentTimeMillis() - fencedAt;
                }
            }
            return -1;
        }
    }
}
