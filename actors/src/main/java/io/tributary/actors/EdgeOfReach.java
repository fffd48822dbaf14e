package io.tributary.actors;

import io.tributary.report.JsonIo;
import io.tributary.report.MarkdownTable;
import io.tributary.report.SvgChart;
import io.tributary.simulator.Environment;
import io.tributary.simulator.Environments;
import io.tributary.simulator.SimulatorSettings;
import io.tributary.simulator.data.DatasetFiles;
import io.tributary.simulator.envs.PointMass2DEnv;
import io.tributary.simulator.envs.PointMass2DValues;
import io.tributary.simulator.model.DynamicsEnsembleFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Built-in experiment {@code edge-of-reach} (issue 9): with the TRUE dynamics of {@code PointMass2D-v0}
 * there is no model error, yet base model-based SAC's Q-values grow without bound, because states reached
 * only at the last rollout step (depth k) are never starting points, so nothing corrects their values.
 * RAVL (an EDAC critic ensemble, N = 10, eta = 1) and the oracle patch (true values at depth-k states) do
 * not. The invocation:
 * <ol>
 *   <li>collects the dataset: 200 episodes of {@code pointmass2d-data} ({@code a = clip(0.5 u + N(0, 0.4^2 I),
 *       -1, 1)}, u towards the bump), seed 1, into {@code runs/edge-of-reach-<time>/dataset.tds};</li>
 *   <li>runs the three arms in child JVMs ({@link SeparateJvmRuns}, one per core, at most 3 at once) on
 *       {@code configs/edge-of-reach.conf}
 *       ({@code ModelRollouts-v0} over the true dynamics, k = 10, real data at 0.05), the same dataset and
 *       budget: {@code base} (critics 2, eta 0), {@code ravl} (critics 10, eta 1), {@code oracle} (base +
 *       {@code sac.oracle = PointMass2D-v0});</li>
 *   <li>the learned-dynamics path: 200 episodes of {@code pendulum-swingup} on {@code Pendulum-v1} (seed 1), a
 *       dynamics ensemble fitted to them in a child JVM ({@code tributary dynamics fit}), then RAVL on k = 5
 *       rollouts in that model ({@code configs/edge-of-reach-pendulum.conf}), its return measured in the real
 *       Pendulum-v1;</li>
 *   <li>reads each arm's logged probes ({@link EdgeOfReachAnalysis}) and writes {@code edge-of-reach.md}, the
 *       two SVG plots and {@code edge-of-reach.json} with the keys.</li>
 * </ol>
 * {@code optimal_return} is the undiscounted optimum from the start box by dynamic programming on the 0.01
 * grid with the 21 x 21 action grid ({@link PointMass2DValues} with gamma = 1), comparable with the
 * undiscounted probe returns; {@code q_bound = (1 - 0.99^30) / (1 - 0.99)}. {@code edge_state_fraction} is
 * the RAVL arm's last logged value. A smoke run scales the budget with {@code --set
 * tributary.run.max-env-steps=N --set tributary.learner.sac.probe-every=M}.
 */
public final class EdgeOfReach implements Experiment {
    /** Dataset episodes and seed (issue 9). */
    static final int DATASET_EPISODES = 200;
    static final long DATASET_SEED = 1;
    static final String DATA_CONTROLLER = "pointmass2d-data";
    static final double GAMMA = 0.99;

    private final Path config;

    /** The registered form: {@code configs/edge-of-reach.conf} relative to the working directory. */
    public EdgeOfReach() {
        this(Path.of("configs", "edge-of-reach.conf"));
    }

    /** With another experiment config (tests run from a module folder). */
    EdgeOfReach(Path config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "edge-of-reach";
    }

    @Override
    public String description() {
        return "PointMass2D with true-dynamics model rollouts (k=10): base SAC vs RAVL (N=10, eta=1) vs oracle patch; "
                + "Q over training against the bound, returns, ensemble std at edge-of-reach states";
    }

    /** The learned-dynamics path: environment, data controller, arm name and config file (beside the main one). */
    static final String LEARNED_ENV = "Pendulum-v1";
    static final String LEARNED_CONTROLLER = "pendulum-swingup";
    static final String LEARNED_ARM = "learned";
    static final String LEARNED_CONFIG = "edge-of-reach-pendulum.conf";

