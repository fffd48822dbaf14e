package io.tributary.learner.lm;

import java.util.Objects;

/**
 * Responses drawn by {@link LmSampler}, one row per requested sequence.
 *
 * @param tokens         the sampled tokens per row: words, then {@code EOS} if the row ended before its cap
 * @param logProbs       the log-prob of each sampled token at the sampling temperature (same length as the row)
 * @param lengths        tokens per row ({@code tokens[i].length}, EOS included)
 * @param endedBeforeCap per row: true when EOS was drawn within the cap, false when the row hit its cap
 */
public record LmSamples(int[][] tokens, float[][] logProbs, int[] lengths, boolean[] endedBeforeCap) {
    public LmSamples {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(logProbs, "logProbs");
        Objects.requireNonNull(lengths, "lengths");
        Objects.requireNonNull(endedBeforeCap, "endedBeforeCap");
        int b = tokens.length;
        if (logProbs.length != b || lengths.length != b || endedBeforeCap.length != b) {
            throw new IllegalArgumentException("one entry per row: rows=" + b + ", logProbs=" + logProbs.length
                    + ", lengths=" + lengths.length + ", endedBeforeCap=" + endedBeforeCap.length);
        }
        for (int i = 0; i < b; i++) {
            if (tokens[i].length != lengths[i] || logProbs[i].length != lengths[i]) {
                throw new IllegalArgumentException("row lengths disagree: row=" + i + ", tokens=" + tokens[i].length
                        + ", logProbs=" + logProbs[i].length + ", length=" + lengths[i]);
            }
        }
    }

    /** Number of rows. */
    public int rows() {
        return tokens.length;
    }

    /** Share of rows that drew EOS before their length cap (the pre-training stop rule's figure); 0 when empty. */
    public double endedBeforeCapFraction() {
        if (endedBeforeCap.length == 0) {
            return 0;
        }
        int n = 0;
        for (boolean e : endedBeforeCap) {
            n += e ? 1 : 0;
        }
        return (double) n / endedBeforeCap.length;
    }

    /** Mean tokens per row (EOS included); 0 when empty. */
    public double meanLength() {
        long s = 0;
        for (int l : lengths) {
            s += l;
        }
        return lengths.length == 0 ? 0 : (double) s / lengths.length;
    }
}
