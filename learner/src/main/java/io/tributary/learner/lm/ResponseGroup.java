package io.tributary.learner.lm;

import java.util.List;
import java.util.Objects;

/**
 * One prompt's group of sampled responses, as {@link GroupPolicyUpdate} trains on it.
 *
 * @param prompt      the prompt's conditioning tokens
 * @param responses   the G responses as sampled (words, then EOS when the row ended)
 * @param oldLogProbs per response, the sampling policy's per-token log-probs (same lengths as the responses)
 * @param advantages  per response, given from outside (every token of response i carries {@code advantages[i]}):
 *                    BRPO's R ∈ {+1, −1, 0}, or GRPO's group-normalised reward; the reward-models module computes
 *                    both ({@code io.tributary.rewards.writing.GroupRewards#rewards()}). Not checked for finiteness
 *                    here: a NaN from a judge must reach the update, which skips and reports it
 * @param filtered    dropped by the BRPO skew filter ({@code GroupRewards#filtered()}): counted, no gradient
 */
public record ResponseGroup(int[] prompt, List<int[]> responses, List<float[]> oldLogProbs, double[] advantages,
                            boolean filtered) {
    public ResponseGroup {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(advantages, "advantages");
        responses = List.copyOf(responses);
        oldLogProbs = List.copyOf(oldLogProbs);
        int g = responses.size();
        if (g < 1 || oldLogProbs.size() != g || advantages.length != g) {
            throw new IllegalArgumentException("one log-prob row and one advantage per response: responses=" + g
                    + ", oldLogProbs=" + oldLogProbs.size() + ", advantages=" + advantages.length);
        }
        for (int i = 0; i < g; i++) {
            if (responses.get(i).length < 1 || responses.get(i).length != oldLogProbs.get(i).length) {
                throw new IllegalArgumentException("response and log-probs must have the same length >= 1: response="
                        + i + ", tokens=" + responses.get(i).length + ", logProbs=" + oldLogProbs.get(i).length);
            }
        }
        prompt = prompt.clone();
        advantages = advantages.clone();
    }

    /** A group built from a sampler's output for one prompt. */
    public static ResponseGroup of(int[] prompt, LmSamples samples, double[] advantages, boolean filtered) {
        return new ResponseGroup(prompt, java.util.Arrays.asList(samples.tokens()),
                java.util.Arrays.asList(samples.logProbs()), advantages, filtered);
    }

    /** Number of responses G. */
    public int size() {
        return responses.size();
    }

    @Override
    public int[] prompt() {
        return prompt.clone();
    }

    @Override
    public double[] advantages() {
        return advantages.clone();
    }
}
