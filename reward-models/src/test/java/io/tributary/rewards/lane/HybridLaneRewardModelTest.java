package io.tributary.rewards.lane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.config.SettingsException;
import io.tributary.rewards.RewardModel;
import io.tributary.rewards.RewardModels;
import io.tributary.rewards.RewardSettings;
import io.tributary.simulator.StepResult;
import io.tributary.simulator.lane.HybridLaneReward;
import io.tributary.simulator.lane.LaneKeepingEnv;
import io.tributary.simulator.lane.LaneSignals;
import io.tributary.simulator.random.SplitMix64;
import io.tributary.simulator.rollout.ChunkId;
import io.tributary.simulator.rollout.TrajectoryChunk;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The {@code hybrid-lane} reward model: found by name, its weights are options (checked, named when bad), it
 * reproduces the environment's own reward at the default weights from the step signals alone, and other
 * weights change exactly the terms they weigh.
 */
class HybridLaneRewardModelTest {

    /** One episode of {@code LaneKeeping-v0} under jittery steering, as a chunk with its signals. */
    static TrajectoryChunk episode(long seed, int maxSteps) {
        try (LaneKeepingEnv env = new LaneKeepingEnv(maxSteps, 0.0, new io.tributary.simulator.lane.GroundTruthCaptioner())) {
            StepResult r = StepResult.forEnvironment(env);
            env.reset(seed, r);
            SplitMix64 rng = new SplitMix64(seed * 31 + 7);
            int k = LaneSignals.ALL.size();
            float[] rewards = new float[maxSteps];
            float[] signals = new float[maxSteps * k];
            int t = 0;
            float[] action = new float[2];
            while (!r.done() && t < maxSteps) {
                // Steer against the offset and heading, with noise; odd seeds drift off after 5 s and depart.
                double d = r.observation[LaneKeepingEnv.GEOMETRY_OFFSET];
                double he = r.observation[LaneKeepingEnv.GEOMETRY_OFFSET + 1];
                boolean drift = seed % 2 == 1 && t > 100;
                action[0] = drift ? 0.2f : (float) Math.max(-1, Math.min(1, (-0.4 * d - 1.2 * he) / 0.8 + 0.3 * rng.nextGaussian()));
                action[1] = (float) rng.uniform(-0.2, 0.8);
                env.step(action, r);
                rewards[t] = r.reward;
                for (int i = 0; i < k; i++) {
                    signals[t * k + i] = (float) r.info[i];
                }
                t++;
            }
            int n = t;
            boolean[] terminated = new boolean[n];
            boolean[] truncated = new boolean[n];
            terminated[n - 1] = r.terminated;
            truncated[n - 1] = r.truncated;
            int obs = LaneKeepingEnv.OBSERVATION_SIZE;
            return new TrajectoryChunk(new ChunkId("lane", new UUID(seed, 1), seed), LaneKeepingEnv.NAME, 0, seed, 0, 0, n,
                    obs, new float[n * obs], 2, new float[n * 2], new float[n], new float[n],
                    java.util.Arrays.copyOf(rewards, n), terminated, truncated, new float[obs], new int[0], new int[0],
                    new int[0], 0L, LaneSignals.ALL.toArray(new String[0]), java.util.Arrays.copyOf(signals, n * k));
        }
    }

    @Test
    void defaultWeightsReproduceTheEnvironmentsRewardFromTheSignals() {
        RewardModel m = RewardModels.create(HybridLaneRewardProvider.NAME, Map.of());
        assertInstanceOf(HybridLaneRewardModel.class, m);
        assertEquals(HybridLaneReward.Weights.DEFAULT, ((HybridLaneRewardModel) m).weights());
        int terminal = 0;
        for (long seed = 10000; seed < 10006; seed++) {
            TrajectoryChunk c = episode(seed, 600);
            float[] r = m.scoreChunk(c);
            for (int t = 0; t < c.steps(); t++) {
                // Signals travel as floats, the environment sums in doubles.
                assertEquals(c.rewards()[t], r[t], 1e-4, "seed " + seed + " step " + t);
            }
            terminal += c.terminated()[c.steps() - 1] ? 1 : 0;
        }
        assertTrue(terminal > 0, "some episode must end in a terminal step, so the terminal reward is compared too");
    }

    @Test
    void weightsAreOptionsThatChangeOnlyTheTermsTheyWeigh() {
        TrajectoryChunk c = episode(10001, 300);
        int k = LaneSignals.ALL.size();
        int d = LaneSignals.ALL.indexOf(LaneSignals.LATERAL_OFFSET_M);
        RewardModel laneOnly = RewardModels.create(HybridLaneRewardProvider.NAME,
                Map.of("lane", "1", "speed", "0", "obstacle", "0", "centring", "0"));
        float[] r = laneOnly.scoreChunk(c);
        for (int t = 0; t < c.steps() - 1; t++) {
            double expected = Math.max(-1, Math.min(1, 1 - Math.abs(c.signals()[t * k + d]) / 1.75));
            assertEquals(expected, r[t], 1e-6, "step " + t);
        }
        RewardModel semantic = RewardModels.create(HybridLaneRewardProvider.NAME, Map.of("semantic", "0.5"));
        float[] base = RewardModels.create(HybridLaneRewardProvider.NAME, Map.of()).scoreChunk(c);
        assertNotEquals(java.util.Arrays.toString(base), java.util.Arrays.toString(semantic.scoreChunk(c)),
                "a semantic weight changes the reward wherever a curve is announced and the car steers");
    }

    @Test
    void badWeightsAreNamedByTheirConfigPath() {
        for (List<String> bad : List.of(List.of("lane", "-0.1", "must be >= 0"), List.of("speed", "abc", "finite number"),
                List.of("centering", "0.2", "unknown option"))) {
            SettingsException e = assertThrows(SettingsException.class,
                    () -> new RewardSettings(HybridLaneRewardProvider.NAME, Map.of(bad.get(0), bad.get(1))).create());
            assertTrue(e.getMessage().contains("tributary.reward-models.options." + bad.get(0))
                    && e.getMessage().contains(bad.get(2)), e.getMessage());
        }
    }

    @Test
    void aChunkWithoutTheSignalsIsRejectedNamingTheMissingOne() {
        TrajectoryChunk c = episode(10002, 50);
        TrajectoryChunk bare = new TrajectoryChunk(c.id(), c.envName(), 0, 0, 0, 0, c.steps(), c.observationSize(),
                c.observations(), 2, c.actions(), c.logProbs(), c.values(), c.rewards(), c.terminated(), c.truncated(),
                c.bootstrapObservation(), new int[0], new int[0], new int[0], 0L);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RewardModels.create(HybridLaneRewardProvider.NAME, Map.of()).scoreChunk(bare));
        assertTrue(e.getMessage().contains("signal=" + LaneSignals.LATERAL_OFFSET_M), e.getMessage());
    }
}
