package io.tributary.rewards.writing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tributary.rewards.RewardModel;
import io.tributary.rewards.RewardModelProvider;
import io.tributary.rewards.RewardOptions;
import io.tributary.rewards.writing.http.HttpJudgeSettings;
import io.tributary.rewards.writing.http.HttpPairwiseJudge;
import io.tributary.simulator.writing.WordTokenizer;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Registers the reward model {@code writing-judge} ({@link WritingJudgeRewardModel}: BRPO rewards from a
 * pairwise judge). Options ({@code tributary.reward-models.options}):
 * <ul>
 *   <li>{@code judge}: {@code principle} (default: the deterministic training {@link PrincipleJudge}) or
 *       {@code http} (an {@link HttpPairwiseJudge} configured by {@code tributary.reward-models.judge.http},
 *       see docs/writing-judge-http.md);</li>
 *   <li>{@code seed}: the run seed the in-group references are drawn from (an integer, default 0), mixed
 *       with each chunk's id;</li>
 *   <li>{@code skew-threshold}: BRPO's skew filter threshold in [0, 1] (default 0.6), used for the reported
 *       figures only — the learner applies its own;</li>
 *   <li>the principle judge's constants ({@link PrincipleJudgeSettings#OPTION_KEYS}, e.g.
 *       {@code first-position-bias}), only with {@code judge = principle}.</li>
 * </ul>
 */
public final class WritingJudgeRewardProvider implements RewardModelProvider {
    /** The name configs use: {@code tributary.reward-models.model = writing-judge}. */
    public static final String NAME = WritingJudgeRewardModel.ID;
    /** Option: which judge, {@value #PRINCIPLE} or {@value #HTTP}. */
    public static final String JUDGE = "judge";
    /** Option: the run seed. */
    public static final String SEED = "seed";
    /** Option: the skew threshold of the figures. */
    public static final String SKEW_THRESHOLD = "skew-threshold";
    /** {@code judge} value: the principle-based judge. */
    public static final String PRINCIPLE = "principle";
    /** {@code judge} value: the OpenAI-compatible HTTP judge. */
    public static final String HTTP = "http";

    private static final Set<String> KEYS;

    static {
        Set<String> keys = new HashSet<>(PrincipleJudgeSettings.OPTION_KEYS);
        keys.add(JUDGE);
        keys.add(SEED);
        keys.add(SKEW_THRESHOLD);
        KEYS = Set.copyOf(keys);
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Creates the model; with {@code judge = http} the HTTP settings come from {@link ConfigFactory#load}
     * (application.conf and system properties over the reference), for callers that have no run config.
     */
    @Override
    public RewardModel create(Map<String, String> options) {
        return create(options, null);
    }

    /** Creates the model; with {@code judge = http} the HTTP settings come from {@code config}. */
    @Override
    public RewardModel create(Map<String, String> options, Config config) {
        RewardOptions.requireKnownKeys(NAME, options, KEYS);
        String judgeKind = RewardOptions.choice(NAME, options, JUDGE, Set.of(PRINCIPLE, HTTP), PRINCIPLE);
        long seed = RewardOptions.longValue(NAME, options, SEED, 0L);
        double skew = RewardOptions.finiteDouble(NAME, options, SKEW_THRESHOLD, BrpoRewards.DEFAULT_SKEW_THRESHOLD);
        if (!(skew >= 0 && skew <= 1)) {
            throw new RewardOptions.BadOption(NAME, SKEW_THRESHOLD, options.get(SKEW_THRESHOLD), "must lie in [0, 1]");
        }
        PairwiseJudge judge;
        if (HTTP.equals(judgeKind)) {
            for (String key : PrincipleJudgeSettings.OPTION_KEYS) {
                if (options.containsKey(key)) {
                    throw new RewardOptions.BadOption(NAME, key, options.get(key),
                            "a principle-judge constant applies only with judge = principle (judge = http)");
                }
            }
            Config c = config != null ? config : ConfigFactory.load(WritingJudgeRewardProvider.class.getClassLoader());
            judge = new HttpPairwiseJudge(HttpJudgeSettings.fromConfig(c));
        } else {
            judge = new PrincipleJudge(NgramModel.ofTrainingCorpus(), PrincipleJudgeSettings.fromOptions(NAME, options));
        }
        return new WritingJudgeRewardModel(judge, seed, skew, WritingChunk.shippedPrompts(), WordTokenizer.standard());
    }
}
