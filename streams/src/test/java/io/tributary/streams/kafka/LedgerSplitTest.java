package io.tributary.streams.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint's ledger entry bigger than the largest record the broker accepts is split into several
 * records and read back whole: a ledger entry is never lost to the record size limit.
 */
class LedgerSplitTest {
    @TempDir
    Path dir;

    @Test
    void anOversizedEntryIsSplitAndReadBackWhole() {
        int limit = 1 << 16;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0, limit)) {
            KafkaClients clients = new KafkaClients(KafkaSettings.fromConfig(ConfigFactory
                    .parseString("tributary.kafka.max-message-bytes=" + limit)
                    .withFallback(ConfigFactory.defaultReference()).resolve())
                    .withBootstrapServers(broker.bootstrapServers()));
            Topics topics = new Topics("big-ledger");
            clients.ensureTopics(topics);
            List<String> trained = new ArrayList<>();
            List<String> dropped = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                trained.add(UUID.randomUUID() + "/" + i);
                if (i % 3 == 0) {
                    dropped.add(UUID.randomUUID() + "/" + i + " lag=7");
                }
            }
            Ledger.Entry big = new Ledger.Entry(3, trained, dropped, List.of("p0@1 malformed"));
            Ledger.Entry small = new Ledger.Entry(4, List.of("a/1"), List.of(), List.of());
            try (KafkaRunStreams streams = new KafkaRunStreams(clients, topics, "big-ledger")) {
                streams.ledger().append(big);
                streams.ledger().append(small);
                assertEquals(List.of(3L, 4L), new ArrayList<>(streams.ledger().checkpoints()));
            }
            List<Ledger.Entry> read = new ArrayList<>();
            Ledger.readAll(clients, topics, read::add);
            assertEquals(List.of(big, small), read, "the entry is read back whole, in order");
            long[] records = {0};
            Ledger.TopicReader.readAll(clients, topics.ledger(), false, r -> {
                records[0]++;
                assertTrue(r.value().length < limit, "each record fits: " + r.value().length);
            });
            System.out.println("ledger entry of " + (trained.size() + dropped.size() + 1) + " ids written as "
                    + (records[0] - 1) + " records (limit " + limit + " bytes)");
            assertTrue(records[0] > 2, "the big entry took several records: " + records[0]);
        }
    }
}
