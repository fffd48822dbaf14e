package io.tributary.simulator.rollout;

import java.util.List;

/**
 * Turns one finished trajectory chunk into the chunks a rollout worker sends, e.g. the chunk plus a
 * mirrored copy (data augmentation for lane keeping). One instance per worker, called on the worker's
 * thread only, so an implementation may keep buffers.
 *
 * <p>The worker sends the returned chunks in order. The original, returned as the same instance, keeps
 * its id; every other chunk gets a fresh id of the worker's incarnation (so the ids a transform sets
 * do not matter). An added chunk marked {@value #AUGMENTED_SIGNAL} is not real env steps: the worker's
 * per-version step quota, the learner's batch count and the run's budget leave it out ({@link #realSteps});
 * an unmarked added chunk counts like the steps the worker produced itself.
 *
 * <p>A transform that changes actions (a mirrored copy steers the other way) needs their log-probabilities
 * under the policy version that produced the chunk; the worker passes that policy as an {@link ActionLogProb}
 * to {@link #apply(TrajectoryChunk, ActionLogProb)}. Added chunks that are not real environment steps carry
 * the signal {@value #AUGMENTED_SIGNAL} = 1, so step budgets count real steps only ({@link #realSteps}).
 */
public interface ChunkTransform {
    /** Name of the per-step signal that marks a chunk as augmentation (1 on every step), not real env steps. */
    String AUGMENTED_SIGNAL = "augmented";

    /**
     * Name of the per-step signal an added chunk carries when its samples were not drawn from the policy its
     * {@link TrajectoryChunk#logProbs()} describe: the log-probability under the policy that really drew them. A
     * mirrored action was drawn by the policy at the original state, so its behaviour log-prob is the original's,
     * while its {@code logProbs} are those of the mirrored action at the mirrored state under the same version;
     * where the policy is not symmetric the two differ, by thousands of nats in the tail. A learner that trusts
     * {@code logProbs} as on-policy weights such samples by {@code min(1, exp(logProb - behaviourLogProb))}
     * (PPO: {@code PpoLearner}).
     */
    String BEHAVIOUR_LOG_PROB_SIGNAL = "behaviour_log_prob";

    /** The chunks to send in place of {@code chunk} (usually {@code chunk} itself first); never null, may be empty. */
    List<TrajectoryChunk> apply(TrajectoryChunk chunk);

    /**
     * As {@link #apply(TrajectoryChunk)}, with the policy version that produced {@code chunk}, for transforms
     * that must compute log-probabilities of actions the policy did not take. The default ignores the policy.
     */
    default List<TrajectoryChunk> apply(TrajectoryChunk chunk, ActionLogProb policy) {
        return apply(chunk);
    }

    /**
     * Log-probabilities of actions under one policy version (the rollout worker's current policy; the simulator
     * cannot see the learner's types, so this is the narrow view it gets).
     */
    @FunctionalInterface
    interface ActionLogProb {
        /**
         * Writes {@code log pi(actions[i] | observations[i])} for {@code n} rows into {@code out[0..n)}.
         *
         * @param observations {@code n * observationSize} raw observations
         * @param actions      {@code n * actionSize} actions
         */
        void logProbs(float[] observations, int n, float[] actions, float[] out);
    }

    /** True when {@code chunk} carries {@value #AUGMENTED_SIGNAL} = 1 (an added copy, not real env steps). */
    static boolean isAugmented(TrajectoryChunk chunk) {
        int k = chunk.signalIndex(AUGMENTED_SIGNAL);
        return k >= 0 && chunk.signal(0, k) != 0f;
    }

    /** The real environment steps in {@code chunk}: 0 for an augmented copy, else its steps. */
    static int realSteps(TrajectoryChunk chunk) {
        return isAugmented(chunk) ? 0 : chunk.steps();
    }
}
