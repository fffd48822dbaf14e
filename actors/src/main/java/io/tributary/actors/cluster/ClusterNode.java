package io.tributary.actors.cluster;

import io.tributary.actors.RunContext;
import io.tributary.actors.TrainingRun;
import io.tributary.actors.TributaryConfig;
import io.tributary.actors.dashboard.Dashboard;
import io.tributary.actors.dashboard.DashboardSettings;
import io.tributary.config.SettingsException;
import io.tributary.streams.kafka.KafkaClients;
import io.tributary.streams.kafka.KafkaRunStreams;
import io.tributary.streams.kafka.Topics;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * One node of a training cluster in this JVM: the run's folder and topics (created if missing), the node's
 * streams, and a clustered actor system whose guardian is a {@link NodeGuardian}. The run id is given (every
 * node of a run names the same one) and Kafka must be external ({@code tributary.kafka.bootstrap-servers}):
 * nodes never start an embedded broker. The Kafka settings of {@code tributary.cluster.kafka} apply.
 */
public final class ClusterNode implements AutoCloseable {
    private final ActorSystem<NodeGuardian.Command> system;
    private final CompletableFuture<NodeGuardian.Exit> exit;
    private final KafkaRunStreams streams;
    private final RunContext ctx;
    /** The run's dashboard when this node carries the {@code monitor} role, else null. */
    private final Dashboard dashboard;

    private ClusterNode(ActorSystem<NodeGuardian.Command> system, CompletableFuture<NodeGuardian.Exit> exit,
                        KafkaRunStreams streams, RunContext ctx, Dashboard dashboard) {
        this.system = system;
        this.exit = exit;
        this.streams = streams;
        this.ctx = ctx;
        this.dashboard = dashboard;
    }

    /**
     * Starts a node of run {@code runId}; returns at once (tests start several in one JVM).
     *
     * @throws SettingsException when Kafka is not external, or the run id is empty
     */
    public static ClusterNode start(TributaryConfig userConfig, String runId) {
        if (runId == null || runId.isBlank() || !runId.matches("[A-Za-z0-9._-]+")) {
            throw new SettingsException("--run-id", runId, "must be a non-empty id of letters, digits, '.', '_' or '-'");
        }
        ClusterSettings cs = ClusterSettings.fromConfig(userConfig.config());
        TributaryConfig config = userConfig.with(cs.kafkaOverrides());
        if (config.kafka().embedded()) {
            throw new SettingsException("tributary.kafka.bootstrap-servers", "",
                    "a cluster node needs an external Kafka (--kafka host:port)");
        }
        Path runDir = TrainingRun.runDir(config, runId);
        Path checkpointDir = TrainingRun.checkpointDir(config, runDir, runId);
        String nodeConfig = "config.node-" + cs.host() + "-" + cs.port() + ".conf";
        TrainingRun.writeConfig(config, runDir, nodeConfig);
        // config.conf (what eval, dataset and monitor read from a run folder): every node's is the same run's,
        // so the last atomic replace wins and a reader never sees a half-written file.
        try {
            java.nio.file.Files.copy(runDir.resolve(nodeConfig), runDir.resolve(nodeConfig + ".tmp"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            java.nio.file.Files.move(runDir.resolve(nodeConfig + ".tmp"), runDir.resolve("config.conf"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write config.conf in " + runDir, e);
        }
        KafkaClients clients = new KafkaClients(config.kafka());
        Topics topics = new Topics(runId);
        clients.ensureTopics(topics);
        KafkaRunStreams streams = new KafkaRunStreams(clients, topics, "tributary-" + runId + "-" + cs.host() + "-" + cs.port());
        try {
            RunContext ctx = new RunContext(config, runId, runDir, checkpointDir, topics, streams,
                    RunContext.policySpecFor(config), false, System.currentTimeMillis());
            CompletableFuture<NodeGuardian.Exit> exit = new CompletableFuture<>();
            ActorSystem<NodeGuardian.Command> system = ActorSystem.create(NodeGuardian.create(ctx, streams, cs, exit),
                    ClusterSettings.SYSTEM_NAME, cs.actorSystemConfig(config.config()));
            // A node downed by the split brain resolver (or otherwise terminated) ends without the run's word.
            system.getWhenTerminated().thenRun(() -> exit.complete(new NodeGuardian.Exit(1,
                    "node " + cs.host() + ":" + cs.port() + " left the cluster before the run finished")));
            if (cs.managementPort() > 0) {
                startManagement(system, cs);
            }
            System.err.println("[tributary] run " + runId + " -> " + runDir + ", kafka " + config.kafka().bootstrapServers());
            // The monitor role serves the same dashboard as train --dashboard, fed from the run's topics, so it
            // shows the whole cluster's streams whichever nodes produce them (bound to 127.0.0.1 unless configured).
            Dashboard dashboard = null;
            if (cs.has("monitor")) {
                try {
                    dashboard = Dashboard.start(system, streams, runId, DashboardSettings.fromConfig(config.config()));
                } catch (RuntimeException e) {
                    system.terminate();
                    throw e;
                }
            }
            return new ClusterNode(system, exit, streams, ctx, dashboard);
        } catch (RuntimeException e) {
            streams.close();
            throw e;
        }
    }

    /** Serves Pekko Management (cluster membership as JSON at /cluster/members) on the node's host and management port. */
    private static void startManagement(ActorSystem<NodeGuardian.Command> system, ClusterSettings cs) {
        try {
            String uri = org.apache.pekko.management.javadsl.PekkoManagement.get(system.classicSystem()).start()
                    .toCompletableFuture().get(30, TimeUnit.SECONDS).toString();
            System.err.println("[tributary] node " + cs.host() + ":" + cs.port() + " management at " + uri + "/cluster/members");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            system.terminate();
            throw new IllegalStateException("interrupted while starting Pekko Management", e);
        } catch (ExecutionException | TimeoutException e) {
            system.terminate();
            throw new IllegalStateException("cannot start Pekko Management on " + cs.host() + ":" + cs.managementPort()
                    + ": " + e.getCause(), e);
        }
    }

    /** The node's actor system. */
    public ActorSystem<NodeGuardian.Command> system() {
        return system;
    }

    /** The run's context on this node. */
    public RunContext context() {
        return ctx;
    }

    /** Completes when the node is done: exit code 0 when the run finished. */
    public CompletableFuture<NodeGuardian.Exit> exit() {
        return exit;
    }

    /**
     * Waits until the node is done, bounded by the run's wall budget plus shutdown allowance, and stops it.
     *
     * @return the node's exit
     */
    public NodeGuardian.Exit await() {
        long bound = ctx.config().run().maxWallSeconds() * 1000L + 8L * ctx.config().actors().waitTimeoutMs();
        try {
            return exit.get(bound, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new NodeGuardian.Exit(1, "interrupted");
        } catch (ExecutionException e) {
            return new NodeGuardian.Exit(1, String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            return new NodeGuardian.Exit(1, "the run did not finish within its wall budget plus shutdown allowance ("
                    + bound + " ms)");
        } finally {
            close();
        }
    }

    /** The run's dashboard on this node, when it carries the {@code monitor} role. */
    public java.util.Optional<Dashboard> dashboard() {
        return java.util.Optional.ofNullable(dashboard);
    }

    /** Leaves the cluster (coordinated shutdown) and closes the node's dashboard and streams. */
    @Override
    public void close() {
        try {
            if (dashboard != null) {
                dashboard.close();
            }
            TrainingRun.terminate(system);
        } finally {
            streams.close();
        }
    }
}
