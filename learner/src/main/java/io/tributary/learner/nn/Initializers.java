package io.tributary.learner.nn;

import io.tributary.learner.MlpLayout;
import io.tributary.learner.PolicyLayout;
import io.tributary.simulator.random.SplitMix64;

/**
 * Weight initialisation on the Java side (so it is identical on every device): orthogonal matrices
 * scaled by a gain, as CleanRL and SB3 initialise PPO networks, and zero biases.
 */
public final class Initializers {
    private Initializers() {
    }

    /**
     * A {@code rows x cols} row-major matrix whose rows (if {@code rows <= cols}) or columns (otherwise)
     * are orthonormal, times {@code gain}: Gram-Schmidt on Gaussian vectors, which is what
     * {@code torch.nn.init.orthogonal_} computes up to the choice of random basis.
     */
    public static float[] orthogonal(int rows, int cols, double gain, SplitMix64 rng) {
        int k = Math.min(rows, cols);
        int len = Math.max(rows, cols);
        double[][] q = new double[k][len];
        for (int v = 0; v < k; v++) {
            double norm;
            do {
                for (int i = 0; i < len; i++) {
                    q[v][i] = rng.nextGaussian();
                }
                // Two passes of modified Gram-Schmidt keep the basis orthogonal to float precision.
                for (int pass = 0; pass < 2; pass++) {
                    for (int u = 0; u < v; u++) {
                        double dot = 0;
                        for (int i = 0; i < len; i++) {
                            dot += q[v][i] * q[u][i];
                        }
                        for (int i = 0; i < len; i++) {
                            q[v][i] -= dot * q[u][i];
                        }
                    }
                }
                norm = 0;
                for (int i = 0; i < len; i++) {
                    norm += q[v][i] * q[v][i];
                }
                norm = Math.sqrt(norm);
            } while (norm < 1e-6);
            for (int i = 0; i < len; i++) {
                q[v][i] /= norm;
            }
        }
        float[] m = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double x = rows <= cols ? q[r][c] : q[c][r];
                m[r * cols + c] = (float) (gain * x);
            }
        }
        return m;
    }

    /**
     * Flat MLP parameters in {@code layout}: orthogonal weights with gain {@code hiddenGain} for hidden
     * layers and {@code outputGain} for the last layer, zero biases.
     */
    public static float[] mlp(MlpLayout layout, double hiddenGain, double outputGain, SplitMix64 rng) {
        float[] p = new float[layout.parameterCount()];
        for (int l = 0; l < layout.layers(); l++) {
            double gain = l == layout.layers() - 1 ? outputGain : hiddenGain;
            float[] w = orthogonal(layout.size(l), layout.size(l + 1), gain, rng);
            System.arraycopy(w, 0, p, layout.weightOffset(l), w.length);
        }
        return p;
    }

    /**
     * Flat parameters in {@code layout} (any architecture): token embeddings drawn from N(0, 1) (PyTorch's
     * {@code nn.Embedding} default), branch and trunk hidden layers orthogonal with gain {@code hiddenGain},
     * the output layer with {@code outputGain}, zero biases and a zero tail (log sigma 0). Layers are drawn
     * in flat-vector order, so for an MLP this is exactly {@link #mlp}.
     */
    public static float[] policy(PolicyLayout layout, double hiddenGain, double outputGain, SplitMix64 rng) {
        return policy(layout, hiddenGain, outputGain, new double[layout.tailLength()], rng);
    }

    /**
     * As {@link #policy(PolicyLayout, double, double, SplitMix64)}, with the tail (a Gaussian head's
     * state-independent log sigma, one per action dimension) set to {@code tail}. The random draws do not depend
     * on it, so two policies that differ only in their starting log sigma have the same weights.
     *
     * @param tail the tail's values, exactly {@code layout.tailLength()} of them
     */
    public static float[] policy(PolicyLayout layout, double hiddenGain, double outputGain, double[] tail,
                                 SplitMix64 rng) {
        if (tail.length != layout.tailLength()) {
            throw new IllegalArgumentException("tail values: got " + tail.length + ", the layout's tail has " + layout.tailLength());
        }
        float[] p = new float[layout.parameterCount()];
        for (PolicyLayout.Branch b : layout.branches()) {
            if (b.tokens()) {
                int n = b.vocabSize() * b.embeddingDim();
                for (int i = 0; i < n; i++) {
                    p[b.embeddingOffset() + i] = (float) rng.nextGaussian();
                }
            }
            if (b.dense() != null) {
                MlpLayout d = b.dense();
                for (int l = 0; l < d.layers(); l++) {
                    float[] w = orthogonal(d.size(l), d.size(l + 1), hiddenGain, rng);
                    System.arraycopy(w, 0, p, b.denseOffset() + d.weightOffset(l), w.length);
                }
            }
        }
        float[] trunk = mlp(layout.trunk(), hiddenGain, outputGain, rng);
        System.arraycopy(trunk, 0, p, layout.trunkOffset(), trunk.length);
        for (int i = 0; i < tail.length; i++) {
            p[layout.tailOffset() + i] = (float) tail[i];
        }
        return p;
    }
}
