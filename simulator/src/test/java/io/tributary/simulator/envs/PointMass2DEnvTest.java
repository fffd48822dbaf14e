package io.tributary.simulator.envs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.Environments;
import io.tributary.simulator.StepResult;
import io.tributary.simulator.model.EnvironmentDynamics;
import io.tributary.simulator.random.SplitMix64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PointMass2DEnvTest {
    private final PointMass2DEnv env = new PointMass2DEnv();
    private final StepResult out = StepResult.forEnvironment(env);

    @Test
    void qBoundIsTheIssuesFigure() {
        // (1 - 0.99^30) / (1 - 0.99) = 26.0300... as issue 9 states.
        assertEquals(26.03, PointMass2DValues.qBound(0.99), 0.005);
        assertEquals(30.0, PointMass2DValues.qBound(1.0), 0.0);
    }

    @Test
    void startsInTheStartBoxWithTimeZero() {
        for (long seed = 0; seed < 200; seed++) {
            env.reset(seed, out);
            assertTrue(out.observation[0] >= -1.1f && out.observation[0] <= -0.9f, "x=" + out.observation[0]);
            assertTrue(out.observation[1] >= -1.1f && out.observation[1] <= -0.9f, "y=" + out.observation[1]);
            assertEquals(0f, out.observation[2]);
            assertFalse(out.done());
        }
    }

    @Test
    void stepMovesClipsRewardsTheNextStateAndTerminatesAtH() {
        env.resetTo(new float[] {0.45f, 0.5f, 0f}, 1L, out);
        env.step(new float[] {0.5f, 0f}, out);
        assertEquals(0.5f, out.observation[0], 1e-6f);
        assertEquals(0.5f, out.observation[1], 1e-6f);
        assertEquals(1f / 30, out.observation[2], 1e-7f);
        assertEquals(1.0f, out.reward, 1e-6f, "reward is on the next state, at the bump's centre");
        env.step(new float[] {5f, -1f}, out); // x action clipped to 1
        assertEquals(0.6f, out.observation[0], 1e-6f);
        assertEquals(0.4f, out.observation[1], 1e-6f);
        assertEquals(Math.exp(-(0.01 + 0.01) / 0.18), out.reward, 1e-6);

        env.resetTo(new float[] {1.95f, -1.98f, 0f}, 1L, out);
        env.step(new float[] {1f, -1f}, out);
        assertEquals(2f, out.observation[0]);
        assertEquals(-2f, out.observation[1]);

        env.reset(3L, out);
        for (int t = 1; t <= PointMass2DEnv.HORIZON; t++) {
            assertFalse(out.done());
            env.step(new float[] {0.1f, 0.1f}, out);
            assertEquals(t == PointMass2DEnv.HORIZON, out.terminated, "t=" + t);
            assertFalse(out.truncated, "step H is terminal, not a time limit");
        }
        assertEquals(1f, out.observation[2]);
        assertThrows(IllegalStateException.class, () -> env.step(new float[] {0f, 0f}, out));
    }

    @Test
    void resetToRejectsStatesNoEpisodeCanContinueFrom() {
        assertThrows(IllegalArgumentException.class, () -> env.resetTo(new float[] {0f, 0f, 1f}, 0L, out));
        assertThrows(IllegalArgumentException.class, () -> env.resetTo(new float[] {0f, 0f, 0.51f / 30}, 0L, out));
        assertThrows(IllegalArgumentException.class, () -> env.resetTo(new float[] {2.5f, 0f, 0f}, 0L, out));
        assertThrows(IllegalArgumentException.class, () -> env.resetTo(new float[] {0f, 0f}, 0L, out));
        env.resetTo(new float[] {0.3f, -0.2f, 29f / 30}, 0L, out);
        assertEquals(29, env.elapsedSteps());
        env.step(new float[] {0f, 0f}, out);
        assertTrue(out.terminated);
    }

    @Test
    void registeredAndRejectsOptions() {
        assertTrue(Environments.names().contains("PointMass2D-v0"));
        assertThrows(IllegalArgumentException.class,
                () -> Environments.create("PointMass2D-v0", Map.of("max-episode-steps", "10")));
    }

    @Test
    void stepAllocatesNothing() {
        env.reset(1L, out);
        float[] a = {0.3f, -0.2f};
        env.step(a, out);
        long before = Allocations.currentThreadAllocatedBytes();
        for (int i = 0; i < 20; i++) {
            env.step(a, out);
        }
        assertEquals(0L, Allocations.currentThreadAllocatedBytes() - before);
    }

    @Test
    void trueDynamicsModelMatchesTheEnvironment() {
        try (EnvironmentDynamics model = EnvironmentDynamics.of("PointMass2D-v0")) {
            SplitMix64 rng = new SplitMix64(5L);
            float[] next = new float[3];
            env.reset(11L, out);
            for (int t = 0; t < PointMass2DEnv.HORIZON; t++) {
                float[] s = out.observation.clone();
                float[] a = {(float) rng.uniform(-1, 1), (float) rng.uniform(-1, 1)};
                double r = model.step(s, a, rng, next);
                env.step(a, out);
                for (int k = 0; k < 3; k++) {
                    assertEquals(out.observation[k], next[k], 1e-6f, "t=" + t + ", k=" + k);
                }
                assertEquals(out.reward, r, 1e-6);
                assertEquals(out.terminated, model.terminal(next), "t=" + t);
            }
            // Terminal flags are known only for the state just produced.
            assertThrows(IllegalStateException.class, () -> model.terminal(new float[] {0f, 0f, 0.5f}));
        }
    }

    @Test
    void trueDynamicsNeedAResettableEnvironment() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EnvironmentDynamics.of("Corridor-v0"));
        assertTrue(e.getMessage().contains("Corridor-v0") && e.getMessage().contains("StateResettable"), e.getMessage());
    }

    @Test
    void pendulumResetsToAnObservedState() {
        PendulumEnv p = new PendulumEnv();
        StepResult po = StepResult.forEnvironment(p);
        p.reset(4L, po);
        p.step(new float[] {0.7f}, po);
        float[] s = po.observation.clone();
        p.step(new float[] {-1.2f}, po);
        float[] expected = po.observation.clone();
        float expectedReward = po.reward;
        PendulumEnv q = new PendulumEnv();
        StepResult qo = StepResult.forEnvironment(q);
        q.resetTo(s, 0L, qo);
        q.step(new float[] {-1.2f}, qo);
        for (int k = 0; k < 3; k++) {
            assertEquals(expected[k], qo.observation[k], 1e-5f, "k=" + k);
        }
        assertEquals(expectedReward, qo.reward, 1e-4f);
        assertThrows(IllegalArgumentException.class, () -> q.resetTo(new float[] {0.5f, 0.5f, 0f}, 0L, qo));
    }
}
