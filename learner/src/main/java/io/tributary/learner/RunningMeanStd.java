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
