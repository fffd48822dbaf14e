package io.tributary.actors.cli;

import com.typesafe.config.Config;
import io.tributary.actors.TributaryConfig;
import io.tributary.config.SettingsException;
import io.tributary.learner.LearnerSettings;
import io.tributary.learner.PolicySpec;
import io.tributary.learner.lm.GruLanguageModel;
import io.tributary.learner.lm.LmPretrainer;
import io.tributary.learner.lm.LmPretraining;
import io.tributary.report.JsonIo;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tributary pretrain-lm --out FILE [--seed S] [--max-steps N] [--config CONFIG] [--set key=value]}: pre-trains
 * the writing workload's policy language model ({@link LmPretraining}: {@code tributary.learner.policy.sequence} for
 * the shape, {@code tributary.learner.lm-pretrain} for the training) until the stop rule holds or the step cap, prints
 * a progress line at every check, and writes the model file (what {@code tributary.learner.group.init-from} reads)
 * and its figures as JSON beside it ({@code FILE.json}).
 */
@Command(name = "pretrain-lm", mixinStandardHelpOptions = true,
        description = "Pre-train the writing policy language model (supervised, prompt-conditioned) until >= 95%% of "
                + "samples end before the length cap, or --max-steps; writes the model file and FILE.json.")
final class PretrainLmCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Model file to write "
            + "(tributary.learner.group.init-from reads it); figures go to FILE.json")
    Path out;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the pairs, the initial weights and the order "
            + "(default: tributary.learner.seed)")
    Long seed;

    @Option(names = "--max-steps", paramLabel = "N", description = "Cap on gradient steps "
            + "(default: tributary.learner.lm-pretrain.max-steps)")
    Integer maxSteps;

    @Option(names = "--config", paramLabel = "CONFIG", description = "Experiment file whose tributary.learner "
            + "policy.sequence, lm-pretrain and device settings apply (default: the reference settings)")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable), e.g. "
            + "learner.policy.sequence.hidden-size=64")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        List<String> all = new ArrayList<>(overrides);
        if (maxSteps != null) {
            if (maxSteps < 1) {
                throw new SettingsException("--max-steps", maxSteps, "must be >= 1");
            }
            all.add("learner.lm-pretrain.max-steps=" + maxSteps);
        }
        Config c = TributaryConfig.resolveOnly(config, all);
        long s = seed != null ? seed : LearnerSettings.fromConfig(c).seed();
        PrintStream o = System.out;
        PolicySpec spec = LmPretraining.spec(c);
        o.printf(Locale.ROOT, "pretrain-lm: GRU language model, vocabulary %d, embedding %d, hidden %d, prompt context %d "
                        + "(%d parameters), seed %d -> %s%n", spec.fields().get(0).vocabSize(),
                spec.fields().get(0).embeddingDim(), spec.hiddenSizes()[0], spec.fields().get(0).size(),
                GruLanguageModel.parameterCount(spec), s, out);
        long t0 = System.nanoTime();
        LmPretraining.Result r = LmPretraining.run(c, s, out, check -> o.println(line(check, t0)));
        Path figures = out.resolveSibling(out.getFileName() + ".json");
        JsonIo.writePrettyFile(figures, r.figures());
        o.printf(Locale.ROOT, "%s after %d steps (%d skipped): %.1f%% of samples end before the cap, loss %.4f, "
                        + "%.0f tokens/s, %.1f s on %s; %d parameters; wrote %s and %s%n",
                r.outcome().targetReached() ? "stop rule met" : "max-steps reached, stop rule NOT met",
                r.outcome().steps(), r.outcome().skippedSteps(), 100 * r.outcome().last().endedBeforeCapFraction(),
                r.outcome().last().loss(), r.tokensPerSecond(), r.seconds(), r.device(), r.parameters(), out, figures);
        return 0;
    }

    private static String line(LmPretrainer.Check c, long t0) {
        double seconds = (System.nanoTime() - t0) / 1e9;
        return String.format(Locale.ROOT, "step %6d  loss %8.4f  %8.0f tokens/s  ended before cap %5.1f%%  "
                        + "mean sample length %6.1f  %7.1f s", c.step(), c.loss(), seconds > 0 ? c.tokens() / seconds : 0,
                100 * c.endedBeforeCapFraction(), c.meanLength(), seconds);
    }
}
