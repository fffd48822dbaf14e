package io.tributary.rewards;

import io.tributary.simulator.rollout.TrajectoryChunk;

/**
 * The reward model for environments whose own reward is the training signal (CartPole, Pendulum):
 * passes the environment reward through unchanged.
 */
public final class EnvironmentRewardModel implements RewardModel {

    /** Registered name in configs: {@code tributary.reward-models.model = env}. */
    public static final String ID = "env";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public long version() {
        return 1;
    }

    @Override
    public float scoreStep(TrajectoryChunk chunk, int step) {
        return chunk.rewards()[step];
    }

    @Override
    public float[] scoreChunk(TrajectoryChunk chunk) {
        return chunk.rewards().clone();
    }
}
