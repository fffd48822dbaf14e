package io.tributary.actors.local;

import io.tributary.actors.RunSummary;
import io.tributary.actors.TributaryConfig;
import io.tributary.report.JsonIo;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A training cluster on this machine: one standalone broker ({@code tributary kafka}) and N node processes
 * ({@code tributary node}), each a separate JVM bound to loopback. It knows which node carries which roles,
 * can kill a node with SIGKILL and kill-and-restart the broker (the chaos cases), waits for every node to
 * exit, and stops everything on failure and on Ctrl-C (a shutdown hook).
 *
 * <p>Role layout ({@link #rolesOf}): one node carries every role; two nodes both carry every role; with
 * three or more, node 0 = learner,reward, node 1 = rollout,reward, node 2 = rollout,learner, and nodes 3+ =
 * rollout,reward. So with three nodes a rollout node (1) can die and rollouts go on on node 2, and the
 * learner's node can die (0 or 2) and the singleton moves to the other learner-role node, while a reward
 * role and a rollout role always survive one lost node. Nodes 0 and 1 are the seed nodes.
 *
 * <p>Files: {@code <run folder>/<id>/cluster.conf} (the effective config every node reads, overrides and
 * run folder included), {@code logs/kafka.log}, {@code logs/node-<i>.log} (each also echoed with a
 * {@code [node-i]} prefix), the broker's data in {@code kafka/}, and what the nodes write
 * ({@code checkpoints/}, {@code summary.json}, the learner marker {@code learner-node}).
 */
public final class LocalCluster implements AutoCloseable {
    /** Roles a node may carry. */
    public static final String ROLLOUT = "rollout";
    /** Roles a node may carry. */
    public static final String REWARD = "reward";
    /** Roles a node may carry. */
    public static final String LEARNER = "learner";
    /** File the node hosting the learner singleton writes ({@code host:port} or {@code node-<i>}). */
    public static final String LEARNER_MARKER = "learner-node";

    /**
     * What to launch.
     *
     * @param nodes      number of node processes (1..16)
     * @param config     the experiment config file
     * @param overrides  config overrides ({@code key=value}) applied on top of it
     * @param runId      the run id (given, never derived from a node's clock)
     * @param kafkaPort  broker port, 0 = a free one
     * @param basePort   first node's artery port (node i gets basePort + i), 0 = free ports
     * @param nodeHeap   heap of each node JVM ({@code -Xmx}); 3g lets four nodes share a 24 GB machine
     * @param echo       where node and broker output is echoed with a prefix, or null
     */
    public record Spec(int nodes, Path config, List<String> overrides, String runId, int kafkaPort, int basePort,
                       String nodeHeap, PrintStream echo) {
        public Spec {
            if (nodes < 1 || nodes > 16) {
                throw new IllegalArgumentException("nodes must be in [1, 16]: nodes=" + nodes);
            }
            Objects.requireNonNull(config, "config");
            overrides = List.copyOf(overrides);
            if (runId == null || !runId.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("runId must be letters, digits, '.', '_' or '-': runId=" + runId);
            }
            if (kafkaPort < 0 || kafkaPort > 65535) {
                throw new IllegalArgumentException("kafkaPort must be in [0, 65535]: kafkaPort=" + kafkaPort);
            }
            if (basePort < 0 || basePort + nodes - 1 > 65535) {
                throw new IllegalArgumentException("basePort must leave room for every node: basePort=" + basePort
                        + ", nodes=" + nodes);
            }
        }
    }

    /** One node process and its layout. */
    public record Node(int index, Set<String> roles, int port, ChildProcess process) {
        /** {@code node-<index>}, the prefix of its output and the name of its log. */
        public String name() {
            return "node-" + index;
        }
    }

    /** The end of a cluster run: the run folder and the summary the learner's node wrote. */
    public record Outcome(String runId, Path runDir, RunSummary summary, List<Integer> exitCodes) {
        public Outcome {
            exitCodes = List.copyOf(exitCodes);
        }
    }

    private final Spec spec;
    private final Path runDir;
    private final Path clusterConfig;
    private final long maxWallSeconds;
    private final List<Node> nodes = new ArrayList<>();
    private final Set<Integer> killed = Collections.synchronizedSet(new HashSet<>());
    private final Thread hook;
    private BrokerProcess broker;
    private volatile boolean closed;

    private LocalCluster(Spec spec, Path runDir, Path clusterConfig, long maxWallSeconds) {
        this.spec = spec;
        this.runDir = runDir;
        this.clusterConfig = clusterConfig;
        this.maxWallSeconds = maxWallSeconds;
        this.hook = new Thread(this::closeQuietly, "local-cluster-shutdown");
    }

    /** Roles of node {@code index} in a cluster of {@code nodes} (see the class comment). */
    public static Set<String> rolesOf(int index, int nodes) {
        if (index < 0 || index >= nodes) {
            throw new IllegalArgumentException("index out of range: index=" + index + ", nodes=" + nodes);
        }
        if (nodes <= 2) {
            return Set.of(ROLLOUT, REWARD, LEARNER);
        }
        return switch (index) {
            case 0 -> Set.of(LEARNER, REWARD);
            case 1 -> Set.of(ROLLOUT, REWARD);
            case 2 -> Set.of(ROLLOUT, LEARNER);
            default -> Set.of(ROLLOUT, REWARD);
        };
    }

    /** The roles in the order the command line lists them (rollout, reward, learner). */
    static String rolesArg(Set<String> roles) {
        List<String> out = new ArrayList<>();
        for (String r : List.of(ROLLOUT, REWARD, LEARNER)) {
            if (roles.contains(r)) {
                out.add(r);
            }
        }
        return String.join(",", out);
    }

    /**
     * Writes the effective config, starts the broker and then every node, and returns at once (the nodes
     * train on their own). A failure to start stops what was started.
     */
    public static LocalCluster start(Spec spec) throws InterruptedException {
        TributaryConfig base = TributaryConfig.load(spec.config(), spec.overrides());
        Path runDir = Path.of(base.run().folder()).resolve(spec.runId()).toAbsolutePath();
        List<String> pinned = new ArrayList<>(spec.overrides());
        pinned.add("tributary.run.id=\"" + spec.runId() + "\"");
        pinned.add("tributary.run.folder=\"" + runDir.getParent() + "\"");
        TributaryConfig effective = TributaryConfig.load(spec.config(), pinned);
        Path clusterConfig = runDir.resolve("cluster.conf");
        try {
            Files.createDirectories(runDir.resolve("logs"));
            Files.writeString(clusterConfig, "# Written by tributary cluster local from " + spec.config().toAbsolutePath()
                    + " with overrides " + spec.overrides() + "\n" + effective.renderTributary(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the cluster config: path=" + clusterConfig, e);
        }
        LocalCluster c = new LocalCluster(spec, runDir, clusterConfig, effective.run().maxWallSeconds());
        Runtime.getRuntime().addShutdownHook(c.hook);
        try {
            c.launch(effective);
            return c;
        } catch (RuntimeException | InterruptedException e) {
            c.close();
            throw e;
        }
    }

    private void launch(TributaryConfig effective) throws InterruptedException {
        List<String> brokerSets = List.of("kafka.max-message-bytes=" + effective.kafka().maxMessageBytes());
        broker = BrokerProcess.start(spec.kafkaPort(), runDir.resolve("kafka"), runDir.resolve("logs").resolve("kafka.log"),
                spec.echo(), brokerSets);
        int n = spec.nodes();
        int[] ports = new int[n];
        for (int i = 0; i < n; i++) {
            ports[i] = spec.basePort() == 0 ? freePort() : spec.basePort() + i;
        }
        String seeds = n == 1 ? "127.0.0.1:" + ports[0] : "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1];
        for (int i = 0; i < n; i++) {
            Set<String> roles = rolesOf(i, n);
            List<String> args = List.of("node", "--roles", rolesArg(roles), "--seed-nodes", seeds,
                    "--kafka", broker.bootstrapServers(), "--config", clusterConfig.toString(), "--run-id", spec.runId(),
                    "--host", "127.0.0.1", "--port", String.valueOf(ports[i]));
            ChildProcess p = ChildProcess.start("node-" + i, ChildJvm.command(spec.nodeHeap(), args),
                    runDir.resolve("logs").resolve("node-" + i + ".log"), spec.echo());
            nodes.add(new Node(i, roles, ports[i], p));
            say("started node-" + i + " roles=" + rolesArg(roles) + " port=" + ports[i] + " pid=" + p.pid());
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free loopback port", e);
        }
    }

    private void say(String line) {
        if (spec.echo() != null) {
            spec.echo().println("[cluster] " + line);
        }
    }

    /** The run folder ({@code <run folder>/<id>}). */
    public Path runDir() {
        return runDir;
    }

    /** The broker's bootstrap address. */
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** The nodes in index order. */
    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /** The broker process. */
    public BrokerProcess broker() {
        return broker;
    }

    /** Nodes still running. */
    public List<Node> liveNodes() {
        return nodes.stream().filter(n -> n.process().isAlive()).toList();
    }

    /** SIGKILL node {@code index} (its exit then does not fail the cluster); returns its exit code. */
    public int killNode(int index) throws InterruptedException {
        Node n = nodes.get(index);
        killed.add(index);
        say("kill -9 " + n.name() + " (pid " + n.process().pid() + ", roles " + rolesArg(n.roles()) + ")");
        return n.process().kill();
    }

    /** SIGKILL the broker and start it again on the same port and data folder. */
    public void restartBroker() throws InterruptedException {
        say("kill -9 kafka broker and restart it on " + broker.bootstrapServers());
        broker.killAndRestart();
        say("kafka broker back on " + broker.bootstrapServers());
    }

    /**
     * The node hosting the learner singleton: from the marker file {@code <run>/learner-node} when the
     * singleton writes one ({@code host:port} of its node or {@code node-<i>}), otherwise the one live
     * learner-role node whose own output has the coordinator's start line ("coordinator of run ID starts
     * here"). Empty while neither names exactly one live learner-role node.
     */
    public Optional<Node> learnerNode() {
        Path marker = runDir.resolve(LEARNER_MARKER);
        if (Files.exists(marker)) {
            String text;
            try {
                text = Files.readString(marker, StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the learner marker: path=" + marker, e);
            }
            return nodeNamed(text).filter(n -> n.process().isAlive() && n.roles().contains(LEARNER));
        }
        java.util.regex.Pattern started = java.util.regex.Pattern.compile(
                "coordinator of run " + java.util.regex.Pattern.quote(spec.runId()) + " starts here");
        List<Node> hosts = liveNodes().stream().filter(n -> n.roles().contains(LEARNER))
                .filter(n -> n.process().printed(started)).toList();
        return hosts.size() == 1 ? Optional.of(hosts.get(0)) : Optional.empty();
    }

    /**
     * True once every node has reported the whole cluster as members (the node's status line
     * {@code "| members N |"}). A fault injected before that can hit the first seed node while the others
     * are still joining, and they can then never form a cluster (only the first seed node may start one).
     */
    public boolean allMembersUp() {
        java.util.regex.Pattern full = java.util.regex.Pattern.compile("\\| members " + nodes.size() + " \\|");
        return nodes.stream().allMatch(n -> n.process().printed(full));
    }

    /** The node a marker names: {@code node-<i>}, {@code <i>}, or an address ending in its port. */
    Optional<Node> nodeNamed(String text) {
        String t = text.trim();
        for (Node n : nodes) {
            if (t.equals(n.name()) || t.equals(String.valueOf(n.index())) || t.endsWith(":" + n.port())
                    || t.contains("@127.0.0.1:" + n.port())) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    /**
     * Waits until every node has exited. A node that exits non-zero without having been killed by this
     * cluster fails the run at once: everything is stopped and the error carries its log's tail. Returns
     * the summary the learner's node wrote.
     */
    public Outcome awaitCompletion() throws InterruptedException {
        long deadline = System.currentTimeMillis() + (maxWallSeconds + 600) * 1000L;
        while (true) {
            boolean anyAlive = false;
            for (Node n : nodes) {
                if (n.process().isAlive()) {
                    anyAlive = true;
                } else if (!killed.contains(n.index()) && n.process().exitValue() != 0) {
                    close();
                    throw new IllegalStateException("cluster node failed: node=" + n.name() + ", roles=" + rolesArg(n.roles())
                            + ", exit=" + n.process().exitValue() + ", log=" + n.process().log() + "\n" + n.process().tail()
                            + otherTails(n));
                }
            }
            if (!anyAlive) {
                break;
            }
            if (System.currentTimeMillis() > deadline) {
                close();
                throw new IllegalStateException("cluster run did not finish in time: runId=" + spec.runId() + ", limitSeconds="
                        + (maxWallSeconds + 600));
            }
            Thread.sleep(200);
        }
        List<Integer> codes = new ArrayList<>();
        for (Node n : nodes) {
            codes.add(n.process().waitFor());
        }
        Path summary = runDir.resolve("summary.json");
        if (!Files.exists(summary)) {
            close();
            throw new IllegalStateException("cluster run ended without a summary: runId=" + spec.runId() + ", exits=" + codes
                    + ", expected=" + summary);
        }
        try {
            RunSummary s = JsonIo.read(Files.readString(summary, StandardCharsets.UTF_8), RunSummary.class);
            return new Outcome(spec.runId(), runDir, s, codes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + summary, e);
        }
    }

    /** Stops every node (SIGTERM, SIGKILL after 10 s) and then the broker; safe to call more than once. */
    @Override
    public synchronized void close() throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        for (Node n : nodes) {
            if (n.process().isAlive()) {
                n.process().stop(10_000);
            }
        }
        if (broker != null) {
            broker.close();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Called from the hook itself (Ctrl-C): nothing to remove.
        }
    }

    private void closeQuietly() {
        try {
            say("stopping the local cluster");
            close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Names of the roles of every node, for messages: {@code node-0=learner,reward; ...}. */
    public String layout() {
        Set<String> parts = new LinkedHashSet<>();
        for (Node n : nodes) {
            parts.add(n.name() + "=" + rolesArg(n.roles()));
        }
        return String.join("; ", parts);
    }

    /**
     * The last lines of every other node's output, for a failure message: a node usually fails because of what
     * another one did (a rollout node that waited too long for a policy shows nothing of the learner's stall),
     * and the log folder may be a temporary one that is gone by the time anyone reads the report.
     */
    private String otherTails(Node failed) {
        StringBuilder b = new StringBuilder();
        for (Node other : nodes) {
            if (other != failed) {
                b.append("\n--- last output of ").append(other.name()).append(" (roles ").append(rolesArg(other.roles()))
                        .append(", log ").append(other.process().log()).append(") ---\n").append(other.process().tail());
            }
        }
        return b.toString();
    }
}
