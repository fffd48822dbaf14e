package io.tributary.rewards.writing;

/**
 * One response's principle scores (points, see {@link PrincipleJudgeSettings}) and the measurements behind
 * them.
 *
 * @param keyword         keyword-coverage points
 * @param fluency         fluency points
 * @param repetition      no-repetition points
 * @param length          length-fit points
 * @param explanation     no-self-explanation points
 * @param words           response length in word-tokenizer tokens
 * @param fitsLength      whether {@code words} lies in [L, U]
 * @param explanationTokens tokens after the last explanation marker
 * @param meanLogProb     mean log-prob per token under the judge's n-gram model
 */
public record WritingQuality(double keyword, double fluency, double repetition, double length, double explanation,
                             int words, boolean fitsLength, int explanationTokens, double meanLogProb) {
    /** The single-response quality score in [0, 10]. */
    public double total() {
        return Math.max(0, Math.min(10, keyword + fluency + repetition + length + explanation));
    }
}
