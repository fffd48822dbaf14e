package io.tributary.learner;

import io.tributary.config.SettingsException;
import io.tributary.learner.ppo.PpoLearner;
import java.util.List;

/** Builds the configured {@link Learner}: the one place where algorithms (PPO now; RAVL, BRPO later) plug in. */
public final class Learners {
    /** Algorithm names {@link #create} knows. */
    public static final List<String> ALGORITHMS = List.of("ppo");

    private Learners() {
    }

    /**
     * A learner for {@code settings.algorithm()}.
     *
     * @param settings learner settings
     * @param spec     policy architecture (see {@link #policySpec} to take the hidden sizes from settings)
     * @param runId    run the learner's snapshots belong to
     * @throws SettingsException if the algorithm is unknown, or a setting cannot be honoured (e.g. no GPU)
     */
    public static Learner create(LearnerSettings settings, PolicySpec spec, String runId) {
        switch (settings.algorithm()) {
            case "ppo":
                return new PpoLearner(settings, settings.ppo(), spec, runId);
            default:
                throw new SettingsException(LearnerSettings.PATH + ".algorithm", settings.algorithm(),
                        "must be one of " + String.join(" | ", ALGORITHMS));
        }
    }

    /** A policy spec whose hidden sizes are the configured ones for the algorithm. */
    public static PolicySpec policySpec(LearnerSettings settings, int observationSize, PolicySpec.Head head, int actionSize,
                                        float[] actionLow, float[] actionHigh) {
        return new PolicySpec(observationSize, head, actionSize, settings.ppo().hiddenSizes(), actionLow, actionHigh);
    }
}
