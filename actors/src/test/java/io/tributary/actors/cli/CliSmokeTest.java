package io.tributary.actors.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.actors.SummaryKeysTest;
import io.tributary.actors.testexp.TinySeedExperiment;
import io.tributary.report.JsonIo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        JsonNode s = JsonIo.readObject(run.resolve("summary.json"));
        // Exactly the pinned keys, names and types, as written by a real run.
        assertEquals(SummaryKeysTest.TRAIN_KEYS, SummaryKeysTest.keysWithTypes(s));
        assertEquals("smoke", s.get("run_id").asText());
        assertTrue(s.get("env_steps").asLong() >= 1024);
        assertEquals(2L, s.get("eval_episodes").asLong());
        assertEquals("policy", s.get("eval_controller").asText());
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
        JsonNode e = JsonIo.parseObject(out.toString(StandardCharsets.UTF_8));
        assertEquals(2L, e.get("eval_episodes").asLong());
        // The same policy and the same evaluation seeds give the same deterministic returns.
        assertEquals(s.get("eval_returns"), e.get("eval_returns"));
        assertEquals("policy", e.get("controller").asText());

        // dataset collect restores the checkpoint as eval does (config.conf of the run found by itself).
        Path data = dir.resolve("from-checkpoint.tds");
        assertEquals(0, Main.execute("dataset", "collect", "CartPole-v1", "--policy", run.toString(), "--episodes", "2",
                "--seed", "3", "--out", data.toString()));
        io.tributary.simulator.data.OfflineDataset d = io.tributary.simulator.data.DatasetFiles.read(data);
        assertEquals("CartPole-v1", d.environment());
        assertTrue(d.size() >= 2, "transitions=" + d.size());
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
        JsonNode s = JsonIo.readObject(run.resolve("summary.json"));
        assertEquals(SummaryKeysTest.BENCH_KEYS, SummaryKeysTest.keysWithTypes(s));
        assertTrue(s.get("chunks_received").asLong() > 0, "chunks went through: " + s);
    }

    @Test
    void soakRecordsResidentMemory() throws Exception {
        assertEquals(0, Main.execute("soak", "--config", CONFIG, "--minutes", "0.4", "--sample-seconds", "8",
                "--set", "run.folder=\"" + dir + "\"", "--set", "run.id=soak", "--set", "run.eval-episodes=1"));
        JsonNode s = JsonIo.readObject(dir.resolve("soak").resolve("summary.json"));
        assertTrue(s.get("rss_mb_at_8s").isNumber() && s.get("rss_mb_at_8s").asDouble() > 50, "rss sampled: " + s);
        long samples = s.get("rss_samples").asLong();
        assertTrue(samples >= 2, "several samples: " + s);
        List<String> expected = new java.util.ArrayList<>(SummaryKeysTest.TRAIN_KEYS);
        expected.addAll(List.of("soak_minutes:number", "rss_samples:integer"));
        for (long n = 1; n <= samples; n++) {
            expected.add("rss_mb_at_" + (n * 8) + "s:number");
        }
        assertEquals(expected, SummaryKeysTest.keysWithTypes(s));
    }

    @Test
    void experimentRunnerWritesTableJsonAndPlot() throws Exception {
        Path results = dir.resolve("results");
        String[] args = Stream.concat(Stream.of("experiment", "--name", "smoke", "--arm", "ppo=" + CONFIG, "--seeds", "1,2",
                "--out", results.toString()), Stream.of(tiny()).filter(x -> true)).toArray(String[]::new);
        assertEquals(0, Main.execute(args));
        String md = Files.readString(results.resolve("smoke.md"));
        assertTrue(md.contains("| ppo") && md.contains("eval return"), md);
        JsonNode json = JsonIo.readObject(results.resolve("smoke.json"));
        assertEquals(2, json.get("runs").size());
        assertEquals(SummaryKeysTest.TRAIN_KEYS, SummaryKeysTest.keysWithTypes(json.get("runs").get(1).get("summary")));
        assertTrue(Files.readString(results.resolve("smoke.svg")).contains("ppo seed 2"));
    }

    @Test
    void aRegisteredExperimentRunsByNameAndWritesTheFilesItOwns() throws Exception {
        Path results = dir.resolve("results");
        assertEquals(0, Main.execute("experiment", TinySeedExperiment.NAME, "--out", results.toString(),
                "--set", "run.folder=\"" + dir + "\""));
        String name = TinySeedExperiment.NAME;
        String md = Files.readString(results.resolve(name + ".md"));
        assertTrue(md.startsWith("<!-- tributary-experiment-report registered name=" + name + ";"), md);
        assertTrue(md.contains("# Experiment: " + name) && md.matches("(?s).*\\| tiny \\|\\s+7 \\|.*"), md);
        JsonNode json = JsonIo.readObject(results.resolve(name + ".json"));
        assertEquals(name, json.get("experiment").asText());
        assertEquals("tributary-experiment-report registered name=" + name, json.get("written_by").asText());
        assertEquals(1, json.get("runs").size());
        JsonNode run = json.get("runs").get(0);
        assertEquals(7L, run.get("seed").asLong());
        assertEquals(7L, run.get("summary").get("seed").asLong(), "the experiment's seed reached the run");
        assertTrue(run.get("summary").get("env_steps").asLong() >= 1024);
        assertTrue(Files.readString(results.resolve(name + ".svg")).contains("tiny seed 7"));
        assertEquals("seed 7 eval_return_mean " + run.get("summary").get("eval_return_mean").asDouble() + "\n",
                Files.readString(results.resolve(name + "-returns.txt")));

        // The generic runner refuses the registered name, before running anything.
        String err = stderrOf(() -> assertEquals(Main.EXIT_BAD_CONFIG, Main.execute("experiment", "--name", name,
                "--arm", "ppo=" + CONFIG, "--out", results.toString())));
        assertTrue(err.contains("registered experiment") && err.contains(name), err);
    }

    @Test
    void listNamesTheRegisteredExperiments() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.execute("experiment", "--list"));
        } finally {
            System.setOut(old);
        }
        String listed = out.toString(StandardCharsets.UTF_8);
        assertTrue(listed.contains("cartpole-ppo-seeds\t") && listed.contains(TinySeedExperiment.NAME + "\t"), listed);
    }

    @Test
    void theGenericRunnerNeverOverwritesAFileItDidNotWrite() throws Exception {
        Path results = dir.resolve("results");
        Files.createDirectories(results);
        Path page = results.resolve("handmade.md");
        Files.writeString(page, "# A page someone wrote\n");
        String err = stderrOf(() -> assertEquals(Main.EXIT_BAD_CONFIG, Main.execute("experiment", "--name", "handmade",
                "--arm", "ppo=" + CONFIG, "--out", results.toString())));
        assertTrue(err.contains("would overwrite " + page), err);
        assertEquals("# A page someone wrote\n", Files.readString(page));
        String unknown = stderrOf(() -> assertEquals(Main.EXIT_BAD_CONFIG, Main.execute("experiment", "no-such-experiment")));
        assertTrue(unknown.contains("no-such-experiment") && unknown.contains("cartpole-ppo-seeds"), unknown);
    }

    @Test
    void evalRunsARegisteredScriptedController() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.execute("eval", CONFIG, "--controller", "cartpole-lean", "--episodes", "3"));
        } finally {
            System.setOut(old);
        }
        JsonNode e = JsonIo.parseObject(out.toString(StandardCharsets.UTF_8));
        assertEquals("cartpole-lean", e.get("controller").asText());
        assertEquals(3, e.get("eval_returns").size());
        assertTrue(e.get("eval_return_mean").asDouble() >= 150, "scripted baseline balances: " + e);
        assertEquals(e.get("eval_return_mean").asDouble(), e.get("eval_episode_length_mean").asDouble(), 1e-9);
        String err = stderrOf(() -> assertEquals(Main.EXIT_BAD_CONFIG, Main.execute("eval", CONFIG)));
        assertTrue(err.contains("exactly one of --checkpoint or --controller"), err);
    }

    private static String stderrOf(Runnable r) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(old);
        }
        return err.toString(StandardCharsets.UTF_8);
    }
}
