package io.tributary.learner;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tributary.simulator.Space;
import java.util.Objects;

/**
 * What a {@link LearnerProvider} gets to build a learner: the settings every algorithm shares, the full
 * resolved configuration (from which the provider reads and checks its own subtree
 * {@code tributary.learner.<algorithm>}), the environment's spaces, the run and its budget.
 *
 * @param settings         the common learner settings (algorithm, device, seed)
 * @param config           the full resolved configuration (user file over every reference.conf)
 * @param observationSpace the environment's observation space
 * @param actionSpace      the environment's action space
 * @param runId            run the learner's snapshots belong to
 * @param maxEnvSteps      the run's training budget in environment steps ({@code tributary.run.max-env-steps})
 */
public record LearnerContext(LearnerSettings settings, Config config, Space observationSpace, Space actionSpace,
                             String runId, long maxEnvSteps) {
    public LearnerContext {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(observationSpace, "observationSpace");
        Objects.requireNonNull(actionSpace, "actionSpace");
        Objects.requireNonNull(runId, "runId");
        if (maxEnvSteps < 1) {
            throw new IllegalArgumentException("maxEnvSteps must be >= 1: maxEnvSteps=" + maxEnvSteps);
        }
    }

    /** A context over a resolved configuration, reading the common settings from it. */
    public static LearnerContext of(Config config, Space observationSpace, Space actionSpace, String runId,
                                    long maxEnvSteps) {
        return new LearnerContext(LearnerSettings.fromConfig(config), config, observationSpace, actionSpace, runId,
                maxEnvSteps);
    }

    /**
     * A context over the reference configuration with {@code overrides} (HOCON text, full paths) on top:
     * for tests and tools that build a learner without a run.
     */
    public static LearnerContext defaults(String overrides, Space observationSpace, Space actionSpace, String runId,
                                          long maxEnvSteps) {
        Config c = ConfigFactory.parseString(overrides).withFallback(ConfigFactory.defaultReference()).resolve();
        return of(c, observationSpace, actionSpace, runId, maxEnvSteps);
    }

    /** The path of {@code key} in this algorithm's own subtree, e.g. {@code tributary.learner.ppo.gamma}. */
    public String algorithmPath(String key) {
        return LearnerSettings.PATH + "." + settings.algorithm() + "." + key;
    }
}
