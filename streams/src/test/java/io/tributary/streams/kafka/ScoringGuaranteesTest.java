package io.tributary.streams.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.tributary.rewards.EnvironmentRewardModel;
import io.tributary.rewards.RewardModel;
import io.tributary.simulator.rollout.ChunkId;
import io.tributary.simulator.rollout.TrajectoryChunk;
import io.tributary.streams.codec.ScoredChunkCodec;
import io.tributary.streams.codec.TrajectoryChunkCodec;
import io.tributary.streams.port.ScoringStage;
import io.tributary.streams.port.StreamsException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scoring path's guarantees on the real embedded broker: oversized scored records are dead-lettered
 * (not a transaction that fails forever), aborted dead letters are not dead letters, the run's topics keep
 * their data, an aborted or fenced scorer delivers nothing and its chunks are scored once by its
 * successor, and a partition moved between two scorers duplicates nothing.
 */
class ScoringGuaranteesTest {
    @TempDir
    Path dir;

    private static KafkaSettings settings(EmbeddedKafkaBroker broker, String... overrides) {
        return KafkaSettings.fromConfig(ConfigFactory.parseString(String.join("\n", overrides))
                .withFallback(ConfigFactory.defaultReference()).resolve()).withBootstrapServers(broker.bootstrapServers());
    }

    static TrajectoryChunk chunk(String run, UUID w, long seq, int steps) {
        float[] rewards = new float[steps];
        java.util.Arrays.fill(rewards, 1f);
        return new TrajectoryChunk(new ChunkId(run, w, seq), "test", 0, seq, 0, 1, steps, 1, new float[steps], 1,
                new float[steps], new float[steps], new float[steps], rewards, new boolean[steps], new boolean[steps],
                new float[1], new int[0], new int[0], new int[0], 1_000L);
    }

    private static void produce(KafkaClients clients, Topics topics, List<TrajectoryChunk> chunks) {
        try (KafkaProducer<byte[], byte[]> p = clients.producer("test-rollouts")) {
            for (TrajectoryChunk c : chunks) {
                FutureSupport.getOrThrow(p.send(new ProducerRecord<>(topics.rollouts(),
                        c.id().key().getBytes(StandardCharsets.UTF_8), TrajectoryChunkCodec.encode(c))), "test send", 30_000);
            }
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(KafkaClients clients, String topic, boolean committed) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        Ledger.TopicReader.readAll(clients, topic, committed, out::add);
        return out;
    }

    /** Reads until at least {@code n} committed records are visible (at most 15 s), then returns the last read. */
    private static <T> List<T> awaitCommitted(java.util.function.Supplier<List<T>> read, int n) {
        long deadline = System.currentTimeMillis() + 15_000;
        List<T> got = read.get();
        while (got.size() < n && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return got;
            }
            got = read.get();
        }
        return got;
    }

