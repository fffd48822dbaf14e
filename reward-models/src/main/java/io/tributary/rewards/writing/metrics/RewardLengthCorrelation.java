package io.tributary.rewards.writing.metrics;

/**
 * Pearson correlation between rewards and response lengths over a sliding window of the last
 * {@code window} scored responses. A strongly positive value while lengths grow is the signature of
 * length hacking: the reward pays for length itself. Not thread-safe; no allocation after construction.
 */
public final class RewardLengthCorrelation {
    private final double[] rewards;
    private final double[] lengths;
    private int next;
    private int size;
    private long total;

    /** @param window how many of the latest (reward, length) pairs the correlation covers, >= 2 */
    public RewardLengthCorrelation(int window) {
        if (window < 2) {
            throw new IllegalArgumentException("window must be >= 2: window=" + window);
        }
        rewards = new double[window];
        lengths = new double[window];
    }

    /**
     * Adds one scored response, evicting the oldest once the window is full.
     *
     * @param reward its reward, finite
     * @param length its length in tokens, >= 0
     */
    public void add(double reward, int length) {
        if (!Double.isFinite(reward)) {
            throw new IllegalArgumentException("reward must be finite: reward=" + reward);
        }
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0: length=" + length);
        }
        rewards[next] = reward;
        lengths[next] = length;
        next = (next + 1) % rewards.length;
        size = Math.min(size + 1, rewards.length);
        total++;
    }

    /**
     * The Pearson correlation of the pairs in the window; NaN with fewer than two pairs or when rewards or
     * lengths are constant over the window (the correlation is undefined, not 0).
     */
    public double value() {
        if (size < 2) {
            return Double.NaN;
        }
        // Two passes over at most `window` values: exact enough without a running-sum cancellation problem.
        double meanR = 0;
        double meanL = 0;
        for (int i = 0; i < size; i++) {
            meanR += rewards[i];
            meanL += lengths[i];
        }
        meanR /= size;
        meanL /= size;
        double cov = 0;
        double varR = 0;
        double varL = 0;
        for (int i = 0; i < size; i++) {
            double dr = rewards[i] - meanR;
            double dl = lengths[i] - meanL;
            cov += dr * dl;
            varR += dr * dr;
            varL += dl * dl;
        }
        if (varR == 0 || varL == 0) {
            return Double.NaN;
        }
        return Math.max(-1, Math.min(1, cov / Math.sqrt(varR * varL)));
    }

    /** Pairs in the window now. */
    public int size() {
        return size;
    }

    /** The window's capacity. */
    public int window() {
        return rewards.length;
    }

    /** Pairs added since construction or the last {@link #reset()}, evicted ones included. */
    public long total() {
        return total;
    }

    /** Empties the window. */
    public void reset() {
        next = 0;
        size = 0;
        total = 0;
    }
}
