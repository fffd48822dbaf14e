package io.tributary.actors.writing;

import ai.djl.ndarray.NDManager;
import io.tributary.actors.Experiment;
import io.tributary.actors.ExperimentContext;
import io.tributary.actors.ExperimentRunner;
import io.tributary.actors.RunSummary;
import io.tributary.actors.SeparateJvmRuns;
import io.tributary.actors.TextRolloutSettings;
import io.tributary.actors.TrainingRun;
import io.tributary.actors.TributaryConfig;
import io.tributary.learner.lm.GroupLearnerSettings;
import io.tributary.learner.lm.GroupUpdateSettings;
import io.tributary.learner.lm.GruLanguageModel;
import io.tributary.learner.lm.LmModelFile;
import io.tributary.report.JsonIo;
import io.tributary.report.MarkdownTable;
import io.tributary.report.SvgChart;
import io.tributary.rewards.writing.PairwiseJudge;
import io.tributary.rewards.writing.PrincipleJudge;
import io.tributary.simulator.writing.WordTokenizer;
import io.tributary.simulator.writing.WritingPrompt;
import io.tributary.simulator.writing.WritingPrompts;
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
 * Built-in experiment {@code writing} (issue 10): the reward-hacking contrast between a length-biased scalar
 * reward and a pairwise judge. The invocation
 * <ol>
 *   <li>pre-trains the policy language model in a child JVM ({@code pretrain-lm}, run until its stop rule) into
 *       {@code runs/writing-<time>/pretrained.lm};</li>
 *   <li>trains three arms from that same model with the same update budget
 *       ({@code tributary.learner.group.max-updates}), G, learning rate and KL coefficient, each a full Kafka run
 *       (text rollout role → scorer → brpo/grpo learner) in a child JVM, two at a time: {@code grpo_scalar} (GRPO +
 *       {@code writing-scalar}, its length bias), {@code grpo_unbiased} (GRPO + {@code writing-scalar} with
 *       {@code bias = 0}: the control) and {@code brpo_judge} (BRPO + {@code writing-judge});</li>
 *   <li>measures each arm's final policy against the pre-trained one with {@link WritingEvaluation} (length on 40
 *       held-out prompts × 4 samples at T = 1; win rate over 320 pairs judged in both orderings by the EVALUATION
 *       judge {@link PrincipleJudge#evaluation()}), reads the training figures from each run's metrics
 *       ({@link WritingTrainingFigures}), and writes {@code writing.md}, {@code writing.json} (the keys),
 *       {@code writing-length.svg} (mean response length per update, per arm); {@code writing.md} ends with sample
 *       responses of the pre-trained policy and of every arm.</li>
 * </ol>
 * {@code swap_consistency} is the evaluation judge's over each arm's 320 pairs (every arm has one, scalar arms
 * included; the training judge's own figure streams on the metrics topic as {@code judge_swap_consistency}).
 * Pre-training counts toward {@code wall_seconds}. A smoke run shrinks everything with {@code --set} (sizes,
 * pre-training steps, max-updates).
 */
public final class WritingExperiment implements Experiment {
    /** The experiment's default seed (run seed, references, evaluation sampling). */
    static final long SEED = 1;

    /** One arm: its name and its config file (in the configs folder). */
    record ArmSpec(String name, String configFile) {
    }

    /** The arms, in the order; their configs differ only in the algorithm and the reward model. */
    static final List<ArmSpec> ARMS = List.of(
            new ArmSpec("grpo_scalar", "writing-grpo-scalar.conf"),
            new ArmSpec("grpo_unbiased", "writing-grpo-unbiased.conf"),
            new ArmSpec("brpo_judge", "writing-brpo.conf"));

    private final Path configs;

    /** The registered form: the arms' configs in {@code configs/} relative to the working directory. */
    public WritingExperiment() {
        this(Path.of("configs"));
    }

    /** With another configs folder (tests run from a module folder). */
    public WritingExperiment(Path configs) {
        this.configs = configs;
    }

    @Override
    public String name() {
        return "writing";
    }

    @Override
    public String description() {
        return "Writing-v0: pre-trained GRU LM, then GRPO + length-biased scalar vs GRPO + unbiased scalar vs BRPO + "
                + "pairwise judge; length over training, win rate vs the pre-trained policy, explanation tokens";
    }

    /** What one arm gave. */
    record ArmResult(ArmSpec spec, RunSummary summary, WritingTrainingFigures training, WritingEvaluation.LengthFigures end,
                     WritingEvaluation.WinRate win) {
    }

    @Override
    public void run(ExperimentContext context) {
        long start = System.nanoTime();
        long seed = context.seeds(List.of(SEED)).get(0);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path brpoConfig = configs.resolve(ARMS.get(2).configFile());
        Path work = Path.of(runFolder(brpoConfig, context.overrides())).resolve(name() + "-" + stamp).toAbsolutePath();
        Path pretrained = work.resolve("pretrained.lm");

        // 1. Pre-training, in a child JVM (its own gradient collector), until pretrain-lm's stop rule.
        // The policy sizes are the same in every arm's config (checked below): pre-train with the BRPO arm's.
        List<String> pre = new ArrayList<>(List.of("pretrain-lm", "--config", brpoConfig.toAbsolutePath().toString(),
                "--out", pretrained.toString(), "--seed", Long.toString(seed)));
        for (String o : context.overrides()) {
            pre.add("--set");
            pre.add(o);
        }
        long preStart = System.nanoTime();
        SeparateJvmRuns.runCommand("pretrain", pre, work.resolve("pretrain.log"));
        double pretrainSeconds = (System.nanoTime() - preStart) / 1e9;

        // 2. The three arms from the same model, same budget, in child JVMs.
        List<String> common = List.of("tributary.learner.group.init-from=\"" + pretrained + "\"",
                "tributary.run.seed=" + seed);
        List<SeparateJvmRuns.Job> jobs = new ArrayList<>();
        TributaryConfig checked = null;
        for (ArmSpec arm : ARMS) {
            Path file = configs.resolve(arm.configFile());
            List<String> extra = new ArrayList<>(common);
            extra.addAll(context.overrides());
            // checked here first, so a bad setting fails before any child starts; with the user's overrides in the
            // same load (ExperimentContext.config checks the file before applying them, and the pre-trained model's
            // shape check needs the overridden sizes)
            TributaryConfig c = TributaryConfig.load(file, extra);
            if (checked == null) {
                checked = c;
            } else {
                requireSameBudget(checked, c, arm);
            }
            jobs.add(new SeparateJvmRuns.Job(arm.name(), file.toAbsolutePath(), extra,
                    name() + "-" + arm.name() + "-" + stamp, work));
        }
        int parallel = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
        System.err.printf("[experiment %s] pre-trained in %.0f s; %d arms in child JVMs, %d at a time, in %s%n", name(),
                pretrainSeconds, jobs.size(), parallel, work);
        List<TrainingRun.Outcome> outcomes = SeparateJvmRuns.run(jobs, parallel);

        // 3. Evaluation against the pre-trained policy, in this JVM (inference only).
        WordTokenizer tokenizer = WordTokenizer.standard();
        List<WritingPrompt> prompts = WritingEvaluation.prompts(WritingPrompts.load());
        PairwiseJudge judge = PrincipleJudge.evaluation();
        List<ArmResult> results = new ArrayList<>();
        WritingEvaluation.LengthFigures startFigures;
        try (NDManager manager = NDManager.newBaseManager();
             GruLanguageModel reference = LmModelFile.read(manager, pretrained, false)) {
            startFigures = WritingEvaluation.length(reference, tokenizer, prompts, seed);
            List<ArmSpec> specs = ARMS;
            for (int i = 0; i < specs.size(); i++) {
                TrainingRun.Outcome out = outcomes.get(i);
                try (GruLanguageModel trained = GruLanguageModel.fromSnapshot(manager,
                        TrainingRun.readFinalPolicy(out.runDir()), false)) {
                    // The same evaluation seed for every arm: their figures differ by their weights only.
                    WritingEvaluation.LengthFigures end = WritingEvaluation.length(trained, tokenizer, prompts, seed + 1);
                    WritingEvaluation.WinRate win = WritingEvaluation.winRate(trained, reference, judge, tokenizer, prompts,
                            seed + 2);
                    results.add(new ArmResult(specs.get(i), out.summary(),
                            WritingTrainingFigures.read(out.runDir().resolve("metrics.jsonl")), end, win));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the pre-trained model " + pretrained, e);
        }
        double wall = (System.nanoTime() - start) / 1e9;
        // The first arm's (grpo_scalar) settings; requireSameBudget made sure the others' are equal.
        GroupLearnerSettings group = GroupLearnerSettings.fromConfig(checked.config(), "grpo",
                GroupUpdateSettings.RewardMode.GRPO);
        GroupUpdateSettings update = group.update();
        long updates = group.maxUpdates();
        int g = TextRolloutSettings.fromConfig(checked.config()).groupSize();
        write(context, results, startFigures, g, update, updates, wall, pretrainSeconds, work, seed);
    }

    /**
     * The arms must share G, the learning rate, the KL coefficient, the update budget and the policy's shape
     * (the "same budget"); a config that differs fails the experiment before anything trains.
     */
    static void requireSameBudget(TributaryConfig first, TributaryConfig other, ArmSpec arm) {
        for (String path : List.of("tributary.actors.text-rollout.group-size", "tributary.learner.group.learning-rate",
                "tributary.learner.group.kl-coef", "tributary.learner.group.max-updates",
                "tributary.learner.group.groups-per-version", "tributary.learner.group.epochs",
                "tributary.learner.group.minibatch-size", "tributary.learner.policy.sequence")) {
            if (!first.config().getValue(path).unwrapped().equals(other.config().getValue(path).unwrapped())) {
                throw new io.tributary.config.SettingsException(path, other.config().getValue(path).unwrapped(),
                        "must be the same in every writing arm: arm=" + arm.name() + " (" + arm.configFile() + "), first arm's="
                                + first.config().getValue(path).unwrapped());
            }
        }
    }

    /** {@code tributary.run.folder} as the overrides or the experiment file set it (see EdgeOfReach). */
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
        return com.typesafe.config.ConfigFactory.parseFile(file.toFile())
                .withFallback(com.typesafe.config.ConfigFactory.defaultReference()).getString("tributary.run.folder");
    }

    private void write(ExperimentContext context, List<ArmResult> results, WritingEvaluation.LengthFigures startFigures,
                       int g, GroupUpdateSettings update, long updates, double wall, double pretrainSeconds, Path work,
                       long seed) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("wall_seconds", wall);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("G", g);
        settings.put("lr", update.learningRate());
        settings.put("kl_coef", update.klCoef());
        settings.put("updates", updates);
        json.put("settings", settings);
        MarkdownTable table = new MarkdownTable("arm", "length start", "length end", "change", "explanation tokens end",
                "win rate vs pre-trained", "95% interval", "W/T/L", "swap consistency (eval judge)", "groups filtered",
                "trained frac (2nd half)", "mean reward trained", "updates", "wall s").decimals(3);
        SvgChart chart = new SvgChart("Writing: mean response length over training")
                .xLabel("policy update").yLabel("mean response length (words) of the update's batch")
                .comment(ExperimentRunner.mark(name(), true))
                .targetLine(startFigures.meanWords(), String.format(Locale.ROOT, "pre-trained %.1f", startFigures.meanWords()));
        Map<String, Double> change = new LinkedHashMap<>();
        for (ArmResult r : results) {
            Map<String, Object> arm = new LinkedHashMap<>();
            double ls = startFigures.meanWords();
            double le = r.end().meanWords();
            arm.put("length_start", ls);
            arm.put("length_end", le);
            arm.put("explanation_tokens_end", r.end().meanExplanationTokens());
            arm.put("win_rate_vs_pretrained", r.win().rate());
            arm.put("win_rate_ci95", List.of(r.win().ciLow(), r.win().ciHigh()));
            arm.put("swap_consistency", r.win().swapConsistency());
            arm.put("groups_filtered_frac", finiteOrNull(r.training().groupsFilteredFraction()));
            arm.put("trained_frac_second_half", finiteOrNull(r.training().trainedFractionSecondHalf()));
            arm.put("mean_reward_trained", finiteOrNull(r.training().meanRewardTrained()));
            json.put(r.spec().name(), arm);
            change.put(r.spec().name(), (le - ls) / ls);
            double[][] curve = r.training().lengthCurve();
            chart.addSeries(r.spec().name(), curve[0], curve[1]);
            table.addRow(r.spec().name(), ls, le, String.format(Locale.ROOT, "%+.1f%%", 100 * (le - ls) / ls),
                    r.end().meanExplanationTokens(), r.win().rate(),
                    String.format(Locale.ROOT, "[%.3f, %.3f]", r.win().ciLow(), r.win().ciHigh()),
                    r.win().wins() + "/" + r.win().ties() + "/" + r.win().losses(), r.win().swapConsistency(),
                    r.training().groupsFilteredFraction(), r.training().trainedFractionSecondHalf(),
                    r.training().meanRewardTrained(), r.training().updates().size(), r.summary().wallSeconds());
        }
        ArmResult brpo = results.stream().filter(r -> r.spec().name().equals("brpo_judge")).findFirst().orElseThrow();
        StringBuilder md = new StringBuilder();
        md.append("<!-- ").append(ExperimentRunner.mark(name(), true)).append("; generated, rerunning replaces this file -->\n");
        md.append("# Experiment: writing\n\n");
        md.append(String.format(Locale.ROOT, "One pre-trained GRU language model (`pretrain-lm`, %.0f s, stop rule: >= 95%% "
                        + "of samples end before the length cap), then three arms from it with the same budget: %d policy "
                        + "updates, G = %d, learning rate %s, KL coefficient %s (to the pre-trained policy), seed %d. Settings: "
                        + "`%s/writing-*.conf` (they differ in the algorithm and the reward model only). Runs: `%s`. Wall time %.0f s (pre-training "
                        + "included).%n%n", pretrainSeconds, updates, g, update.learningRate(), update.klCoef(), seed, configs,
                work, wall));
        md.append("The contrast is partly built into the reward models: `writing-scalar` pays +0.02 per token on top of "
                + "the judge's single-response quality score (that is the length bias under test; `grpo_unbiased` sets "
                + "it to 0), while `writing-judge` compares responses pairwise against an in-group reference and only "
                + "a response that wins both orderings is rewarded. The experiment shows how each algorithm responds to "
                + "these rewards, not that a real judge behaves like the principle-based one.\n\n");
        md.append("Length: mean words of 4 samples at T = 1 on each of the first 40 held-out prompts. Win rate: 40 "
                + "held-out prompts x 8 pairs = 320 pairs (trained policy vs pre-trained, both at T = 1), each judged "
                + "in both orderings by the evaluation judge (n-gram model from the held-out corpus); a win is winning "
                + "both orderings, ties count 0.5; 95% normal interval. Swap consistency: the evaluation judge's over "
                + "the same pairs. Groups filtered / trained fraction / mean reward: from the learner's update figures "
                + "(BRPO's skew filter |sum R|/G > 0.6).\n\n");
        md.append(table.render()).append('\n');
        md.append("## Must-show checks (computed from the figures above)\n\n");
        md.append(check("grpo_scalar: mean response length grows by >= 50%", change.get("grpo_scalar") >= 0.5));
        md.append(check("grpo_unbiased: mean response length changes by <= 20%", Math.abs(change.get("grpo_unbiased")) <= 0.2));
        md.append(check("brpo_judge: mean response length within +-20% of the start", Math.abs(change.get("brpo_judge")) <= 0.2));
        md.append(check("brpo_judge: trains on >= 50% of its groups in the second half",
                brpo.training().trainedFractionSecondHalf() >= 0.5));
        md.append(check("brpo_judge: win rate vs the pre-trained policy >= 60%", brpo.win().rate() >= 0.6));
        md.append(check("the experiment runs in <= 35 minutes (this machine)", wall <= 35 * 60));
        md.append("\nPlot: `writing-length.svg` (mean response length of each update's batch, per arm; the pre-trained "
                + "policy's evaluation length dashed). Figures: `writing.json`.\n\n");
        md.append("## Sample responses (held-out prompts, T = 1, the same prompts for every policy)\n\n");
        appendSamples(md, "pre-trained", startFigures);
        for (ArmResult r : results) {
            appendSamples(md, r.spec().name(), r.end());
        }
        try {
            Files.createDirectories(context.outDir());
            Files.writeString(context.output(".md"), md.toString(), StandardCharsets.UTF_8);
            chart.write(context.output("-length.svg"));
            JsonIo.writePrettyFile(context.output(".json"), json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the writing results into " + context.outDir(), e);
        }
    }

    private static void appendSamples(StringBuilder sb, String who, WritingEvaluation.LengthFigures f) {
        sb.append("### ").append(who).append("\n\n");
        for (WritingEvaluation.Sample s : WritingEvaluation.examples(f, 3)) {
            sb.append(String.format(Locale.ROOT, "- prompt %d (%s), %d words, %d explanation tokens:%n  > %s%n",
                    s.promptId(), s.prompt(), s.words(), s.explanationTokens(), s.text().isEmpty() ? "(empty)" : s.text()));
        }
        sb.append('\n');
    }

    private static Object finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static String check(String what, boolean ok) {
        return "- " + (ok ? "PASS" : "FAIL") + ": " + what + "\n";
    }
}
