package io.tributary.streams.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.tributary.rewards.ScoredChunk;
import io.tributary.simulator.rollout.TrajectoryChunk;
import io.tributary.streams.codec.ScoredChunkCodec;
import io.tributary.streams.codec.TrajectoryChunkCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The accounts' check of ledger ranges on hand-made topics: a ledger that skips a scored record, a checkpoint
 * whose recorded offsets disagree with its entry, and a clean ledger with an end-of-run entry.
 */
class AccountsCheckRangesTest {
    @TempDir
    Path dir;

    private List<String> setUp(KafkaClients clients, Topics topics, int n, int scored) {
        clients.ensureTopics(topics);
        UUID w = UUID.randomUUID();
        List<String> ids = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> p = clients.producer("ranges")) {
            for (int i = 0; i < n; i++) {
                TrajectoryChunk c = ScoringGuaranteesTest.chunk(topics.runId(), w, i, 3);
                byte[] key = c.id().key().getBytes(StandardCharsets.UTF_8);
                ids.add(c.id().key());
                p.send(new ProducerRecord<>(topics.rollouts(), 0, key, TrajectoryChunkCodec.encode(c)));
                if (i < scored) {
                    p.send(new ProducerRecord<>(topics.scored(), 0, key,
                            ScoredChunkCodec.encode(new ScoredChunk(c, new float[3], "env", 1, 1))));
                }
            }
            p.flush();
        }
        return ids;
    }

    private static void ledger(KafkaClients clients, Topics topics, Ledger.Entry... entries) {
        try (KafkaProducer<byte[], byte[]> p = clients.producer("ranges-ledger")) {
            for (Ledger.Entry e : entries) {
                Ledger.append(p, topics, e, 30_000);
            }
        }
    }

    @Test
    void rangesAreCheckedRecordByRecord() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, 1 << 20)) {
            KafkaClients clients = new KafkaClients(KafkaSettings.fromConfig(ConfigFactory.parseString(
                    "tributary.kafka.partitions=1").withFallback(ConfigFactory.defaultReference()).resolve())
                    .withBootstrapServers(broker.bootstrapServers()));

            Topics skip = new Topics("skip");
            List<String> s = setUp(clients, skip, 5, 5);
            ledger(clients, skip, new Ledger.Entry(1, List.of(s.get(0), s.get(1)), List.of(), List.of()),
                    new Ledger.Entry(2, List.of(s.get(3), s.get(4)), List.of(), List.of()));
            Accounts a = Accounts.compute(clients, skip);
            System.out.println("skipped record: " + a.mismatch());
            assertFalse(a.checked());
            assertTrue(a.mismatch().contains("checkpoint 2") && a.mismatch().contains(s.get(3))
                    && a.mismatch().contains("unaccounted record " + s.get(2)), a.mismatch());

            Topics meta = new Topics("meta");
            List<String> m = setUp(clients, meta, 4, 4);
            ledger(clients, meta, new Ledger.Entry(1, List.of(m.get(0), m.get(1)), List.of(), List.of()));
            Path cps = dir.resolve("checkpoints");
            Files.createDirectories(cps.resolve("ckpt-00000001"));
            Files.writeString(cps.resolve("ckpt-00000001").resolve("checkpoint.properties"), "number=1\noffset.0=3\n");
            Accounts withMeta = Accounts.compute(clients, meta, cps);
            System.out.println("checkpoint offsets disagree: " + withMeta.mismatch());
            assertFalse(withMeta.checked());
            assertTrue(withMeta.mismatch().contains("up to offset 3") && withMeta.mismatch().contains(m.get(2)),
                    withMeta.mismatch());
            assertTrue(Accounts.compute(clients, meta).checked(), "without the checkpoint the entry alone is consistent");

            Topics clean = new Topics("clean");
            List<String> c = setUp(clients, clean, 6, 5);
            ledger(clients, clean, new Ledger.Entry(1, List.of(c.get(0), c.get(1)), List.of(c.get(2) + " lag=4"), List.of()),
                    new Ledger.Entry(Accounts.END_OF_RUN_BASE + 1, List.of(),
                            List.of(c.get(3) + " end-of-run", c.get(4) + " lag=3"), List.of()));
            Accounts ok = Accounts.compute(clients, clean);
            assertTrue(ok.checked(), ok.mismatch());
            assertEquals(6, ok.produced());
            assertEquals(2, ok.trained());
            assertEquals(2, ok.droppedStale());
            assertEquals(1, ok.unusedAtEnd());
            assertEquals(1, ok.lost(), "never scored");
            // A resume after the end of the run trains the chunk the end-of-run entry called unused: trained wins.
            ledger(clients, clean, new Ledger.Entry(2, List.of(c.get(3), c.get(4)), List.of(), List.of()));
            Accounts resumed = Accounts.compute(clients, clean);
            assertTrue(resumed.checked(), resumed.mismatch());
            assertEquals(4, resumed.trained());
            assertEquals(1, resumed.droppedStale());
            assertEquals(0, resumed.unusedAtEnd());
            assertEquals(0, resumed.duplicated());

            Topics phantom = new Topics("phantom");
            List<String> p = setUp(clients, phantom, 2, 2);
            String never = UUID.randomUUID() + "/0";
            ledger(clients, phantom, new Ledger.Entry(1, List.of(p.get(0), never, p.get(1)), List.of(), List.of()));
            Accounts ph = Accounts.compute(clients, phantom);
            System.out.println("phantom: " + ph.mismatch());
            assertFalse(ph.checked());
            assertEquals(1, ph.phantom());
            assertEquals(2, ph.trained(), "a phantom is not a produced chunk: " + ph);
            assertTrue(ph.mismatch().contains("phantom id " + never), ph.mismatch());
        }
    }
}
