package io.tributary.streams.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.tributary.streams.port.StreamsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One learner per run: a second process that writes the same run's ledger fences the first, whose next
 * ledger write fails with an error saying another learner took over; the ledger holds only what the
 * writers that were not fenced wrote.
 */
class LedgerFencingTest {
    @TempDir
    Path dir;

    @Test
    void aSecondLedgerWriterFencesTheFirst() {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0, 1 << 20)) {
            KafkaClients clients = new KafkaClients(KafkaSettings.fromConfig(ConfigFactory.defaultReference().resolve())
                    .withBootstrapServers(broker.bootstrapServers()));
            Topics topics = new Topics("fenced");
            clients.ensureTopics(topics);
            try (KafkaRunStreams first = new KafkaRunStreams(clients, topics, "learner-1");
                 KafkaRunStreams second = new KafkaRunStreams(clients, topics, "learner-2")) {
                first.ledger().append(new Ledger.Entry(1, List.of("a/1"), List.of(), List.of()));
                // The second learner starts on the same run and writes its first entry.
                second.ledger().append(new Ledger.Entry(2, List.of("b/1"), List.of(), List.of()));
                StreamsException e = assertThrows(StreamsException.class,
                        () -> first.ledger().append(new Ledger.Entry(3, List.of("a/2"), List.of(), List.of())));
                assertTrue(e.getMessage().contains("another learner took over run fenced"), e.getMessage());
                System.out.println("fenced writer: " + e.getMessage());
                assertEquals(List.of(1L, 2L), new ArrayList<>(second.ledger().checkpoints()),
                        "the fenced learner's entry is not in the ledger");
            }
        }
    }
}
