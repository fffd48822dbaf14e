package io.tributary.simulator.lane;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.random.SplitMix64;
import org.junit.jupiter.api.Test;

/** Properties of the seeded road generator over many seeds. */
class RoadTest {
    private static final int SEEDS = 200;

    private static Road road(long seed) {
        Road r = new Road();
        r.generate(new SplitMix64(seed));
        return r;
    }

    @Test
    void curvesCoverAtLeastFortyPercentWithCurvatureInRange() {
        for (long seed = 0; seed < SEEDS; seed++) {
            Road r = road(seed);
            double share = r.curveLength() / Road.LENGTH_M;
            assertTrue(share >= 0.4, "seed=" + seed + ", curveShare=" + share);
            int plateaus = 0;
            for (int i = 0; i + 1 < Road.SAMPLES; i++) {
                double k = Math.abs(r.kappa[i]);
                assertTrue(k <= Road.KAPPA_MAX + 1e-12, "seed=" + seed + ", i=" + i + ", kappa=" + k);
                // Constant arcs (equal neighbours, non-zero) are where |kappa| ~ U(0.02, 0.05) shows.
                if (k > 0 && r.kappa[i] == r.kappa[i + 1]) {
                    assertTrue(k >= Road.KAPPA_MIN, "seed=" + seed + ", i=" + i + ", kappa=" + k);
                    plateaus++;
                }
            }
            assertTrue(plateaus > 0, "seed=" + seed);
            // Counted curve length is where the curvature is non-zero.
            int nonZero = 0;
            for (int i = 0; i < Road.SAMPLES; i++) {
                nonZero += r.kappa[i] != 0 ? 1 : 0;
            }
            assertEquals(nonZero * Road.DS, r.curveLength(), 1e-6, "seed=" + seed);
        }
    }

    @Test
    void curvatureMagnitudesSpanTheirRange() {
        double min = 1;
        double max = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            Road r = road(seed);
            for (int i = 0; i + 1 < Road.SAMPLES; i++) {
                if (r.kappa[i] != 0 && r.kappa[i] == r.kappa[i + 1]) {
                    min = Math.min(min, Math.abs(r.kappa[i]));
                    max = Math.max(max, Math.abs(r.kappa[i]));
                }
            }
        }
        assertTrue(min < 0.022 && max > 0.048, "min=" + min + ", max=" + max);
    }

    @Test
    void headingIsTheIntegralOfCurvatureAndTheLineIsContinuous() {
        Road r = road(7);
        double heading = 0;
        for (int i = 1; i < Road.SAMPLES; i++) {
            heading += Road.DS * 0.5 * (r.kappa[i - 1] + r.kappa[i]);
            double step = Math.hypot(r.x[i] - r.x[i - 1], r.y[i] - r.y[i - 1]);
            assertEquals(Road.DS, step, 1e-9);
        }
        assertEquals(heading, r.theta[Road.SAMPLES - 1], 1e-9);
        // The start is straight along +x.
        assertEquals(0, r.curvatureAt(Road.START_S), 0);
        assertEquals(Road.START_S, r.xAt(Road.START_S), 1e-9);
    }

    @Test
    void obstaclesOnePerFortyToEightyMetresOutsideTheEgoLane() {
        int left = 0;
        int right = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            Road r = road(seed);
            assertTrue(r.obstacleCount() >= (int) ((Road.LENGTH_M - Road.START_S) / Road.OBSTACLE_GAP_MAX) - 1);
            for (int o = 0; o < r.obstacleCount(); o++) {
                double previous = o == 0 ? Road.START_S : r.obstacleS(o - 1);
                double gap = r.obstacleS(o) - previous;
                assertTrue(gap >= 40 && gap <= 80, "seed=" + seed + ", o=" + o + ", gap=" + gap);
                double near = Math.abs(r.obstacleNearFace(o));
                assertTrue(near >= 3 && near <= 5, "seed=" + seed + ", o=" + o + ", nearFace=" + near);
                if (r.obstacleNearFace(o) > 0) {
                    left++;
                } else {
                    right++;
                }
            }
        }
        assertTrue(left > 0 && right > 0, "left=" + left + ", right=" + right);
    }

    @Test
    void leadVehiclesAboutEveryHundredFiftyMetresAtSeventeenToTwentyKmh() {
        for (long seed = 0; seed < SEEDS; seed++) {
            Road r = road(seed);
            assertTrue(r.leadCount() >= 3, "seed=" + seed + ", leads=" + r.leadCount());
            for (int k = 0; k < r.leadCount(); k++) {
                double v = r.leadSpeedKmh(k);
                assertTrue(v >= 17 && v <= 20, "seed=" + seed + ", k=" + k + ", speed=" + v);
                if (k > 0) {
                    double gap = r.leadStartS(k) - r.leadStartS(k - 1);
                    assertTrue(gap >= 125 && gap <= 175, "seed=" + seed + ", k=" + k + ", gap=" + gap);
                }
            }
        }
    }

    @Test
    void sameSeedSameRoadOtherSeedOtherRoad() {
        Road a = road(42);
        Road b = road(42);
        Road c = road(43);
        assertArrayEquals(a.kappa, b.kappa);
        assertArrayEquals(a.x, b.x);
        assertArrayEquals(a.obstacleS, b.obstacleS);
        assertTrue(!java.util.Arrays.equals(a.kappa, c.kappa));
        // Regenerating in place gives the same road as a fresh one.
        a.generate(new SplitMix64(43));
        assertArrayEquals(c.kappa, a.kappa);
        assertArrayEquals(c.leadS0, a.leadS0);
    }

    @Test
    void projectionRecoversArcLengthAndOffset() {
        Road r = road(3);
        Road.Projection p = new Road.Projection();
        int hint = 0;
        for (double s = 30; s < 500; s += 3.7) {
            double lat = Math.sin(s) * 1.5;
            double h = r.headingAt(s);
            double px = r.xAt(s) - Math.sin(h) * lat;
            double py = r.yAt(s) + Math.cos(h) * lat;
            hint = r.project(px, py, hint, p);
            assertEquals(s, p.s, 0.05, "s=" + s);
            assertEquals(lat, p.lateral, 0.01, "s=" + s);
        }
    }
}
