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
    @Test
    void pooledStatisticsAreThoseOfTheFieldsValuesTakenTogether() {
        // three "rays": one nearly constant, two spread out; a fourth element outside the pooled range
        SplittableRandom rng = new SplittableRandom(4);
        int rows = 400;
        float[] data = new float[rows * 4];
        for (int r = 0; r < rows; r++) {
            data[r * 4] = (float) (7 + 0.4 * rng.nextGaussian());
            data[r * 4 + 1] = (float) (30 + 15 * rng.nextGaussian());
            data[r * 4 + 2] = (float) (60 + 20 * rng.nextGaussian());
            data[r * 4 + 3] = (float) (-2 + rng.nextGaussian());
        }
        RunningMeanStd rms = new RunningMeanStd(4);
        rms.update(data, rows);
        float[] mean = rms.meanAsFloats();
        float[] var = rms.varAsFloats();
        float outsideMean = mean[3];
        float outsideVar = var[3];
        RunningMeanStd.poolInPlace(mean, var, 0, 3);

        double m = 0;
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < 3; i++) {
                m += data[r * 4 + i];
            }
        }
        m /= 3.0 * rows;
        double v = 0;
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < 3; i++) {
                v += (data[r * 4 + i] - m) * (data[r * 4 + i] - m);
            }
        }
        v /= 3.0 * rows;
        for (int i = 0; i < 3; i++) {
            assertEquals(m, mean[i], 1e-3 * Math.abs(m));
            assertEquals(v, var[i], 1e-3 * v);
        }
        // the nearly constant ray is now scaled like its neighbours, not by its own 0.4 std
        org.junit.jupiter.api.Assertions.assertTrue(Math.sqrt(var[0]) > 20, "pooled std " + Math.sqrt(var[0]));
        assertEquals(outsideMean, mean[3], 0f);
        assertEquals(outsideVar, var[3], 0f);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> RunningMeanStd.poolInPlace(mean, var, 2, 5));
    }
}
