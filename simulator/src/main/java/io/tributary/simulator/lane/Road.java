package io.tributary.simulator.lane;

import io.tributary.simulator.random.SplitMix64;

/**
 * One seeded road of {@code LaneKeeping-v0}: the ego-lane centreline sampled every {@value #DS} m
 * (straights and clothoid curves: curvature ramps linearly into and out of each constant arc), road edges
 * for the LiDAR, static obstacles and constant-speed lead vehicles. The reference line is the ego-lane
 * centre; the other lane lies to its left ([1.75, 5.25] m) and the paved area, shoulders included, ends at
 * +-{@value #EDGE_OFFSET_M} m, symmetric so a left-right mirror of a scene is a plausible scene.
 *
 * <p>Arrays are sized once; {@link #generate} refills them, so an environment regenerates its road on
 * reset without growing the heap. Not thread-safe.
 */
public final class Road {
    /** Sample spacing of the centreline, metres. */
    public static final double DS = 0.5;
    /** Road length, metres: 60 s at 20 km/h (333 m) plus the LiDAR range plus margin for lead vehicles. */
    public static final double LENGTH_M = 1200.0;
    /** Lane width, metres. */
    public static final double LANE_WIDTH_M = 3.5;
    /** Half of the ego lane: the departure threshold and the corridor half-width, metres. */
    public static final double HALF_LANE_M = LANE_WIDTH_M / 2;
    /** Lateral position of both road edges (+-), metres from the ego-lane centre. */
    public static final double EDGE_OFFSET_M = 7.0;
    /** Arc length where episodes start, metres (behind it the road is straight). */
    public static final double START_S = 20.0;
    /** Road edges are polylines through every {@value #EDGE_STRIDE}-th centreline sample (2.5 m chords). */
    public static final int EDGE_STRIDE = 5;
    /** Curvature magnitude range of curves, 1/m. */
    public static final double KAPPA_MIN = 0.02;
    /** Curvature magnitude range of curves, 1/m. */
    public static final double KAPPA_MAX = 0.05;
    /** Static obstacle spacing range, metres. */
    public static final double OBSTACLE_GAP_MIN = 40.0;
    /** Static obstacle spacing range, metres. */
    public static final double OBSTACLE_GAP_MAX = 80.0;
    /** Near-face lateral distance range of obstacles from the ego-lane centre, metres. */
    public static final double OBSTACLE_NEAR_MIN = 3.0;
    /** Near-face lateral distance range of obstacles from the ego-lane centre, metres. */
    public static final double OBSTACLE_NEAR_MAX = 5.0;
    /** Lead-vehicle spacing along the road, metres. */
    public static final double LEAD_SPACING = 150.0;
    /** Lead-vehicle speed range, km/h. */
    public static final double LEAD_SPEED_MIN_KMH = 17.0;
    /** Lead-vehicle speed range, km/h. */
    public static final double LEAD_SPEED_MAX_KMH = 20.0;
    /** Vehicle box (ego and lead), metres. */
    public static final double VEHICLE_LENGTH = 4.5;
    /** Vehicle box (ego and lead), metres. */
    public static final double VEHICLE_WIDTH = 1.8;

    static final int SAMPLES = (int) Math.round(LENGTH_M / DS) + 1;
    static final int EDGE_POINTS = (SAMPLES - 1) / EDGE_STRIDE + 1;
    static final int MAX_OBSTACLES = (int) (LENGTH_M / OBSTACLE_GAP_MIN) + 1;
    static final int MAX_LEADS = (int) (LENGTH_M / LEAD_SPACING) + 2;
    private static final double LEAD_SPAWN_LIMIT = LENGTH_M - 500.0;

    final double[] kappa = new double[SAMPLES];
    final double[] x = new double[SAMPLES];
    final double[] y = new double[SAMPLES];
    final double[] theta = new double[SAMPLES];
    /** Edge polylines: left (+EDGE_OFFSET) and right (-EDGE_OFFSET). */
    final double[] leftX = new double[EDGE_POINTS];
    final double[] leftY = new double[EDGE_POINTS];
    final double[] rightX = new double[EDGE_POINTS];
    final double[] rightY = new double[EDGE_POINTS];

    int obstacleCount;
    final double[] obstacleS = new double[MAX_OBSTACLES];
    /** Lateral position of the obstacle's centre. */
    final double[] obstacleLat = new double[MAX_OBSTACLES];
    final double[] obstacleLength = new double[MAX_OBSTACLES];
    final double[] obstacleWidth = new double[MAX_OBSTACLES];
    /** World pose of each obstacle box: centre and heading. */
    final double[] obstacleX = new double[MAX_OBSTACLES];
    final double[] obstacleY = new double[MAX_OBSTACLES];
    final double[] obstacleHeading = new double[MAX_OBSTACLES];

