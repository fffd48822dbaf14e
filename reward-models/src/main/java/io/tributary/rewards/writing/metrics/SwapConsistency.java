package io.tributary.rewards.writing.metrics;

import io.tributary.rewards.writing.PairwiseJudge.PairOutcome;

/**
 * Swap consistency of a pairwise judge: the fraction of judged pairs whose winner is the same response in
 * both orderings ({@link PairOutcome#consistent()}; a tie in either ordering is inconsistent). A judge that
 * always prefers the first-shown response scores 0, one that ignores position scores 1. Not thread-safe:
 * one scorer accumulates, then reports and {@link #reset() resets}.
 */
public final class SwapConsistency {
    private long pairs;
    private long consistent;
    private long ties;

    /** Counts one pair judged in both orderings. */
    public void add(PairOutcome outcome) {
        if (outcome == null) {
            throw new IllegalArgumentException("outcome must not be null");
        }
        pairs++;
        if (outcome.consistent()) {
            consistent++;
        }
        if (outcome.aFirst().winner() == 0 || outcome.bFirst().winner() == 0) {
            ties++;
        }
    }

    /** Counts every pair of {@code outcomes}. */
    public void addAll(Iterable<PairOutcome> outcomes) {
        for (PairOutcome o : outcomes) {
            add(o);
        }
    }

    /** Consistent pairs / pairs; NaN before the first pair (no evidence is not 0 or 1). */
    public double value() {
        return pairs == 0 ? Double.NaN : (double) consistent / pairs;
    }

    /** Pairs counted. */
    public long pairs() {
        return pairs;
    }

    /** Pairs whose winner was the same in both orderings. */
    public long consistentPairs() {
        return consistent;
    }

    /** Pairs with a tie in at least one ordering (counted as inconsistent). */
    public long ties() {
        return ties;
    }

    /** Forgets every pair. */
    public void reset() {
        pairs = 0;
        consistent = 0;
        ties = 0;
    }

    /** The swap consistency of {@code outcomes}. */
    public static double of(Iterable<PairOutcome> outcomes) {
        SwapConsistency s = new SwapConsistency();
        s.addAll(outcomes);
        return s.value();
    }
}
