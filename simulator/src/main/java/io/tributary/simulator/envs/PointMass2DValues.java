package io.tributary.simulator.envs;

import io.tributary.simulator.model.StateValueOracle;

/**
 * Exact dynamic programming for {@link PointMass2DEnv}: the optimal values V*_t(s), t = 0..H, on a grid of
 * spacing 0.01 over [-2, 2]² (401 × 401 points) with a 21 × 21 action grid (each coordinate in
 * {-1, -0.9, ..., 1}).
 *
 * <p>Why it is exact and fast: a grid action moves the position by 0.1·a = k·0.01 with k in -10..10, so a
 * grid state's successors are grid states (clipping keeps them on the grid), and no interpolation is needed
 * inside the recursion. Clipping per coordinate makes the reachable set from grid index (i, j) exactly the
 * box [max(0, i-10), min(400, i+10)] × [max(0, j-10), min(400, j+10)], so the max over the 441 actions of
 * r(s') + γ V_{t+1}(s') is a separable 21-wide max filter: one pass along y, one along x, 42 comparisons per
 * state instead of 441. V_H = 0 because step H is terminal.
 *
 * <p>Values between grid points ({@link #value}) are bilinear interpolations: an approximation for
 * off-grid states, exact on the grid. The values are those of the 21 × 21 action grid, a (tight) lower bound
 * on the continuous-action optimum.
 */
public final class PointMass2DValues implements StateValueOracle {
    /** Grid points per coordinate: [-2, 2] at spacing 0.01. */
    public static final int GRID = 401;
    /** Grid spacing. */
    public static final double SPACING = 0.01;
    /** Largest move per step in grid cells: 0.1 / 0.01. */
    public static final int MAX_OFFSET = 10;

    private final double gamma;
    private final double[][] values;

    private PointMass2DValues(double gamma, double[][] values) {
        this.gamma = gamma;
        this.values = values;
    }

    /** Solves the environment for discount {@code gamma} in (0, 1]. */
    public static PointMass2DValues solve(double gamma) {
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("gamma must be in (0, 1]: gamma=" + gamma);
        }
        int n = GRID;
        int h = PointMass2DEnv.HORIZON;
        double[] reward = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                reward[i * n + j] = PointMass2DEnv.reward(coordinate(i), coordinate(j));
            }
        }
        double[][] v = new double[h + 1][];
        v[h] = new double[n * n];
        double[] g = new double[n * n];
        double[] rowMax = new double[n * n];
        for (int t = h - 1; t >= 0; t--) {
            double[] next = v[t + 1];
            for (int k = 0; k < n * n; k++) {
                g[k] = reward[k] + gamma * next[k];
            }
            // Max over the y offsets, then over the x offsets: the reachable set is a product of intervals.
            for (int i = 0; i < n; i++) {
                int base = i * n;
                for (int j = 0; j < n; j++) {
                    int lo = Math.max(0, j - MAX_OFFSET);
                    int hi = Math.min(n - 1, j + MAX_OFFSET);
                    double m = Double.NEGATIVE_INFINITY;
                    for (int jj = lo; jj <= hi; jj++) {
                        m = Math.max(m, g[base + jj]);
                    }
                    rowMax[base + j] = m;
                }
            }
            double[] cur = new double[n * n];
            for (int i = 0; i < n; i++) {
                int lo = Math.max(0, i - MAX_OFFSET);
                int hi = Math.min(n - 1, i + MAX_OFFSET);
                for (int j = 0; j < n; j++) {
                    double m = Double.NEGATIVE_INFINITY;
                    for (int ii = lo; ii <= hi; ii++) {
                        m = Math.max(m, rowMax[ii * n + j]);
                    }
                    cur[i * n + j] = m;
                }
            }
            v[t] = cur;
        }
        return new PointMass2DValues(gamma, v);
    }

    /** Position of grid index {@code i}. */
    public static double coordinate(int i) {
        return -PointMass2DEnv.BOUND + SPACING * i;
    }

    /** The discount the values were solved for. */
    public double gamma() {
        return gamma;
    }

    /** V*_t at grid point (i, j), exact. */
    public double gridValue(int t, int i, int j) {
        return values[t][i * GRID + j];
    }

    /** V*_t(x, y) by bilinear interpolation between grid points; 0 at t = H (terminal). */
    public double value(int t, double x, double y) {
        if (t < 0 || t > PointMass2DEnv.HORIZON) {
            throw new IllegalArgumentException("t out of range: t=" + t + ", H=" + PointMass2DEnv.HORIZON);
        }
        double gx = (PointMass2DEnv.clipPosition(x) + PointMass2DEnv.BOUND) / SPACING;
        double gy = (PointMass2DEnv.clipPosition(y) + PointMass2DEnv.BOUND) / SPACING;
        int i = Math.min(GRID - 2, (int) Math.floor(gx));
        int j = Math.min(GRID - 2, (int) Math.floor(gy));
        double fx = gx - i;
        double fy = gy - j;
        double[] v = values[t];
        double v00 = v[i * GRID + j];
        double v01 = v[i * GRID + j + 1];
        double v10 = v[(i + 1) * GRID + j];
        double v11 = v[(i + 1) * GRID + j + 1];
        return (1 - fx) * ((1 - fy) * v00 + fy * v01) + fx * ((1 - fy) * v10 + fy * v11);
    }

    /**
     * V*_t(x, y) for an observation {@code (x, y, t/H)}: t is recovered by rounding t/H·H. This is the
     * oracle the edge-of-reach experiment substitutes at edge-of-reach states.
     */
    @Override
    public double value(float[] observation) {
        StateChecks.requireObservationLength(PointMass2DEnv.NAME, observation, 3);
        long t = Math.round(observation[2] * (double) PointMass2DEnv.HORIZON);
        if (t < 0 || t > PointMass2DEnv.HORIZON) {
            throw new IllegalArgumentException("time feature out of range: env=" + PointMass2DEnv.NAME + ", t/H="
                    + observation[2]);
        }
        return value((int) t, observation[0], observation[1]);
    }

    /**
     * The optimal return from the start distribution: V*_0 averaged over the grid points of the start box
     * [-1.1, -0.9]² (21 × 21 points), which stands for the uniform start distribution.
     */
    public double optimalReturn() {
        int lo = (int) Math.round((PointMass2DEnv.START_LOW + PointMass2DEnv.BOUND) / SPACING);
        int hi = (int) Math.round((PointMass2DEnv.START_HIGH + PointMass2DEnv.BOUND) / SPACING);
        double sum = 0;
        int count = 0;
        for (int i = lo; i <= hi; i++) {
            for (int j = lo; j <= hi; j++) {
                sum += gridValue(0, i, j);
                count++;
            }
        }
        return sum / count;
    }

    /** The value bound of a horizon-H episode with rewards in [0, 1]: (1 - γ^H) / (1 - γ). */
    public static double qBound(double gamma) {
        return gamma == 1.0 ? PointMass2DEnv.HORIZON
                : (1 - Math.pow(gamma, PointMass2DEnv.HORIZON)) / (1 - gamma);
    }
}