    /** What the learned-dynamics path gave. */
    record Learned(double validationMse, EdgeOfReachAnalysis.Series series, RunSummary summary, double dataReturn) {
    }

    /** One arm: its name and its settings on top of the experiment config. */
    record ArmSpec(String name, List<String> settings) {
    }

    static final List<ArmSpec> ARMS = List.of(
            new ArmSpec("ravl", List.of("tributary.learner.sac.critics=10", "tributary.learner.sac.eta=1.0")),
            new ArmSpec("base", List.of("tributary.learner.sac.critics=2", "tributary.learner.sac.eta=0.0")),
            new ArmSpec("oracle", List.of("tributary.learner.sac.critics=2", "tributary.learner.sac.eta=0.0",
                    "tributary.learner.sac.oracle=\"" + PointMass2DEnv.NAME + "\"")));

    @Override
    public void run(ExperimentContext context) {
        long start = System.nanoTime();
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path work = Path.of(runFolder(config, context.overrides())).resolve(name() + "-" + stamp).toAbsolutePath();
        Path datasetFile = work.resolve("dataset" + DatasetFiles.EXTENSION);
        double datasetReturn = collectDataset(PointMass2DEnv.NAME, DATA_CONTROLLER, datasetFile);
        Path pendulumData = work.resolve("pendulum" + DatasetFiles.EXTENSION);
        Path pendulumModel = work.resolve("pendulum-dynamics.bin");
        double pendulumDataReturn = collectDataset(LEARNED_ENV, LEARNED_CONTROLLER, pendulumData);

        // the arms train in child JVMs (DJL allows one gradient collector per process), as many at once as
        // there are cores (at most 3); the longest arm (ravl) starts first
        List<SeparateJvmRuns.Job> jobs = new ArrayList<>();
        for (ArmSpec arm : ARMS) {
            List<String> extra = new ArrayList<>(arm.settings());
            extra.add("tributary.simulator.env.options.dataset=\"" + datasetFile + "\"");
            extra.add("tributary.learner.sac.dataset=\"" + datasetFile + "\"");
            String runId = name() + "-" + arm.name() + "-" + stamp;
            // checked here first, so a bad setting fails before any child starts
            context.config(config, extra.toArray(new String[0]));
            extra.addAll(context.overrides());
            jobs.add(new SeparateJvmRuns.Job(arm.name(), config.toAbsolutePath(), extra, runId, work));
        }
        // the learned-dynamics path: fit the ensemble (a child `dynamics fit`), then RAVL on rollouts in it. Its
        // config cannot be checked here: the model file it names is made by the fit
        List<String> learned = new ArrayList<>(List.of(
                "tributary.simulator.env.options.dataset=\"" + pendulumData + "\"",
                "tributary.simulator.env.options.dynamics=\"" + pendulumModel + "\"",
                "tributary.learner.sac.dataset=\"" + pendulumData + "\""));
        learned.addAll(context.overrides());
        List<String> fit = new ArrayList<>(List.of("dynamics", "fit", "--dataset", pendulumData.toString(), "--out",
                pendulumModel.toString(), "--seed", Long.toString(DATASET_SEED)));
        for (String o : context.overrides()) {
            fit.add("--set");
            fit.add(o);
        }
        jobs.add(new SeparateJvmRuns.Job(LEARNED_ARM, config.resolveSibling(LEARNED_CONFIG).toAbsolutePath(), learned,
                name() + "-" + LEARNED_ARM + "-" + stamp, work, fit));
        int parallel = Math.max(1, Math.min(jobs.size(), Runtime.getRuntime().availableProcessors()));
        System.err.printf("[experiment %s] %d runs in child JVMs, %d at a time; data and runs in %s%n", name(),
                jobs.size(), parallel, work);
        List<TrainingRun.Outcome> outcomes = SeparateJvmRuns.run(jobs, parallel);
        Map<String, EdgeOfReachAnalysis.Series> series = new LinkedHashMap<>();
        Map<String, RunSummary> summaries = new LinkedHashMap<>();
        for (int i = 0; i < ARMS.size(); i++) {
            TrainingRun.Outcome out = outcomes.get(i);
            summaries.put(ARMS.get(i).name(), out.summary());
            series.put(ARMS.get(i).name(), EdgeOfReachAnalysis.read(out.runDir().resolve("metrics.jsonl")));
        }
        TrainingRun.Outcome learnedOut = outcomes.get(ARMS.size());
        Learned learnedResult;
        try {
            learnedResult = new Learned(DynamicsEnsembleFile.read(pendulumModel).eliteValidationMse(),
                    EdgeOfReachAnalysis.read(learnedOut.runDir().resolve("metrics.jsonl")), learnedOut.summary(),
                    pendulumDataReturn);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the fitted model " + pendulumModel, e);
        }
        double qBound = PointMass2DValues.qBound(GAMMA);
        double optimal = PointMass2DValues.solve(1.0).optimalReturn();
        double wall = (System.nanoTime() - start) / 1e9;
        write(context, series, summaries, qBound, optimal, wall, datasetReturn, work, learnedResult);
    }

