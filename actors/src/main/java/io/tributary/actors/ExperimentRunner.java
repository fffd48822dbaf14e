package io.tributary.actors;

import io.tributary.report.Json;
import io.tributary.report.MarkdownTable;
import io.tributary.report.SvgChart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an experiment: each arm (a named config) with each training seed, one run after another in
 * this JVM (DJL trains one learner at a time per process), all evaluated on the same fixed evaluation
 * seeds. Writes {@code <name>.md} (a table per run and per arm), {@code <name>.json} (every run's
 * summary) and {@code <name>.svg} (learning curves) into the output folder, normally {@code docs/results}.
 */
public final class ExperimentRunner {
    /** One arm: a name and its configuration. */
    public record Arm(String name, TributaryConfig config) {
    }

    /** The result of one (arm, seed) run. */
    public record RunRow(String arm, long seed, TrainingRun.Outcome outcome) {
    }

    private ExperimentRunner() {
    }

    /** Runs every arm with every seed and writes the reports; returns the rows in run order. */
    public static List<RunRow> run(String name, List<Arm> arms, List<Long> seeds, Path outDir) {
        List<RunRow> rows = new ArrayList<>();
        for (Arm arm : arms) {
            for (long seed : seeds) {
                String runId = name + "-" + arm.name() + "-s" + seed + "-" + System.currentTimeMillis();
                TributaryConfig c = arm.config().with(List.of("tributary.run.seed=" + seed,
                        "tributary.learner.seed=" + seed, "tributary.run.id=\"" + runId + "\""));
                System.err.printf("[experiment %s] arm=%s seed=%d%n", name, arm.name(), seed);
                rows.add(new RunRow(arm.name(), seed, TrainingRun.run(c, null, null)));
            }
        }
        write(name, rows, outDir);
        return rows;
    }

    static void write(String name, List<RunRow> rows, Path outDir) {
        try {
            Files.createDirectories(outDir);
            MarkdownTable perRun = new MarkdownTable("arm", "seed", "eval return (mean)", "eval return (std)",
                    "env steps", "wall s", "env steps/s", "updates", "lost", "duplicated", "run");
            Map<String, List<Double>> byArm = new LinkedHashMap<>();
            Map<String, List<Double>> wallByArm = new LinkedHashMap<>();
            List<Object> json = new ArrayList<>();
            SvgChart chart = new SvgChart("Experiment " + name + ": training return per run")
                    .xLabel("environment steps trained").yLabel("mean training return (last 100 episodes)");
            for (RunRow r : rows) {
                Map<String, Object> s = r.outcome().summary();
                perRun.addRow(r.arm(), r.seed(), s.get("eval_return_mean"), s.get("eval_return_std"), s.get("env_steps"),
                        s.get("wall_seconds"), s.get("env_steps_per_second"), s.get("updates"), s.get("chunks_lost"),
                        s.get("chunks_duplicated"), r.outcome().runId());
                byArm.computeIfAbsent(r.arm(), k -> new ArrayList<>()).add(((Number) s.get("eval_return_mean")).doubleValue());
                wallByArm.computeIfAbsent(r.arm(), k -> new ArrayList<>()).add(((Number) s.get("wall_seconds")).doubleValue());
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("arm", r.arm());
                entry.put("seed", r.seed());
                entry.put("summary", s);
                json.add(entry);
                double[][] curve = TrainingRun.learningCurve(r.outcome().runDir().resolve("metrics.jsonl"));
                chart.addSeries(r.arm() + " seed " + r.seed(), curve[0], curve[1]);
            }
            MarkdownTable perArm = new MarkdownTable("arm", "runs", "eval return mean over seeds", "std over seeds",
                    "min", "mean wall s");
            for (Map.Entry<String, List<Double>> e : byArm.entrySet()) {
                double[] st = stats(e.getValue());
                perArm.addRow(e.getKey(), e.getValue().size(), st[0], st[1], st[2], stats(wallByArm.get(e.getKey()))[0]);
            }
            String md = "# Experiment: " + name + "\n\n"
                    + "Evaluation: deterministic actions, the same fixed evaluation seeds for every run "
                    + "(tributary.run.eval-seed-base onwards), never used in training.\n\n"
                    + "## Per arm\n\n" + perArm.render() + "\n## Per run\n\n" + perRun.render()
                    + "\nLearning curves: `" + name + ".svg`; every run's summary: `" + name + ".json`.\n";
            Files.writeString(outDir.resolve(name + ".md"), md, StandardCharsets.UTF_8);
            Files.writeString(outDir.resolve(name + ".json"), Json.writePretty(Map.of("experiment", name, "runs", json)) + "\n",
                    StandardCharsets.UTF_8);
            chart.write(outDir.resolve(name + ".svg"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write experiment results into " + outDir, e);
        }
    }

    private static double[] stats(List<Double> xs) {
        double mean = 0;
        double min = Double.POSITIVE_INFINITY;
        for (double x : xs) {
            mean += x;
            min = Math.min(min, x);
        }
        mean /= Math.max(1, xs.size());
        double var = 0;
        for (double x : xs) {
            var += (x - mean) * (x - mean);
        }
        return new double[] {mean, Math.sqrt(var / Math.max(1, xs.size())), min};
    }
}
