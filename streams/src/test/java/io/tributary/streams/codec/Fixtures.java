package io.tributary.streams.codec;

import io.tributary.learner.ObservationField;
import io.tributary.learner.PolicySnapshot;
import io.tributary.learner.PolicySpec;
import io.tributary.rewards.ScoredChunk;
import io.tributary.simulator.rollout.ChunkId;
import io.tributary.simulator.rollout.TrajectoryChunk;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/** Realistic records of every shape the three workloads put on the wire, built from a seed. */
final class Fixtures {
    static final int LIDAR_RAYS = 180;
    static final int GEOMETRY = 4;
    static final int SCENE_TOKENS = 50;
    static final int FUSED_OBSERVATION = LIDAR_RAYS + GEOMETRY + SCENE_TOKENS;

    private Fixtures() {
    }

    static ChunkId id(Random random, String runId) {
        return new ChunkId(runId, new UUID(random.nextLong(), random.nextLong()), random.nextInt(1_000_000));
    }

    /** CartPole: 4 floats per observation, one discrete action stored as a float, terminated at the end. */
    static TrajectoryChunk cartPole(int steps, long seed) {
        Random random = new Random(seed);
        float[] observations = gaussian(random, steps * 4);
        float[] actions = new float[steps];
        float[] logProbs = new float[steps];
        float[] values = gaussian(random, steps);
        float[] rewards = new float[steps];
        for (int t = 0; t < steps; t++) {
            actions[t] = random.nextInt(2);
            logProbs[t] = (float) Math.log(0.3 + 0.4 * random.nextDouble());
            rewards[t] = 1.0f;
        }
        boolean[] terminated = new boolean[steps];
        terminated[steps - 1] = true;
        return new TrajectoryChunk(id(random, "cartpole-run"), "CartPole-v1", random.nextInt(8), random.nextInt(10_000),
                random.nextInt(100), random.nextInt(500), steps, 4, observations, 1, actions, logProbs, values, rewards,
                terminated, new boolean[steps], gaussian(random, 4), new int[0], new int[0], new int[0],
                1_760_000_000_000_000L + random.nextInt(1_000_000));
    }

    /** The per-step signals a lane-keeping environment declares (one non-ASCII name on purpose). */
    static final String[] LANE_SIGNALS = {"lateral_offset", "nearest_obstacle_m", "speed_mps", "cap\u00e9_rad"};

    /**
     * Lane keeping: 180 LiDAR ranges, 4 geometric floats and 50 scene token ids (as floats) per step, a
     * 2-float continuous action, the environment's named signals and depth per step, truncated by the
     * time limit at the end.
     */
    static TrajectoryChunk fused(int steps, long seed) {
        Random random = new Random(seed);
        float[] observations = new float[steps * FUSED_OBSERVATION];
        for (int t = 0; t < steps; t++) {
            int base = t * FUSED_OBSERVATION;
            for (int r = 0; r < LIDAR_RAYS; r++) {
                observations[base + r] = 30f * random.nextFloat();
            }
            for (int g = 0; g < GEOMETRY; g++) {
                observations[base + LIDAR_RAYS + g] = (float) random.nextGaussian();
            }
            for (int k = 0; k < SCENE_TOKENS; k++) {
                observations[base + LIDAR_RAYS + GEOMETRY + k] = random.nextInt(32_000);
            }
        }
        boolean[] truncated = new boolean[steps];
        truncated[steps - 1] = true;
        int[] depth = new int[steps];
        for (int t = 0; t < steps; t++) {
            depth[t] = 100 + t;
        }
        return new TrajectoryChunk(id(random, "lane-keeping"), "LaneKeeping-v0", 3, 77L, 5, 12L, steps,
                FUSED_OBSERVATION, observations, 2, gaussian(random, steps * 2), gaussian(random, steps),
                gaussian(random, steps), gaussian(random, steps), new boolean[steps], truncated,
                gaussian(random, FUSED_OBSERVATION), new int[0], new int[0], depth, 1_760_000_000_123_456L,
                LANE_SIGNALS.clone(), gaussian(random, steps * LANE_SIGNALS.length));
    }

    /**
     * Writing: a group of responses with lengths 5, 7 and 18 tokens, token ids as actions, per-token
     * log-probs, the prompt as context, and each response terminated at its last token.
     */
    static TrajectoryChunk tokenGroup(long seed) {
        Random random = new Random(seed);
        int[] segmentOffsets = {0, 5, 12, 30};
        int steps = 30;
        float[] tokens = new float[steps];
        float[] logProbs = new float[steps];
        float[] rewards = new float[steps];
        boolean[] terminated = new boolean[steps];
        for (int t = 0; t < steps; t++) {
            tokens[t] = random.nextInt(50_257);
            logProbs[t] = -5f * random.nextFloat();
        }
        for (int s = 1; s < segmentOffsets.length; s++) {
            terminated[segmentOffsets[s] - 1] = true;
            rewards[segmentOffsets[s] - 1] = random.nextBoolean() ? 1f : -1f;
        }
        int[] prompt = new int[17];
        for (int i = 0; i < prompt.length; i++) {
            prompt[i] = random.nextInt(50_257);
        }
        return new TrajectoryChunk(id(random, "writing-zero"), "writing/essay-prompts", 0, 9L, 0, 3L, steps, 0,
                new float[0], 1, tokens, logProbs, new float[steps], rewards, terminated, new boolean[steps],
                new float[0], segmentOffsets, prompt, new int[0], 1_760_000_000_000_001L);
    }

