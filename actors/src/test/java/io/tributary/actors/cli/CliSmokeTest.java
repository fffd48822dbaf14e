package io.tributary.actors.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.report.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tiny-budget, fixed-seed smoke tests of every CLI command, through the real broker and actor system. */
class CliSmokeTest {
    @TempDir
    Path dir;

    private static final String CONFIG = Path.of("..", "configs", "cartpole-ppo.conf").toString();

    private String[] tiny(String... more) {
        List<String> a = new java.util.ArrayList<>(List.of(
                "--set", "run.folder=\"" + dir + "\"", "--set", "run.max-env-steps=1024", "--set", "run.eval-episodes=2",
                "--set", "run.seed=7", "--set", "learner.ppo.epochs=1", "--set", "kafka.partitions=1"));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    @Test
    void trainWritesTheRunFilesAndEvalReadsTheCheckpoint() throws Exception {
        String[] args = Stream.concat(Stream.of("train", CONFIG), Stream.of(tiny("--set", "run.id=smoke"))).toArray(String[]::new);
        assertEquals(0, Main.execute(args));
        Path run = dir.resolve("smoke");
        for (String f : List.of("config.conf", "metrics.jsonl", "summary.json", "learning-curve.svg", "checkpoints/LATEST")) {
            assertTrue(Files.exists(run.resolve(f)), "missing " + f);
        }
        Map<String, Object> s = Json.parseObject(Files.readString(run.resolve("summary.json")));
        for (String k : List.of("run_id", "env_steps", "updates", "wall_seconds", "eval_return_mean", "eval_return_std",
                "eval_episodes", "policy_version", "chunks_produced", "chunks_trained", "chunks_dropped_stale",
                "env_steps_per_second", "latency_ms_p50", "latency_ms_p99", "chunks_duplicated", "chunks_lost")) {
            assertTrue(s.containsKey(k), "summary.json lacks " + k + ": " + s.keySet());
        }
        assertEquals("smoke", s.get("run_id"));
        assertTrue(((Number) s.get("env_steps")).longValue() >= 1024);
        assertEquals(2L, ((Number) s.get("eval_episodes")).longValue());
        assertTrue(Files.readString(run.resolve("config.conf")).contains("max-env-steps=1024")
                || Files.readString(run.resolve("config.conf")).contains("max-env-steps = 1024"));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.execute("eval", CONFIG, "--checkpoint", run.toString(), "--episodes", "2"));
        } finally {
            System.setOut(old);
        }
        Map<String, Object> e = Json.parseObject(out.toString(StandardCharsets.UTF_8));
        assertEquals(2L, ((Number) e.get("eval_episodes")).longValue());
        // The same policy and the same evaluation seeds give the same deterministic returns.
        assertEquals(((List<?>) s.get("eval_returns")), e.get("eval_returns"));
    }

    @Test
    void unknownKeyStopsStartupWithItsPath() {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals(Main.EXIT_BAD_CONFIG, Main.execute("train", CONFIG, "--set", "learner.ppo.lrr=0.1"));
            assertEquals(Main.EXIT_BAD_CONFIG, Main.execute("train", CONFIG, "--set", "actors.workers=0"));
            assertEquals(Main.EXIT_BAD_CONFIG, Main.execute("train", "no-such.conf"));
        } finally {
            System.setErr(old);
        }
        String msg = err.toString(StandardCharsets.UTF_8);
        assertTrue(msg.contains("tributary.learner.ppo.lrr"), msg);
        assertTrue(msg.contains("path=tributary.actors.workers") && msg.contains("value=0"), msg);
        assertTrue(msg.contains("config file not found"), msg);
    }

    @Test
    void benchPipelineWritesItsFigures() throws Exception {
        assertEquals(0, Main.execute("bench", "pipeline", "--config", CONFIG, "--set", "run.folder=\"" + dir + "\"",
                "--chunk-steps", "64", "--seconds", "2", "--warmup", "1", "--rate", "200"));
        Path run;
        try (Stream<Path> s = Files.list(dir)) {
            run = s.filter(p -> p.getFileName().toString().startsWith("bench-pipeline-")).findFirst().orElseThrow();
        }
        Map<String, Object> s = Json.parseObject(Files.readString(run.resolve("summary.json")));
        for (String k : List.of("chunks_per_second", "mb_per_second", "chunk_bytes", "e2e_latency_ms_p50", "e2e_latency_ms_p99")) {
            assertTrue(s.get(k) instanceof Number, "summary.json lacks " + k + ": " + s);
        }
        assertTrue(((Number) s.get("chunks_received")).longValue() > 0, "chunks went through: " + s);
    }

    @Test
    void soakRecordsResidentMemory() throws Exception {
        assertEquals(0, Main.execute("soak", "--config", CONFIG, "--minutes", "0.4", "--sample-seconds", "8",
                "--set", "run.folder=\"" + dir + "\"", "--set", "run.id=soak", "--set", "run.eval-episodes=1"));
        Map<String, Object> s = Json.parseObject(Files.readString(dir.resolve("soak").resolve("summary.json")));
        assertTrue(s.get("rss_mb_at_8s") instanceof Number mb && mb.doubleValue() > 50, "rss sampled: " + s);
        assertTrue(((Number) s.get("rss_samples")).longValue() >= 2, "several samples: " + s);
    }

    @Test
    void experimentRunnerWritesTableJsonAndPlot() throws Exception {
        Path results = dir.resolve("results");
        String[] args = Stream.concat(Stream.of("experiment", "--name", "smoke", "--arm", "ppo=" + CONFIG, "--seeds", "1,2",
                "--out", results.toString()), Stream.of(tiny()).filter(x -> true)).toArray(String[]::new);
        assertEquals(0, Main.execute(args));
        String md = Files.readString(results.resolve("smoke.md"));
        assertTrue(md.contains("| ppo") && md.contains("eval return"), md);
        Map<String, Object> json = Json.parseObject(Files.readString(results.resolve("smoke.json")));
        assertEquals(2, ((List<?>) json.get("runs")).size());
        assertTrue(Files.readString(results.resolve("smoke.svg")).contains("ppo seed 2"));
    }
}
