package io.tributary.rewards.writing;

import io.tributary.simulator.random.SplitMix64;
import io.tributary.simulator.writing.WritingPrompt;
import java.util.ArrayList;
import java.util.List;

/**
 * BRPO's reward assignment (Writing-Zero, PAPERS.md): a reference drawn uniformly from the group; every
 * other response is judged against it in both orderings and gets +1 only if it wins both, −1 otherwise
 * (ties and split verdicts included); the reference gets 0; the group is filtered when |Σ R| / G exceeds
 * the threshold.
 */
public final class BrpoRewards {
    /** The skew threshold of the paper. */
    public static final double DEFAULT_SKEW_THRESHOLD = 0.6;

    private BrpoRewards() {
    }

    /** Assigns rewards to {@code responses} with the reference drawn from {@code rng}. */
    public static GroupRewards assign(WritingPrompt prompt, List<String> responses, PairwiseJudge judge,
                                      SplitMix64 rng, double skewThreshold) {
        if (responses.isEmpty()) {
            throw new IllegalArgumentException("a group needs at least one response");
        }
        return assign(prompt, responses, judge, rng.nextInt(responses.size()), skewThreshold);
    }

    /** Assigns rewards against a given reference index. */
    public static GroupRewards assign(WritingPrompt prompt, List<String> responses, PairwiseJudge judge,
                                      int referenceIndex, double skewThreshold) {
        int g = responses.size();
        if (referenceIndex < 0 || referenceIndex >= g) {
            throw new IllegalArgumentException("referenceIndex out of range: referenceIndex=" + referenceIndex + ", G=" + g);
        }
        if (!(skewThreshold >= 0 && skewThreshold <= 1)) {
            throw new IllegalArgumentException("skewThreshold must lie in [0, 1]: skewThreshold=" + skewThreshold);
        }
        double[] rewards = new double[g];
        List<GroupRewards.JudgedPair> pairs = new ArrayList<>(g - 1);
        String reference = responses.get(referenceIndex);
        double sum = 0;
        for (int i = 0; i < g; i++) {
            if (i == referenceIndex) {
                continue;
            }
            PairwiseJudge.PairOutcome outcome = judge.judgeBothOrderings(prompt, responses.get(i), reference);
            pairs.add(new GroupRewards.JudgedPair(i, outcome));
            rewards[i] = outcome.aWinsBoth() ? 1 : -1;
            sum += rewards[i];
        }
        double skew = Math.abs(sum) / g;
        return new GroupRewards(rewards, new double[0], referenceIndex, skew, skew > skewThreshold, pairs);
    }
}
