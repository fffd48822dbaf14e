package io.tributary.rewards;

import com.typesafe.config.Config;
import io.tributary.config.SettingsSupport;

/**
 * Reward-model settings ({@code tributary.reward-models}).
 *
 * @param model registered reward model name
 */
public record RewardSettings(String model) {

    /** Reads and checks {@code tributary.reward-models}. */
    public static RewardSettings fromConfig(Config c) {
        return new RewardSettings(SettingsSupport.oneOf(c, "tributary.reward-models.model", EnvironmentRewardModel.ID));
    }

    /** A new instance of the configured reward model. */
    public RewardModel create() {
        return switch (model) {
            case EnvironmentRewardModel.ID -> new EnvironmentRewardModel();
            default -> throw new IllegalStateException("unreachable: model=" + model);
        };
    }
}