    int leadCount;
    final double[] leadS0 = new double[MAX_LEADS];
    /** Lead speed, m/s. */
    final double[] leadSpeed = new double[MAX_LEADS];

    private double curveLength;

    /** Refills this road from {@code rng} (allocation-free). */
    public void generate(SplitMix64 rng) {
        generateCurvature(rng);
        integrate();
        buildEdges();
        placeObstacles(rng);
        placeLeads(rng);
    }

    private void generateCurvature(SplitMix64 rng) {
        int i = 0;
        curveLength = 0;
        double heading = 0;
        // A straight start, so every episode begins on a straight with the start noise alone.
        int straight = samples(START_S + rng.uniform(15, 40));
        while (i < SAMPLES) {
            for (int k = 0; k < straight && i < SAMPLES; k++) {
                kappa[i++] = 0;
            }
            double magnitude = rng.uniform(KAPPA_MIN, KAPPA_MAX);
            // Curves turn back towards the initial heading once it has drifted, so the road never loops onto itself.
            double sign = Math.abs(heading) < 0.5 ? (rng.nextDouble() < 0.5 ? -1 : 1) : -Math.signum(heading);
            double k = sign * magnitude;
            int ramp = samples(rng.uniform(8, 15));
            int arc = samples(rng.uniform(15, 40));
            for (int j = 1; j <= ramp && i < SAMPLES; j++) {
                kappa[i++] = k * j / ramp;
                curveLength += DS;
            }
            for (int j = 0; j < arc && i < SAMPLES; j++) {
                kappa[i++] = k;
                curveLength += DS;
            }
            for (int j = ramp - 1; j >= 0 && i < SAMPLES; j--) {
                kappa[i++] = k * j / ramp;
                if (j > 0) {
                    curveLength += DS;
                }
            }
            heading += k * (ramp + arc) * DS;
            straight = samples(rng.uniform(15, 40));
        }
    }

    private static int samples(double metres) {
        return Math.max(1, (int) Math.round(metres / DS));
    }

    private void integrate() {
        x[0] = 0;
        y[0] = 0;
        theta[0] = 0;
        for (int i = 1; i < SAMPLES; i++) {
            // Trapezoid on a piecewise-linear curvature: exact heading; midpoint heading for the position.
            theta[i] = theta[i - 1] + DS * 0.5 * (kappa[i - 1] + kappa[i]);
            double mid = 0.5 * (theta[i - 1] + theta[i]);
            x[i] = x[i - 1] + DS * Math.cos(mid);
            y[i] = y[i - 1] + DS * Math.sin(mid);
        }
    }

    private void buildEdges() {
        for (int e = 0; e < EDGE_POINTS; e++) {
            int i = e * EDGE_STRIDE;
            double nx = -Math.sin(theta[i]);
            double ny = Math.cos(theta[i]);
            leftX[e] = x[i] + EDGE_OFFSET_M * nx;
            leftY[e] = y[i] + EDGE_OFFSET_M * ny;
            rightX[e] = x[i] - EDGE_OFFSET_M * nx;
            rightY[e] = y[i] - EDGE_OFFSET_M * ny;
        }
    }

    private void placeObstacles(SplitMix64 rng) {
        obstacleCount = 0;
        double s = START_S + rng.uniform(OBSTACLE_GAP_MIN, OBSTACLE_GAP_MAX);
        while (s < LENGTH_M - 5 && obstacleCount < MAX_OBSTACLES) {
            int o = obstacleCount++;
            double length = rng.uniform(0.6, 2.5);
            double width = rng.uniform(0.6, 1.5);
            double near = rng.uniform(OBSTACLE_NEAR_MIN, OBSTACLE_NEAR_MAX);
            // Left: in the other lane (near face 3-5 m, inside [1.75, 5.25]); right: on the shoulder.
            double side = rng.nextDouble() < 0.5 ? 1 : -1;
            obstacleS[o] = s;
            obstacleLength[o] = length;
            obstacleWidth[o] = width;
            obstacleLat[o] = side * (near + width / 2);
            int i = index(s);
            obstacleHeading[o] = theta[i];
            obstacleX[o] = x[i] - Math.sin(theta[i]) * obstacleLat[o];
            obstacleY[o] = y[i] + Math.cos(theta[i]) * obstacleLat[o];
            s += rng.uniform(OBSTACLE_GAP_MIN, OBSTACLE_GAP_MAX);
        }
    }

    private void placeLeads(SplitMix64 rng) {
        leadCount = 0;
        // The first lead starts 30-150 m ahead (close enough to be caught within an episode at the speed
        // difference 17-20 km/h allows); then one per ~150 m.
        double s = START_S + rng.uniform(30, LEAD_SPACING);
        while (s < LEAD_SPAWN_LIMIT && leadCount < MAX_LEADS) {
            leadS0[leadCount] = s;
            leadSpeed[leadCount] = rng.uniform(LEAD_SPEED_MIN_KMH, LEAD_SPEED_MAX_KMH) / 3.6;
            leadCount++;
            s += LEAD_SPACING + rng.uniform(-25, 25);
        }
    }

