package io.tributary.learner.dynamics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.tributary.learner.nn.DjlMlp;
import io.tributary.simulator.random.SplitMix64;

/**
 * The dynamics ensemble as DJL arrays: every member's layer {@code l} stacked into one weight tensor
 * {@code (members, in, out)} and one bias {@code (members, 1, out)}, so one batched matrix product runs all
 * members at once; plus the learnable log-variance bounds {@code (1, 1, targets)} shared by the members
 * (as in the MBPO and Edge-of-Reach reference code). Layout and maths are those of
 * {@link io.tributary.simulator.model.DynamicsEnsembleModel}, which runs the saved weights in pure Java.
 */
final class EnsembleNetwork implements AutoCloseable {
    /** MBPO's initial bounds: a loose upper bound, a tiny lower one. */
    static final float INITIAL_MAX_LOGVAR = 0.5f;
    static final float INITIAL_MIN_LOGVAR = -10f;

    final int members;
    final int inputSize;
    final int targetSize;
    final int[] sizes;
    /** W0, b0, W1, b1, ..., maxLogvar, minLogvar: the order the optimiser and the file use. */
    final NDArray[] params;

    EnsembleNetwork(NDManager manager, int members, int inputSize, int targetSize, int[] hiddenSizes, SplitMix64 rng) {
        this.members = members;
        this.inputSize = inputSize;
        this.targetSize = targetSize;
        int layers = hiddenSizes.length + 1;
        this.sizes = new int[layers + 1];
        sizes[0] = inputSize;
        System.arraycopy(hiddenSizes, 0, sizes, 1, hiddenSizes.length);
        sizes[layers] = 2 * targetSize;
        this.params = new NDArray[2 * layers + 2];
        for (int l = 0; l < layers; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            params[2 * l] = DjlMlp.leaf(manager, truncatedNormal(members * in * out, 1.0 / (2.0 * Math.sqrt(in)), rng),
                    new Shape(members, in, out));
            params[2 * l + 1] = DjlMlp.leaf(manager, new float[members * out], new Shape(members, 1, out));
        }
        float[] hi = new float[targetSize];
        float[] lo = new float[targetSize];
        java.util.Arrays.fill(hi, INITIAL_MAX_LOGVAR);
        java.util.Arrays.fill(lo, INITIAL_MIN_LOGVAR);
        params[2 * layers] = DjlMlp.leaf(manager, hi, new Shape(1, 1, targetSize));
        params[2 * layers + 1] = DjlMlp.leaf(manager, lo, new Shape(1, 1, targetSize));
    }

    /**
     * The reference code's initialisation ({@code trunc_normal_} with std {@code 1 / (2 sqrt(in))}): normal
     * draws, redrawn outside two standard deviations.
     */
    private static float[] truncatedNormal(int n, double std, SplitMix64 rng) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            double z;
            do {
                z = rng.nextGaussian();
            } while (Math.abs(z) > 2.0);
            a[i] = (float) (z * std);
        }
        return a;
    }

    int layers() {
        return sizes.length - 1;
    }

    NDArray maxLogvar() {
        return params[2 * layers()];
    }

    NDArray minLogvar() {
        return params[2 * layers() + 1];
    }

    /**
     * Means and soft-clamped log-variances {@code (members, n, targets)} for normalised inputs {@code x} of
     * shape {@code (members, n, in)} (each member its own rows) or {@code (1, n, in)} (the same rows for all).
     * Intermediates land in {@code x}'s manager.
     */
    NDList forward(NDArray x) {
        NDArray h = x;
        int layers = layers();
        for (int l = 0; l < layers; l++) {
            h = h.matMul(params[2 * l]).add(params[2 * l + 1]);
            if (l < layers - 1) {
                h = h.mul(Activation.sigmoid(h)); // SiLU
            }
        }
        NDArray mean = h.get(new NDIndex(":, :, 0:{}", targetSize));
        NDArray raw = h.get(new NDIndex(":, :, {}:{}", targetSize, 2 * targetSize));
        NDArray hi = maxLogvar();
        NDArray lo = minLogvar();
        // Receivers are always the per-call arrays (never the bounds), so nothing lands in the parameters' manager.
        NDArray logvar = Activation.softPlus(raw.neg().add(hi)).neg().add(hi);
        logvar = Activation.softPlus(logvar.sub(lo)).add(lo);
        return new NDList(mean, logvar);
    }

    /** Current values of every parameter, in {@link #params} order. */
    float[][] snapshot() {
        float[][] s = new float[params.length][];
        for (int i = 0; i < params.length; i++) {
            s[i] = params[i].toFloatArray();
        }
        return s;
    }

    /** Overwrites every parameter with {@code values} (in {@link #params} order); outside any gradient recording. */
    void load(float[][] values) {
        for (int i = 0; i < params.length; i++) {
            params[i].set(values[i]);
        }
    }

    @Override
    public void close() {
        for (NDArray p : params) {
            p.close();
        }
    }
}
