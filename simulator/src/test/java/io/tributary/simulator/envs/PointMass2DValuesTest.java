package io.tributary.simulator.envs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.StepResult;
import io.tributary.simulator.model.StateValueOracle;
import io.tributary.simulator.model.StateValueOracleProvider;
import java.util.ServiceLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PointMass2DValuesTest {
    private static final double GAMMA = 0.99;
    private static PointMass2DValues values;

    @BeforeAll
    static void solve() {
        long start = System.nanoTime();
        values = PointMass2DValues.solve(GAMMA);
        System.out.printf("PointMass2DValues.solve(0.99): %.3f s (401x401 grid, 441 actions, H=30)%n",
                (System.nanoTime() - start) / 1e9);
    }

    /** Best return over all grid-action sequences of {@code steps} steps, by stepping the real environment. */
    private static double bruteForce(PointMass2DEnv env, StepResult out, float[] obs, int steps) {
        if (steps == 0) {
            return 0;
        }
        double best = Double.NEGATIVE_INFINITY;
        float[] a = new float[2];
        for (int ax = -10; ax <= 10; ax++) {
            for (int ay = -10; ay <= 10; ay++) {
                a[0] = ax / 10f;
                a[1] = ay / 10f;
                env.resetTo(obs, 0L, out);
                env.step(a, out);
                double r = out.reward;
                double rest = out.terminated ? 0 : bruteForce(env, out, out.observation.clone(), steps - 1);
                best = Math.max(best, r + GAMMA * rest);
            }
        }
        return best;
    }

    @Test
    void lastStepsMatchBruteForceOverTheRealEnvironment() {
        PointMass2DEnv env = new PointMass2DEnv();
        StepResult out = StepResult.forEnvironment(env);
        int[][] points = {{150, 240}, {235, 250}, {398, 2}, {0, 400}, {100, 100}, {250, 263}};
        for (int[] p : points) {
            double x = PointMass2DValues.coordinate(p[0]);
            double y = PointMass2DValues.coordinate(p[1]);
            for (int left = 1; left <= 2; left++) {
                int t = PointMass2DEnv.HORIZON - left;
                float[] obs = {(float) x, (float) y, (float) t / PointMass2DEnv.HORIZON};
                double expected = bruteForce(env, out, obs, left);
                assertEquals(expected, values.gridValue(t, p[0], p[1]), 2e-5, "x=" + x + ", y=" + y + ", t=" + t);
                assertEquals(expected, values.value(obs), 2e-5, "oracle at the observation");
            }
        }
        assertEquals(0.0, values.value(new float[] {0.5f, 0.5f, 1f}), 0.0, "terminal states are worth 0");
    }

    @Test
    void optimalReturnBeatsAGreedyRolloutAndStaysUnderTheBound() {
        // A feasible policy (head straight for the bump, then stay) lower-bounds the optimum from its start.
        PointMass2DEnv env = new PointMass2DEnv();
        StepResult out = StepResult.forEnvironment(env);
        env.resetTo(new float[] {-1f, -1f, 0f}, 0L, out);
        double ret = 0;
        double discount = 1;
        while (!out.done()) {
            float dx = 0.5f - out.observation[0];
            float dy = 0.5f - out.observation[1];
            env.step(new float[] {Math.max(-1, Math.min(1, dx * 10)), Math.max(-1, Math.min(1, dy * 10))}, out);
            ret += discount * out.reward;
            discount *= GAMMA;
        }
        double v0 = values.gridValue(0, 100, 100);
        assertTrue(v0 >= ret - 1e-6, "V*_0(-1,-1)=" + v0 + " >= greedy return " + ret);
        double opt = values.optimalReturn();
        assertTrue(opt > 5 && opt < PointMass2DValues.qBound(GAMMA), "optimal return=" + opt);
        System.out.printf("PointMass2D optimal return (gamma=0.99): %.4f; V*_0(-1,-1)=%.4f; greedy=%.4f%n",
                opt, v0, ret);
    }

    @Test
    void bilinearBetweenGridPoints() {
        double x = -0.4 + 0.0037;
        double y = 0.2 + 0.0061;
        int i = 160;
        int j = 220;
        double fx = 0.37;
        double fy = 0.61;
        double expected = (1 - fx) * ((1 - fy) * values.gridValue(5, i, j) + fy * values.gridValue(5, i, j + 1))
                + fx * ((1 - fy) * values.gridValue(5, i + 1, j) + fy * values.gridValue(5, i + 1, j + 1));
        assertEquals(expected, values.value(5, x, y), 1e-9);
    }

    @Test
    void providerIsRegisteredUnderTheEnvironmentName() {
        StateValueOracleProvider found = null;
        for (StateValueOracleProvider p : ServiceLoader.load(StateValueOracleProvider.class)) {
            if (p.name().equals("PointMass2D-v0")) {
                found = p;
            }
        }
        assertTrue(found != null, "no StateValueOracleProvider named PointMass2D-v0");
        StateValueOracle oracle = found.create(0.9);
        float[] obs = {0.5f, 0.5f, 29f / 30};
        assertEquals(1.0, oracle.value(obs), 1e-6, "one step left at the bump's centre: stay, reward 1");
    }
}
