package io.tributary.simulator;

import java.util.Arrays;

/**
 * The preallocated result of {@link Environment#reset} and {@link Environment#step}. An environment
 * writes into it instead of allocating, so the step loop allocates nothing.
 */
public final class StepResult {
    /** Flattened observation after the step (or after reset). */
    public final float[] observation;
    /** Reward of the step (0 after reset). */
    public float reward;
    /** The episode reached a terminal state of the MDP (no bootstrapping past it). */
    public boolean terminated;
    /** The episode was cut short (time limit); the value of {@link #observation} may be bootstrapped. */
    public boolean truncated;
    /** Named diagnostic values, in the order of {@link Environment#infoKeys()}. */
    public final double[] info;

    /** A result sized for the given environment. */
    public static StepResult forEnvironment(Environment env) {
        return new StepResult(env.observationSpace().flatSize(), env.infoKeys().size());
    }

    /** A result with room for {@code observationSize} floats and {@code infoSize} info values. */
    public StepResult(int observationSize, int infoSize) {
        this.observation = new float[observationSize];
        this.info = new double[infoSize];
    }

    /** Clears reward, flags and info before an environment writes a new step. */
    public void clear() {
        reward = 0f;
        terminated = false;
        truncated = false;
        Arrays.fill(info, 0.0);
    }

    /** True if the episode ended either way. */
    public boolean done() {
        return terminated || truncated;
    }
}
