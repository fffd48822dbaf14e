package io.tributary.actors.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.actors.dashboard.MonitorTable;
import io.tributary.report.JsonIo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke tests of {@code train --dashboard} and {@code monitor} through the command line (tiny budget, fixed seed). */
class MonitorCliTest {
    @TempDir
    Path dir;

    private static final String CONFIG = Path.of("..", "configs", "cartpole-ppo.conf").toString();

    // 1,024 steps, a run of a second or two: the guardian begins training only once the dashboard is bound
    // (TrainingGuardian.createGated), so even this short a run prints its URL (it once finished before the bind).
    @Test
    void trainWithDashboardPrintsItsLoopbackUrlAndMonitorReplaysTheRun() throws Exception {
        String[] err = new String[1];
        int rc = captured(true, err, () -> Main.execute("train", CONFIG, "--dashboard", "--set", "run.folder=\"" + dir + "\"",
                "--set", "run.id=watched", "--set", "run.max-env-steps=1024", "--set", "run.eval-episodes=2",
                "--set", "run.seed=7", "--set", "learner.ppo.epochs=1", "--set", "kafka.partitions=1"));
        assertEquals(0, rc, err[0]);
        assertTrue(err[0].matches("(?s).*\\[tributary\\] dashboard http://127\\.0\\.0\\.1:[1-9][0-9]*/\n.*"), err[0]);

        String[] out = new String[1];
        assertEquals(0, captured(false, out, () -> Main.execute("monitor", "--run-dir", dir.resolve("watched").toString(),
                "--interval-ms", "100")));
        JsonNode s = JsonIo.readObject(dir.resolve("watched").resolve("summary.json"));
        assertTrue(out[0].contains("run watched  (finished,"), out[0]);
        assertTrue(out[0].matches("(?s).*\n  env_steps +" + MonitorTable.format(s.get("env_steps").asDouble()) + "\n.*"), out[0]);
        assertTrue(out[0].matches("(?s).*\n  eval_return_mean +" + MonitorTable.format(s.get("eval_return_mean").asDouble())
                .replace(".", "\\.") + "\n.*"), out[0]);
    }

    @Test
    void monitorWithoutARunStopsWithExitCode2() throws Exception {
        String[] err = new String[1];
        assertEquals(Main.EXIT_BAD_CONFIG, captured(true, err, () -> Main.execute("monitor")));
        assertTrue(err[0].contains("give --kafka HOST:PORT with --run-id, or --run RUN_DIR"), err[0]);
        assertEquals(Main.EXIT_BAD_CONFIG, captured(true, err, () -> Main.execute("monitor", "--run", dir.toString())));
        assertTrue(err[0].contains("must be a run folder"), err[0]);
        assertEquals(Main.EXIT_BAD_CONFIG, captured(true, err, () -> Main.execute("monitor", "--kafka", "127.0.0.1:1",
                "--run-id", "bad id!")));
        assertEquals(Main.EXIT_BAD_CONFIG, captured(true, err, () -> Main.execute("monitor", "--kafka", "127.0.0.1:1",
                "--run-id", "r", "--set", "actors.dashboard.port=70000")));
        assertTrue(err[0].contains("tributary.actors.dashboard.port"), err[0]);
    }

    private static int captured(boolean stderr, String[] text, Callable<Integer> c) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = stderr ? System.err : System.out;
        PrintStream p = new PrintStream(buf, true, StandardCharsets.UTF_8);
        if (stderr) {
            System.setErr(p);
        } else {
            System.setOut(p);
        }
        try {
            return c.call();
        } finally {
            if (stderr) {
                System.setErr(old);
            } else {
                System.setOut(old);
            }
            text[0] = buf.toString(StandardCharsets.UTF_8);
        }
    }
}
