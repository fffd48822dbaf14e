package io.tributary.streams.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka broker in KRaft mode (combined broker + controller) running inside this JVM.
 * It is the default when no external bootstrap servers are configured: storage is formatted under the
 * given folder on first start and reused afterwards, so a run's topics survive a restart of the process
 * (which is what resume relies on). Kafka's own test kit is not used (its 4.4.0 test jar is missing).
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;

    private final Path dataDir;
    private final String host;
    private final int port;
    private final KafkaRaftServer server;
    private volatile boolean closed;

    private EmbeddedKafkaBroker(Path dataDir, String host, int port, KafkaRaftServer server) {
        this.dataDir = dataDir;
        this.host = host;
        this.port = port;
        this.server = server;
    }

    /**
     * Formats {@code dataDir} if needed and starts the broker on a free loopback port (or {@code port}
     * when it is not 0). Returns once the broker accepts requests.
     *
     * @param maxMessageBytes largest record the broker accepts (policy snapshots can be tens of MB)
     */
    public static EmbeddedKafkaBroker start(Path dataDir, int port, int maxMessageBytes) {
        return start(dataDir, "127.0.0.1", port, maxMessageBytes);
    }

    /**
     * As {@link #start(Path, int, int)}, with the client listener bound to and advertised as {@code host}
     * (the standalone {@code tributary kafka} broker serves other machines this way); the controller
     * listener stays on loopback because this single node is its only voter.
     */
    public static EmbeddedKafkaBroker start(Path dataDir, String host, int port, int maxMessageBytes) {
        if (host == null || host.isBlank() || host.contains(",") || host.contains(":")) {
            throw new IllegalArgumentException("host must be a host name or IPv4 address: host=" + host);
        }
        try {
            Files.createDirectories(dataDir);
            int brokerPort = port == 0 ? freePort() : port;
            int controllerPort = freePort();
            // The OS may hand out a just-closed port again: two listeners on one port make the broker refuse to start.
            while (controllerPort == brokerPort) {
                controllerPort = freePort();
            }
            Path logDir = dataDir.resolve("kraft-combined-logs").toAbsolutePath();
            Properties p = new Properties();
            p.put("process.roles", "broker,controller");
            p.put("node.id", String.valueOf(NODE_ID));
            p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
            p.put("listeners", "PLAINTEXT://" + host + ":" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
            p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + brokerPort);
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.put("controller.listener.names", "CONTROLLER");
            p.put("inter.broker.listener.name", "PLAINTEXT");
            p.put("log.dirs", logDir.toString());
            // A single node cannot hold more than one replica of anything.
            p.put("offsets.topic.replication.factor", "1");
            p.put("offsets.topic.num.partitions", "4");
            p.put("transaction.state.log.replication.factor", "1");
            p.put("transaction.state.log.min.isr", "1");
            p.put("transaction.state.log.num.partitions", "4");
            p.put("share.coordinator.state.topic.replication.factor", "1");
            p.put("share.coordinator.state.topic.min.isr", "1");
            p.put("default.replication.factor", "1");
            p.put("min.insync.replicas", "1");
            p.put("num.partitions", "1");
            // Consumers join at once instead of waiting 3 s for more members.
            p.put("group.initial.rebalance.delay.ms", "0");
            p.put("message.max.bytes", String.valueOf(maxMessageBytes));
            p.put("replica.fetch.max.bytes", String.valueOf(maxMessageBytes));
            p.put("socket.request.max.bytes", String.valueOf(Math.max(104857600, maxMessageBytes + 1048576)));
            p.put("auto.create.topics.enable", "false");
            p.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
            p.put("num.network.threads", "2");
            p.put("num.io.threads", "2");
            p.put("num.recovery.threads.per.data.dir", "1");
            p.put("log.cleaner.enable", "true");
            p.put("log.cleaner.threads", "1");
            p.put("background.threads", "2");
            KafkaConfig config = KafkaConfig.fromProps(p, false);
            format(logDir, config);
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, host, brokerPort, server);
            LOG.info("embedded Kafka broker started: bootstrap={}, data={}", broker.bootstrapServers(), dataDir);
            return broker;
        } catch (IOException e) {
            throw new KafkaStartException("cannot start embedded Kafka broker: dataDir=" + dataDir + ", cause=" + e, e);
        } catch (RuntimeException e) {
            throw new KafkaStartException("cannot start embedded Kafka broker: dataDir=" + dataDir + ", cause=" + e, e);
        }
    }

    private static void format(Path logDir, KafkaConfig config) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(ps)
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setIgnoreFormatted(true)
                    .run();
        } catch (Exception e) {
            throw new KafkaStartException("cannot format KRaft storage: dir=" + logDir + ", output="
                    + out.toString(StandardCharsets.UTF_8).trim() + ", cause=" + e, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /** The {@code bootstrap.servers} string for clients of this broker. */
    public String bootstrapServers() {
        return host + ":" + port;
    }

    /** Folder holding the broker's storage. */
    public Path dataDir() {
        return dataDir;
    }

    /** Stops the broker and waits for it; safe to call more than once. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.shutdown();
            server.awaitShutdown();
            LOG.info("embedded Kafka broker stopped: data={}", dataDir);
        } catch (RuntimeException e) {
            LOG.warn("embedded Kafka broker did not shut down cleanly: data={}, cause={}", dataDir, e.toString());
        }
    }
}
