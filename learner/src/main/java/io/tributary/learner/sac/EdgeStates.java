package io.tributary.learner.sac;

import java.util.Arrays;

/**
 * The edge-of-reach measure: the share of query points (depth-k states) whose distance to every reference
 * point (dataset states and shallower states) exceeds a radius. Reference points are bucketed on a grid of
 * cells one radius wide (keys sorted with the point index packed into the low bits), so each query checks
 * only the 3^d neighbouring cells; distances are exact (Euclidean, float64), so the answer equals brute
 * force. At most 3 dimensions.
 */
public final class EdgeStates {
    /** Most dimensions the grid handles. */
    public static final int MAX_DIMS = 3;

    private EdgeStates() {
    }

    /**
     * The share of the {@code nq} query points farther than {@code radius} from all {@code nr} reference
     * points; points are {@code dims} floats each, packed.
     */
    public static double farFraction(float[] queries, int nq, float[] refs, int nr, int dims, double radius) {
        if (dims < 1 || dims > MAX_DIMS || !(radius > 0)) {
            throw new IllegalArgumentException("bad edge measure: dims=" + dims + ", radius=" + radius);
        }
        if (nq == 0) {
            return Double.NaN;
        }
        if (nr == 0) {
            return 1.0;
        }
        int indexBits = 64 - Long.numberOfLeadingZeros(Math.max(1, nr - 1));
        int cellBits = Math.min(20, (63 - indexBits) / dims);
        long half = 1L << (cellBits - 1);
        long[] packed = new long[nr];
        for (int i = 0; i < nr; i++) {
            packed[i] = (key(refs, i * dims, dims, radius, cellBits, half) << indexBits) | i;
        }
        Arrays.sort(packed);
        double r2 = radius * radius;
        int far = 0;
        long[] cell = new long[dims];
        for (int q = 0; q < nq; q++) {
            for (int d = 0; d < dims; d++) {
                cell[d] = clampedCell(queries[q * dims + d], radius, half);
            }
            if (!near(queries, q * dims, refs, packed, dims, cell, 0, new long[dims], cellBits, half, indexBits, r2)) {
                far++;
            }
        }
        return (double) far / nq;
    }

    private static boolean near(float[] queries, int qOff, float[] refs, long[] packed, int dims, long[] cell, int d,
                                long[] probe, int cellBits, long half, int indexBits, double r2) {
        if (d == dims) {
            long k = 0;
            for (int j = 0; j < dims; j++) {
                if (probe[j] < -half || probe[j] >= half) {
                    return false;
                }
                k = (k << cellBits) | (probe[j] + half);
            }
            int from = lowerBound(packed, k << indexBits);
            long mask = (1L << indexBits) - 1;
            for (int p = from; p < packed.length && (packed[p] >>> indexBits) == k; p++) {
                int i = (int) (packed[p] & mask);
                double s = 0;
                for (int j = 0; j < dims; j++) {
                    double diff = (double) queries[qOff + j] - refs[i * dims + j];
                    s += diff * diff;
                }
                if (s <= r2) {
                    return true;
                }
            }
            return false;
        }
        for (long off = -1; off <= 1; off++) {
            probe[d] = cell[d] + off;
            if (near(queries, qOff, refs, packed, dims, cell, d + 1, probe, cellBits, half, indexBits, r2)) {
                return true;
            }
        }
        return false;
    }

    private static long key(float[] pts, int off, int dims, double radius, int cellBits, long half) {
        long k = 0;
        for (int j = 0; j < dims; j++) {
            k = (k << cellBits) | (clampedCell(pts[off + j], radius, half) + half);
        }
        return k;
    }

    /** The cell index of a coordinate, clamped to the key's range (clamped cells merge; distances stay exact). */
    private static long clampedCell(float v, double radius, long half) {
        long c = (long) Math.floor(v / radius);
        return Math.max(-half, Math.min(half - 1, c));
    }

    private static int lowerBound(long[] a, long key) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