    /**
     * {@code tributary.run.folder} as the user's overrides (last one wins) or the experiment file set it, else
     * the reference default. Read before the configuration is checked, because the check needs the dataset
     * file, which goes into this folder.
     */
    static String runFolder(Path file, List<String> overrides) {
        String folder = null;
        for (String o : overrides) {
            int eq = o.indexOf('=');
            String key = eq <= 0 ? "" : o.substring(0, eq).trim();
            if (key.equals("tributary.run.folder") || key.equals("run.folder")) {
                folder = com.typesafe.config.ConfigFactory.parseString("v = " + o.substring(eq + 1).trim()).getString("v");
            }
        }
        if (folder != null) {
            return folder;
        }
        com.typesafe.config.Config c = com.typesafe.config.ConfigFactory.parseFile(file.toFile())
                .withFallback(com.typesafe.config.ConfigFactory.defaultReference());
        return c.getString("tributary.run.folder");
    }

    /** Collects {@code DATASET_EPISODES} episodes of {@code controller} in {@code env}; returns their mean return. */
    static double collectDataset(String env, String controller, Path file) {
        SimulatorSettings sim = new SimulatorSettings(env, Map.of());
        try (Environment e = Environments.create(env, Map.of())) {
            DatasetCollector.Result r = DatasetCollector.collect(e, Controllers.create(controller, sim), DATASET_EPISODES,
                    DATASET_SEED);
            Files.createDirectories(file.getParent());
            DatasetFiles.write(r.dataset(), file);
            return r.meanReturn();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write the dataset " + file, ex);
        }
    }

