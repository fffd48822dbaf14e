package io.tributary.actors;

/**
 * Chooses actions during evaluation: a trained policy ({@link PolicyController}) or a scripted controller
 * (a PID on a signal, a hand-written rule) that serves as a baseline. One instance drives one episode at a
 * time; the evaluator calls {@link #reset} before each episode.
 */
public interface Controller {
    /** Starts an episode that the environment started from {@code seed}. */
    void reset(long seed);

    /**
     * Writes the action for {@code observation} into {@code actionOut} (flattened as {@code Environment.step}
     * expects). {@code info} holds the environment's info values of the previous step (zeros right after reset),
     * in the order of {@code Environment.infoKeys()}.
     */
    void act(float[] observation, double[] info, float[] actionOut);
}
