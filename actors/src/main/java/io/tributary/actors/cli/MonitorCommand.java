package io.tributary.actors.cli;

import io.tributary.actors.TributaryConfig;
import io.tributary.actors.dashboard.DashboardServer;
import io.tributary.actors.dashboard.DashboardSettings;
import io.tributary.actors.dashboard.MetricsHub;
import io.tributary.actors.dashboard.MonitorTable;
import io.tributary.actors.dashboard.RunFollower;
import io.tributary.config.SettingsException;
import io.tributary.streams.kafka.EmbeddedKafkaBroker;
import io.tributary.streams.kafka.KafkaClients;
import io.tributary.streams.kafka.KafkaRunStreams;
import io.tributary.streams.kafka.KafkaSettings;
import io.tributary.streams.kafka.Topics;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tributary monitor}: attaches to a running or finished run through its Kafka topics and shows
 * its figures as a live terminal table, and with {@code --dashboard} in the browser. A finished run
 * replays from its topics; {@code --run runs/<id>} opens a finished run's embedded broker data itself.
 */
@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = "Watch a run from its Kafka topics: a live terminal table, or the web dashboard with --dashboard. "
                + "Exits once a finished run is replayed (unless --dashboard or --follow).")
public final class MonitorCommand implements Callable<Integer> {
    @Option(names = "--kafka", paramLabel = "HOST:PORT", description = "Bootstrap servers of the run's Kafka")
    String kafka;

    @Option(names = "--run-id", paramLabel = "ID", description = "The run id (default: the --run folder's name)")
    String runId;

    @Option(names = {"--run", "--run-dir"}, paramLabel = "RUN_DIR",
            description = "A run folder (runs/<id>); without --kafka its embedded broker data is opened here "
                    + "(the run must have finished)")
    Path run;

    @Option(names = "--dashboard", description = "Also serve the web dashboard (tributary.actors.dashboard.{host,port})")
    boolean dashboard;

    @Option(names = "--follow", description = "Keep watching after the run finished")
    boolean follow;

    @Option(names = "--interval-ms", description = "Refresh interval of the table (default 2000)")
    long intervalMs = 2000;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable), e.g. "
            + "actors.dashboard.port=8080")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (kafka == null && run == null) {
            throw new SettingsException("monitor", "kafka=null, run=null", "give --kafka HOST:PORT with --run-id, or --run RUN_DIR");
        }
        if (intervalMs < 50) {
            throw new SettingsException("--interval-ms", intervalMs, "must be >= 50");
        }
        String id = runId != null ? runId : run.toAbsolutePath().normalize().getFileName().toString();
        Topics topics;
        try {
            topics = new Topics(id);
        } catch (IllegalArgumentException e) {
            throw new SettingsException("--run-id", id, e.getMessage());
        }
        TributaryConfig c = TributaryConfig.parse("", overrides);
        DashboardSettings ds = DashboardSettings.fromConfig(c.config());
        KafkaSettings ks = c.kafka();
        EmbeddedKafkaBroker broker = null;
        try {
            if (kafka != null) {
                ks = KafkaSettings.fromConfig(c.config().withValue("tributary.kafka.bootstrap-servers",
                        com.typesafe.config.ConfigValueFactory.fromAnyRef(kafka)));
            } else {
                Path data = run.resolve("kafka");
                if (!Files.isDirectory(data)) {
                    throw new SettingsException("--run", run, "must be a run folder with its embedded broker data in kafka/");
                }
                broker = EmbeddedKafkaBroker.start(data, 0, ks.maxMessageBytes());
                ks = ks.withBootstrapServers(broker.bootstrapServers());
            }
            return watch(c, ds, new KafkaClients(ks), topics, System.out);
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    private int watch(TributaryConfig c, DashboardSettings ds, KafkaClients clients, Topics topics, PrintStream out)
            throws InterruptedException {
        boolean tty = System.console() != null;
        MetricsHub hub = new MetricsHub(topics.runId(), ds.historyEvents());
        ActorSystem<Void> system = null;
        DashboardServer server = null;
        try (KafkaRunStreams streams = new KafkaRunStreams(clients, topics, "tributary-monitor-" + topics.runId());
             RunFollower follower = RunFollower.start(streams, hub)) {
            if (dashboard) {
                system = ActorSystem.create(Behaviors.empty(), "tributary-monitor", c.config());
                server = DashboardServer.start(system, hub, ds);
                System.err.println("[tributary] dashboard " + server.url());
            }
            System.err.println("[tributary] monitoring run " + topics.runId() + " on " + clients.settings().bootstrapServers());
            while (true) {
                Thread.sleep(intervalMs);
                MetricsHub.Figures f = hub.figures();
                // The run's last event arrived: once nothing more comes (or its Kafka went away, as an
                // embedded broker does when its run ends) the figures are final.
                boolean done = f.finished() && (follower.caughtUp() || follower.failure() != null) && !follow && !dashboard;
                if (follower.failure() != null && !done) {
                    out.print(MonitorTable.render(topics.runId(), f));
                    System.err.println("tributary: monitor failed: " + follower.failure());
                    return 1;
                }
                if (tty && !done) {
                    out.print("\033[H\033[2J");
                }
                if (tty || done || !f.finished()) {
                    out.print(MonitorTable.render(topics.runId(), f));
                    out.flush();
                }
                if (done) {
                    return 0;
                }
            }
        } finally {
            if (server != null) {
                server.close();
            }
            if (system != null) {
                system.terminate();
            }
        }
    }
}
