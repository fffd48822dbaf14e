package io.tributary.learner.ppo;

import io.tributary.simulator.rollout.TrajectoryChunk;

/**
 * Generalised advantage estimation (Schulman et al. 2016) over one trajectory chunk. A chunk never spans
 * two episodes, so the recursion runs over the whole chunk and only its end needs a decision: a
 * terminated last step bootstraps from 0; a truncated last step, or a chunk that ends mid-episode,
 * bootstraps from the critic's value of the chunk's {@code bootstrapObservation}.
 */
public final class Gae {
    private Gae() {
    }

    /**
     * The value that follows a chunk's last step.
     *
     * @param chunk                   the chunk
     * @param bootstrapObservationValue critic value of {@code chunk.bootstrapObservation()}
     * @return 0 if the last step terminated the episode, else {@code bootstrapObservationValue}
     */
    public static float nextValue(TrajectoryChunk chunk, float bootstrapObservationValue) {
        return chunk.terminated()[chunk.steps() - 1] ? 0f : bootstrapObservationValue;
    }

    /**
     * Advantages and returns of {@code steps} consecutive steps of one episode:
     * {@code delta_t = r_t + gamma * V_{t+1} - V_t}, {@code A_t = delta_t + gamma * lambda * A_{t+1}},
     * {@code R_t = A_t + V_t}, with {@code V_steps = nextValue} and {@code A_steps = 0}. Sums run in double.
     *
     * @param rewards   rewards, read from {@code off}
     * @param values    critic values, read from {@code off}
     * @param off       offset of the first step
     * @param steps     number of steps
     * @param nextValue value after the last step (see {@link #nextValue})
     * @param advantages receives advantages at {@code off}
     * @param returns   receives returns at {@code off}
     */
    public static void compute(float[] rewards, float[] values, int off, int steps, float nextValue, double gamma,
                               double lambda, float[] advantages, float[] returns) {
        double next = nextValue;
        double adv = 0;
        for (int t = steps - 1; t >= 0; t--) {
            double v = values[off + t];
            double delta = rewards[off + t] + gamma * next - v;
            adv = delta + gamma * lambda * adv;
            advantages[off + t] = (float) adv;
            returns[off + t] = (float) (adv + v);
            next = v;
        }
    }
}