    private void write(ExperimentContext context, Map<String, EdgeOfReachAnalysis.Series> series,
                       Map<String, RunSummary> summaries, double qBound, double optimal, double wall, double datasetReturn,
                       Path work, Learned learnedResult) {
        EdgeOfReachAnalysis.Series b = series.get("base");
        EdgeOfReachAnalysis.Series o = series.get("oracle");
        EdgeOfReachAnalysis.Series r = series.get("ravl");
        double edgeFraction = EdgeOfReachAnalysis.lastFinite(r, EdgeOfReachAnalysis.Probe::edgeStateFraction);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("wall_seconds", wall);
        json.put("q_bound", qBound);
        json.put("optimal_return", optimal);
        json.put("edge_state_fraction", edgeFraction);
        Map<String, Object> base = new LinkedHashMap<>();
        base.put("q_max_final", EdgeOfReachAnalysis.qMaxFinal(b));
        base.put("q_max_rising", EdgeOfReachAnalysis.qMaxRising(b));
        base.put("diverged_at_update", b.divergedAtUpdate() < 0 ? null : b.divergedAtUpdate());
        base.put("return_final", EdgeOfReachAnalysis.returnFinal(b));
        json.put("base", base);
        Map<String, Object> oracle = new LinkedHashMap<>();
        oracle.put("q_max_peak", EdgeOfReachAnalysis.qMaxPeak(o));
        oracle.put("return_final", EdgeOfReachAnalysis.returnFinal(o));
        json.put("oracle", oracle);
        Map<String, Object> ravl = new LinkedHashMap<>();
        ravl.put("q_max_final", EdgeOfReachAnalysis.qMaxFinal(r));
        ravl.put("q_max_peak", EdgeOfReachAnalysis.qMaxPeak(r));
        ravl.put("return_final", EdgeOfReachAnalysis.returnFinal(r));
        ravl.put("q_std_edge", EdgeOfReachAnalysis.meanAfterWarmup(r, EdgeOfReachAnalysis.Probe::qStdEdge));
        ravl.put("q_std_interior", EdgeOfReachAnalysis.meanAfterWarmup(r, EdgeOfReachAnalysis.Probe::qStdInterior));
        ravl.put("alpha_final", r.alphaFinal());
        json.put("ravl", ravl);
        Map<String, Object> learned = new LinkedHashMap<>();
        learned.put("env", LEARNED_ENV);
        learned.put("validation_mse", learnedResult.validationMse());
        learned.put("return_final", EdgeOfReachAnalysis.returnFinal(learnedResult.series()));
        json.put("learned_dynamics", learned);

        MarkdownTable table = new MarkdownTable("arm", "critics", "eta", "gradient steps", "diverged at", "q_max final",
                "q_max peak (after 10%)", "q_max rising", "return final", "alpha final", "q std edge", "q std rest",
                "stop reason", "wall s").decimals(3);
        SvgChart qChart = new SvgChart("Edge of reach: log10 max Q over fixed dataset states")
                .xLabel("gradient steps").yLabel("log10(max(q_max, 0.1))").comment(ExperimentRunner.mark(name(), true))
                .targetLine(Math.log10(qBound), String.format(Locale.ROOT, "bound %.2f", qBound));
        SvgChart retChart = new SvgChart("Edge of reach: return of the deterministic policy (true environment)")
                .xLabel("gradient steps").yLabel("mean return, 20 fixed-seed episodes")
                .comment(ExperimentRunner.mark(name(), true))
                .targetLine(optimal, String.format(Locale.ROOT, "optimal %.2f", optimal));
        for (ArmSpec arm : ARMS) {
            EdgeOfReachAnalysis.Series s = series.get(arm.name());
            RunSummary sum = summaries.get(arm.name());
            int n = s.probes().size();
            double[] x = new double[n];
            double[] q = new double[n];
            double[] ret = new double[n];
            for (int i = 0; i < n; i++) {
                EdgeOfReachAnalysis.Probe p = s.probes().get(i);
                x[i] = p.step();
                q[i] = Double.isFinite(p.qMax()) ? Math.log10(Math.max(p.qMax(), 0.1)) : Double.NaN;
                ret[i] = p.probeReturn();
            }
            qChart.addSeries(arm.name(), x, q);
            retChart.addSeries(arm.name(), x, ret);
            String critics = arm.name().equals("ravl") ? "10" : "2";
            String eta = arm.name().equals("ravl") ? "1" : "0";
            table.addRow(arm.name(), critics, eta, n == 0 ? 0 : (long) s.probes().get(n - 1).step(),
                    s.divergedAtUpdate() < 0 ? "-" : Long.toString(s.divergedAtUpdate()), EdgeOfReachAnalysis.qMaxFinal(s),
                    EdgeOfReachAnalysis.qMaxPeak(s), EdgeOfReachAnalysis.qMaxRising(s), EdgeOfReachAnalysis.returnFinal(s),
                    s.alphaFinal(), EdgeOfReachAnalysis.meanAfterWarmup(s, EdgeOfReachAnalysis.Probe::qStdEdge),
                    EdgeOfReachAnalysis.meanAfterWarmup(s, EdgeOfReachAnalysis.Probe::qStdInterior), sum.stopReason(),
                    sum.wallSeconds());
        }
        double baseFinal = EdgeOfReachAnalysis.qMaxFinal(b);
        double baseRet = EdgeOfReachAnalysis.returnFinal(b);
        double ravlRet = EdgeOfReachAnalysis.returnFinal(r);
        double oraclePeak = EdgeOfReachAnalysis.qMaxPeak(o);
        double ravlPeak = EdgeOfReachAnalysis.qMaxPeak(r);
        double stdEdge = EdgeOfReachAnalysis.meanAfterWarmup(r, EdgeOfReachAnalysis.Probe::qStdEdge);
        double stdRest = EdgeOfReachAnalysis.meanAfterWarmup(r, EdgeOfReachAnalysis.Probe::qStdInterior);
        boolean baseExploded = b.divergedAtUpdate() >= 0 || baseFinal >= 10 * qBound;
        StringBuilder md = new StringBuilder();
        md.append("<!-- ").append(ExperimentRunner.mark(name(), true)).append("; generated, rerunning replaces this file -->\n");
        md.append("# Experiment: edge-of-reach\n\n");
        md.append(String.format(Locale.ROOT, "PointMass2D-v0 with the TRUE dynamics as the model (ModelRollouts-v0, "
                + "k = 10, start states from the dataset), %d dataset episodes of the scripted data policy (seed %d, mean "
                + "return %.2f), real-data ratio 0.05, SAC 2x64 networks (a documented deviation from 3x256), batch 256, "
                + "lr 3e-4, gamma 0.99, tau 5e-3, 0.04 gradient steps per model step (100 per policy version). Settings: "
                + "`configs/edge-of-reach.conf` (fixed before any result). Data and runs: `%s`.%n%n",
                DATASET_EPISODES, DATASET_SEED, datasetReturn, work));
        md.append(String.format(Locale.ROOT, "q_bound = (1 - 0.99^30)/(1 - 0.99) = %.3f; optimal return (undiscounted, "
                + "DP on the 0.01 grid, 21x21 actions, start box average) = %.3f; edge_state_fraction (RAVL arm, last "
                + "probe: depth-10 states farther than 0.05 in (x, y) from every dataset or shallower state) = %.4f; "
                + "wall time %.0f s.%n%n", qBound, optimal, edgeFraction, wall));
        md.append(table.render()).append('\n');
        md.append("q_max = max over 1,000 fixed dataset states of mean_j Q_j(s, tanh mu(s)) in float64, logged every "
                + "1,000 gradient steps; Q is the soft critic as trained (its target includes -alpha log pi, which "
                + "fades as alpha is tuned down). Returns: the deterministic policy, 20 fixed-seed episodes of the true "
                + "PointMass2D-v0. q std columns: mean over the probes after the first 10% of training of the mean "
                + "ensemble standard deviation of Q_j(s', tanh mu(s')) at next states of depth-10 transitions (edge) and "
                + "of the others (rest).\n\n");
        md.append("## Must-show checks (computed from the figures above)\n\n");
        md.append(check("base: max Q >= 10 x bound (or diverged) and still rising at the end", baseExploded
                && EdgeOfReachAnalysis.qMaxRising(b)));
        md.append(check("base: final return below RAVL's", baseRet < ravlRet || (!Double.isFinite(baseRet) && Double.isFinite(ravlRet))));
        md.append(check("oracle: Q peak <= 1.5 x bound", oraclePeak <= 1.5 * qBound));
        md.append(check("ravl: Q peak <= 1.5 x bound", ravlPeak <= 1.5 * qBound));
        md.append(check("ravl: final return >= 80% of the optimal return", ravlRet >= 0.8 * optimal));
        md.append(check("ravl: ensemble std higher at edge-of-reach states than at the rest", stdEdge > stdRest));
        double learnedReturn = EdgeOfReachAnalysis.returnFinal(learnedResult.series());
        md.append(check(String.format(Locale.ROOT, "learned-dynamics path runs end to end (Pendulum-v1: dataset of %d "
                        + "pendulum-swingup episodes, mean return %.1f; ensemble validation MSE %.3g; RAVL on k = 5 model "
                        + "rollouts, %d gradient steps, stop: %s; final return %.1f over %d probe episodes)",
                DATASET_EPISODES, learnedResult.dataReturn(), learnedResult.validationMse(),
                learnedResult.series().probes().isEmpty() ? 0
                        : (long) learnedResult.series().probes().get(learnedResult.series().probes().size() - 1).step(),
                learnedResult.summary().stopReason(), learnedReturn, 10),
                Double.isFinite(learnedResult.validationMse()) && Double.isFinite(learnedReturn)));
        md.append("\nPlots: `edge-of-reach-q.svg` (log10 of q_max over training, bound dashed), `edge-of-reach-return.svg`"
                + " (probe return, optimum dashed). Figures: `edge-of-reach.json`.\n");
        try {
            Files.createDirectories(context.outDir());
            Files.writeString(context.output(".md"), md.toString(), StandardCharsets.UTF_8);
            qChart.write(context.output("-q.svg"));
            retChart.write(context.output("-return.svg"));
            JsonIo.writePrettyFile(context.output(".json"), json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the edge-of-reach results into " + context.outDir(), e);
        }
    }

    private static String check(String what, boolean ok) {
        return "- " + (ok ? "PASS" : "FAIL") + ": " + what + "\n";
    }
}
