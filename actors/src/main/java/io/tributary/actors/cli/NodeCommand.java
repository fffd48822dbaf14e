package io.tributary.actors.cli;

import io.tributary.actors.TributaryConfig;
import io.tributary.actors.cluster.ClusterNode;
import io.tributary.actors.cluster.NodeGuardian;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tributary node --roles rollout,reward,learner --seed-nodes h:p,... --kafka h:p --config <file>
 * --run-id <id> [--host h] [--port p] [--management-port p]}: one node of a training cluster.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "Run one node of a training cluster (Pekko Cluster): the roles it carries, against an external "
                + "Kafka; exits 0 when the run is complete, non-zero with a one-line reason otherwise.")
final class NodeCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "HOCON experiment file (the same on every node)")
    Path config;

    @Option(names = "--run-id", required = true, paramLabel = "ID", description = "Run id, the same on every node of the run")
    String runId;

    @Option(names = "--roles", split = ",", paramLabel = "ROLE", description = "rollout, reward, learner, monitor (default: all but monitor)")
    List<String> roles = new ArrayList<>();

    @Option(names = "--seed-nodes", split = ",", paramLabel = "HOST:PORT", description = "Seed nodes (the same list on every node)")
    List<String> seedNodes = new ArrayList<>();

    @Option(names = "--kafka", required = true, paramLabel = "HOST:PORT[,...]", description = "Kafka bootstrap servers")
    String kafka;

    @Option(names = "--host", paramLabel = "HOST", description = "Address this node binds and announces (default 127.0.0.1)")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "Artery port of this node (default 25520)")
    Integer port;

    @Option(names = "--management-port", paramLabel = "PORT", description = "Pekko Management HTTP port (default: none)")
    Integer managementPort;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() {
        List<String> o = new ArrayList<>(overrides);
        o.add("run.id=" + runId);
        o.add("kafka.bootstrap-servers=\"" + kafka + "\"");
        if (!roles.isEmpty()) {
            o.add("cluster.roles=" + quotedList(roles));
        }
        if (!seedNodes.isEmpty()) {
            o.add("cluster.seed-nodes=" + quotedList(seedNodes));
        }
        if (host != null) {
            o.add("cluster.host=\"" + host + "\"");
        }
        if (port != null) {
            o.add("cluster.port=" + port);
        }
        if (managementPort != null) {
            o.add("cluster.management-port=" + managementPort);
        }
        TributaryConfig c = TributaryConfig.load(config, o);
        NodeGuardian.Exit exit = ClusterNode.start(c, runId).await();
        if (exit.code() == 0) {
            System.err.println("[tributary] node done: " + exit.reason());
        } else {
            System.err.println("tributary: node failed: " + exit.reason());
        }
        return exit.code();
    }

    private static String quotedList(List<String> items) {
        List<String> q = new ArrayList<>();
        for (String s : items) {
            q.add("\"" + s.trim() + "\"");
        }
        return "[" + String.join(", ", q) + "]";
    }
}
