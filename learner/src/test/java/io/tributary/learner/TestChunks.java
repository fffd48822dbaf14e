package io.tributary.learner;

import io.tributary.rewards.ScoredChunk;
import io.tributary.simulator.rollout.ChunkId;
import io.tributary.simulator.rollout.TrajectoryChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/** Builds trajectory chunks for learner tests. */
public final class TestChunks {
    private static final UUID WORKER = new UUID(42L, 7L);
    private static long sequence;

    private TestChunks() {
    }

    /** How a chunk ends. */
    public enum End { TERMINATED, TRUNCATED, MID_EPISODE }

    /** A scored chunk with the given per-step data (model rewards = env rewards). */
    public static ScoredChunk chunk(int obsSize, int actionFloats, float[] obs, float[] actions, float[] logProbs,
                                    float[] rewards, float[] bootstrap, End end, int envIndex) {
        int steps = rewards.length;
        boolean[] terminated = new boolean[steps];
        boolean[] truncated = new boolean[steps];
        if (end == End.TERMINATED) {
            terminated[steps - 1] = true;
        } else if (end == End.TRUNCATED) {
            truncated[steps - 1] = true;
        }
        TrajectoryChunk c = new TrajectoryChunk(new ChunkId("test-run", WORKER, sequence++), "test-env", envIndex, 0L, 0, 0L,
                steps, obsSize, obs, actionFloats, actions, logProbs, new float[steps], rewards.clone(), terminated, truncated,
                bootstrap, new int[0], new int[0], new int[0], 0L);
        return new ScoredChunk(c, rewards, "env", 0L, 0L);
    }

    /**
     * Rolls {@code chunks} chunks of {@code steps} steps with the policy over random observations
     * (mean 1, std 2 per element), rewards from {@code reward}, alternating chunk endings.
     */
    public static List<ScoredChunk> random(PolicySnapshot policy, int chunks, int steps, long seed, RewardFn reward) {
        PolicySpec spec = policy.spec();
        int os = spec.observationSize();
        int af = spec.actionFloats();
        PolicyInference inf = new PolicyInference(policy, steps);
        SplittableRandom rng = new SplittableRandom(seed);
        List<ScoredChunk> out = new ArrayList<>();
        for (int c = 0; c < chunks; c++) {
            float[] obs = new float[steps * os];
            for (int i = 0; i < obs.length; i++) {
                obs[i] = (float) (1.0 + 2.0 * rng.nextGaussian());
            }
            float[] actions = new float[steps * af];
            float[] logp = new float[steps];
            inf.act(obs, steps, actions, logp, rng, false);
            float[] rewards = new float[steps];
            for (int t = 0; t < steps; t++) {
                rewards[t] = reward.reward(obs, t * os, actions, t * af);
            }
            float[] boot = new float[os];
            for (int i = 0; i < os; i++) {
                boot[i] = (float) (1.0 + 2.0 * rng.nextGaussian());
            }
            End end = End.values()[c % 3];
            out.add(chunk(os, af, obs, actions, logp, rewards, boot, end, c));
        }
        return out;
    }

    /** Reward of one step. */
    @FunctionalInterface
    public interface RewardFn {
        float reward(float[] obs, int obsOff, float[] actions, int actOff);
    }
}
