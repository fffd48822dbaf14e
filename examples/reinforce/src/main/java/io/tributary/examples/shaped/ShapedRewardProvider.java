package io.tributary.examples.shaped;

import io.tributary.rewards.RewardModel;
import io.tributary.rewards.RewardModelProvider;
import io.tributary.rewards.RewardOptions;
import io.tributary.simulator.rollout.TrajectoryChunk;
import java.util.Map;
import java.util.Set;

/**
 * Registers the reward model {@code shaped} (docs/add-reward-model.md): the environment's reward reshaped
 * as {@code scale * reward + bonus-per-step}, with both numbers taken from
 * {@code tributary.reward-models.options}.
 */
public final class ShapedRewardProvider implements RewardModelProvider {
    /** The name configs use: {@code tributary.reward-models.model = shaped}. */
    public static final String NAME = "shaped";
    /** Option: factor on the environment reward (default 1). */
    public static final String SCALE = "scale";
    /** Option: constant added to every step's reward (default 0). */
    public static final String BONUS_PER_STEP = "bonus-per-step";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RewardModel create(Map<String, String> options) {
        RewardOptions.requireKnownKeys(NAME, options, Set.of(SCALE, BONUS_PER_STEP));
        float scale = (float) RewardOptions.finiteDouble(NAME, options, SCALE, 1.0);
        float bonus = (float) RewardOptions.finiteDouble(NAME, options, BONUS_PER_STEP, 0.0);
        return new ShapedRewardModel(scale, bonus);
    }

    /** {@code scale * environment reward + bonus} for every step. */
    public record ShapedRewardModel(float scale, float bonus) implements RewardModel {
        @Override
        public String id() {
            return NAME;
        }

        @Override
        public long version() {
            return 1;
        }

        @Override
        public float scoreStep(TrajectoryChunk chunk, int step) {
            return scale * chunk.rewards()[step] + bonus;
        }
    }
}
