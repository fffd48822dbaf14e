package io.tributary.simulator.envs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.Space;
import io.tributary.simulator.StepResult;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CartPoleEnvTest {
    private static final double THETA_THRESHOLD = 12 * 2 * Math.PI / 360;
    private static final float[] LEFT = {0f};
    private static final float[] RIGHT = {1f};

    private final CartPoleEnv env = new CartPoleEnv();
    private final StepResult out = StepResult.forEnvironment(env);

    /** Gymnasium's CartPoleEnv.step (euler), written out independently of the class under test. */
    private static double[] gymnasiumStep(double[] s, int action) {
        double gravity = 9.8;
        double massCart = 1.0;
        double massPole = 0.1;
        double totalMass = massPole + massCart;
        double length = 0.5;
        double poleMassLength = massPole * length;
        double forceMag = 10.0;
        double tau = 0.02;
        double x = s[0];
        double xDot = s[1];
        double theta = s[2];
        double thetaDot = s[3];
        double force = action == 1 ? forceMag : -forceMag;
        double cos = Math.cos(theta);
        double sin = Math.sin(theta);
        double temp = (force + poleMassLength * (thetaDot * thetaDot) * sin) / totalMass;
        double thetaAcc = (gravity * sin - cos * temp) / (length * (4.0 / 3.0 - massPole * (cos * cos) / totalMass));
        double xAcc = temp - poleMassLength * thetaAcc * cos / totalMass;
        return new double[] {x + tau * xDot, xDot + tau * xAcc, theta + tau * thetaDot, thetaDot + tau * thetaAcc};
    }

    private static float[] asFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    @Test
    void constantsAndSpacesAreGymnasiums() {
        assertEquals(0.20943951023931953, CartPoleEnv.THETA_THRESHOLD_RADIANS, 0.0);
        assertEquals("CartPole-v1", env.name());
        assertEquals(500, env.maxEpisodeSteps());
        assertEquals(new Space.Discrete(2), env.actionSpace());
        Space.Box obs = (Space.Box) env.observationSpace();
        assertEquals(4, obs.flatSize());
        assertEquals(4.8f, obs.highAt(0));
        assertEquals(-4.8f, obs.lowAt(0));
        assertEquals((float) (THETA_THRESHOLD * 2), obs.highAt(2));
        assertEquals(Float.MAX_VALUE, obs.highAt(1));
        assertEquals(Float.MAX_VALUE, obs.highAt(3));
    }

    @Test
    void pushRightMatchesHandComputedTransition() {
        env.reset(7, out);
        env.setState(0.01, -0.02, 0.03, 0.04);
        env.step(RIGHT, out);
        // By hand: force = +10, cos(0.03) = 0.99955, sin(0.03) = 0.0299955,
        // temp = (10 + 0.05 * 0.04^2 * 0.0299955) / 1.1 = 9.0909134,
        // thetaacc = (9.8 * 0.0299955 - 0.99955 * 9.0909134) / (0.5 * (4/3 - 0.1 * 0.99955^2 / 1.1)) = -14.1534,
        // xacc = 9.0909134 - 0.05 * (-14.1534) * 0.99955 / 1.1 = 9.73394,
        // x' = 0.01 + 0.02 * -0.02, x_dot' = -0.02 + 0.02 * xacc, theta' = 0.03 + 0.02 * 0.04,
        // theta_dot' = 0.04 + 0.02 * thetaacc. Digits below from a NumPy copy of Gymnasium's step.
        double[] expected = {0.009600000000000001, 0.17467919574755525, 0.030799999999999998, -0.2430687179600081};
        assertArrayEquals(expected, env.state(), 1e-15);
        assertArrayEquals(gymnasiumStep(new double[] {0.01, -0.02, 0.03, 0.04}, 1), env.state(), 0.0);
        assertArrayEquals(asFloats(expected), out.observation);
        assertEquals(1f, out.reward);
        assertFalse(out.terminated);
        assertFalse(out.truncated);
        assertEquals(1, env.elapsedSteps());
    }

    @Test
    void pushLeftMatchesHandComputedTransition() {
        env.reset(7, out);
        env.setState(0.01, -0.02, 0.03, 0.04);
        env.step(LEFT, out);
        double[] expected = {0.009600000000000001, -0.21553901710278936, 0.030799999999999998, 0.34199522377603914};
        assertArrayEquals(expected, env.state(), 1e-15);

        env.setState(-1.5, 0.7, -0.15, -1.2);
        env.step(LEFT, out);
        assertArrayEquals(new double[] {-1.486, 0.5071024031755628, -0.174, -0.9578374638321818}, env.state(), 1e-15);
    }

    @Test
    void seededEpisodeFollowsGymnasiumEquationsStepByStep() {
        env.reset(12345, out);
        double[] expected = env.state();
        assertArrayEquals(asFloats(expected), out.observation);
        int steps = 0;
        while (!out.done()) {
            int action = (steps * 7 + 3) % 5 < 2 ? 0 : 1;
            expected = gymnasiumStep(expected, action);
            env.step(action == 1 ? RIGHT : LEFT, out);
            steps++;
            assertArrayEquals(expected, env.state(), 0.0, "step " + steps);
            assertArrayEquals(asFloats(expected), out.observation, "step " + steps);
            assertEquals(1f, out.reward);
        }
        boolean outside = Math.abs(expected[0]) > 2.4 || Math.abs(expected[2]) > THETA_THRESHOLD;
        assertTrue(out.terminated && outside, "ended by termination, not the limit: steps=" + steps);
    }

    @Test
    void resetIsUniformInSmallBoxAndDeterministicPerSeed() {
        CartPoleEnv other = new CartPoleEnv();
        StepResult otherOut = StepResult.forEnvironment(other);
        double[] min = {1, 1, 1, 1};
        double[] max = {-1, -1, -1, -1};
        for (long seed = 0; seed < 2000; seed++) {
            env.reset(seed, out);
            double[] s = env.state();
            for (int i = 0; i < 4; i++) {
                assertTrue(s[i] >= -0.05 && s[i] < 0.05, "seed=" + seed + ", i=" + i + ", value=" + s[i]);
                min[i] = Math.min(min[i], s[i]);
                max[i] = Math.max(max[i], s[i]);
            }
            assertArrayEquals(asFloats(s), out.observation);
            assertEquals(0f, out.reward);
            assertFalse(out.done());
            other.reset(seed, otherOut);
            assertArrayEquals(s, other.state(), 0.0);
        }
        for (int i = 0; i < 4; i++) {
            assertTrue(min[i] < -0.049 && max[i] > 0.049, "covers the box: i=" + i);
        }
        env.reset(1, out);
        float[] first = out.observation.clone();
        env.reset(2, out);
        assertFalse(Arrays.equals(first, out.observation));
    }

    @Test
    void equalSeedsGiveEqualTrajectoriesAndDifferentSeedsDiffer() {
        float[][] a = rollout(99);
        float[][] b = rollout(99);
        float[][] c = rollout(100);
        assertTrue(Arrays.deepEquals(a, b));
        assertFalse(Arrays.deepEquals(a, c));
    }

    private static float[][] rollout(long seed) {
        CartPoleEnv e = new CartPoleEnv();
        StepResult r = StepResult.forEnvironment(e);
        e.reset(seed, r);
        float[][] obs = new float[20][];
        for (int i = 0; i < obs.length && !r.done(); i++) {
            e.step(i % 3 == 0 ? LEFT : RIGHT, r);
            obs[i] = r.observation.clone();
        }
        return obs;
    }

    @Test
    void terminatesWhenThetaPassesTwelveDegreesWithRewardOne() {
        env.reset(0, out);
        env.setState(0, 0, THETA_THRESHOLD - 0.001, 0.1);
        env.step(RIGHT, out);
        assertTrue(out.terminated);
        assertFalse(out.truncated);
        assertEquals(1f, out.reward, "the terminating step is rewarded too");

        env.reset(0, out);
        env.setState(0, 0, -THETA_THRESHOLD + 0.001, -0.1);
        env.step(LEFT, out);
        assertTrue(out.terminated);
    }

    @Test
    void exactlyAtThresholdIsNotTerminal() {
        env.reset(0, out);
        env.setState(0, 0, THETA_THRESHOLD, 0);
        env.step(RIGHT, out);
        assertEquals(THETA_THRESHOLD, env.state()[2], 0.0);
        assertFalse(out.terminated, "Gymnasium uses strict comparisons");

        env.reset(0, out);
        env.setState(2.4, 0, 0, 0);
        env.step(RIGHT, out);
        assertEquals(2.4, env.state()[0], 0.0);
        assertFalse(out.terminated);
    }

    @Test
    void terminatesWhenCartLeavesTrack() {
        env.reset(0, out);
        env.setState(2.39, 1.0, 0, 0);
        env.step(RIGHT, out);
        assertEquals(2.41, env.state()[0], 1e-15);
        assertTrue(out.terminated);

        env.reset(0, out);
        env.setState(-2.39, -1.0, 0, 0);
        env.step(LEFT, out);
        assertTrue(out.terminated);
    }

    @Test
    void truncatesAtFiveHundredSteps() {
        env.reset(3, out);
        for (int i = 1; i <= 500; i++) {
            env.setState(0, 0, 0, 0);
            env.step(i % 2 == 0 ? LEFT : RIGHT, out);
            assertFalse(out.terminated);
            assertEquals(i == 500, out.truncated, "step " + i);
            assertEquals(1f, out.reward);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> env.step(RIGHT, out));
        assertTrue(e.getMessage().contains("call reset"), e.getMessage());
        assertTrue(e.getMessage().contains("steps=500"), e.getMessage());
        env.reset(4, out);
        env.step(RIGHT, out);
        assertEquals(1, env.elapsedSteps());
    }

    @Test
    void stepAfterTerminationOrBeforeResetIsRefused() {
        assertThrows(IllegalStateException.class, () -> env.step(RIGHT, out));
        env.reset(0, out);
        env.setState(2.39, 1.0, 0, 0);
        env.step(RIGHT, out);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> env.step(RIGHT, out));
        assertTrue(e.getMessage().contains("terminated=true"), e.getMessage());
    }

    @Test
    void maxEpisodeStepsOptionTruncatesEarlierAndCanCoincideWithTermination() {
        CartPoleEnv short3 = CartPoleEnv.fromOptions(Map.of("max-episode-steps", "3"));
        assertEquals(3, short3.maxEpisodeSteps());
        StepResult r = StepResult.forEnvironment(short3);
        short3.reset(5, r);
        short3.step(RIGHT, r);
        short3.step(LEFT, r);
        assertFalse(r.truncated);
        short3.step(RIGHT, r);
        assertTrue(r.truncated);

        CartPoleEnv one = CartPoleEnv.fromOptions(Map.of("max-episode-steps", "1"));
        one.reset(0, r);
        one.setState(2.39, 1.0, 0, 0);
        one.step(RIGHT, r);
        assertTrue(r.terminated && r.truncated);
    }

    @Test
    void badOptionsAreRejectedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CartPoleEnv.fromOptions(Map.of("gravity", "3.7")));
        assertEquals("unknown environment option: env=CartPole-v1, key=gravity, allowed=[max-episode-steps]",
                e.getMessage());
        for (String bad : new String[] {"0", "-5", "ten", "2.5"}) {
            IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
                    () -> CartPoleEnv.fromOptions(Map.of("max-episode-steps", bad)));
            assertTrue(b.getMessage().contains("key=max-episode-steps, value=" + bad), b.getMessage());
        }
    }

    @Test
    void badActionsAreRejectedWithKeyValueMessagesAndLeaveStateAlone() {
        env.reset(11, out);
        double[] before = env.state();
        assertEquals("action out of range: action=7, actionCount=2",
                assertThrows(IllegalArgumentException.class, () -> env.step(new float[] {7f}, out)).getMessage());
        assertEquals("action out of range: action=-1, actionCount=2",
                assertThrows(IllegalArgumentException.class, () -> env.step(new float[] {-1f}, out)).getMessage());
        assertEquals("action must be a whole number: action=0.5, actionCount=2",
                assertThrows(IllegalArgumentException.class, () -> env.step(new float[] {0.5f}, out)).getMessage());
        assertEquals("action must not be NaN: action=NaN, actionCount=2",
                assertThrows(IllegalArgumentException.class, () -> env.step(new float[] {Float.NaN}, out)).getMessage());
        assertEquals("action out of range: action=Infinity, actionCount=2",
                assertThrows(IllegalArgumentException.class,
                        () -> env.step(new float[] {Float.POSITIVE_INFINITY}, out)).getMessage());
        assertEquals("action length mismatch: length=2, expected=1",
                assertThrows(IllegalArgumentException.class, () -> env.step(new float[] {0f, 1f}, out)).getMessage());
        assertArrayEquals(before, env.state(), 0.0);
        assertEquals(0, env.elapsedSteps());
    }

    @Test
    void stepAllocatesNothing() {
        runSteps(50_000);
        Allocations.currentThreadAllocatedBytes(); // the first read may initialise the counter
        long before = Allocations.currentThreadAllocatedBytes();
        runSteps(200_000);
        long allocated = Allocations.currentThreadAllocatedBytes() - before;
        // 200k steps: even 8 bytes a step would be 1.6 MB; the slack covers the counter's own reads and one-off JIT deoptimisation objects.
        assertTrue(allocated < 64 * 1024, "allocated bytes=" + allocated);
    }

    private void runSteps(int n) {
        long seed = 0;
        env.reset(seed, out);
        for (int i = 0; i < n; i++) {
            env.step(out.observation[2] + 0.5f * out.observation[3] > 0 ? RIGHT : LEFT, out);
            if (out.done()) {
                env.reset(++seed, out);
            }
        }
    }

    @Test
    void resetToGivesTheTrueDynamicsFromAnObservedState() {
        CartPoleEnv a = new CartPoleEnv();
        StepResult ao = StepResult.forEnvironment(a);
        try (io.tributary.simulator.model.EnvironmentDynamics model =
                     io.tributary.simulator.model.EnvironmentDynamics.of("CartPole-v1")) {
            io.tributary.simulator.random.SplitMix64 rng = new io.tributary.simulator.random.SplitMix64(1L);
            float[] next = new float[4];
            a.reset(8L, ao);
            int steps = 0;
            while (!ao.done()) {
                float[] s = ao.observation.clone();
                float[] act = {steps % 3 == 0 ? 0f : 1f};
                double r = model.step(s, act, rng, next);
                a.step(act, ao);
                for (int k = 0; k < 4; k++) {
                    assertEquals(ao.observation[k], next[k], 1e-5f, "step=" + steps + ", k=" + k);
                }
                assertEquals(ao.reward, r, 0.0);
                assertEquals(ao.terminated, model.terminal(next), "step=" + steps);
                steps++;
            }
            assertTrue(steps > 3, "steps=" + steps);
        }
        assertThrows(IllegalArgumentException.class, () -> a.resetTo(new float[] {3f, 0f, 0f, 0f}, 0L, ao));
        assertThrows(IllegalArgumentException.class, () -> a.resetTo(new float[] {0f, Float.NaN, 0f, 0f}, 0L, ao));
    }
}
