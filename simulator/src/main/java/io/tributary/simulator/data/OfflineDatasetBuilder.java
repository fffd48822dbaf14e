package io.tributary.simulator.data;

import java.util.Arrays;

/**
 * Accumulates transitions one at a time (growing its columns) and builds an {@link OfflineDataset}: what a
 * data-collection loop or a file converter fills.
 */
public final class OfflineDatasetBuilder {
    private final String environment;
    private final int observationSize;
    private final int actionSize;
    private float[] observations;
    private float[] actions;
    private float[] rewards;
    private float[] nextObservations;
    private boolean[] terminals;
    private boolean[] timeouts;
    private int size;

    /** An empty builder for transitions of the given sizes. */
    public OfflineDatasetBuilder(String environment, int observationSize, int actionSize) {
        if (observationSize <= 0 || actionSize <= 0) {
            throw new IllegalArgumentException("sizes must be positive: observationSize=" + observationSize
                    + ", actionSize=" + actionSize);
        }
        this.environment = environment;
        this.observationSize = observationSize;
        this.actionSize = actionSize;
        grow(1024);
    }

    private void grow(int capacity) {
        observations = observations == null ? new float[capacity * observationSize]
                : Arrays.copyOf(observations, capacity * observationSize);
        actions = actions == null ? new float[capacity * actionSize] : Arrays.copyOf(actions, capacity * actionSize);
        rewards = rewards == null ? new float[capacity] : Arrays.copyOf(rewards, capacity);
        nextObservations = nextObservations == null ? new float[capacity * observationSize]
                : Arrays.copyOf(nextObservations, capacity * observationSize);
        terminals = terminals == null ? new boolean[capacity] : Arrays.copyOf(terminals, capacity);
        timeouts = timeouts == null ? new boolean[capacity] : Arrays.copyOf(timeouts, capacity);
    }

    /** Appends one transition; the arrays are copied. */
    public void add(float[] observation, float[] action, float reward, float[] nextObservation, boolean terminal,
                    boolean timeout) {
        if (observation.length != observationSize || nextObservation.length != observationSize
                || action.length != actionSize) {
            throw new IllegalArgumentException("transition size mismatch: observation.length=" + observation.length
                    + ", nextObservation.length=" + nextObservation.length + ", action.length=" + action.length
                    + ", expected observationSize=" + observationSize + ", actionSize=" + actionSize);
        }
        if (size == rewards.length) {
            grow(Math.multiplyExact(rewards.length, 2));
        }
        System.arraycopy(observation, 0, observations, size * observationSize, observationSize);
        System.arraycopy(action, 0, actions, size * actionSize, actionSize);
        System.arraycopy(nextObservation, 0, nextObservations, size * observationSize, observationSize);
        rewards[size] = reward;
        terminals[size] = terminal;
        timeouts[size] = timeout;
        size++;
    }

    /** Transitions added so far. */
    public int size() {
        return size;
    }

    /** The dataset of the transitions added so far (copies, so the builder may go on). */
    public OfflineDataset build() {
        return new OfflineDataset(environment, observationSize, actionSize,
                Arrays.copyOf(observations, size * observationSize), Arrays.copyOf(actions, size * actionSize),
                Arrays.copyOf(rewards, size), Arrays.copyOf(nextObservations, size * observationSize),
                Arrays.copyOf(terminals, size), Arrays.copyOf(timeouts, size));
    }
}
