package io.tributary.rewards.writing;

import java.util.List;

/**
 * The rewards of one group of G responses to one prompt, as the learner uses them: {@code rewards[i]} is the
 * advantage of every token of response i.
 *
 * @param rewards        per response: BRPO's +1/−1/0, or GRPO's group-normalised score
 * @param scores         per response: the raw scalar scores (GRPO); empty for BRPO
 * @param referenceIndex BRPO's reference response, −1 for GRPO
 * @param skew           |Σ rewards| / G (BRPO's filter statistic; GRPO's is 0 by construction)
 * @param filtered       whether the group is dropped from the update (skew above the threshold)
 * @param pairs          BRPO's judged pairs (response i against the reference, both orderings); empty for GRPO
 */
public record GroupRewards(double[] rewards, double[] scores, int referenceIndex, double skew, boolean filtered,
                           List<JudgedPair> pairs) {
    /** Validates the shape. */
    public GroupRewards {
        if (rewards == null || rewards.length == 0) {
            throw new IllegalArgumentException("a group needs at least one response");
        }
        if (scores.length != 0 && scores.length != rewards.length) {
            throw new IllegalArgumentException("scores must be empty or one per response: scores=" + scores.length
                    + ", responses=" + rewards.length);
        }
        if (referenceIndex < -1 || referenceIndex >= rewards.length) {
            throw new IllegalArgumentException("referenceIndex out of range: referenceIndex=" + referenceIndex
                    + ", responses=" + rewards.length);
        }
        pairs = List.copyOf(pairs);
    }

    /** Group size G. */
    public int size() {
        return rewards.length;
    }

    /** Share of judged pairs whose two orderings named the same winner (1 when there are none). */
    public double swapConsistency() {
        if (pairs.isEmpty()) {
            return 1;
        }
        return pairs.stream().filter(p -> p.outcome().consistent()).count() / (double) pairs.size();
    }

    /** One judged pair: response {@code response} (shown as A first) against the reference. */
    public record JudgedPair(int response, PairwiseJudge.PairOutcome outcome) {
    }
}
