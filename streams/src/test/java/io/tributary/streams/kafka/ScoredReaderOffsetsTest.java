package io.tributary.streams.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.tributary.streams.port.ScoredSource;
import io.tributary.streams.port.StreamsException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learner's reader never rewinds silently: a checkpoint offset past the end of the scored topic, or
 * below its first retained record (records deleted), stops it with an error naming topic, partition and
 * offset; an offset in range is read from exactly.
 */
class ScoredReaderOffsetsTest {
    @TempDir
    Path dir;

    @Test
    void anOutOfRangeCheckpointOffsetStopsTheReaderWithItsPosition() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0, 1 << 20)) {
            KafkaClients clients = new KafkaClients(KafkaSettings.fromConfig(ConfigFactory.defaultReference().resolve())
                    .withBootstrapServers(broker.bootstrapServers()));
            Topics topics = new Topics("offsets");
            clients.ensureTopics(topics);
            try (KafkaProducer<byte[], byte[]> p = clients.producer("offsets-test")) {
                for (int i = 0; i < 4; i++) {
                    p.send(new ProducerRecord<>(topics.scored(), 0, ("k" + i).getBytes(StandardCharsets.UTF_8),
                            ("not a scored chunk " + i).getBytes(StandardCharsets.UTF_8))).get();
                }
            }
            try (KafkaRunStreams streams = new KafkaRunStreams(clients, topics, "offsets-test")) {
                // In range: read from exactly there.
                List<Long> offsets = new ArrayList<>();
                try (ScoredSource s = streams.scored(Map.of(0, 2L))) {
                    long deadline = System.currentTimeMillis() + 30_000;
                    while (offsets.size() < 2 && System.currentTimeMillis() < deadline) {
                        s.poll().stream().filter(it -> it.partition() == 0).forEach(it -> offsets.add(it.offset()));
                    }
                }
                assertEquals(List.of(2L, 3L), offsets);

                // Past the end (a checkpoint of another broker, or a wiped topic).
                StreamsException past = assertThrows(StreamsException.class, () -> readOnce(streams, Map.of(0, 1000L)));
                assertNames(past, topics.scored(), 0, 1000);

                // Below the first retained record (records deleted, e.g. by retention).
                try (Admin admin = clients.admin()) {
                    admin.deleteRecords(Map.of(new TopicPartition(topics.scored(), 0), RecordsToDelete.beforeOffset(3)))
                            .all().get();
                }
                StreamsException deleted = assertThrows(StreamsException.class, () -> readOnce(streams, Map.of(0, 1L)));
                assertNames(deleted, topics.scored(), 0, 1);
                System.out.println("out-of-range messages: " + past.getMessage() + " | " + deleted.getMessage());
            }
        }
    }

    /** Opens a reader at {@code start} and polls a few times (a silent rewind would return records here). */
    private static void readOnce(KafkaRunStreams streams, Map<Integer, Long> start) {
        try (ScoredSource s = streams.scored(start)) {
            for (int i = 0; i < 10; i++) {
                List<ScoredSource.Item> items = s.poll();
                if (!items.isEmpty()) {
                    throw new AssertionError("reader rewound silently and returned records: first offset="
                            + items.get(0).offset() + ", partition=" + items.get(0).partition());
                }
            }
        }
    }

    private static void assertNames(StreamsException e, String topic, int partition, long offset) {
        String m = e.getMessage();
        assertTrue(m.contains("topic=" + topic) && m.contains("partition=" + partition) && m.contains("offset=" + offset),
                "message names topic, partition and offset: " + m);
    }
}
