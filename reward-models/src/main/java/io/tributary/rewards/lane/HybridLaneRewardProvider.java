package io.tributary.rewards.lane;

import io.tributary.rewards.RewardModel;
import io.tributary.rewards.RewardModelProvider;
import io.tributary.rewards.RewardOptions;
import io.tributary.simulator.lane.HybridLaneReward;
import java.util.Map;
import java.util.Set;

/**
 * Registers the reward model {@code hybrid-lane}: BLIP-FusePPO's hybrid lane-keeping reward
 * ({@link HybridLaneReward}) computed by the scorers from a chunk's step signals, with its five weights taken
 * from {@code tributary.reward-models.options} ({@code lane, speed, obstacle, centring, semantic}; defaults
 * are the released code's 0.3, 0.2, 0.3, 0.2 and semantic 0), so the weights change without touching the
 * environment, and a finished run can be re-scored with others ({@code tributary rescore}).
 */
public final class HybridLaneRewardProvider implements RewardModelProvider {
    /** The name configs use: {@code tributary.reward-models.model = hybrid-lane}. */
    public static final String NAME = "hybrid-lane";
    /** Option: weight of lane accuracy r_d. */
    public static final String LANE = "lane";
    /** Option: weight of speed regulation r_v. */
    public static final String SPEED = "speed";
    /** Option: weight of the LiDAR penalty and bonus (p + b)/10. */
    public static final String OBSTACLE = "obstacle";
    /** Option: weight of centring r_c. */
    public static final String CENTRING = "centring";
    /** Option: weight of semantic alignment r_s. */
    public static final String SEMANTIC = "semantic";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RewardModel create(Map<String, String> options) {
        RewardOptions.requireKnownKeys(NAME, options, Set.of(LANE, SPEED, OBSTACLE, CENTRING, SEMANTIC));
        HybridLaneReward.Weights d = HybridLaneReward.Weights.DEFAULT;
        return new HybridLaneRewardModel(new HybridLaneReward.Weights(
                weight(options, LANE, d.lane()), weight(options, SPEED, d.speed()), weight(options, OBSTACLE, d.obstacle()),
                weight(options, CENTRING, d.centring()), weight(options, SEMANTIC, d.semantic())));
    }

    /** {@link HybridLaneReward} wants finite, non-negative weights: a negative one would pay for what it penalises. */
    private static double weight(Map<String, String> options, String key, double defaultValue) {
        double w = RewardOptions.finiteDouble(NAME, options, key, defaultValue);
        if (w < 0) {
            throw new RewardOptions.BadOption(NAME, key, options.get(key), "must be >= 0");
        }
        return w;
    }
}
