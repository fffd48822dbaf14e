package io.tributary.actors.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.actors.TributaryConfig;
import io.tributary.actors.local.BrokerProcess;
import io.tributary.streams.kafka.KafkaClients;
import io.tributary.streams.kafka.KafkaSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Smoke test of {@code tributary kafka} as its own process: it prints its bootstrap address, serves
 * clients, stops cleanly on SIGTERM, and a restart on the same port and data folder (after SIGTERM and
 * after SIGKILL) still has every record written before.
 */
class KafkaCommandTest {
    @TempDir
    Path dir;

    @Test
    void standaloneBrokerKeepsItsDataAcrossCleanAndKilledRestarts() throws Exception {
        int port = freePort();
        Path log = dir.resolve("kafka.log");
        try (BrokerProcess broker = BrokerProcess.start(port, dir.resolve("data"), log, null, List.of())) {
            assertEquals("127.0.0.1:" + port, broker.bootstrapServers());
            KafkaClients clients = clients(broker.bootstrapServers());
            try (Admin admin = clients.admin()) {
                admin.createTopics(List.of(new NewTopic("smoke", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            produce(clients, "a");

            assertEquals(143, broker.stop(), "SIGTERM exit code");
            String text = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(text.contains("kafka broker stopped: data="), text);

            broker.restart();
            assertEquals(List.of("a"), readAll(clients, 1));
            produce(clients, "b");

            assertEquals(137, broker.kill(), "SIGKILL exit code");
            broker.restart();
            assertEquals(List.of("a", "b"), readAll(clients, 2));
        }
    }

    @Test
    void badArgumentsStopWithExitCode2() {
        assertEquals(Main.EXIT_BAD_CONFIG, Main.execute("kafka", "--data", dir.toString(), "--port", "70000"));
        assertEquals(Main.EXIT_BAD_CONFIG, Main.execute("kafka", "--data", dir.toString(), "--host", "a:b"));
        assertEquals(Main.EXIT_BAD_CONFIG, Main.execute("kafka", "--port", "9092"));
    }

    private static KafkaClients clients(String bootstrap) {
        KafkaSettings ks = TributaryConfig.parse("", List.of()).kafka().withBootstrapServers(bootstrap);
        return new KafkaClients(ks);
    }

    private static void produce(KafkaClients clients, String value) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = clients.producer("smoke-producer")) {
            p.send(new ProducerRecord<>("smoke", value.getBytes(StandardCharsets.UTF_8))).get(60, TimeUnit.SECONDS);
        }
    }

    private static List<String> readAll(KafkaClients clients, int expected) {
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = clients.consumer("smoke-reader", null, true, Map.of())) {
            TopicPartition tp = new TopicPartition("smoke", 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long deadline = System.currentTimeMillis() + 60_000;
            while (out.size() < expected && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(new String(r.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
