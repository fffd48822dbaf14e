package io.tributary.rewards;

import java.util.Map;
import java.util.Set;

/** Registers {@link EnvironmentRewardModel} as {@code tributary.reward-models.model = env}; it takes no options. */
public final class EnvironmentRewardModelProvider implements RewardModelProvider {

    @Override
    public String name() {
        return EnvironmentRewardModel.ID;
    }

    @Override
    public RewardModel create(Map<String, String> options) {
        RewardOptions.requireKnownKeys(EnvironmentRewardModel.ID, options, Set.of());
        return new EnvironmentRewardModel();
    }
}
