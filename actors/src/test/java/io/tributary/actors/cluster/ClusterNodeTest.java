package io.tributary.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.actors.RolloutWorker;
import io.tributary.actors.RunSummary;
import io.tributary.actors.TributaryConfig;
import io.tributary.report.JsonIo;
import io.tributary.streams.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three cluster nodes (three actor systems on loopback with their own artery ports, in this JVM) against an
 * embedded broker: roles are placed as asked, the learner singleton runs on one node, the run finishes on
 * every node with every chunk accounted for; and when the node hosting the singleton is downed mid-run the
 * singleton restarts on another node from the checkpoint and the run completes with nothing lost or trained twice.
 */
class ClusterNodeTest {
    @TempDir
    Path dir;

    private EmbeddedKafkaBroker broker;
    private final List<ClusterNode> nodes = new ArrayList<>();

    @BeforeEach
    void startBroker() {
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, 67108864);
    }

    @AfterEach
    void stopAll() {
        // In parallel: nodes that all leave at once each wait for the others' exits, so one by one adds up.
        nodes.parallelStream().forEach(ClusterNode::close);
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void rolesArePlacedAsAskedAndTheRunFinishesOnEveryNode() throws Exception {
        int[] ports = freePorts(3);
        List<String> seeds = List.of("127.0.0.1:" + ports[0], "127.0.0.1:" + ports[1], "127.0.0.1:" + ports[2]);
        int management = freePorts(1)[0];
        // A budget that outlasts the placement checks below even on a quiet machine (the pools stop at the end).
        ClusterNode a = start("run-a", ports[0], seeds, "learner,monitor", 32768, "tributary.cluster.management-port=" + management);
        awaitUp(a, 1);
        ClusterNode b = start("run-a", ports[1], seeds, "rollout,reward", 32768);
        ClusterNode c = start("run-a", ports[2], seeds, "rollout,reward", 32768);
        awaitUp(a, 3);

        // Workers only on the rollout nodes, two each; the learner singleton on the learner node only.
        Set<Address> workerNodes = new HashSet<>();
        long deadline = System.currentTimeMillis() + 30_000;
        Set<ActorRef<RolloutWorker.Command>> workers = Set.of();
        while (workers.size() < 4 && System.currentTimeMillis() < deadline) {
            workers = findWorkers(a, "run-a");
            Thread.sleep(100);
        }
        assertEquals(4, workers.size(), "workers cluster-wide");
        for (ActorRef<RolloutWorker.Command> w : workers) {
            workerNodes.add(w.path().address());
        }
        assertEquals(Set.of(address(b), address(c)), workerNodes, "workers run on the rollout nodes only");
        assertTrue(resolves(a, "/system/singletonManagercoordinator/coordinator"), "coordinator on the learner node");
        assertTrue(!resolves(b, "/system/singletonManagercoordinator/coordinator")
                && !resolves(c, "/system/singletonManagercoordinator/coordinator"), "the coordinator runs once");
        // One scorer slot on each reward node (scorers = 2): slot s on the (s mod 2)-th reward node by address.
        NodeGuardian.Status slotsB = awaitStatus(b, st -> st.scorerSlots().size() == 1);
        NodeGuardian.Status slotsC = awaitStatus(c, st -> st.scorerSlots().size() == 1);
        assertEquals(Set.of(0, 1), Set.of(slotsB.scorerSlots().get(0), slotsC.scorerSlots().get(0)), "slots " + slotsB + " " + slotsC);
        // Each rollout node divides the learner's quota by the four workers the Receptionist lists cluster-wide.
        // Peak divisor and workers started, not the live figures: on a loaded machine the run can end (workers
        // stopped, slots drained) before these questions are answered.
        NodeGuardian.Status sb = awaitStatus(b, st -> st.peakWorkersClusterWide() == 4);
        NodeGuardian.Status sc = awaitStatus(c, st -> st.peakWorkersClusterWide() == 4);
        assertEquals(4, sb.peakWorkersClusterWide(), "quota divisor on b: " + sb);
        assertEquals(4, sc.peakWorkersClusterWide(), "quota divisor on c: " + sc);
        assertEquals(2, sb.workersStarted(), "workers started on b: " + sb);
        assertEquals(2, sc.workersStarted(), "workers started on c: " + sc);
        NodeGuardian.Status sa = awaitStatus(a, st -> true);
        assertEquals(List.of(), sa.scorerSlots(), "no scorer on the learner-only node");
        assertEquals(0, sa.workersStarted(), "no worker on the learner-only node");
        // The management endpoint lists the members with their roles.
        java.net.http.HttpResponse<String> members = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + management + "/cluster/members")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, members.statusCode());
        for (int p : ports) {
            assertTrue(members.body().contains("127.0.0.1:" + p), "member " + p + " in " + members.body());
        }
        assertTrue(members.body().contains("rollout") && members.body().contains("learner"), members.body());
        // The monitor role serves the run's dashboard on loopback; its Prometheus counters grow while the cluster trains.
        assertTrue(b.dashboard().isEmpty() && c.dashboard().isEmpty(), "no dashboard without the monitor role");
        io.tributary.actors.dashboard.Dashboard dash = a.dashboard().orElseThrow(() -> new AssertionError("monitor role: no dashboard"));
        assertEquals("127.0.0.1", dash.address().getAddress().getHostAddress(), "dashboard bound to loopback");
        // Counting from the run's topics, so it does not depend on where the learner runs (no second-read growth
        // check: a fast run can end between two reads).
        assertTrue(awaitCounter(dash, 0.0) > 0, "tributary_env_steps_trained_total counts the cluster's training on /metrics");

        for (ClusterNode n : List.of(a, b, c)) {
            NodeGuardian.Exit e = n.exit().get(120, TimeUnit.SECONDS);
            assertEquals(0, e.code(), "node exit: " + e);
        }
        RunSummary s = summary("run-a");
        assertTrue(s.envSteps() >= 32768, "budget spent: " + s.envSteps());
        assertAccounted(s);
        assertEquals(s.updates(), s.policyVersion(), "one learner, never restored: a version per update");
        // The dashboard's pool health is per node: episode events name the rollout node they came from.
        Set<String> episodeNodes = new HashSet<>();
        for (String json : dash.hub().subscribe(j -> true).backlog()) {
            com.fasterxml.jackson.databind.JsonNode e = JsonIo.parseObject(json);
            if ("episode_return".equals(e.path("name").asText())) {
                episodeNodes.add(e.path("tags").path("node").asText());
            }
        }
        assertEquals(Set.of("127.0.0.1:" + ports[1], "127.0.0.1:" + ports[2]), episodeNodes, "episode events per rollout node");
    }

    @Test
    void theSingletonRestartsFromTheCheckpointWhenItsNodeIsDowned() throws Exception {
        int[] ports = freePorts(3);
        List<String> seeds = List.of("127.0.0.1:" + ports[0], "127.0.0.1:" + ports[1], "127.0.0.1:" + ports[2]);
        // Three times the other tests' budget: with 32k steps a quiet machine once finished the run (summary written by
        // the first learner, version == updates) between the mid-run check and the Down landing.
        long budget = 98304;
        ClusterNode a = start("run-b", ports[0], seeds, "learner,reward", budget);
        awaitUp(a, 1);
        ClusterNode b = start("run-b", ports[1], seeds, "learner,rollout,reward", budget);
        ClusterNode c = start("run-b", ports[2], seeds, "rollout,reward", budget);
        Path checkpoints = dir.resolve("runs").resolve("run-b").resolve("checkpoints");
        long deadline = System.currentTimeMillis() + 90_000;
        while (checkpointCount(checkpoints) < 1 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(checkpointCount(checkpoints) >= 1, "the first learner wrote a checkpoint");
        assertTrue(resolves(a, "/system/singletonManagercoordinator/coordinator"), "the coordinator starts on the oldest learner node");

        // As the split brain resolver would: down the singleton's node (from a node that sees every member Up).
        // It shuts down; b, the other learner node, takes the singleton over.
        awaitUp(b, 3);
        assertTrue(Files.notExists(dir.resolve("runs").resolve("run-b").resolve("summary.json")), "downed mid-run");
        Cluster.get(b.system()).manager().tell(new Down(address(a)));
        NodeGuardian.Exit downed = a.exit().get(60, TimeUnit.SECONDS);
        assertEquals(1, downed.code(), "the downed node exits non-zero: " + downed);

        for (ClusterNode n : List.of(b, c)) {
            NodeGuardian.Exit e = n.exit().get(150, TimeUnit.SECONDS);
            assertEquals(0, e.code(), "node exit: " + e);
        }
        RunSummary s = summary("run-b");
        assertTrue(s.envSteps() >= budget, "budget spent: " + s.envSteps());
        assertAccounted(s);
        // A restored learner republishes its checkpoint's policy under a fresh version: versions run ahead of updates.
        assertTrue(s.policyVersion() > s.updates(), "the learner was restored from a checkpoint: version "
                + s.policyVersion() + ", updates " + s.updates());
    }

    @Test
    void aCoordinatorThatDiesFailsTheRunOnEveryNodeWithItsCause() throws Exception {
        int[] ports = freePorts(2);
        List<String> seeds = List.of("127.0.0.1:" + ports[0], "127.0.0.1:" + ports[1]);
        // A checkpoint pointer to a checkpoint that is not there: the coordinator cannot tell whether to restore.
        Path checkpoints = dir.resolve("runs").resolve("run-c").resolve("checkpoints");
        Files.createDirectories(checkpoints);
        Files.writeString(checkpoints.resolve("LATEST"), "ckpt-000000000042");
        ClusterNode a = start("run-c", ports[0], seeds, "learner,reward", 4096);
        awaitUp(a, 1);
        ClusterNode b = start("run-c", ports[1], seeds, "rollout,reward", 4096);
        for (ClusterNode n : List.of(a, b)) {
            NodeGuardian.Exit e = n.exit().get(60, TimeUnit.SECONDS);
            assertEquals(1, e.code(), "node exit: " + e);
            assertTrue(e.reason().contains("coordinator died") && e.reason().contains("unreadable"), e.reason());
        }
    }

    private static void assertAccounted(RunSummary s) {
        assertEquals(0L, s.chunksLost(), "lost");
        assertEquals(0L, s.chunksDuplicated(), "duplicated");
        assertTrue(s.accountsChecked(), "accounts checked: " + s.accountsMismatch());
        assertEquals(s.chunksProduced(), s.chunksTrained() + s.chunksDroppedStale() + s.chunksRejected()
                + s.chunksDeadLettered() + s.chunksUnusedAtEnd(), "produced = trained + dropped + rejected + dead + unused");
        assertTrue(s.chunksTrained() > 0, "trained");
    }

    private RunSummary summary(String runId) throws IOException {
        Path p = dir.resolve("runs").resolve(runId).resolve("summary.json");
        assertTrue(Files.exists(p), "summary.json written");
        assertTrue(Files.exists(p.resolveSibling("learning-curve.svg")), "learning curve written");
        return JsonIo.mapper().readValue(p.toFile(), RunSummary.class);
    }

    private ClusterNode start(String runId, int port, List<String> seeds, String roles, long steps, String... extra) {
        List<String> o = new ArrayList<>(List.of(
                "tributary.run.folder=\"" + dir.resolve("runs") + "\"",
                "tributary.run.max-env-steps=" + steps,
                "tributary.run.eval-episodes=3",
                "tributary.run.checkpoint-every-updates=2",
                "tributary.actors.wait-timeout-ms=60000",
                "tributary.actors.scorers=2",
                "tributary.learner.ppo.batch-steps=256",
                "tributary.learner.ppo.epochs=2",
                "tributary.learner.ppo.minibatch-size=128",
                "tributary.kafka.partitions=2",
                "tributary.kafka.bootstrap-servers=\"" + broker.bootstrapServers() + "\"",
                "tributary.cluster.port=" + port,
                "tributary.cluster.seed-nodes=[" + String.join(",", seeds.stream().map(x -> "\"" + x + "\"").toList()) + "]",
                "tributary.cluster.roles=[" + String.join(",", Stream.of(roles.split(",")).map(x -> "\"" + x + "\"").toList()) + "]",
                "tributary.cluster.exit-grace-ms=300",
                // Three nodes share this JVM (and its pauses) on a loaded machine: no false unreachability.
                "pekko.cluster.failure-detector.acceptable-heartbeat-pause=10s"));
        o.addAll(List.of(extra));
        TributaryConfig c = TributaryConfig.load(Path.of("..", "configs", "cartpole-ppo.conf"), o);
        ClusterNode n = ClusterNode.start(c, runId);
        nodes.add(n);
        return n;
    }

    private static void awaitUp(ClusterNode n, int members) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            int up = 0;
            for (org.apache.pekko.cluster.Member m : Cluster.get(n.system()).state().getMembers()) {
                if (m.status() == MemberStatus.up()) {
                    up++;
                }
            }
            if (up >= members) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("cluster did not reach " + members + " up members");
    }

    private static Set<ActorRef<RolloutWorker.Command>> findWorkers(ClusterNode n, String runId) throws Exception {
        CompletionStage<Receptionist.Listing> l = AskPattern.ask(n.system().receptionist(),
                r -> Receptionist.find(NodeGuardian.workersKey(runId), r), Duration.ofSeconds(5), n.system().scheduler());
        return l.toCompletableFuture().get(10, TimeUnit.SECONDS).getServiceInstances(NodeGuardian.workersKey(runId));
    }

    private static boolean resolves(ClusterNode n, String path) {
        try {
            n.system().classicSystem().actorSelection(path).resolveOne(Duration.ofSeconds(2)).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** The node's status once {@code ok} holds (or the last one after 20 s), asked from another node's system. */
    private NodeGuardian.Status awaitStatus(ClusterNode n, java.util.function.Predicate<NodeGuardian.Status> ok)
            throws Exception {
        ClusterNode asker = nodes.get(0) == n ? nodes.get(1) : nodes.get(0);
        long deadline = System.currentTimeMillis() + 20_000;
        NodeGuardian.Status st;
        do {
            // The remote guardian's ref, resolved by path: the question and the answer cross nodes (Jackson).
            ActorRef<NodeGuardian.Command> guardian = org.apache.pekko.actor.typed.ActorRefResolver.get(asker.system())
                    .resolveActorRef(org.apache.pekko.actor.typed.ActorRefResolver.get(n.system()).toSerializationFormat(n.system()));
            CompletionStage<NodeGuardian.Status> reply = AskPattern.ask(guardian, NodeGuardian.GetStatus::new,
                    Duration.ofSeconds(5), asker.system().scheduler());
            st = reply.toCompletableFuture().get(10, TimeUnit.SECONDS);
            if (ok.test(st)) {
                return st;
            }
            Thread.sleep(100);
        } while (System.currentTimeMillis() < deadline);
        return st;
    }

    /** The monitor node's {@code tributary_env_steps_trained_total} once it exceeds {@code above} (or the last value after 60 s). */
    private static double awaitCounter(io.tributary.actors.dashboard.Dashboard dash, double above) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + 60_000;
        double v = -1;
        do {
            String body = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(dash.url() + "metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            for (String line : body.split("\n")) {
                if (line.startsWith("tributary_env_steps_trained_total")) {
                    v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            if (v > above) {
                return v;
            }
            Thread.sleep(200);
        } while (System.currentTimeMillis() < deadline);
        return v;
    }

    private static Address address(ClusterNode n) {
        return Cluster.get(n.system()).selfMember().address();
    }

    private static long checkpointCount(Path checkpoints) throws IOException {
        if (!Files.isDirectory(checkpoints)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(checkpoints)) {
            return s.filter(p -> p.getFileName().toString().startsWith("ckpt-")).count();
        }
    }

    private static int[] freePorts(int n) throws IOException {
        int[] out = new int[n];
        List<ServerSocket> open = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0);
                open.add(s);
                out[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : open) {
                s.close();
            }
        }
        return out;
    }
}
