package io.tributary.simulator.data;

import java.util.Objects;

/**
 * An offline reinforcement-learning dataset held in memory, column by column: transition {@code i}
 * is {@code observations[i*observationSize .. +observationSize)}, its action, reward, next observation
 * and flags. This is what the dataset files (Tributary's own columnar format, D4RL/Minari HDF5) read
 * into and what dynamics training and offline learners consume.
 *
 * @param environment      name of the environment the data came from (e.g. {@code PointMass2D-v0})
 * @param observationSize  values per observation
 * @param actionSize       values per action
 * @param observations     {@code size * observationSize} values
 * @param actions          {@code size * actionSize} values
 * @param rewards          one per transition
 * @param nextObservations {@code size * observationSize} values
 * @param terminals        one per transition: the next state is terminal (no bootstrap)
 * @param timeouts         one per transition: the episode was truncated after it (bootstrap)
 */
public record OfflineDataset(String environment, int observationSize, int actionSize, float[] observations,
                             float[] actions, float[] rewards, float[] nextObservations, boolean[] terminals,
                             boolean[] timeouts) {

    public OfflineDataset {
        Objects.requireNonNull(environment, "environment");
        if (observationSize <= 0 || actionSize <= 0) {
            throw new IllegalArgumentException("sizes must be positive: observationSize=" + observationSize
                    + ", actionSize=" + actionSize);
        }
        int n = rewards.length;
        check("observations", observations.length, n * observationSize);
        check("actions", actions.length, n * actionSize);
        check("nextObservations", nextObservations.length, n * observationSize);
        check("terminals", terminals.length, n);
        check("timeouts", timeouts.length, n);
    }

    private static void check(String field, int actual, int expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(field + " has the wrong length: " + field + ".length=" + actual
                    + ", expected=" + expected);
        }
    }

    /** Number of transitions. */
    public int size() {
        return rewards.length;
    }
}
