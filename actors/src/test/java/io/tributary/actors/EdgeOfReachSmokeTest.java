package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.report.JsonIo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge-of-reach experiment end to end at a tiny budget (the settings knob: max-env-steps and the probe
 * interval): dataset collection, the three arms and the learned-dynamics path (a 2-epoch fit) in child JVMs,
 * and its files with the issue's key set.
 * It checks the plumbing and the figures' shapes, not the scientific result (that needs the full budget).
 */
class EdgeOfReachSmokeTest {
    @TempDir
    Path dir;

    @Test
    void tinyRunWritesTheReportWithTheIssuesKeys() throws Exception {
        Path out = dir.resolve("results");
        new EdgeOfReach(Path.of("..", "configs", "edge-of-reach.conf")).run(new ExperimentContext("edge-of-reach", out, null, List.of(
                "tributary.run.folder=\"" + dir.resolve("runs") + "\"",
                "tributary.run.max-env-steps=1000",
                "tributary.run.eval-episodes=1",
                "tributary.kafka.partitions=1",
                "tributary.learner.sac.batch-size=64",
                "tributary.learner.sac.gradient-steps=10",
                "tributary.learner.sac.updates-per-env-step=0.2",
                "tributary.learner.sac.probe-every=40",
                "tributary.learner.sac.probe-episodes=2",
                "tributary.learner.dynamics.max-epochs=2")));
        JsonNode j = JsonIo.readObject(out.resolve("edge-of-reach.json"));
        for (String k : List.of("wall_seconds", "q_bound", "optimal_return", "edge_state_fraction", "base", "oracle", "ravl",
                "learned_dynamics")) {
            assertTrue(j.has(k), "key " + k);
        }
        for (String k : List.of("q_max_final", "q_max_rising", "diverged_at_update", "return_final")) {
            assertTrue(j.path("base").has(k), "base." + k);
        }
        for (String k : List.of("q_max_peak", "return_final")) {
            assertTrue(j.path("oracle").has(k), "oracle." + k);
        }
        for (String k : List.of("q_max_final", "q_max_peak", "return_final", "q_std_edge", "q_std_interior", "alpha_final")) {
            assertTrue(j.path("ravl").has(k), "ravl." + k);
        }
        for (String k : List.of("env", "validation_mse", "return_final")) {
            assertTrue(j.path("learned_dynamics").has(k), "learned_dynamics." + k);
        }
        assertEquals((1 - Math.pow(0.99, 30)) / 0.01, j.path("q_bound").asDouble(), 1e-9);
        assertTrue(j.path("optimal_return").asDouble() > 0 && j.path("optimal_return").asDouble() <= 30);
        // 1,000 env steps x 0.2 = 200 gradient steps per arm (the first update is a warm-up), probed every 40
        assertTrue(Double.isFinite(j.path("ravl").path("q_max_final").asDouble()), j.toString());
        assertTrue(j.path("ravl").path("q_std_edge").asDouble() > 0, j.toString());
        assertTrue(j.path("base").path("return_final").isNumber(), j.toString());
        double edge = j.path("edge_state_fraction").asDouble();
        assertTrue(edge >= 0 && edge <= 1, "edge_state_fraction=" + edge);
        String md = Files.readString(out.resolve("edge-of-reach.md"));
        assertTrue(md.contains("| ravl ") && md.contains("| base ") && md.contains("| oracle |"), md);
        assertEquals("Pendulum-v1", j.path("learned_dynamics").path("env").asText());
        assertTrue(j.path("learned_dynamics").path("validation_mse").asDouble() > 0, j.toString());
        assertTrue(j.path("learned_dynamics").path("return_final").asDouble() < 0, "a Pendulum return: " + j);
        assertTrue(Files.readString(out.resolve("edge-of-reach-q.svg")).contains("<svg"));
        assertTrue(Files.readString(out.resolve("edge-of-reach-return.svg")).contains("<svg"));
    }
}
