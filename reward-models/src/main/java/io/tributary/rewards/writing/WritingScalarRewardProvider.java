package io.tributary.rewards.writing;

import io.tributary.rewards.RewardModel;
import io.tributary.rewards.RewardModelProvider;
import io.tributary.rewards.RewardOptions;
import io.tributary.simulator.writing.WordTokenizer;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Registers the reward model {@code writing-scalar} ({@link WritingScalarRewardModel}: the scalar baseline's
 * raw score per response). Options ({@code tributary.reward-models.options}): {@code bias}, the reward per
 * word added to the quality score (finite, &ge; 0, default {@value ScalarWritingReward#DEFAULT_BIAS_PER_TOKEN};
 * 0 is the experiment's control arm), and the principle judge's constants
 * ({@link PrincipleJudgeSettings#OPTION_KEYS}) that define the quality score.
 */
public final class WritingScalarRewardProvider implements RewardModelProvider {
    /** The name configs use: {@code tributary.reward-models.model = writing-scalar}. */
    public static final String NAME = WritingScalarRewardModel.ID;
    /** Option: reward per word. */
    public static final String BIAS = "bias";

    private static final Set<String> KEYS;

    static {
        Set<String> keys = new HashSet<>(PrincipleJudgeSettings.OPTION_KEYS);
        keys.add(BIAS);
        KEYS = Set.copyOf(keys);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RewardModel create(Map<String, String> options) {
        RewardOptions.requireKnownKeys(NAME, options, KEYS);
        double bias = RewardOptions.finiteDouble(NAME, options, BIAS, ScalarWritingReward.DEFAULT_BIAS_PER_TOKEN);
        if (bias < 0) {
            throw new RewardOptions.BadOption(NAME, BIAS, options.get(BIAS),
                    "must be >= 0 (a negative bias would pay for brevity; 0 is the control)");
        }
        PrincipleJudge judge = new PrincipleJudge(NgramModel.ofTrainingCorpus(), PrincipleJudgeSettings.fromOptions(NAME, options));
        return new WritingScalarRewardModel(new ScalarWritingReward(judge, bias), WritingChunk.shippedPrompts(),
                WordTokenizer.standard());
    }
}
