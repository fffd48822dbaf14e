package io.tributary.actors;

import io.tributary.learner.PolicyInference;
import io.tributary.learner.PolicySnapshot;
import java.util.SplittableRandom;

/**
 * A policy snapshot as a controller through {@link PolicyInference}: deterministic actions (arg-max or mean)
 * for evaluation, or sampled actions for data collection.
 */
public final class PolicyController implements Controller {
    private static final long SEED_MIX = 0x3C6EF372FE94F82BL;
    private final PolicyInference inference;
    private final boolean deterministic;
    private final float[] action;
    private final float[] logp = new float[1];
    // Deterministic acting never draws from it; a sampling controller reseeds it per episode.
    private SplittableRandom random = new SplittableRandom(0);

    /** Wraps {@code policy}, acting deterministically (arg-max or mean). */
    public PolicyController(PolicySnapshot policy) {
        this(policy, true);
    }

    /**
     * Wraps {@code policy}; with {@code deterministic = false} actions are sampled from the policy's
     * distribution (as rollout workers do), seeded per episode by {@link #reset}.
     */
    public PolicyController(PolicySnapshot policy, boolean deterministic) {
        this.inference = new PolicyInference(policy, 1);
        this.deterministic = deterministic;
        this.action = new float[policy.spec().actionFloats()];
    }

    @Override
    public void reset(long seed) {
        if (!deterministic) {
            random = new SplittableRandom(seed ^ SEED_MIX);
        }
    }

    @Override
    public void act(float[] observation, double[] info, float[] actionOut) {
        inference.act(observation, 1, action, logp, random, deterministic);
        System.arraycopy(action, 0, actionOut, 0, action.length);
    }
}
