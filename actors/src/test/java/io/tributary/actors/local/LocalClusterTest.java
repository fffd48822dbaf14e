package io.tributary.actors.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.actors.cli.Main;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local cluster's role layout, its argument checks, and the child-process plumbing it is built on. */
class LocalClusterTest {
    @TempDir
    Path dir;

    @Test
    void threeNodeLayoutSurvivesTheLossOfAnyOneNode() {
        assertEquals(Set.of("learner", "reward"), LocalCluster.rolesOf(0, 3));
        assertEquals(Set.of("rollout", "reward"), LocalCluster.rolesOf(1, 3));
        assertEquals(Set.of("rollout", "learner"), LocalCluster.rolesOf(2, 3));
        assertEquals("rollout,reward,learner", LocalCluster.rolesArg(LocalCluster.rolesOf(0, 1)));
        assertEquals("rollout,learner", LocalCluster.rolesArg(LocalCluster.rolesOf(2, 3)));
        for (int n = 1; n <= 5; n++) {
            for (int dead = 0; dead < n; dead++) {
                Set<String> left = new HashSet<>();
                for (int i = 0; i < n; i++) {
                    if (i != dead || n == 1) {
                        left.addAll(LocalCluster.rolesOf(i, n));
                    }
                }
                assertEquals(Set.of("rollout", "reward", "learner"), left, "n=" + n + ", dead=" + dead);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> LocalCluster.rolesOf(3, 3));
    }

    @Test
    void specAndCommandLineRejectBadArguments() {
        Path cfg = Path.of("..", "configs", "cartpole-ppo.conf");
        assertThrows(IllegalArgumentException.class, () -> new LocalCluster.Spec(0, cfg, List.of(), "r", 0, 0, "3g", null));
        assertThrows(IllegalArgumentException.class, () -> new LocalCluster.Spec(3, cfg, List.of(), "bad id", 0, 0, "3g", null));
        assertThrows(IllegalArgumentException.class, () -> new LocalCluster.Spec(3, cfg, List.of(), "r", 0, 65534, "3g", null));
        assertThrows(IllegalArgumentException.class, () -> ChildJvm.command("lots", List.of()));
        assertEquals(Main.EXIT_BAD_CONFIG, Main.execute("cluster", "local", "--nodes", "0", "--config", cfg.toString()));
        assertEquals(Main.EXIT_BAD_CONFIG, Main.execute("cluster", "local", "--config", dir.resolve("missing.conf").toString()));
        assertEquals(Main.EXIT_BAD_CONFIG, Main.execute("cluster", "local", "--config", cfg.toString(), "--run-id", "a b"));
        // A bad override is caught before any process starts.
        assertEquals(Main.EXIT_BAD_CONFIG, Main.execute("cluster", "local", "--config", cfg.toString(), "--run-id", "x",
                "--set", "kafka.partitions=0", "--set", "run.folder=\"" + dir + "\""));
    }

    @Test
    void childProcessLogsEchoesAndReportsWhyItStopped() throws Exception {
        Path log = dir.resolve("logs").resolve("child.log");
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        java.io.PrintStream echo = new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8);
        ChildProcess p = ChildProcess.start("child", List.of("bash", "-c", "echo hello; echo ready port=42; exit 3"), log, echo);
        assertEquals("42", p.awaitLine(java.util.regex.Pattern.compile("ready port=(\\d+)"), 10_000).group(1));
        assertEquals(3, p.waitFor());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> p.awaitLine(java.util.regex.Pattern.compile("never"), 10_000));
        assertTrue(e.getMessage().contains("exit=3") && e.getMessage().contains("hello"), e.getMessage());
        String echoed = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(echoed.contains("[child] hello\n") && echoed.contains("[child] ready port=42\n"), echoed);
        // A second process on the same log appends; its readiness wait sees only its own output.
        ChildProcess q = ChildProcess.start("child", List.of("bash", "-c", "echo second; sleep 30"), log, null);
        assertThrows(IllegalStateException.class, () -> q.awaitLine(java.util.regex.Pattern.compile("hello"), 500));
        assertEquals(137, q.kill());
        assertTrue(java.nio.file.Files.readString(log).contains("hello\nready port=42\nsecond\n"));
    }
}
