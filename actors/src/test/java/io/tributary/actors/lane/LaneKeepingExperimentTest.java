package io.tributary.actors.lane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.actors.ExperimentContext;
import io.tributary.actors.Experiments;
import io.tributary.report.JsonIo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny-budget smoke run of the registered experiment {@code lane-keeping}: the three committed configs train
 * through the real pipeline (one seed, a few hundred steps), the policies and the grid-searched PID controller
 * are evaluated, and the report has exactly the issue's JSON keys, the tables and one SVG per agent.
 */
class LaneKeepingExperimentTest {
    @TempDir
    Path dir;

    @Test
    void aTinyRunWritesTheReportWithTheIssuesKeys() throws Exception {
        assertTrue(Experiments.registered().containsKey(LaneKeepingExperiment.NAME));
        Path out = dir.resolve("results");
        List<String> tiny = List.of("run.folder=\"" + dir.resolve("runs") + "\"", "actors.lane-keeping.budget-scale=0.005",
                "actors.lane-keeping.test-episodes=2", "actors.lane-keeping.pid-grid-episodes=1",
                "simulator.env.options.max-episode-steps=60", "learner.ppo.batch-steps=256", "learner.ppo.epochs=1",
                "actors.workers=1", "actors.envs-per-worker=2", "actors.chunk-steps=64", "kafka.partitions=1",
                "actors.wait-timeout-ms=60000",
                // choose each run's policy among its kept checkpoints on validation episodes (seeds 30000..)
                "actors.lane-keeping.validation-episodes=2", "run.checkpoint-every-updates=1", "run.keep-checkpoints=3");
        new LaneKeepingExperiment().run(new ExperimentContext(LaneKeepingExperiment.NAME, out, List.of(1L), tiny),
                Path.of("..", "configs"));

        JsonNode json = JsonIo.readObject(out.resolve("lane-keeping.json"));
        assertEquals(List.of("wall_seconds", "reward_weights", "env_steps_per_run", "agents"), names(json));
        assertEquals(List.of("lane", "speed", "obstacle", "centring", "semantic"), names(json.get("reward_weights")));
        assertEquals(0.3, json.get("reward_weights").get("lane").asDouble());
        assertEquals(0.0, json.get("reward_weights").get("semantic").asDouble());
        long committed = com.typesafe.config.ConfigFactory.parseFile(Path.of("..", "configs", "lane-keeping-fused.conf")
                .toFile()).getLong("tributary.run.max-env-steps");
        assertEquals(Math.round(committed * 0.005), json.get("env_steps_per_run").asLong(),
                "the committed budget (" + committed + ") x 0.005");
        assertEquals(Set.of("fused", "geo_lidar_pid", "geo_lidar", "pid_controller"), new TreeSet<>(names(json.get("agents"))));
        for (JsonNode a : json.get("agents")) {
            assertEquals(List.of("rmse_m", "rmse_std_m", "nrmse", "collisions", "lane_departures", "mean_speed_kmh", "episodes"),
                    names(a));
            assertEquals(a.get("rmse_m").asDouble() / 5, a.get("nrmse").asDouble(), 1e-12);
            assertTrue(a.get("episodes").asInt() >= 0 && a.get("episodes").asInt() <= 2);
            assertTrue(a.get("collisions").asInt() + a.get("lane_departures").asInt() <= 2);
        }
        JsonNode pid = json.get("agents").get("pid_controller");
        assertEquals(2, pid.get("episodes").asInt(), "the PID controller completes both short test episodes");
        assertTrue(pid.get("rmse_m").asDouble() < 0.2, pid.toString());
        String md = Files.readString(out.resolve("lane-keeping.md"));
        for (String agent : List.of("fused", "geo_lidar_pid", "geo_lidar", "pid_controller")) {
            assertTrue(java.util.regex.Pattern.compile("\\| " + agent + " +\\|").matcher(md).find(), agent + " row missing:\n" + md);
            Path svg = out.resolve("lane-keeping-" + agent.replace('_', '-') + ".svg");
            assertTrue(Files.readString(svg).contains("<polyline"), svg.toString());
        }
        assertTrue(md.contains("## Per seed") && md.contains("## PID controller"), md);
        assertTrue(md.contains("on 2 validation episodes (seeds 30000-30001"), md);
        // every trained run offered several checkpoints (one per update, three kept) and the chosen one is among them
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\| v(\\d+) \\(of (v\\d+(?:, v\\d+)+)\\)").matcher(md);
        int choices = 0;
        while (m.find()) {
            assertTrue(List.of(m.group(2).split(", ")).contains("v" + m.group(1)), m.group());
            assertTrue(m.group(2).split(", ").length >= 2, m.group());
            choices++;
        }
        assertEquals(3, choices, md);
        List<Path> runs;
        try (var listing = Files.list(dir.resolve("runs"))) {
            runs = listing.toList();
        }
        assertEquals(3, runs.size(), "one run per config and seed, trained in this invocation");
        for (Path run : runs) {
            // The committed configs (all three: the ablations include the fused one) observe the front-wheel angle and
            // give it a branch; without it the traced departures came back (docs/lane-keeping.md, seventh session).
            com.typesafe.config.Config used = com.typesafe.config.ConfigFactory.parseFile(run.resolve("config.conf").toFile());
            assertTrue(used.getBoolean("tributary.simulator.env.options.observe-steering"), run.toString());
            assertEquals(List.of(16), used.getIntList("tributary.learner.policy.fields.steering.hidden-sizes"), run.toString());
        }
    }

    @Test
    void validationSeedsMustStayApartFromTheTestSeeds() {
        com.typesafe.config.Config c = com.typesafe.config.ConfigFactory.parseString(
                "tributary.actors.lane-keeping { validation-seed-base = 10050, validation-episodes = 100 }")
                .withFallback(com.typesafe.config.ConfigFactory.defaultReference()).resolve();
        io.tributary.config.SettingsException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.tributary.config.SettingsException.class, () -> LaneKeepingSettings.fromConfig(c));
        assertTrue(e.getMessage().contains("tributary.actors.lane-keeping.validation-seed-base")
                && e.getMessage().contains("10050") && e.getMessage().contains("test seeds 10000-10099"), e.getMessage());
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
