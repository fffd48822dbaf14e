package io.tributary.learner;

import io.tributary.simulator.rollout.TrajectoryChunk;

/**
 * Checks a step-by-step learner makes on every chunk it accepts, with the same key=value messages in
 * every algorithm (PPO, SAC, plug-ins): the chunk's shape fits the policy and it is not a segmented group.
 * The learner role dead-letters a chunk these reject.
 */
public final class ChunkChecks {
    private ChunkChecks() {
    }

    /**
     * Fails unless {@code c} has {@code observationSize} floats per observation and {@code actionSize} per
     * action and carries no segments (a group of responses), naming {@code algorithm} in that message.
     */
    public static void requireStepChunk(TrajectoryChunk c, int observationSize, int actionSize, String algorithm) {
        if (c.observationSize() != observationSize || c.actionSize() != actionSize) {
            throw new IllegalArgumentException("chunk shape does not fit the policy: observationSize=" + c.observationSize()
                    + ", expected=" + observationSize + ", actionSize=" + c.actionSize() + ", expected=" + actionSize
                    + ", chunk=" + c.id());
        }
        if (c.segmentOffsets().length > 0) {
            throw new IllegalArgumentException(algorithm + " does not train on segmented (grouped) chunks: segments="
                    + c.segmentCount() + ", chunk=" + c.id());
        }
    }
}
