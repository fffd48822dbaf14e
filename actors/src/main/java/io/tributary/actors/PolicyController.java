package io.tributary.actors;

import io.tributary.learner.PolicyInference;
import io.tributary.learner.PolicySnapshot;
import java.util.SplittableRandom;

/** A policy snapshot as a controller: deterministic actions (arg-max or mean) through {@link PolicyInference}. */
public final class PolicyController implements Controller {
    private final PolicyInference inference;
    private final float[] action;
    private final float[] logp = new float[1];
    // Deterministic acting never draws from it; act(...) still takes one.
    private final SplittableRandom unused = new SplittableRandom(0);

    /** Wraps {@code policy}. */
    public PolicyController(PolicySnapshot policy) {
        this.inference = new PolicyInference(policy, 1);
        this.action = new float[policy.spec().actionFloats()];
    }

    @Override
    public void reset(long seed) {
    }

    @Override
    public void act(float[] observation, double[] info, float[] actionOut) {
        inference.act(observation, 1, action, logp, unused, true);
        System.arraycopy(action, 0, actionOut, 0, action.length);
    }
}
