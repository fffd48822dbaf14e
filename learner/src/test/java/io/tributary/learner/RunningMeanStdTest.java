package io.tributary.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.learner.nn.Initializers;
import io.tributary.simulator.random.SplitMix64;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RunningMeanStdTest {

    @Test
    void mergedBatchesEqualOneBigBatch() {
        SplittableRandom rng = new SplittableRandom(9);
        float[] data = new float[300 * 2];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (3 + 5 * rng.nextGaussian());
        }
        RunningMeanStd parts = new RunningMeanStd(2);
        parts.update(java.util.Arrays.copyOfRange(data, 0, 200), 100);
        parts.update(java.util.Arrays.copyOfRange(data, 200, 600), 200);
        RunningMeanStd whole = new RunningMeanStd(2);
        whole.update(data, 300);
        for (int i = 0; i < 2; i++) {
            assertEquals(whole.mean(i), parts.mean(i), 1e-9);
            assertEquals(whole.var(i), parts.var(i), 1e-9);
            double m = 0;
            for (int r = 0; r < 300; r++) {
                m += data[r * 2 + i];
            }
            m /= 300;
            double v = 0;
            for (int r = 0; r < 300; r++) {
                v += (data[r * 2 + i] - m) * (data[r * 2 + i] - m);
            }
            v /= 300;
            // the initial pseudo-count (1e-4 at mean 0, var 1) shifts the result only slightly
            assertEquals(m, parts.mean(i), 1e-4 * Math.abs(m) + 1e-6);
            assertEquals(v, parts.var(i), 1e-3 * v);
        }
        assertEquals(300 + RunningMeanStd.INITIAL_COUNT, parts.count(), 1e-12);
    }

    @Test
    void orthogonalInitHasOrthonormalColumnsOrRows() {
        SplitMix64 rng = new SplitMix64(1);
        for (int[] shape : new int[][] {{16, 64}, {64, 4}, {8, 8}}) {
            int rows = shape[0];
            int cols = shape[1];
            float[] w = Initializers.orthogonal(rows, cols, 2.0, rng);
            boolean byRows = rows <= cols;
            int k = Math.min(rows, cols);
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    double dot = 0;
                    for (int i = 0; i < Math.max(rows, cols); i++) {
                        double x = byRows ? w[a * cols + i] : w[i * cols + a];
                        double y = byRows ? w[b * cols + i] : w[i * cols + b];
                        dot += x * y;
                    }
                    assertEquals(a == b ? 4.0 : 0.0, dot, 1e-4, "shape " + rows + "x" + cols);
                }
            }
        }
    }
}
