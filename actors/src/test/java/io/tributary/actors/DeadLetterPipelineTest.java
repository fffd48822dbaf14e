package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.streams.kafka.DeadLetters;
import io.tributary.streams.kafka.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Garbage written to the rollouts topic of a live run lands in the dead-letter topic with its reason; training goes on. */
class DeadLetterPipelineTest {
    @TempDir
    Path dir;

    @Test
    void garbageGoesToDlqAndTrainingContinues() throws Exception {
        byte[] garbage = "this is not a trajectory chunk".getBytes(StandardCharsets.UTF_8);
        byte[] wrongVersion = {7, 1, 0, 0, 0, 0};
        TributaryConfig c = TestRuns.cartPole(dir, 3000);
        TrainingRun.Outcome out = TrainingRun.run(c, null, (system, ctx) -> {
            // The roles see no Kafka types; the test injects raw bytes with a producer of its own.
            KafkaClients clients = new KafkaClients(c.kafka().withBootstrapServers(ctx.streams().endpoint()));
            try (KafkaProducer<byte[], byte[]> producer = clients.producer("dead-letter-test")) {
                producer.send(new ProducerRecord<>(ctx.topics().rollouts(), "garbage".getBytes(StandardCharsets.UTF_8), garbage));
                producer.send(new ProducerRecord<>(ctx.topics().rollouts(), "version".getBytes(StandardCharsets.UTF_8), wrongVersion));
                producer.flush();
            }
        });
        RunSummary s = out.summary();
        assertTrue(s.envSteps() >= 3000, "training went on: " + s);
        assertTrue(s.updates() >= 10, "updates: " + s);
        assertEquals(2L, s.recordsMalformed());
        assertEquals(0L, s.chunksLost());
        assertEquals(0L, s.chunksDuplicated());

        List<ConsumerRecord<byte[], byte[]>> dlq = TestRuns.withRunBroker(out, c, clients -> {
            List<ConsumerRecord<byte[], byte[]>> recs = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> consumer = clients.consumer("test", null, false)) {
                TopicPartition tp = new TopicPartition(TestRuns.topics(out).dlq(), 0);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                long deadline = System.currentTimeMillis() + 30_000;
                while (recs.size() < 2 && System.currentTimeMillis() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(recs::add);
                }
            }
            return recs;
        });
        assertEquals(2, dlq.size(), "both bad records are in the dead-letter topic");
        ConsumerRecord<byte[], byte[]> g = dlq.stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals("garbage")).findFirst().orElseThrow();
        assertArrayEquals(garbage, g.value(), "original bytes are kept");
        assertEquals(TestRuns.topics(out).rollouts(), DeadLetters.header(g.headers(), DeadLetters.SOURCE_TOPIC));
        String reason = DeadLetters.header(g.headers(), DeadLetters.REASON);
        assertTrue(reason.contains("malformed record") && reason.contains("topic=" + TestRuns.topics(out).rollouts()),
                "reason names the record: " + reason);
        ConsumerRecord<byte[], byte[]> v = dlq.stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals("version")).findFirst().orElseThrow();
        assertTrue(DeadLetters.header(v.headers(), DeadLetters.REASON).contains("version=7"),
                "reason names the unsupported version: " + DeadLetters.header(v.headers(), DeadLetters.REASON));
    }
}
