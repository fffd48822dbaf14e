package io.tributary.streams.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker goes away: short outages are ridden out by bounded retries; long ones fail loudly with the cause. */
class BrokerOutageTest {
    @TempDir
    Path dir;

    private static KafkaSettings settings(String bootstrap, int deliveryMs) {
        return KafkaSettings.fromConfig(ConfigFactory.parseString(
                "tributary.kafka { request-timeout-ms = 1000, delivery-timeout-ms = " + deliveryMs
                        + ", max-block-ms = " + deliveryMs + ", partitions = 1 }")
                .withFallback(ConfigFactory.defaultReference()).resolve()).withBootstrapServers(bootstrap);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void sendsDuringAShortOutageAreDeliveredOnceTheBrokerIsBack() throws Exception {
        int port = freePort();
        Topics topics = new Topics("outage");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, port, 1 << 20);
        KafkaClients clients = new KafkaClients(settings(broker.bootstrapServers(), 30_000));
        clients.ensureTopics(topics);
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> p = clients.producer("outage-test")) {
            for (int i = 0; i < 50; i++) {
                sends.add(p.send(new ProducerRecord<>(topics.rollouts(), bytes("k" + i), bytes("v" + i))));
            }
            p.flush();
            broker.close();
            // Bring the broker back on the same port and storage 2 s from now, while sends are waiting:
            // a send during the outage may block on metadata (bounded by max-block-ms) until then.
            java.util.concurrent.CompletableFuture<EmbeddedKafkaBroker> restarted = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> EmbeddedKafkaBroker.start(dir, port, 1 << 20),
                            java.util.concurrent.CompletableFuture.delayedExecutor(2, TimeUnit.SECONDS));
            for (int i = 50; i < 100; i++) {
                sends.add(p.send(new ProducerRecord<>(topics.rollouts(), bytes("k" + i), bytes("v" + i))));
            }
            broker = restarted.get(60, TimeUnit.SECONDS);
            for (Future<RecordMetadata> f : sends) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        Set<String> seen = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> c = clients.consumer("outage-reader", null, false)) {
            TopicPartition tp = new TopicPartition(topics.rollouts(), 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long deadline = System.currentTimeMillis() + 30_000;
            while (seen.size() < 100 && System.currentTimeMillis() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(r -> seen.add(new String(r.value(), StandardCharsets.UTF_8)));
            }
        } finally {
            broker.close();
        }
        assertEquals(100, seen.size(), "every record sent before, during and after the outage arrived once");
    }

    @Test
    void aLongOutageFailsTheSendWithTheCauseWithinTheBound() throws Exception {
        Topics topics = new Topics("gone");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0, 1 << 20);
        KafkaClients clients = new KafkaClients(settings(broker.bootstrapServers(), 3_000));
        clients.ensureTopics(topics);
        try (KafkaProducer<byte[], byte[]> p = clients.producer("gone-test")) {
            p.send(new ProducerRecord<>(topics.rollouts(), bytes("a"))).get(30, TimeUnit.SECONDS);
            broker.close();
            long start = System.currentTimeMillis();
            Future<RecordMetadata> f = p.send(new ProducerRecord<>(topics.rollouts(), bytes("b")));
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
            long took = System.currentTimeMillis() - start;
            assertTrue(e.getCause() instanceof TimeoutException, "cause: " + e.getCause());
            assertTrue(e.getCause().getMessage().contains(topics.rollouts()), "names the topic: " + e.getCause().getMessage());
            assertTrue(took < 15_000, "failed within its bound, took " + took + " ms");
            // The wrapper used by the actors turns it into an exception that names the action.
            Future<RecordMetadata> g = p.send(new ProducerRecord<>(topics.rollouts(), bytes("c")));
            io.tributary.streams.port.StreamsException k = assertThrows(io.tributary.streams.port.StreamsException.class,
                    () -> FutureSupport.getOrThrow(g, "test send", 30_000));
            assertTrue(k.getMessage().startsWith("test send failed"), k.getMessage());
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
