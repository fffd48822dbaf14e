package io.tributary.actors;

import io.tributary.rewards.writing.WritingGroupFigures;
import io.tributary.rewards.writing.metrics.RewardLengthCorrelation;
import io.tributary.rewards.writing.metrics.SwapConsistency;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The run's judge-quality figures, accumulated by the monitor from the per-group figures the scorers report
 * ({@link WritingGroupFigures}): swap consistency over every judged pair, the reward–length correlation over
 * the last {@link #CORRELATION_WINDOW} scored responses (BRPO's references left out), the fraction of groups
 * the skew filter drops, and the last group's mean length and explanation tokens. A group re-scored after an
 * aborted scorer transaction is counted again (the figures watch the judge, not the accounts). One thread.
 */
public final class JudgeFigures {
    /** Responses the reward–length correlation covers (the latest ones). */
    public static final int CORRELATION_WINDOW = 1024;

    private final SwapConsistency swap = new SwapConsistency();
    private final RewardLengthCorrelation correlation = new RewardLengthCorrelation(CORRELATION_WINDOW);
    private long groups;
    private long filtered;
    private WritingGroupFigures last;

    /** Adds one scored group. */
    public void add(WritingGroupFigures figures) {
        figures.feed(swap, correlation);
        groups++;
        if (figures.filtered()) {
            filtered++;
        }
        last = figures;
    }

    /** Groups scored so far. */
    public long groups() {
        return groups;
    }

    /** Share of judged pairs with the same winner in both orderings; NaN before any pair (scalar models judge none). */
    public double swapConsistency() {
        return swap.pairs() == 0 ? Double.NaN : swap.value();
    }

    /** Pearson correlation of reward and length over the window; NaN when undefined. */
    public double rewardLengthCorrelation() {
        return correlation.value();
    }

    /** Share of scored groups BRPO's skew filter drops; NaN before the first group. */
    public double groupsFilteredFraction() {
        return groups == 0 ? Double.NaN : (double) filtered / groups;
    }

    /**
     * The figures as metrics-row fields ({@code judge_*}); non-finite values are left out (JSON has no NaN),
     * empty before the first group.
     */
    public Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        if (last == null) {
            return f;
        }
        f.put("judge_model", last.model());
        f.put("judge_groups", groups);
        putFinite(f, "judge_swap_consistency", swapConsistency());
        putFinite(f, "judge_reward_length_corr", rewardLengthCorrelation());
        putFinite(f, "judge_groups_filtered_frac", groupsFilteredFraction());
        putFinite(f, "judge_last_mean_length", last.meanLength());
        putFinite(f, "judge_last_explanation_tokens", last.meanExplanationTokens());
        return f;
    }

    private static void putFinite(Map<String, Object> f, String key, double v) {
        if (Double.isFinite(v)) {
            f.put(key, v);
        }
    }
}
