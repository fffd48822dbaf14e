package io.tributary.learner;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Running per-element mean and (population) variance over batches of vectors, merged with the parallel
 * variance formula (Chan et al.), as SB3's {@code RunningMeanStd}: used for observation normalisation
 * and reward scaling. Starts at mean 0, variance 1 and a tiny count, so the first batch dominates.
 */
public final class RunningMeanStd {
    /** Initial pseudo-count; keeps the first merge well defined. */
    public static final double INITIAL_COUNT = 1e-4;

    private final double[] mean;
    private final double[] var;
    private double count;

    /** Statistics for vectors of {@code size} elements. */
    public RunningMeanStd(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be >= 1: size=" + size);
        }
        mean = new double[size];
        var = new double[size];
        java.util.Arrays.fill(var, 1.0);
        count = INITIAL_COUNT;
    }

    /** A deep copy. */
    public RunningMeanStd copy() {
        RunningMeanStd c = new RunningMeanStd(mean.length);
        System.arraycopy(mean, 0, c.mean, 0, mean.length);
        System.arraycopy(var, 0, c.var, 0, var.length);
        c.count = count;
        return c;
    }

    /** Elements per vector. */
    public int size() {
        return mean.length;
    }

    /** Vectors seen so far (plus the initial pseudo-count). */
    public double count() {
        return count;
    }

    /** Mean of element {@code i}. */
    public double mean(int i) {
        return mean[i];
    }

    /** Variance of element {@code i}. */
    public double var(int i) {
        return var[i];
    }

    /** Means as floats (what snapshots carry). */
    public float[] meanAsFloats() {
        float[] f = new float[mean.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) mean[i];
        }
        return f;
    }

    /** Variances as floats (what snapshots carry). */
    public float[] varAsFloats() {
        float[] f = new float[var.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) var[i];
        }
        return f;
    }

    /**
     * Replaces the statistics of elements {@code [from, to)} in {@code mean} and {@code var} (as
     * {@link #meanAsFloats()} and {@link #varAsFloats()} give them) by their pooled ones: the mean and population
     * variance of all those elements' values taken together. Every element has the same count, so the pooled mean
     * is the mean of the means and the pooled variance the mean of (var + mean^2) less the pooled mean squared.
     * Used for fields of like measurements (LiDAR rays): per-element statistics turn a nearly constant ray into a
     * feature that jumps to the clip bound whenever something comes near it.
     */
    public static void poolInPlace(float[] mean, float[] var, int from, int to) {
        if (from < 0 || to > mean.length || to > var.length || from >= to) {
            throw new IllegalArgumentException("pooled range must lie in the statistics: from=" + from + ", to=" + to
                    + ", size=" + Math.min(mean.length, var.length));
        }
        double m = 0;
        double second = 0;
        for (int i = from; i < to; i++) {
            m += mean[i];
            second += var[i] + (double) mean[i] * mean[i];
        }
        int n = to - from;
        m /= n;
        double v = Math.max(0, second / n - m * m);
        java.util.Arrays.fill(mean, from, to, (float) m);
        java.util.Arrays.fill(var, from, to, (float) v);
    }

    /** Merges {@code rows} vectors laid out row-major in {@code data[0 .. rows * size)}. */
    public void update(float[] data, int rows) {
        if (rows < 1) {
            return;
        }
        int size = mean.length;
        double[] bMean = new double[size];
        double[] bVar = new double[size];
        for (int r = 0; r < rows; r++) {
            int o = r * size;
            for (int i = 0; i < size; i++) {
                bMean[i] += data[o + i];
            }
        }
        for (int i = 0; i < size; i++) {
            bMean[i] /= rows;
        }
        for (int r = 0; r < rows; r++) {
            int o = r * size;
            for (int i = 0; i < size; i++) {
                double d = data[o + i] - bMean[i];
                bVar[i] += d * d;
            }
        }
        for (int i = 0; i < size; i++) {
            bVar[i] /= rows;
        }
        merge(bMean, bVar, rows);
    }

    /** Merges a batch summarised by its mean, population variance and count. */
    public void merge(double[] batchMean, double[] batchVar, double batchCount) {
        double total = count + batchCount;
        for (int i = 0; i < mean.length; i++) {
            double delta = batchMean[i] - mean[i];
            double m2 = var[i] * count + batchVar[i] * batchCount + delta * delta * count * batchCount / total;
            mean[i] = mean[i] + delta * batchCount / total;
            var[i] = m2 / total;
        }
        count = total;
    }

    /** Writes the state (count, means, variances). */
    public void write(DataOutput out) throws IOException {
        out.writeInt(mean.length);
        out.writeDouble(count);
        for (int i = 0; i < mean.length; i++) {
            out.writeDouble(mean[i]);
            out.writeDouble(var[i]);
        }
    }

    /** Reads what {@link #write} wrote into this instance (sizes must match). */
    public void read(DataInput in) throws IOException {
        int size = in.readInt();
        if (size != mean.length) {
            throw new IOException("running statistics size mismatch: stored=" + size + ", expected=" + mean.length);
        }
        count = in.readDouble();
        for (int i = 0; i < size; i++) {
            mean[i] = in.readDouble();
            var[i] = in.readDouble();
        }
    }
}
