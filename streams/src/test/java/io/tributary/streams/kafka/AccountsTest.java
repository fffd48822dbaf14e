package io.tributary.streams.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.simulator.rollout.ChunkId;
import io.tributary.simulator.rollout.TrajectoryChunk;
import io.tributary.streams.codec.TrajectoryChunkCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The accounts are computed from what the topics hold, so each kind of fault shows in its own column. */
class AccountsTest {
    @TempDir
    Path dir;

    @Test
    void countsProducedTrainedDuplicatedDroppedDeadLetteredAndLost() {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0, 1 << 20)) {
            KafkaClients clients = new KafkaClients(KafkaSettings.fromConfig(
                    com.typesafe.config.ConfigFactory.defaultReference().resolve()).withBootstrapServers(broker.bootstrapServers()));
            Topics topics = new Topics("acc");
            clients.ensureTopics(topics);
            UUID w = UUID.randomUUID();
            try (KafkaProducer<byte[], byte[]> p = clients.producer("acc")) {
                for (int i = 0; i < 8; i++) {
                    TrajectoryChunk c = chunk(w, i);
                    p.send(new ProducerRecord<>(topics.rollouts(), c.id().key().getBytes(StandardCharsets.UTF_8),
                            TrajectoryChunkCodec.encode(c)));
                }
                p.send(new ProducerRecord<>(topics.rollouts(), "junk".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3}));
                // chunk 6 failed scoring and was dead-lettered.
                p.send(DeadLetters.record(topics.dlq(), "score", topics.rollouts(), 0, 6, key(w, 6), new byte[0], "test"));
                p.flush();
                // 0, 1, 2 trained; 2 again after a (simulated) bad resume; 3 stale; 4 unused at the end; 5 rejected.
                Ledger.append(p, topics, new Ledger.Entry(1, List.of(w + "/0", w + "/1", w + "/2"), List.of(w + "/3 lag=5"),
                        List.of()), 30_000);
                Ledger.append(p, topics, new Ledger.Entry(2, List.of(w + "/2"), List.of(w + "/4 end-of-run"),
                        List.of(w + "/5 malformed")), 30_000);
            }
            Accounts a = Accounts.compute(clients, topics);
            assertEquals(8, a.produced());
            assertEquals(3, a.trained());
            assertEquals(1, a.duplicated());
            assertEquals(1, a.droppedStale());
            assertEquals(1, a.unusedAtEnd());
            assertEquals(1, a.rejected());
            assertEquals(1, a.deadLettered());
            assertEquals(1, a.lost(), "chunk 7 is nowhere: lost");
            assertEquals(1, a.malformed());
        }
    }

    private static byte[] key(UUID w, long seq) {
        return (w + "/" + seq).getBytes(StandardCharsets.UTF_8);
    }

    private static TrajectoryChunk chunk(UUID w, long seq) {
        return new TrajectoryChunk(new ChunkId("acc", w, seq), "test", 0, 0, 0, 0, 1, 1, new float[1], 1, new float[1],
                new float[1], new float[1], new float[1], new boolean[1], new boolean[1], new float[1], new int[0], new int[0],
                new int[0], 0);
    }
}
