package io.tributary.actors;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.config.SettingsException;
import io.tributary.report.JsonIo;
import io.tributary.report.MarkdownTable;
import io.tributary.report.SvgChart;
import java.io.BufferedReader;
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
 * Runs experiments: each arm (a named config) with each training seed, one run after another in this JVM
 * (DJL trains one learner at a time per process), all evaluated on the same fixed evaluation seeds; and
 * writes the standard report: {@code <name>.md} (a table per run and per arm), {@code <name>.json} (every
 * run's summary) and {@code <name>.svg} (learning curves) into the output folder, normally
 * {@code docs/results}.
 *
 * <p>Each report file carries a mark saying who wrote it (first line of the Markdown, {@code written_by} in
 * the JSON, a comment in the SVG). The generic {@code --name} form writes only files that are absent or carry
 * its own mark for that name, and never a registered {@link Experiment}'s name, so it cannot overwrite a
 * registered experiment's results or a hand-written page.
 */
public final class ExperimentRunner {
    /** One arm: a name and its configuration. */
    public record Arm(String name, TributaryConfig config) {
    }

    /** The result of one (arm, seed) run. */
    public record RunRow(String arm, long seed, TrainingRun.Outcome outcome) {
    }

    /** {@code <name>.json}: who wrote it and every run's summary. */
    public record Report(@JsonProperty("experiment") String experiment, @JsonProperty("written_by") String writtenBy,
                         @JsonProperty("runs") List<Run> runs) {
        /** One run of the report. */
        public record Run(@JsonProperty("arm") String arm, @JsonProperty("seed") long seed,
                          @JsonProperty("summary") RunSummary summary) {
        }
    }

    private ExperimentRunner() {
    }

    /** The mark of report files written for {@code name} by the generic runner or by the registered experiment. */
    public static String mark(String name, boolean registered) {
        return "tributary-experiment-report " + (registered ? "registered" : "generic") + " name=" + name;
    }

    /**
     * The generic form ({@code --name N --arm ...}): refuses a registered name or a report file it did not
     * write, then runs every arm with every seed and writes the report; returns the rows in run order.
     */
    public static List<RunRow> run(String name, List<Arm> arms, List<Long> seeds, Path outDir) {
        checkGenericMayWrite(name, outDir);
        List<RunRow> rows = runArms(name, arms, seeds);
        writeReport(name, mark(name, false), rows, outDir);
        return rows;
    }

    /** Runs every arm with every seed (run ids start with {@code name}); writes no report. */
    public static List<RunRow> runArms(String name, List<Arm> arms, List<Long> seeds) {
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
        return rows;
    }

    /** Throws naming the file if the generic runner must not write {@code name}'s report into {@code outDir}. */
    static void checkGenericMayWrite(String name, Path outDir) {
        if (Experiments.registered().containsKey(name)) {
            throw new SettingsException("--name", name, "is a registered experiment, which owns its files: run it "
                    + "with 'tributary experiment " + name + "', or choose another --name");
        }
        String mark = mark(name, false);
        for (String suffix : List.of(".md", ".json", ".svg")) {
            Path f = outDir.resolve(name + suffix);
            if (Files.exists(f) && !carriesMark(f, suffix, mark)) {
                throw new SettingsException("--name", name, "would overwrite " + f + ", which the generic experiment "
                        + "runner did not write (it lacks the mark '" + mark + "'); choose another --name or --out");
            }
        }
    }

    private static boolean carriesMark(Path f, String suffix, String mark) {
        try {
            return switch (suffix) {
                case ".md" -> {
                    try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                        String first = r.readLine();
                        yield first != null && first.equals(markdownMark(mark));
                    }
                }
                case ".json" -> {
                    JsonNode n;
                    try {
                        n = JsonIo.readObject(f);
                    } catch (IllegalArgumentException notOurs) {
                        yield false;
                    }
                    yield mark.equals(n.path("written_by").asText(null));
                }
                default -> Files.readString(f, StandardCharsets.UTF_8).contains("<!-- " + mark + " -->");
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
    }

    private static String markdownMark(String mark) {
        return "<!-- " + mark + "; generated, rerunning replaces this file -->";
    }

    /** Writes {@code <name>.md}, {@code <name>.json} and {@code <name>.svg}, each carrying {@code mark}. */
    public static void writeReport(String name, String mark, List<RunRow> rows, Path outDir) {
        try {
            Files.createDirectories(outDir);
            MarkdownTable perRun = new MarkdownTable("arm", "seed", "eval return (mean)", "eval return (std)",
                    "env steps", "wall s", "env steps/s", "updates", "lost", "duplicated", "run");
            Map<String, List<Double>> byArm = new LinkedHashMap<>();
            Map<String, List<Double>> wallByArm = new LinkedHashMap<>();
            List<Report.Run> runs = new ArrayList<>();
            SvgChart chart = new SvgChart("Experiment " + name + ": training return per run")
                    .xLabel("environment steps trained").yLabel("mean training return (last 100 episodes)")
                    .comment(mark);
            for (RunRow r : rows) {
                RunSummary s = r.outcome().summary();
                perRun.addRow(r.arm(), r.seed(), s.evalReturnMean(), s.evalReturnStd(), s.envSteps(), s.wallSeconds(),
                        s.envStepsPerSecond(), s.updates(), s.chunksLost(), s.chunksDuplicated(), r.outcome().runId());
                byArm.computeIfAbsent(r.arm(), k -> new ArrayList<>()).add(s.evalReturnMean());
                wallByArm.computeIfAbsent(r.arm(), k -> new ArrayList<>()).add(s.wallSeconds());
                runs.add(new Report.Run(r.arm(), r.seed(), s));
                double[][] curve = TrainingRun.learningCurve(r.outcome().runDir().resolve("metrics.jsonl"));
                chart.addSeries(r.arm() + " seed " + r.seed(), curve[0], curve[1]);
            }
            MarkdownTable perArm = new MarkdownTable("arm", "runs", "eval return mean over seeds", "std over seeds",
                    "min", "mean wall s");
            for (Map.Entry<String, List<Double>> e : byArm.entrySet()) {
                double[] st = stats(e.getValue());
                perArm.addRow(e.getKey(), e.getValue().size(), st[0], st[1], st[2], stats(wallByArm.get(e.getKey()))[0]);
            }
            String md = markdownMark(mark) + "\n"
                    + "# Experiment: " + name + "\n\n"
                    + "Evaluation: deterministic actions, the same fixed evaluation seeds for every run "
                    + "(tributary.run.eval-seed-base onwards), never used in training.\n\n"
                    + "## Per arm\n\n" + perArm.render() + "\n## Per run\n\n" + perRun.render()
                    + "\nLearning curves: `" + name + ".svg`; every run's summary: `" + name + ".json`.\n";
            Files.writeString(outDir.resolve(name + ".md"), md, StandardCharsets.UTF_8);
            JsonIo.writePrettyFile(outDir.resolve(name + ".json"), new Report(name, mark, runs));
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
