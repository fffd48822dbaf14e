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
        for (int i = 0; i < g; i++) {
            if (i == referenceIndex) {
                continue;
            }
            PairwiseJudge.PairOutcome outcome = judge.judgeBothOrderings(prompt, responses.get(i), reference);
            pairs.add(new GroupRewards.JudgedPair(i, outcome));
            rewards[i] = outcome.aWinsBoth() ? 1 : -1;
        }
        return of(rewards, referenceIndex, skewThreshold, pairs);
    }

    /**
     * The group of already assigned BRPO rewards, with the skew filter applied: the one place that computes
     * |Σ R| / G and compares it with the threshold ({@link #assign} and the learner, which reads the rewards back
     * from a scored chunk, both come here).
     */
    public static GroupRewards of(double[] rewards, int referenceIndex, double skewThreshold,
                                  List<GroupRewards.JudgedPair> pairs) {
        if (!(skewThreshold >= 0 && skewThreshold <= 1)) {
            throw new IllegalArgumentException("skewThreshold must lie in [0, 1]: skewThreshold=" + skewThreshold);
        }
        double sum = 0;
        for (double r : rewards) {
            sum += r;
        }
        double skew = Math.abs(sum) / rewards.length;
        return new GroupRewards(rewards.clone(), new double[0], referenceIndex, skew, skew > skewThreshold, pairs);
    }

    /**
     * Reads a group's BRPO rewards back (e.g. from a scored chunk's last tokens) and applies the skew filter:
     * every reward must be +1 or −1 except exactly one 0, the reference.
     *
     * @throws IllegalArgumentException naming the first reward that breaks the rule (e.g. a scalar reward model's
     *                                  score fed to a BRPO learner)
     */
    public static GroupRewards fromAssigned(double[] rewards, double skewThreshold) {
        if (rewards.length < 2) {
            throw new IllegalArgumentException("a BRPO group needs at least 2 responses: G=" + rewards.length);
        }
        int reference = -1;
        for (int i = 0; i < rewards.length; i++) {
            double r = rewards[i];
            if (r == 0) {
                if (reference >= 0) {
                    throw new IllegalArgumentException("a BRPO group has exactly one reference (reward 0): first="
                            + reference + ", second=" + i);
                }
                reference = i;
            } else if (r != 1 && r != -1) {
                throw new IllegalArgumentException("a BRPO reward must be +1, -1 or 0 (the reference): response=" + i
                        + ", reward=" + r);
            }
        }
        if (reference < 0) {
            throw new IllegalArgumentException("a BRPO group has exactly one reference (reward 0): found none, G="
                    + rewards.length);
        }
        return of(rewards, reference, skewThreshold, List.of());
    }
}