    private static List<String> scoredIds(KafkaClients clients, Topics topics, boolean committed) {
        List<String> ids = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : read(clients, topics.scored(), committed)) {
            ids.add(ScoredChunkCodec.decode(r.value(), r.topic(), r.partition(), r.offset()).chunk().id().key());
        }
        return ids;
    }

    /**
     * What a draining scorer relies on: the owned backlog counts records not yet consumed, is 0 only once
     * they are, and cannot be read (StreamsException) while the broker is down, where empty polls alone
     * would look drained.
     */
    @Test
    void ownedBacklogCountsUnconsumedRecordsAndFailsWhileTheBrokerIsDown() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0, 1 << 20);
        try {
            KafkaClients clients = new KafkaClients(settings(broker, "tributary.kafka.partitions=1"));
            Topics topics = new Topics("backlog");
            clients.ensureTopics(topics);
            UUID w = UUID.randomUUID();
            produce(clients, topics, List.of(chunk("backlog", w, 0, 3), chunk("backlog", w, 1, 3)));
            try (ScoringLoop loop = new ScoringLoop(clients, topics, new EnvironmentRewardModel(), 0)) {
                long deadline = System.currentTimeMillis() + 30_000;
                while (loop.scoredCount() < 2 && System.currentTimeMillis() < deadline) {
                    loop.pollOnce();
                }
                assertEquals(2, loop.scoredCount());
                assertEquals(0, loop.ownedBacklog(), "everything consumed");
                produce(clients, topics, List.of(chunk("backlog", w, 2, 3), chunk("backlog", w, 3, 3), chunk("backlog", w, 4, 3)));
                assertEquals(3, loop.ownedBacklog(), "three records written, none polled yet");
                broker.close();
                broker = null;
                for (int i = 0; i < 3; i++) {
                    assertEquals(0, loop.pollOnce(), "a poll without a broker finds nothing");
                }
                StreamsException e = org.junit.jupiter.api.Assertions.assertThrows(StreamsException.class, loop::ownedBacklog,
                        "unknown while the broker is down, never 0");
                assertTrue(e.getMessage().contains("backlog"), e.getMessage());
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    @Test
    void oversizedScoredRecordIsDeadLetteredWithItsSizeAndScoringGoesOn() {
        int max = 1 << 16;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0, max)) {
            KafkaClients clients = new KafkaClients(settings(broker, "tributary.kafka.max-message-bytes=" + max,
                    "tributary.kafka.partitions=1"));
            Topics topics = new Topics("big");
            clients.ensureTopics(topics);
            UUID w = UUID.randomUUID();
            // The smallest chunk whose scored encoding (rewards added) no longer fits, while its rollout still does.
            int steps = 100;
            while (ScoredChunkCodec.encode(new io.tributary.rewards.ScoredChunk(chunk("big", w, 0, steps), new float[steps],
                    "env", 1, 1)).length + 64 + ScoringLoop.RECORD_OVERHEAD_BYTES <= max) {
                steps += 50;
            }
            TrajectoryChunk big = chunk("big", w, 0, steps);
            assertTrue(TrajectoryChunkCodec.encode(big).length + 300 < max, "the rollout itself fits: steps=" + steps);
            TrajectoryChunk small = chunk("big", w, 1, 3);
            produce(clients, topics, List.of(big, small));
            try (ScoringLoop loop = new ScoringLoop(clients, topics, new EnvironmentRewardModel(), 0)) {
                long deadline = System.currentTimeMillis() + 30_000;
                while (loop.scoredCount() + loop.deadLetteredCount() < 2 && System.currentTimeMillis() < deadline) {
                    loop.pollOnce(); // before the fix: StreamsException (RecordTooLargeException), on every retry
                }
                assertEquals(1, loop.scoredCount());
                assertEquals(1, loop.deadLetteredCount());
            }
            // commitTransaction returns once the coordinator has the commit; the markers reach the partitions just
            // after, and until then a read_committed reader stops short of them (seen once in a fresh-clone build).
            assertEquals(List.of(small.id().key()), awaitCommitted(() -> scoredIds(clients, topics, true), 1));
            List<ConsumerRecord<byte[], byte[]>> dlq = awaitCommitted(() -> read(clients, topics.dlq(), true), 1);
            assertEquals(1, dlq.size());
            assertEquals(big.id().key(), new String(dlq.get(0).key(), StandardCharsets.UTF_8));
            String reason = DeadLetters.header(dlq.get(0).headers(), DeadLetters.REASON);
            System.out.println("oversized scored record dead-lettered: " + reason);
            assertTrue(reason.contains("bytes=") && reason.contains("max-message-bytes=" + max), reason);
            Accounts a = Accounts.compute(clients, topics);
            assertEquals(1, a.deadLettered(), "the oversized chunk is dead-lettered in the accounts: " + a);
        }
    }

    @Test
    void anAbortedTransactionsDeadLetterIsNotADeadLetter() {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0, 1 << 20)) {
            KafkaClients clients = new KafkaClients(settings(broker));
            Topics topics = new Topics("aborted-dlq");
            clients.ensureTopics(topics);
            UUID w = UUID.randomUUID();
            TrajectoryChunk c = chunk("aborted-dlq", w, 0, 3);
            produce(clients, topics, List.of(c));
            try (KafkaProducer<byte[], byte[]> tx = clients.transactionalProducer("aborted-dlq-test")) {
                tx.initTransactions();
                tx.beginTransaction();
                tx.send(DeadLetters.record(topics.dlq(), "score", topics.rollouts(), 0, 0,
                        c.id().key().getBytes(StandardCharsets.UTF_8), new byte[0], "aborted"));
                tx.flush();
                tx.abortTransaction();
            }
            assertEquals(1, read(clients, topics.dlq(), false).size(), "the aborted dead letter is in the log");
            Accounts a = Accounts.compute(clients, topics);
            // Before the fix: deadLettered=1, lost=0 (the dead-letter topic was read read_uncommitted).
            assertEquals(0, a.deadLettered(), "aborted dead letter counted: " + a);
            assertEquals(1, a.lost(), a.toString());
        }
    }

    @Test
    void theRunsTopicsKeepTheirDataAndAcceptWhatWeSend() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0, 1 << 20)) {
            KafkaClients clients = new KafkaClients(settings(broker, "tributary.kafka.max-message-bytes=1048576"));
            Topics topics = new Topics("kept");
            clients.ensureTopics(topics);
            KafkaClients daily = new KafkaClients(settings(broker, "tributary.kafka.max-message-bytes=1048576",
                    "tributary.kafka.retention-ms=86400000"));
            Topics limited = new Topics("limited");
            daily.ensureTopics(limited);
            Map<String, Config> cfg = describe(clients, List.of(topics.rollouts(), topics.scored(), topics.policy(),
                    topics.ledger(), topics.dlq(), topics.metrics(), limited.rollouts(), limited.ledger()));
            for (String t : List.of(topics.rollouts(), topics.scored(), topics.policy(), topics.ledger(), topics.dlq())) {
                // Before the fix: retention.ms=604800000 (the broker's 7 days), policy retention.bytes bounded.
                assertEquals("-1", cfg.get(t).get("retention.ms").value(), t + " retention.ms");
                assertEquals("-1", cfg.get(t).get("retention.bytes").value(), t + " retention.bytes");
            }
            for (String t : List.of(topics.rollouts(), topics.scored(), topics.policy(), topics.ledger(), topics.dlq(),
                    topics.metrics())) {
                assertEquals("1048576", cfg.get(t).get("max.message.bytes").value(), t + " max.message.bytes");
            }
            assertEquals("86400000", cfg.get(limited.rollouts()).get("retention.ms").value());
            assertEquals("86400000", cfg.get(limited.ledger()).get("retention.ms").value());
        }
    }

    private static Map<String, Config> describe(KafkaClients clients, List<String> topics) throws Exception {
        try (Admin admin = clients.admin()) {
            List<ConfigResource> rs = topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
            long deadline = System.currentTimeMillis() + 30_000;
            while (true) {
                try {
                    Map<ConfigResource, Config> m = admin.describeConfigs(rs).all().get(30, TimeUnit.SECONDS);
                    Map<String, Config> out = new HashMap<>();
                    m.forEach((r, c) -> out.put(r.name(), c));
                    return out;
                } catch (java.util.concurrent.ExecutionException e) {
                    // A topic the controller just created can be unknown to the broker's metadata for a moment.
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                            || System.currentTimeMillis() > deadline) {
                        throw e;
                    }
                    Thread.sleep(100);
                }
            }
        }
    }

    /** Scores with the environment's reward, but blocks in its {@code blockAt}-th group until released. */
    static final class Blocking implements RewardModel {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger calls = new AtomicInteger();
        final int blockAt;

        Blocking(int blockAt) {
            this.blockAt = blockAt;
        }

        @Override
        public String id() {
            return "env";
        }

        @Override
        public long version() {
            return 1;
        }

        @Override
        public float scoreStep(TrajectoryChunk chunk, int step) {
            return chunk.rewards()[step];
        }

        @Override
        public List<float[]> scoreGroup(List<TrajectoryChunk> group) {
            if (calls.incrementAndGet() == blockAt) {
                entered.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            return RewardModel.super.scoreGroup(group);
        }
    }

    @Test
    void aFencedZombiesAbortedTransactionDeliversNothingAndItsChunksAreScoredOnce() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0, 1 << 20)) {
            KafkaClients clients = new KafkaClients(settings(broker, "tributary.kafka.partitions=1"));
            Topics topics = new Topics("zombie");
            clients.ensureTopics(topics);
            UUID w = UUID.randomUUID();
            List<TrajectoryChunk> chunks = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                chunks.add(chunk("zombie", w, i, 3));
            }
            produce(clients, topics, chunks);
            Blocking slow = new Blocking(4);
            ScoringLoop zombie = new ScoringLoop(clients, topics, slow, 0);
            AtomicReference<Throwable> zombieFailure = new AtomicReference<>();
            AtomicInteger zombieHandled = new AtomicInteger();
            Thread t = new Thread(() -> {
                try {
                    long deadline = System.currentTimeMillis() + 60_000;
                    while (System.currentTimeMillis() < deadline) {
                        zombieHandled.addAndGet(zombie.pollOnce());
                    }
                } catch (Throwable e) {
                    zombieFailure.set(e);
                } finally {
                    zombie.close();
                }
            }, "zombie-scorer");
            t.start();
            assertTrue(slow.entered.await(30, TimeUnit.SECONDS), "the zombie is inside its transaction");
            Thread.sleep(500); // its first groups' scored records reach the broker, uncommitted
            // A successor with the same transactional id (index 0) fences the zombie and aborts its transaction.
            try (ScoringLoop successor = new ScoringLoop(clients, topics, new EnvironmentRewardModel(), 0)) {
                slow.release.countDown();
                t.join(30_000);
                assertFalse(t.isAlive());
                Throwable f = zombieFailure.get();
                assertNotNull(f, "the zombie must not commit; it handled " + zombieHandled.get());
                assertTrue(f instanceof StreamsException, f.toString());
                System.out.println("zombie fenced: " + f.getMessage());
                long deadline = System.currentTimeMillis() + 60_000;
                long lastWork = System.currentTimeMillis();
                while (System.currentTimeMillis() < deadline
                        && (successor.scoredCount() == 0 || System.currentTimeMillis() - lastWork < 2000)) {
                    if (successor.pollOnce() > 0) {
                        lastWork = System.currentTimeMillis();
                    }
                }
                System.out.println("zombie committed " + zombieHandled.get() + " records before its fenced transaction; "
                        + "the successor scored " + successor.scoredCount());
                assertEquals(chunks.size() - zombieHandled.get(), successor.scoredCount(),
                        "the successor re-scores every chunk of the aborted transaction, once");
            }
            List<String> committed = awaitCommitted(() -> scoredIds(clients, topics, true), chunks.size());
            List<String> all = scoredIds(clients, topics, false);
            assertTrue(all.size() > committed.size(), "the aborted transaction wrote records: all=" + all.size());
            assertEquals(chunks.size(), committed.size(), "committed: " + committed);
            assertEquals(chunks.size(), new HashSet<>(committed).size(), "each chunk scored once: " + committed);
        }
    }

    @Test
    void aPartitionMovedBetweenTwoScorersDuplicatesNothing() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0, 1 << 20)) {
            KafkaClients clients = new KafkaClients(settings(broker, "tributary.kafka.partitions=2"));
            Topics topics = new Topics("moved");
            clients.ensureTopics(topics);
            UUID w = UUID.randomUUID();
            List<TrajectoryChunk> first = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                first.add(chunk("moved", w, i, 3));
            }
            int produced = first.size();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            try (ScoringLoop a = new ScoringLoop(clients, topics, new EnvironmentRewardModel(), 0);
                 ScoringLoop b = new ScoringLoop(clients, topics, new EnvironmentRewardModel(), 1)) {
                Thread ta = poller(a, stop, failure);
                ta.start();
                produce(clients, topics, first);
                long deadline = System.currentTimeMillis() + 60_000;
                while (a.scoredCount() < first.size() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(first.size(), a.scoredCount(), "scorer 0 alone scored the first batch from both partitions");
                // Scorer 1 joins: a partition moves to it, with the offsets scorer 0 committed in its transactions.
                // Chunks keep coming, during and after the rebalance, until scorer 1 has scored some.
                Thread tb = poller(b, stop, failure);
                tb.start();
                deadline = System.currentTimeMillis() + 60_000;
                int after = -1;
                while (System.currentTimeMillis() < deadline && failure.get() == null && (after < 0 || produced < after)) {
                    produce(clients, topics, List.of(chunk("moved", w, produced, 3)));
                    produced++;
                    if (after < 0 && b.scoredCount() > 0) {
                        after = produced + 10;
                    }
                    Thread.sleep(50);
                }
                while (a.scoredCount() + b.scoredCount() < produced && System.currentTimeMillis() < deadline
                        && failure.get() == null) {
                    Thread.sleep(20);
                }
                Thread.sleep(1000); // a duplicate, if any, would come now
                stop.set(true);
                a.wakeup();
                b.wakeup();
                ta.join(10_000);
                tb.join(10_000);
                System.out.println("partition move: produced=" + produced + ", scorer0=" + a.scoredCount()
                        + ", scorer1=" + b.scoredCount());
                assertEquals(null, failure.get());
                assertTrue(b.scoredCount() > 0, "scorer 1 got a partition: " + b.scoredCount());
            }
            List<String> committed = awaitCommitted(() -> scoredIds(clients, topics, true), (int) produced);
            Set<String> distinct = new HashSet<>(committed);
            assertEquals(produced, distinct.size(), "every chunk scored");
            assertEquals(produced, committed.size(), "no chunk scored twice: " + committed);
        }
    }

    private static Thread poller(ScoringLoop loop, AtomicBoolean stop, AtomicReference<Throwable> failure) {
        return new Thread(() -> {
            try {
                while (!stop.get()) {
                    loop.pollOnce();
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, "poller-" + loop.stage().transactionalId());
    }
}
