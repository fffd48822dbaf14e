package io.tributary.actors.cli;

import io.tributary.actors.TributaryConfig;
import io.tributary.config.SettingsException;
import io.tributary.streams.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tributary kafka --port 9092 --data <dir>}: a standalone single-node KRaft broker as its own
 * process, for trying a cluster on one machine (any external Kafka cluster works in its place). Its
 * storage is formatted under {@code --data} on first start and reused afterwards, so a broker restarted
 * on the same folder keeps every topic. It prints one line with {@code bootstrap=HOST:PORT} once it
 * accepts clients and stops cleanly on SIGTERM or Ctrl-C (a shutdown hook closes the broker, which
 * flushes and closes its logs).
 */
@Command(name = "kafka", mixinStandardHelpOptions = true,
        description = "Run a standalone single-node KRaft Kafka broker in this process until SIGTERM/Ctrl-C; "
                + "restarting it on the same --data folder keeps its topics.")
public final class KafkaCommand implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "PORT", description = "Client port (default 9092; 0 = any free port)")
    int port = 9092;

    @Option(names = "--data", paramLabel = "DIR", required = true, description = "Storage folder (created and formatted "
            + "on first start, reused afterwards)")
    Path data;

    @Option(names = "--host", paramLabel = "HOST", description = "Address the client listener binds and advertises "
            + "(default 127.0.0.1; give this machine's address to serve other machines)")
    String host = "127.0.0.1";

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable), e.g. "
            + "kafka.max-message-bytes=134217728")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new SettingsException("--port", port, "must be in [0, 65535]");
        }
        if (host.isBlank() || host.contains(",") || host.contains(":")) {
            throw new SettingsException("--host", host, "must be a host name or IPv4 address");
        }
        int maxMessageBytes = TributaryConfig.parse("", overrides).kafka().maxMessageBytes();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(data.toAbsolutePath(), host, port, maxMessageBytes);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            System.err.println("[tributary] kafka broker stopping: data=" + broker.dataDir());
            broker.close();
            System.err.println("[tributary] kafka broker stopped: data=" + broker.dataDir());
            stopped.countDown();
        }, "tributary-kafka-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        System.out.println("[tributary] kafka broker ready: bootstrap=" + broker.bootstrapServers() + " data="
                + broker.dataDir() + " (SIGTERM or Ctrl-C stops it)");
        System.out.flush();
        // Runs until the process is signalled; the hook closes the broker and the JVM exits after it.
        stopped.await();
        return 0;
    }
}
