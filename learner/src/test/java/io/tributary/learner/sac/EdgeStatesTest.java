package io.tributary.learner.sac;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The grid-bucketed edge measure equals brute force, including points outside the grid's key range. */
class EdgeStatesTest {
    @Test
    void equalsBruteForceIn1To3Dimensions() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int dims = 1; dims <= 3; dims++) {
            for (double radius : new double[] {0.05, 0.3}) {
                int nr = 3000;
                int nq = 500;
                float[] refs = points(rng, nr, dims, 2.0);
                float[] queries = points(rng, nq, dims, 2.2);
                double expected = brute(queries, nq, refs, nr, dims, radius);
                assertEquals(expected, EdgeStates.farFraction(queries, nq, refs, nr, dims, radius), 0.0,
                        "dims=" + dims + ", radius=" + radius);
                if (dims == 2 && radius == 0.05) {
                    // a fraction strictly between 0 and 1: the comparison above is not trivially 0 = 0 or 1 = 1
                    assertEquals(true, expected > 0.05 && expected < 0.95, "expected=" + expected);
                }
            }
        }
    }

    @Test
    void farCoordinatesAreClampedWithoutLosingNeighbours() {
        // with 2.1M reference points the key keeps few bits per dimension; values of 1e6 radii land in edge cells
        float[] refs = {1e5f, 1e5f, -3e4f, 2f, 0f, 0f};
        float[] queries = {1e5f + 0.01f, 1e5f, -3e4f, 2.2f, 0.04f, 0f, 5f, 5f};
        assertEquals(0.5, EdgeStates.farFraction(queries, 4, refs, 3, 2, 0.05), 0.0);
        assertEquals(brute(queries, 4, refs, 3, 2, 0.05), EdgeStates.farFraction(queries, 4, refs, 3, 2, 0.05), 0.0);
    }

    private static float[] points(SplittableRandom rng, int n, int dims, double range) {
        float[] p = new float[n * dims];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) rng.nextDouble(-range, range);
        }
        return p;
    }

    private static double brute(float[] q, int nq, float[] r, int nr, int dims, double radius) {
        int far = 0;
        for (int i = 0; i < nq; i++) {
            boolean near = false;
            for (int j = 0; j < nr && !near; j++) {
                double s = 0;
                for (int d = 0; d < dims; d++) {
                    double diff = (double) q[i * dims + d] - r[j * dims + d];
                    s += diff * diff;
                }
                near = s <= radius * radius;
            }
            far += near ? 0 : 1;
        }
        return (double) far / nq;
    }
}
