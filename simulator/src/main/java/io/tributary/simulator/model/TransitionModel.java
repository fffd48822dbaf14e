package io.tributary.simulator.model;

import io.tributary.simulator.random.SplitMix64;

/**
 * A one-step model of an environment's dynamics, as model-based rollouts use it: the true simulator
 * (no model error, the edge-of-reach experiment) or a frozen learned dynamics ensemble loaded from its
 * file. Implementations are single-threaded and allocate nothing per call.
 */
public interface TransitionModel {

    /** Length of the observation vectors this model reads and writes. */
    int observationSize();

    /** Length of the action vectors this model reads. */
    int actionSize();

    /**
     * Predicts (or samples) one transition from {@code observation} under {@code action}.
     *
     * @param random source of the model's sampling noise (elite choice, Gaussian sample); unused by
     *               deterministic models
     * @param next   receives the next observation ({@link #observationSize()} values)
     * @return the reward of the transition
     */
    double step(float[] observation, float[] action, SplitMix64 random, float[] next);

    /** Whether {@code next} is a terminal state; models of environments that never terminate keep the default. */
    default boolean terminal(float[] next) {
        return false;
    }
}
