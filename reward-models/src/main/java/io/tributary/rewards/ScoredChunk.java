package io.tributary.rewards;

import io.tributary.simulator.rollout.TrajectoryChunk;
import java.util.Objects;

/**
 * A trajectory chunk with the rewards a reward model gave it: what the learner trains on. Keeps the
 * environment rewards in {@link #chunk} and the model's rewards in {@link #rewards}, and names the
 * reward model and version so every trained record can be traced to who scored it.
 *
 * @param chunk              the scored chunk
 * @param rewards            one reward per step, from the reward model
 * @param rewardModelId      reward model name
 * @param rewardModelVersion reward model version
 * @param scoredAtMicros     wall-clock time of scoring, epoch microseconds
 */
public record ScoredChunk(TrajectoryChunk chunk, float[] rewards, String rewardModelId, long rewardModelVersion,
                          long scoredAtMicros) {
    public ScoredChunk {
        Objects.requireNonNull(chunk, "chunk");
        Objects.requireNonNull(rewards, "rewards");
        Objects.requireNonNull(rewardModelId, "rewardModelId");
        if (rewards.length != chunk.steps()) {
            throw new IllegalArgumentException("rewards length mismatch: rewards.length=" + rewards.length
                    + ", steps=" + chunk.steps() + ", chunk=" + chunk.id());
        }
        for (int i = 0; i < rewards.length; i++) {
            if (!Float.isFinite(rewards[i])) {
                throw new IllegalArgumentException("reward is not finite: step=" + i + ", reward=" + rewards[i]
                        + ", chunk=" + chunk.id());
            }
        }
        if (rewardModelVersion < 0) {
            throw new IllegalArgumentException("rewardModelVersion must be >= 0: rewardModelVersion=" + rewardModelVersion);
        }
    }
}
