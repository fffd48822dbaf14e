package io.tributary.actors;

import static io.tributary.config.SettingsSupport.intIn;

import com.typesafe.config.Config;

/**
 * Settings of the text rollout role ({@code tributary.actors.text-rollout}), the workers the pool hosts
 * instead of step-by-step workers when the run's environment is {@code Writing-v0}. The sampling temperature
 * is not here: it is the learner's {@code tributary.learner.group.temperature}, at which the learner
 * recomputes the log-probs, so sampler and learner can never disagree on it.
 *
 * @param groupSize responses G sampled for each prompt (one chunk per group)
 */
public record TextRolloutSettings(int groupSize) {
    /** Config path of this subtree. */
    public static final String PATH = "tributary.actors.text-rollout";

    /** Validates the group size. */
    public TextRolloutSettings {
        if (groupSize < 2 || groupSize > 1024) {
            throw new io.tributary.config.SettingsException(PATH + ".group-size", groupSize, "must be in [2, 1024]");
        }
    }

    /** Reads and checks {@code tributary.actors.text-rollout}. */
    public static TextRolloutSettings fromConfig(Config c) {
        return new TextRolloutSettings(intIn(c, PATH + ".group-size", 2, 1024));
    }
}
