package io.tributary.actors.cli;

import io.tributary.actors.RunSummary;
import io.tributary.actors.local.LocalCluster;
import io.tributary.config.SettingsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tributary cluster ...}: training clusters; {@code cluster local} runs one on this machine. */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "Training clusters of separate node processes.",
        subcommands = ClusterCommand.Local.class)
public final class ClusterCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        CommandLine.usage(this, System.err);
        return Main.EXIT_BAD_CONFIG;
    }

    /** A run id for a launch that was given none: the launcher names it once and hands it to every node. */
    static String defaultRunId(Path config, String prefix) {
        String name = config.getFileName().toString().replaceFirst("\\.conf$", "").replaceAll("[^A-Za-z0-9._-]", "_");
        return name + "-" + prefix + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    }

    /** {@code tributary cluster local --nodes 3 --config <file> [--run-id <id>]}. */
    @Command(name = "local", mixinStandardHelpOptions = true,
            description = "Run a training cluster on this machine: a standalone broker and N node processes (separate "
                    + "JVMs, loopback only). Node 0 = learner,reward, node 1 = rollout,reward, node 2 = rollout,learner, "
                    + "nodes 3+ = rollout,reward (1-2 nodes carry every role). Ctrl-C stops them all.")
    static final class Local implements Callable<Integer> {
        @Option(names = "--nodes", description = "Number of node processes (default 3)")
        int nodes = 3;

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "HOCON experiment file")
        Path config;

        @Option(names = "--run-id", paramLabel = "ID", description = "Run id (default <config>-cluster-<timestamp>)")
        String runId;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable)")
        List<String> overrides = new ArrayList<>();

        @Option(names = "--kafka-port", description = "Broker port (default 0 = a free port)")
        int kafkaPort;

        @Option(names = "--base-port", description = "Artery port of node 0; node i gets base+i (default 0 = free ports)")
        int basePort;

        @Option(names = "--node-heap", description = "Heap of each node JVM (default 3g: four nodes share 24 GB)")
        String nodeHeap = "3g";

        @Override
        public Integer call() throws InterruptedException {
            if (nodes < 1 || nodes > 16) {
                throw new SettingsException("--nodes", nodes, "must be in [1, 16]");
            }
            if (!Files.isRegularFile(config)) {
                throw new SettingsException("--config", config, "must be an existing config file");
            }
            if (!nodeHeap.matches("[0-9]+[mMgG]")) {
                throw new SettingsException("--node-heap", nodeHeap, "must look like 3g or 512m");
            }
            String id = runId != null ? runId : defaultRunId(config, "cluster");
            if (!id.matches("[A-Za-z0-9._-]+")) {
                throw new SettingsException("--run-id", id, "must be letters, digits, '.', '_' or '-'");
            }
            try (LocalCluster cluster = LocalCluster.start(new LocalCluster.Spec(nodes, config, overrides, id, kafkaPort,
                    basePort, nodeHeap, System.err))) {
                System.err.println("[cluster] run " + id + " on " + cluster.bootstrapServers() + ": " + cluster.layout()
                        + "; logs in " + cluster.runDir().resolve("logs"));
                LocalCluster.Outcome out = cluster.awaitCompletion();
                RunSummary s = out.summary();
                System.err.printf("[cluster] done: eval_return_mean=%.1f, env_steps=%d, lost=%d, duplicated=%d, "
                                + "accounts_checked=%s, node exits=%s -> %s%n", s.evalReturnMean(), s.envSteps(), s.chunksLost(),
                        s.chunksDuplicated(), s.accountsChecked(), out.exitCodes(), out.runDir().resolve("summary.json"));
                return 0;
            }
        }
    }
}
