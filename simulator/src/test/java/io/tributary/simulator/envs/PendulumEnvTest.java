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

class PendulumEnvTest {
    private final PendulumEnv env = new PendulumEnv();
    private final StepResult out = StepResult.forEnvironment(env);

    /** CPython's float {@code %} (float_rem): fmod, then shifted into the divisor's sign. */
    private static double pyMod(double a, double b) {
        double mod = a % b;
        if (mod != 0 && (b < 0) != (mod < 0)) {
            mod += b;
        }
        return mod;
    }

    /** Gymnasium's PendulumEnv.step written out: returns {newth, newthdot, reward}. */
    private static double[] gymnasiumStep(double th, double thdot, float action) {
        double g = 10.0;
        double m = 1.0;
        double l = 1.0;
        double dt = 0.05;
        double u = Math.min(2.0, Math.max(-2.0, action));
        double normalized = pyMod(th + Math.PI, 2 * Math.PI) - Math.PI;
        double costs = normalized * normalized + 0.1 * (thdot * thdot) + 0.001 * (u * u);
        double newthdot = thdot + (3 * g / (2 * l) * Math.sin(th) + 3.0 / (m * l * l) * u) * dt;
        newthdot = Math.min(8.0, Math.max(-8.0, newthdot));
        double newth = th + newthdot * dt;
        return new double[] {newth, newthdot, -costs};
    }

    private void assertObservation(double th, double thdot) {
        assertArrayEquals(new float[] {(float) Math.cos(th), (float) Math.sin(th), (float) thdot}, out.observation);
    }

    @Test
    void constantsAndSpacesAreGymnasiums() {
        assertEquals("Pendulum-v1", env.name());
        assertEquals(200, env.maxEpisodeSteps());
        Space.Box action = (Space.Box) env.actionSpace();
        assertEquals(1, action.flatSize());
        assertEquals(-2f, action.lowAt(0));
        assertEquals(2f, action.highAt(0));
        Space.Box obs = (Space.Box) env.observationSpace();
        assertArrayEquals(new float[] {1f, 1f, 8f}, obs.high());
        assertArrayEquals(new float[] {-1f, -1f, -8f}, obs.low());
    }

    @Test
    void stepMatchesHandComputedTransitionWithClippedTorque() {
        env.reset(1, out);
        env.setState(1.0, 2.0);
        env.step(new float[] {3f}, out);
        // By hand: u = clip(3, -2, 2) = 2; cost = 1.0^2 + 0.1 * 2.0^2 + 0.001 * 2^2 = 1.404 (the state before
        // the update, the clipped torque); newthdot = 2 + (15 * sin(1) + 3 * 2) * 0.05 = 2 + (12.62206 + 6) * 0.05
        // = 2.93110; newth = 1 + 2.93110 * 0.05 = 1.14656. Digits from a NumPy copy of Gymnasium's step.
        assertEquals(-1.404f, out.reward);
        assertArrayEquals(new double[] {1.146555161930296, 2.9311032386059224}, env.state(), 1e-15);
        assertArrayEquals(new float[] {(float) 0.41162933489600806, (float) 0.9113513541181963, (float) 2.9311032386059224},
                out.observation);
        assertFalse(out.terminated);
        assertFalse(out.truncated);
    }

    @Test
    void costNormalisesTheAngleOfTheStateBeforeTheUpdate() {
        env.reset(1, out);
        env.setState(4.0, -0.5);
        env.step(new float[] {-0.75f}, out);
        // angle_normalize(4.0) = 4 - 2 pi = -2.28319; cost = 5.21295 + 0.025 + 0.0005625.
        assertEquals((float) -5.238497646920742, out.reward);
        assertArrayEquals(new double[] {3.940994906425953, -1.1801018714809461}, env.state(), 1e-15);
        assertObservation(3.940994906425953, -1.1801018714809461);
    }

    @Test
    void angularSpeedIsClippedToEightBeforeTheAngleMoves() {
        env.reset(1, out);
        env.setState(2.0, 7.9);
        env.step(new float[] {2f}, out);
        // Unclipped: 7.9 + (15 sin 2 + 6) * 0.05 = 8.882 -> 8; newth = 2 + 8 * 0.05 = 2.4.
        assertArrayEquals(new double[] {2.4, 8.0}, env.state(), 1e-15);
        assertEquals(-10.245f, out.reward);

        env.setState(-2.0, -7.9);
        env.step(new float[] {-5f}, out);
        assertArrayEquals(new double[] {-2.4, -8.0}, env.state(), 1e-15);
        assertEquals(-10.245f, out.reward);
        assertObservation(-2.4, -8.0);
    }

    @Test
    void infiniteTorqueIsClippedLikeAnyOther() {
        env.reset(1, out);
        env.setState(0.3, 0.1);
        env.step(new float[] {Float.POSITIVE_INFINITY}, out);
        double[] expected = gymnasiumStep(0.3, 0.1, 2f);
        assertArrayEquals(new double[] {expected[0], expected[1]}, env.state(), 0.0);
        assertEquals((float) expected[2], out.reward);
    }

    @Test
    void angleNormalizeUsesFlooredModulo() {
        assertEquals(-3.0415926535897935, PendulumEnv.angleNormalize(3 * Math.PI + 0.1), 1e-15);
        assertEquals(2.2831853071795862, PendulumEnv.angleNormalize(-4.0), 1e-15);
        assertEquals(-Math.PI, PendulumEnv.angleNormalize(Math.PI), 0.0);
        assertEquals(0.0, PendulumEnv.angleNormalize(0.0), 0.0);
        for (double x = -20; x < 20; x += 0.37) {
            assertEquals(pyMod(x + Math.PI, 2 * Math.PI) - Math.PI, PendulumEnv.angleNormalize(x), 0.0, "x=" + x);
        }
    }

