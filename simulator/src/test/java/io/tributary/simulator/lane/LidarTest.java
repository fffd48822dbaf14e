package io.tributary.simulator.lane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Rays against boxes at known distances. */
class LidarTest {
    private final Lidar lidar = new Lidar();
    private final double[] ranges = new double[Lidar.RAYS];

    @Test
    void raysAreSymmetricAboutTheHeading() {
        for (int i = 0; i < Lidar.RAYS; i++) {
            assertEquals(-Lidar.angle(i), Lidar.angle(Lidar.RAYS - 1 - i), 1e-12);
        }
        assertEquals(Math.toRadians(-89.5), Lidar.angle(0), 1e-12);
    }

    @Test
    void wallAheadReadsDistanceOverCosineOfTheRayAngle() {
        lidar.begin(0, 0, 0, ranges, 0);
        // A wall 10 m ahead, 0.2 m thick, 200 m wide.
        lidar.addBox(10.1, 0, 0, 0.1, 100, ranges, 0);
        for (int i = 0; i < Lidar.RAYS; i++) {
            double expected = Math.min(100, 10 / Math.cos(Lidar.angle(i)));
            assertEquals(expected, ranges[i], 1e-9, "ray " + i);
        }
    }

    @Test
    void boxHitAtKnownDistanceInARotatedFrame() {
        // Car at (5, 5) heading north; a 2 x 2 box centred 20 m north of the bumper: the two central rays
        // (+-0.5 degrees) hit its near face at 19 m / cos(0.5 degrees).
        lidar.begin(5, 5, Math.PI / 2, ranges, 0);
        lidar.addBox(5, 25, 0.3, 1, 1, ranges, 0);
        assertEquals(Lidar.RANGE_M, ranges[0], 0);
        // The box is rotated by 0.3 rad, so compute the hit of the central ray on its rotated faces.
        double expected = nearestHit(0.3, 20, Lidar.angle(90));
        assertEquals(expected, ranges[90], 1e-9);
        lidar.begin(5, 5, Math.PI / 2, ranges, 0);
        lidar.addBox(5, 25, 0, 1, 1, ranges, 0);
        assertEquals(19 / Math.cos(Math.toRadians(0.5)), ranges[89], 1e-9);
        assertEquals(19 / Math.cos(Math.toRadians(0.5)), ranges[90], 1e-9);
        int hits = 0;
        for (double r : ranges) {
            hits += r < Lidar.RANGE_M ? 1 : 0;
        }
        // A 2 m face at 19-21 m subtends about 6 degrees.
        assertTrue(hits >= 5 && hits <= 7, "hits=" + hits);
    }

    @Test
    void boxesBehindOrBeyondRangeAreNotSeen() {
        lidar.begin(0, 0, 0, ranges, 0);
        lidar.addBox(-10, 0, 0, 1, 1, ranges, 0);
        lidar.addBox(150, 0, 0, 1, 1, ranges, 0);
        for (double r : ranges) {
            assertEquals(Lidar.RANGE_M, r, 0);
        }
    }

    @Test
    void boxToTheSideIsSeenOnlyByItsRays() {
        // A box 30 m to the left (y = +30), 10 m ahead: bearing atan2(30, 10) ~ 71.6 degrees.
        lidar.begin(0, 0, 0, ranges, 0);
        lidar.addBox(10, 31, 0, 1, 1, ranges, 0);
        int ray = (int) Math.floor(Math.toDegrees(Math.atan2(30, 10)) + 90);
        assertTrue(ranges[ray] < 35, "ray " + ray + " range " + ranges[ray]);
        assertEquals(Lidar.RANGE_M, ranges[Lidar.RAYS - 1 - ray], 0, "mirror ray sees nothing");
    }

    @Test
    void fastAtan2IsWithinAQuarterRay() {
        for (int k = 0; k < 3600; k++) {
            double a = Math.toRadians(k / 10.0 - 180);
            double y = Math.sin(a) * 7;
            double x = Math.cos(a) * 7;
            assertEquals(Math.atan2(y, x), Lidar.fastAtan2(y, x), 0.005, "angle " + a);
        }
    }

    /** Range along the ray at {@code angle} to a 2 x 2 box centred {@code dist} m ahead, rotated by {@code rot}. */
    private static double nearestHit(double rot, double dist, double angle) {
        double best = Double.MAX_VALUE;
        double c = Math.cos(rot);
        double s = Math.sin(rot);
        double[][] corners = {{1, 1}, {-1, 1}, {-1, -1}, {1, -1}};
        double dx = Math.cos(angle);
        double dy = Math.sin(angle);
        for (int k = 0; k < 4; k++) {
            double[] p = corners[k];
            double[] q = corners[(k + 1) % 4];
            // Box frame: x ahead (rotated), car frame x ahead.
            double ax = dist + c * p[0] - s * p[1];
            double ay = s * p[0] + c * p[1];
            double bx = dist + c * q[0] - s * q[1];
            double by = s * q[0] + c * q[1];
            double ex = bx - ax;
            double ey = by - ay;
            double den = dx * ey - dy * ex;
            double t = (ax * ey - ay * ex) / den;
            double u = (ax * dy - ay * dx) / den;
            if (t >= 0 && u >= 0 && u <= 1) {
                best = Math.min(best, t);
            }
        }
        return best;
    }
}
