package io.tributary.simulator;

/**
 * Optional capability of an {@link Environment}: start an episode from a given observation instead of
 * the environment's own start distribution. Model-based rollouts start from dataset states and the
 * true-dynamics {@link io.tributary.simulator.model.TransitionModel} steps the real simulator from an
 * arbitrary state, so environments whose observation determines their state implement it.
 */
public interface StateResettable {

    /**
     * Starts an episode in the state that {@code observation} describes (as this environment writes
     * observations); writes that observation (possibly rounded to the environment's precision), reward 0
     * and flags false into {@code out}.
     *
     * @param seed seeds any randomness of the episode that follows (unused by deterministic environments)
     * @throws IllegalArgumentException if the observation has the wrong length or describes no valid state
     */
    void resetTo(float[] observation, long seed, StepResult out);
}
