package io.tributary.rewards.writing;

import io.tributary.simulator.writing.WritingPrompt;

/**
 * A pairwise generative judge (the Writing-Zero GenRM): given a prompt and two responses, it states
 * principles, critiques and scores both. A response beats another only if it wins in both orderings,
 * because judges (trained ones, and the default principle-based one by its configured bias) favour a
 * position.
 */
public interface PairwiseJudge {
    /** Judges one ordering: {@code a} is shown first. */
    JudgeVerdict judge(WritingPrompt prompt, String a, String b);

    /** The outcome of judging both orderings of (a, b). */
    record PairOutcome(JudgeVerdict aFirst, JudgeVerdict bFirst) {
        /** {@code a} wins in both orderings. */
        public boolean aWinsBoth() {
            return aFirst.winner() > 0 && bFirst.winner() < 0;
        }

        /** {@code b} wins in both orderings. */
        public boolean bWinsBoth() {
            return aFirst.winner() < 0 && bFirst.winner() > 0;
        }

        /** Both orderings named the same response (swap consistency); false on any tie. */
        public boolean consistent() {
            return aWinsBoth() || bWinsBoth();
        }
    }

    /** Judges (a, b) and (b, a). */
    default PairOutcome judgeBothOrderings(WritingPrompt prompt, String a, String b) {
        return new PairOutcome(judge(prompt, a, b), judge(prompt, b, a));
    }
}