    @Test
    void seededEpisodeFollowsGymnasiumEquationsStepByStep() {
        env.reset(2024, out);
        double[] s = env.state();
        assertObservation(s[0], s[1]);
        for (int i = 1; i <= 200; i++) {
            float a = (float) Math.sin(i * 0.7) * 2.5f;
            double[] expected = gymnasiumStep(s[0], s[1], a);
            env.step(new float[] {a}, out);
            s = env.state();
            assertArrayEquals(new double[] {expected[0], expected[1]}, s, 0.0, "step " + i);
            assertEquals((float) expected[2], out.reward, "step " + i);
            assertObservation(s[0], s[1]);
            assertFalse(out.terminated);
            assertEquals(i == 200, out.truncated);
        }
    }

    @Test
    void truncatesAtTwoHundredStepsAndNeverTerminates() {
        float[] zero = {0f};
        env.reset(8, out);
        for (int i = 1; i <= 200; i++) {
            env.step(zero, out);
            assertFalse(out.terminated);
            assertEquals(i == 200, out.truncated, "step " + i);
            assertTrue(out.reward <= 0f);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> env.step(zero, out));
        assertTrue(e.getMessage().contains("call reset"), e.getMessage());
        env.reset(9, out);
        env.step(zero, out);
        assertEquals(1, env.elapsedSteps());
    }

    @Test
    void stepBeforeResetIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> env.step(new float[] {0f}, out));
        assertTrue(e.getMessage().contains("reset"), e.getMessage());
    }

    @Test
    void resetDrawsAngleAndSpeedUniformlyAndDeterministically() {
        PendulumEnv other = new PendulumEnv();
        StepResult otherOut = StepResult.forEnvironment(other);
        double minTh = 9;
        double maxTh = -9;
        double minDot = 9;
        double maxDot = -9;
        for (long seed = 0; seed < 2000; seed++) {
            env.reset(seed, out);
            double[] s = env.state();
            assertTrue(s[0] >= -Math.PI && s[0] < Math.PI, "seed=" + seed + ", th=" + s[0]);
            assertTrue(s[1] >= -1 && s[1] < 1, "seed=" + seed + ", thdot=" + s[1]);
            minTh = Math.min(minTh, s[0]);
            maxTh = Math.max(maxTh, s[0]);
            minDot = Math.min(minDot, s[1]);
            maxDot = Math.max(maxDot, s[1]);
            assertObservation(s[0], s[1]);
            assertEquals(0f, out.reward);
            other.reset(seed, otherOut);
            assertArrayEquals(s, other.state(), 0.0);
        }
        assertTrue(minTh < -3.0 && maxTh > 3.0 && minDot < -0.95 && maxDot > 0.95);
    }

    @Test
    void equalSeedsGiveEqualTrajectoriesAndDifferentSeedsDiffer() {
        assertTrue(Arrays.deepEquals(rollout(5), rollout(5)));
        assertFalse(Arrays.deepEquals(rollout(5), rollout(6)));
    }

    private static float[][] rollout(long seed) {
        PendulumEnv e = new PendulumEnv();
        StepResult r = StepResult.forEnvironment(e);
        e.reset(seed, r);
        float[][] obs = new float[30][];
        for (int i = 0; i < obs.length; i++) {
            e.step(new float[] {i % 2 == 0 ? 1f : -0.5f}, r);
            obs[i] = r.observation.clone();
        }
        return obs;
    }

    @Test
    void badActionsAreRejected() {
        env.reset(3, out);
        double[] before = env.state();
        assertEquals("action must not be NaN: index=0, action=NaN",
                assertThrows(IllegalArgumentException.class, () -> env.step(new float[] {Float.NaN}, out)).getMessage());
        assertEquals("action length mismatch: length=0, expected=1",
                assertThrows(IllegalArgumentException.class, () -> env.step(new float[0], out)).getMessage());
        assertArrayEquals(before, env.state(), 0.0);
        assertEquals(0, env.elapsedSteps());
    }

    @Test
    void optionsAcceptOnlyMaxEpisodeSteps() {
        PendulumEnv ten = PendulumEnv.fromOptions(Map.of("max-episode-steps", "10"));
        assertEquals(10, ten.maxEpisodeSteps());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PendulumEnv.fromOptions(Map.of("g", "9.81")));
        assertEquals("unknown environment option: env=Pendulum-v1, key=g, allowed=[max-episode-steps]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PendulumEnv.fromOptions(Map.of("max-episode-steps", "0")));
    }

    @Test
    void stepAllocatesNothing() {
        float[] action = new float[1];
        runSteps(50_000, action);
        Allocations.currentThreadAllocatedBytes(); // the first read may initialise the counter
        long before = Allocations.currentThreadAllocatedBytes();
        runSteps(200_000, action);
        long allocated = Allocations.currentThreadAllocatedBytes() - before;
        assertTrue(allocated < 64 * 1024, "allocated bytes=" + allocated);
    }

    private void runSteps(int n, float[] action) {
        long seed = 0;
        env.reset(seed, out);
        for (int i = 0; i < n; i++) {
            action[0] = -2f * out.observation[1] - 0.2f * out.observation[2];
            env.step(action, out);
            if (out.done()) {
                env.reset(++seed, out);
            }
        }
    }
}
