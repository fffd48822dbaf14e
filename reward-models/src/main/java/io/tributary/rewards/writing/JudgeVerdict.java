package io.tributary.rewards.writing;

import java.util.List;

/**
 * A pairwise judge's answer for one ordering (response A shown first): the principles it applied, a short
 * critique naming the deciding one, and a score in [0, 10] for each response.
 */
public record JudgeVerdict(List<String> principles, String critique, double scoreA, double scoreB) {
    /** Validates the scores. */
    public JudgeVerdict {
        principles = List.copyOf(principles);
        if (critique == null) {
            throw new IllegalArgumentException("critique must not be null");
        }
        if (!(scoreA >= 0 && scoreA <= 10) || !(scoreB >= 0 && scoreB <= 10)) {
            throw new IllegalArgumentException("judge scores must lie in [0, 10]: scoreA=" + scoreA + ", scoreB=" + scoreB);
        }
    }

    /** +1 when A scored higher, -1 when B did, 0 on equal scores. */
    public int winner() {
        return Double.compare(scoreA, scoreB) > 0 ? 1 : Double.compare(scoreA, scoreB) < 0 ? -1 : 0;
    }
}
