package io.tributary.rewards.writing;

import io.tributary.rewards.writing.metrics.RewardLengthCorrelation;
import io.tributary.rewards.writing.metrics.SwapConsistency;
import java.util.List;
import java.util.Objects;

/**
 * The judge-quality figures of one scored writing group, for the metrics topic: the scorer stage reads them
 * from a {@link WritingRewardModel} ({@link WritingRewardModel#lastGroupFigures()} or a
 * {@link WritingRewardModel.FiguresListener}) after each {@code scoreChunk} and publishes them; {@link #feed}
 * accumulates them into the running swap-consistency and reward–length-correlation metrics.
 *
 * @param model             the reward model's id ({@code writing-judge} or {@code writing-scalar})
 * @param chunkId           the scored chunk's id ({@code ChunkId.toString()})
 * @param promptId          the prompt's id
 * @param policyVersion     the version of the policy that sampled the group
 * @param lengths           each response's length in words (EOS excluded)
 * @param explanationTokens each response's redundant self-explanation tokens ({@link ExplanationDetector})
 * @param rewards           each response's reward as written on its last token (BRPO's +1/−1/0, the
 *                          scalar model's raw score)
 * @param referenceIndex    BRPO's reference response, −1 for the scalar model
 * @param skew              BRPO's |Σ R| / G, 0 for the scalar model
 * @param filtered          whether BRPO's skew filter drops the group (at the model's {@code skew-threshold});
 *                          false for the scalar model, the learner decides for itself
 * @param pairs             BRPO's judged pairs (response i against the reference, both orderings); empty for
 *                          the scalar model
 */
public record WritingGroupFigures(String model, String chunkId, int promptId, long policyVersion, int[] lengths,
                                  int[] explanationTokens, double[] rewards, int referenceIndex, double skew,
                                  boolean filtered, List<GroupRewards.JudgedPair> pairs) {
    /** Validates the shape. */
    public WritingGroupFigures {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(chunkId, "chunkId");
        if (lengths.length == 0 || explanationTokens.length != lengths.length || rewards.length != lengths.length) {
            throw new IllegalArgumentException("one length, explanation count and reward per response: lengths="
                    + lengths.length + ", explanationTokens=" + explanationTokens.length + ", rewards=" + rewards.length);
        }
        if (referenceIndex < -1 || referenceIndex >= lengths.length) {
            throw new IllegalArgumentException("referenceIndex out of range: referenceIndex=" + referenceIndex
                    + ", G=" + lengths.length);
        }
        pairs = List.copyOf(pairs);
    }

    /** Group size G. */
    public int size() {
        return lengths.length;
    }

    /** Share of judged pairs with the same winner in both orderings; NaN when no pair was judged. */
    public double swapConsistency() {
        if (pairs.isEmpty()) {
            return Double.NaN;
        }
        return pairs.stream().filter(p -> p.outcome().consistent()).count() / (double) pairs.size();
    }

    /** Mean response length in words. */
    public double meanLength() {
        double s = 0;
        for (int l : lengths) {
            s += l;
        }
        return s / lengths.length;
    }

    /** Mean explanation tokens per response. */
    public double meanExplanationTokens() {
        double s = 0;
        for (int e : explanationTokens) {
            s += e;
        }
        return s / explanationTokens.length;
    }

    /**
     * Adds this group to running metrics: every judged pair to {@code swap}, and every response's (reward,
     * length) to {@code correlation} except BRPO's reference, whose 0 is no judgement of its length.
     */
    public void feed(SwapConsistency swap, RewardLengthCorrelation correlation) {
        for (GroupRewards.JudgedPair p : pairs) {
            swap.add(p.outcome());
        }
        for (int i = 0; i < lengths.length; i++) {
            if (i != referenceIndex) {
                correlation.add(rewards[i], lengths[i]);
            }
        }
    }
}
