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
        for (ClusterNode n : nodes) {
            n.close();
        }
        broker.close();
    }

    @Test
    void rolesArePlacedAsAskedAndTheRunFinishesOnEveryNode() throws Exception {
        int[] ports = freePorts(3);
        List<String> seeds = List.of("127.0.0.1:" + ports[0], "127.0.0.1:" + ports[1], "127.0.0.1:" + ports[2]);
        ClusterNode a = start("run-a", ports[0], seeds, "learner", 4096);
        awaitUp(a, 1);
        ClusterNode b = start("run-a", ports[1], seeds, "rollout,reward", 4096);
        ClusterNode c = start("run-a", ports[2], seeds, "rollout,reward", 4096);
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
        assertEquals(1, scorersOn(b), "scorer slots on node b");
        assertEquals(1, scorersOn(c), "scorer slots on node c");
        assertEquals(0, scorersOn(a), "no scorer on the learner-only node");

        for (ClusterNode n : List.of(a, b, c)) {
            NodeGuardian.Exit e = n.exit().get(120, TimeUnit.SECONDS);
            assertEquals(0, e.code(), "node exit: " + e);
        }
        RunSummary s = summary("run-a");
        assertTrue(s.envSteps() >= 4096, "budget spent: " + s.envSteps());
        assertAccounted(s);
        assertEquals(s.updates(), s.policyVersion(), "one learner, never restored: a version per update");
    }

    @Test
    void theSingletonRestartsFromTheCheckpointWhenItsNodeIsDowned() throws Exception {
        int[] ports = freePorts(3);
        List<String> seeds = List.of("127.0.0.1:" + ports[0], "127.0.0.1:" + ports[1], "127.0.0.1:" + ports[2]);
        ClusterNode a = start("run-b", ports[0], seeds, "learner,reward", 8192);
        awaitUp(a, 1);
        ClusterNode b = start("run-b", ports[1], seeds, "learner,rollout,reward", 8192);
        ClusterNode c = start("run-b", ports[2], seeds, "rollout,reward", 8192);
        Path checkpoints = dir.resolve("runs").resolve("run-b").resolve("checkpoints");
        long deadline = System.currentTimeMillis() + 90_000;
        while (checkpointCount(checkpoints) < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(checkpointCount(checkpoints) >= 2, "the first learner wrote checkpoints");
        assertTrue(resolves(a, "/system/singletonManagercoordinator/coordinator"), "the coordinator starts on the oldest learner node");
        Thread.sleep(500); // past the checkpoint: work after it dies with the node

        // As the split brain resolver would: down the singleton's node. It shuts down; b takes the singleton over.
        Cluster.get(b.system()).manager().tell(new Down(address(a)));
        NodeGuardian.Exit downed = a.exit().get(60, TimeUnit.SECONDS);
        assertEquals(1, downed.code(), "the downed node exits non-zero: " + downed);

        for (ClusterNode n : List.of(b, c)) {
            NodeGuardian.Exit e = n.exit().get(150, TimeUnit.SECONDS);
            assertEquals(0, e.code(), "node exit: " + e);
        }
        RunSummary s = summary("run-b");
        assertTrue(s.envSteps() >= 8192, "budget spent: " + s.envSteps());
        assertAccounted(s);
        // A restored learner republishes its checkpoint's policy under a fresh version: versions run ahead of updates.
        assertTrue(s.policyVersion() > s.updates(), "the learner was restored from a checkpoint: version "
                + s.policyVersion() + ", updates " + s.updates());
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

    private ClusterNode start(String runId, int port, List<String> seeds, String roles, long steps) {
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
                "tributary.cluster.exit-grace-ms=300"));
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

    private static int scorersOn(ClusterNode n) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        int found = 0;
        while (System.currentTimeMillis() < deadline) {
            found = 0;
            for (int slot = 0; slot < 2; slot++) {
                for (int inc = 1; inc <= 3; inc++) {
                    if (resolves(n, "/user/scorer-" + slot + "-" + inc)) {
                        found++;
                    }
                }
            }
            if (found > 0 || !n.context().config().config().getStringList("tributary.cluster.roles").contains("reward")) {
                return found;
            }
            Thread.sleep(100);
        }
        return found;
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
