package io.tributary.streams.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.tributary.streams.port.DeadLetterRecord;
import io.tributary.streams.port.DeadLetterSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dead-letter source a monitor follows: records with their stage, reason and origin; the rollouts count. */
class DeadLetterReaderTest {
    @TempDir
    Path dir;

    @Test
    void followsTheDeadLetterTopicAndCountsRolloutRecords() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0, 1 << 20)) {
            KafkaClients clients = new KafkaClients(KafkaSettings.fromConfig(ConfigFactory.defaultReference().resolve())
                    .withBootstrapServers(broker.bootstrapServers()));
            Topics topics = new Topics("dlq-reader");
            clients.ensureTopics(topics);
            try (KafkaRunStreams streams = new KafkaRunStreams(clients, topics, "dlq-reader-test");
                 KafkaProducer<byte[], byte[]> producer = clients.producer("dlq-reader-writer")) {
                List<Throwable> failures = new CopyOnWriteArrayList<>();
                UUID w = UUID.randomUUID();
                for (int i = 0; i < 4; i++) {
                    streams.rollouts().send(KafkaRunStreamsTest.chunk(w, i), failures::add);
                }
                streams.rollouts().flush();
                producer.send(DeadLetters.record(topics.dlq(), "decode", topics.rollouts(), 1, 42L,
                        "k".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2}, "malformed record: offset=42")).get();
                producer.send(DeadLetters.record(topics.dlq(), "train", topics.scored(), 0, 7L, null, null, null)).get();
                assertTrue(failures.isEmpty(), failures.toString());
                List<DeadLetterRecord> got = new ArrayList<>();
                try (DeadLetterSource source = streams.deadLetterSource()) {
                    long deadline = System.currentTimeMillis() + 30_000;
                    while ((got.size() < 2 || source.rolloutRecords() < 4) && System.currentTimeMillis() < deadline) {
                        got.addAll(source.poll());
                    }
                    assertEquals(4, source.rolloutRecords(), "records in the rollouts topic");
                    // A woken-up poll returns instead of throwing.
                    source.wakeup();
                    assertTrue(source.poll().isEmpty());
                }
                assertEquals(2, got.size());
                assertEquals(new DeadLetterRecord("decode", "malformed record: offset=42", topics.rollouts(), 42L,
                        got.get(0).timestampMillis()), got.get(0));
                assertEquals("unknown", got.get(1).reason(), "a missing reason is shown as unknown");
                assertEquals("train", got.get(1).stage());
                assertTrue(got.get(0).timestampMillis() > 0);
            }
        }
    }
}