    /** Model-based offline RL: k-step rollouts with each step's depth in the learned model. */
    static TrajectoryChunk modelRollout(int steps, long seed) {
        Random random = new Random(seed);
        int[] depth = new int[steps];
        for (int t = 0; t < steps; t++) {
            depth[t] = 1 + t % 5;
        }
        return new TrajectoryChunk(id(random, "edge-of-reach"), "halfcheetah-medium/ensemble", 1, 1234L, 2, 40L,
                steps, 17, gaussian(random, steps * 17), 6, gaussian(random, steps * 6), gaussian(random, steps),
                gaussian(random, steps), gaussian(random, steps), new boolean[steps], new boolean[steps],
                gaussian(random, 17), new int[0], new int[0], depth, 42L);
    }

    /** Non-ASCII names, special float values and no observation: the corners of the format. */
    static TrajectoryChunk corners() {
        float[] actions = {Float.NaN, -0.0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NEGATIVE_INFINITY,
                Float.intBitsToFloat(0x7fc12345)};
        int steps = actions.length;
        boolean[] terminated = new boolean[steps];
        boolean[] truncated = new boolean[steps];
        terminated[steps - 1] = true;
        truncated[steps - 1] = true;
        return new TrajectoryChunk(new ChunkId("r\u00e9sum\u00e9-\u8def-\ud83d\ude97", new UUID(-1L, 0L), Long.MAX_VALUE),
                "", Integer.MAX_VALUE, Long.MIN_VALUE, 0, Long.MAX_VALUE, steps, 0, new float[0], 1, actions,
                new float[steps], new float[steps], new float[steps], terminated, truncated, new float[0], new int[0],
                new int[0], new int[0], -5L, new String[] {"\ud83d\ude97", "x"}, signalCorners(steps));
    }

    private static float[] signalCorners(int steps) {
        float[] s = new float[steps * 2];
        for (int i = 0; i < s.length; i++) {
            s[i] = i % 3 == 0 ? Float.NaN : i % 3 == 1 ? -0.0f : Float.POSITIVE_INFINITY;
        }
        return s;
    }

    static ScoredChunk scored(TrajectoryChunk chunk, long seed) {
        Random random = new Random(seed);
        float[] rewards = new float[chunk.steps()];
        for (int i = 0; i < rewards.length; i++) {
            rewards[i] = (float) random.nextGaussian();
        }
        return new ScoredChunk(chunk, rewards, "genrm-pairwise", 7L, 1_760_000_000_999_999L);
    }

    static PolicySnapshot snapshot(int parameterCount, PolicySpec.Head head, long seed) {
        Random random = new Random(seed);
        int observationSize = 8;
        int actionSize = 2;
        PolicySpec spec = head != PolicySpec.Head.CATEGORICAL
                ? new PolicySpec(observationSize, head, actionSize, new int[] {64, 64}, new float[] {-1f, -2f},
                new float[] {1f, 2f})
                : new PolicySpec(observationSize, head, actionSize, new int[] {32}, new float[0], new float[0]);
        float[] parameters = new float[parameterCount];
        for (int i = 0; i < parameterCount; i++) {
            parameters[i] = random.nextFloat() - 0.5f;
        }
        float[] var = gaussian(random, observationSize);
        for (int i = 0; i < var.length; i++) {
            var[i] = Math.abs(var[i]) + 0.01f;
        }
        return new PolicySnapshot("lane-keeping", 17L, "ppo", spec, parameters, gaussian(random, observationSize), var,
                1_760_000_000_555_000L);
    }

    /** A relu fusion policy over a LiDAR box (raw), a state box (normalised), a disabled box and scene tokens. */
    static PolicySnapshot fusionSnapshot(int parameterCount, PolicySpec.Head head, long seed) {
        Random random = new Random(seed);
        List<ObservationField> fields = List.of(
                new ObservationField("lidar", ObservationField.Kind.BOX, 6, 0, false, true, new int[] {16, 8}, 0),
                ObservationField.box("state", 3, true, new int[0]),
                ObservationField.box("pid", 1, true).withEnabled(false),
                ObservationField.tokens("sc\u00e8ne", 4, 50, 6, new int[] {12}));
        boolean bounded = head != PolicySpec.Head.CATEGORICAL;
        PolicySpec spec = new PolicySpec(PolicySpec.Architecture.FUSION, PolicySpec.Activation.RELU, fields,
                new int[] {32, 16}, head, bounded ? 2 : 5, bounded ? new float[] {-1f, 0f} : new float[0],
                bounded ? new float[] {1f, 30f} : new float[0]);
        float[] parameters = gaussian(random, parameterCount);
        float[] var = gaussian(random, spec.observationSize());
        for (int i = 0; i < var.length; i++) {
            var[i] = Math.abs(var[i]) + 0.01f;
        }
        return new PolicySnapshot("lane-keeping", 18L, "ppo", spec, parameters, gaussian(random, spec.observationSize()),
                var, 1_760_000_000_556_000L);
    }

    static MetricEvent metric() {
        return new MetricEvent("lane-keeping", "reward.mean", 1200L, -0.125, 1_760_000_000_000_000L,
                Map.of("worker", "w-3", "env", "LaneKeeping-v0", "model", "hybrid/\u00e9"));
    }

    /** Part 2 of 3 of a checkpoint's ledger entry: ids of every kind, a reason with a non-ASCII character. */
    static LedgerPart ledgerPart() {
        return new LedgerPart(41L, 1, 3, List.of("0b3c-4d/17", "0b3c-4d/18"), List.of("77aa/3 lag=4",
                "77aa/4 discarded-branch v=9", "77aa/5 end-of-run"), List.of("p1@20 malformed", "77aa/6 skipped-update nan \u00e9"));
    }

    static float[] gaussian(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }
}