    /** The sample index at or before arc length {@code s}, clamped to the road. */
    static int index(double s) {
        int i = (int) (s / DS);
        return Math.max(0, Math.min(SAMPLES - 1, i));
    }

    /** Curvature at arc length {@code s} (linear between samples), 1/m. */
    public double curvatureAt(double s) {
        int i = Math.min(SAMPLES - 2, index(s));
        double f = Math.max(0, Math.min(1, s / DS - i));
        return kappa[i] + f * (kappa[i + 1] - kappa[i]);
    }

    /** Heading of the centreline at {@code s}, radians. */
    public double headingAt(double s) {
        int i = Math.min(SAMPLES - 2, index(s));
        double f = Math.max(0, Math.min(1, s / DS - i));
        return theta[i] + f * (theta[i + 1] - theta[i]);
    }

    /** Centreline x at {@code s}. */
    public double xAt(double s) {
        int i = Math.min(SAMPLES - 2, index(s));
        double f = Math.max(0, Math.min(1, s / DS - i));
        return x[i] + f * (x[i + 1] - x[i]);
    }

    /** Centreline y at {@code s}. */
    public double yAt(double s) {
        int i = Math.min(SAMPLES - 2, index(s));
        double f = Math.max(0, Math.min(1, s / DS - i));
        return y[i] + f * (y[i + 1] - y[i]);
    }

    /** Arc length of a lead vehicle's centre at simulated time {@code t}, held just before the road's end. */
    double leadS(int k, double t) {
        return Math.min(LENGTH_M - VEHICLE_LENGTH, leadS0[k] + leadSpeed[k] * t);
    }

    /** Length of road with non-zero curvature, metres (for the curve-share property). */
    public double curveLength() {
        return curveLength;
    }

    /** Number of static obstacles. */
    public int obstacleCount() {
        return obstacleCount;
    }

    /** Arc length of obstacle {@code o}. */
    public double obstacleS(int o) {
        return obstacleS[o];
    }

    /** Lateral position of obstacle {@code o}'s near face, metres from the ego-lane centre (signed). */
    public double obstacleNearFace(int o) {
        return obstacleLat[o] - Math.signum(obstacleLat[o]) * obstacleWidth[o] / 2;
    }

    /** Number of lead vehicles. */
    public int leadCount() {
        return leadCount;
    }

    /** Lead vehicle {@code k}'s speed, km/h. */
    public double leadSpeedKmh(int k) {
        return leadSpeed[k] * 3.6;
    }

    /** Lead vehicle {@code k}'s start arc length, metres. */
    public double leadStartS(int k) {
        return leadS0[k];
    }

    /**
     * Projects the point (px, py) on the centreline near sample {@code hint}: writes arc length, signed
     * lateral offset (left positive) and road heading into {@code out}; returns the nearest sample index
     * (the next call's hint). Searches a window around the hint, which is enough for a car that moves less
     * than a few metres per step.
     */
    int project(double px, double py, int hint, Projection out) {
        int lo = Math.max(0, hint - 40);
        int hi = Math.min(SAMPLES - 1, hint + 80);
        int best = lo;
        double bestD = Double.MAX_VALUE;
        for (int i = lo; i <= hi; i++) {
            double dx = px - x[i];
            double dy = py - y[i];
            double d = dx * dx + dy * dy;
            if (d < bestD) {
                bestD = d;
                best = i;
            }
        }
        // Refine on the chord after (or before) the nearest sample.
        int i0 = best;
        if (best == SAMPLES - 1 || (best > 0 && along(px, py, best) < 0)) {
            i0 = best - 1;
        }
        double ex = x[i0 + 1] - x[i0];
        double ey = y[i0 + 1] - y[i0];
        double len2 = ex * ex + ey * ey;
        double f = ((px - x[i0]) * ex + (py - y[i0]) * ey) / len2;
        f = Math.max(0, Math.min(1, f));
        double cx = x[i0] + f * ex;
        double cy = y[i0] + f * ey;
        double h = theta[i0] + f * (theta[i0 + 1] - theta[i0]);
        out.s = (i0 + f) * DS;
        out.heading = h;
        out.lateral = -Math.sin(h) * (px - cx) + Math.cos(h) * (py - cy);
        return best;
    }

    private double along(double px, double py, int i) {
        return (px - x[i]) * Math.cos(theta[i]) + (py - y[i]) * Math.sin(theta[i]);
    }

    /** Result holder of {@link #project}, reused to keep stepping allocation-free. */
    static final class Projection {
        double s;
        double lateral;
        double heading;
    }
}
