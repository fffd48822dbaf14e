package io.tributary.learner;

import java.util.Objects;

/**
 * How much data the learner wants per policy version, declared by its {@link LearnerProvider}: rollout
 * workers share it (each produces {@link #share} with one version, then waits for the next one), so they
 * never run ahead of what one update consumes.
 *
 * @param unit   what is counted
 * @param amount how many of {@code unit} one policy version should receive, at least 1
 */
public record ProductionQuota(Unit unit, long amount) {

    /** What a quota counts. */
    public enum Unit {
        /**
         * Real environment steps (PPO, REINFORCE, SAC-style learners): chunks a transform added and marked
         * augmented (lane-mirror copies) come on top, so a learner with this unit should count its batch in real
         * steps too ({@code ChunkTransform.realSteps}), as PPO does; one that counted every sample would update
         * before a version's real steps are in.
         */
        STEPS,
        /**
         * Groups of responses (BRPO/GRPO): every chunk sent counts as one group. The text rollout role sends a
         * group of G responses as one segmented chunk (its segments are the responses, not groups), and a step
         * worker serving such a learner counts each chunk it sends, transform copies included, as one group.
         */
        GROUPS
    }

    public ProductionQuota {
        Objects.requireNonNull(unit, "unit");
        if (amount < 1) {
            throw new IllegalArgumentException("quota amount must be >= 1: amount=" + amount + ", unit=" + unit);
        }
    }

    /** A quota of {@code steps} environment steps per version. */
    public static ProductionQuota steps(long steps) {
        return new ProductionQuota(Unit.STEPS, steps);
    }

    /** A quota of {@code groups} groups of responses per version. */
    public static ProductionQuota groups(long groups) {
        return new ProductionQuota(Unit.GROUPS, groups);
    }

    /** One worker's part when {@code liveWorkers} share the quota: {@code ceil(amount / liveWorkers)}. */
    public long share(int liveWorkers) {
        int live = Math.max(1, liveWorkers);
        return (amount + live - 1) / live;
    }
}
