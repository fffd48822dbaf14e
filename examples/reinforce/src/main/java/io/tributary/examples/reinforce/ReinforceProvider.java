package io.tributary.examples.reinforce;

import com.typesafe.config.Config;
import io.tributary.config.SettingsException;
import io.tributary.config.SettingsSupport;
import io.tributary.learner.Learner;
import io.tributary.learner.LearnerContext;
import io.tributary.learner.LearnerProvider;
import io.tributary.learner.LearnerSettings;
import io.tributary.learner.Learners;
import io.tributary.learner.PolicySpec;
import io.tributary.learner.ProductionQuota;
import io.tributary.simulator.Space;
import java.util.Arrays;

/** Registers {@link ReinforceLearner} as {@code tributary.learner.algorithm = reinforce}, with settings under {@code tributary.learner.reinforce}. */
public final class ReinforceProvider implements LearnerProvider {
    /** The algorithm name configs use. */
    public static final String NAME = "reinforce";

    @Override
    public String algorithm() {
        return NAME;
    }

    @Override
    public PolicySpec policySpec(LearnerContext context) {
        if (!(context.actionSpace() instanceof Space.Discrete)) {
            throw new SettingsException(LearnerSettings.PATH + ".algorithm", NAME,
                    "needs a Discrete action space, the environment has " + context.actionSpace());
        }
        return Learners.policySpec(context, Settings.of(context).hiddenSizes());
    }

    @Override
    public ProductionQuota quota(LearnerContext context) {
        return ProductionQuota.steps(Settings.of(context).batchSteps());
    }

    @Override
    public Learner create(LearnerContext context) {
        if ("gpu".equals(context.settings().device())) {
            throw new SettingsException(LearnerSettings.PATH + ".device", "gpu", "reinforce computes in plain Java on the CPU; use auto or cpu");
        }
        return new ReinforceLearner(Settings.of(context), policySpec(context), context.settings().seed(), context.runId());
    }

    /**
     * The {@code tributary.learner.reinforce} subtree, read and checked here only.
     *
     * @param learningRate Adam step size
     * @param batchSteps   env steps per policy version (the quota) before an update
     * @param gamma        discount of the reward-to-go
     * @param hiddenSizes  hidden widths of the tanh MLP policy
     */
    public record Settings(double learningRate, int batchSteps, double gamma, int[] hiddenSizes) {
        public Settings {
            if (hiddenSizes.length == 0 || hiddenSizes.length > 16) {
                throw new SettingsException(LearnerSettings.PATH + "." + NAME + ".hidden-sizes", Arrays.toString(hiddenSizes),
                        "must list 1 to 16 widths");
            }
            hiddenSizes = hiddenSizes.clone();
        }

        /** Reads the subtree from the context's configuration; a bad value names path, value and rule. */
        public static Settings of(LearnerContext context) {
            Config c = context.config();
            return new Settings(SettingsSupport.doubleIn(c, context.algorithmPath("learning-rate"), 1e-7, 1),
                    SettingsSupport.intIn(c, context.algorithmPath("batch-steps"), 1, 1 << 24),
                    SettingsSupport.doubleIn(c, context.algorithmPath("gamma"), 0, 1),
                    SettingsSupport.positiveInts(c, context.algorithmPath("hidden-sizes")));
        }

        @Override
        public int[] hiddenSizes() {
            return hiddenSizes.clone();
        }
    }
}
