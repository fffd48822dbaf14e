package io.tributary.learner.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.tributary.learner.MlpLayout;
import io.tributary.learner.PolicyInference;
import io.tributary.learner.PolicyLayout;
import io.tributary.learner.PolicySpec;

/**
 * The learner's form of every policy architecture (MLP, fusion): parameters held as plain DJL arrays in
 * the order of the flat vector ({@link PolicyLayout}, documented in {@link PolicyInference}), so
 * flattening them in order gives the snapshot's parameters, and a hand-written forward pass that computes
 * what the pure-Java inference computes. Embeddings are one-hot rows times the table (exact, and plain
 * matrix products for autograd).
 */
public final class DjlPolicyNetwork {
    private DjlPolicyNetwork() {
    }

    /**
     * Creates the {@link PolicyLayout#arrayCount()} parameter arrays of {@code layout} from {@code flat}
     * in {@code manager}, each a leaf that records gradients, into {@code out[outOff..]}.
     */
    public static void create(NDManager manager, PolicyLayout layout, float[] flat, NDArray[] out, int outOff) {
        int k = outOff;
        for (PolicyLayout.Branch b : layout.branches()) {
            if (b.tokens()) {
                out[k++] = DjlMlp.leaf(manager, slice(flat, b.embeddingOffset(), b.vocabSize() * b.embeddingDim()),
                        new Shape(b.vocabSize(), b.embeddingDim()));
            }
            if (b.dense() != null) {
                k = createDense(manager, b.dense(), flat, b.denseOffset(), out, k);
            }
        }
        k = createDense(manager, layout.trunk(), flat, layout.trunkOffset(), out, k);
        if (layout.tailLength() > 0) {
            out[k] = DjlMlp.leaf(manager, slice(flat, layout.tailOffset(), layout.tailLength()), new Shape(layout.tailLength()));
        }
    }

    private static int createDense(NDManager manager, MlpLayout d, float[] flat, int base, NDArray[] out, int k) {
        for (int l = 0; l < d.layers(); l++) {
            int in = d.size(l);
            int o = d.size(l + 1);
            out[k++] = DjlMlp.leaf(manager, slice(flat, base + d.weightOffset(l), in * o), new Shape(in, o));
            out[k++] = DjlMlp.leaf(manager, slice(flat, base + d.biasOffset(l), o), new Shape(o));
        }
        return k;
    }

    private static float[] slice(float[] flat, int off, int len) {
        float[] a = new float[len];
        System.arraycopy(flat, off, a, 0, len);
        return a;
    }

    /** The head's own parameter array (Gaussian log sigma), or null when the head has none. */
    public static NDArray tail(NDArray[] params, int off, PolicyLayout layout) {
        return layout.tailLength() > 0 ? params[off + layout.arrayCount() - 1] : null;
    }

    /**
     * Network outputs {@code (n, outputWidth)} for input rows {@code x} of shape {@code (n, observationSize)}
     * (already normalised per field). Every intermediate is created with {@code x} (or one of its
     * descendants) as receiver, so it lands in {@code x}'s manager (a per-minibatch sub-manager), never in
     * the long-lived manager that owns the parameters.
     *
     * @param params parameter arrays in layout order from {@code off}
     */
    public static NDArray forward(NDArray x, NDArray[] params, int off, PolicyLayout layout) {
        PolicySpec spec = layout.spec();
        boolean relu = spec.activation() == PolicySpec.Activation.RELU;
        int k = off;
        NDArray trunkIn = x;
        if (spec.architecture() == PolicySpec.Architecture.FUSION) {
            NDList parts = new NDList();
            for (PolicyLayout.Branch b : layout.branches()) {
                NDArray h = x.get(new NDIndex(":, {}:{}", b.inputOffset(), b.inputOffset() + b.inputSize()));
                if (b.tokens()) {
                    NDArray oneHot = h.toType(DataType.INT64, false).reshape(-1).oneHot(b.vocabSize());
                    h = oneHot.matMul(params[k++]).reshape(new Shape(-1, b.embeddedWidth()));
                }
                if (b.dense() != null) {
                    for (int l = 0; l < b.dense().layers(); l++) {
                        h = activate(h.matMul(params[k]).add(params[k + 1]), relu);
                        k += 2;
                    }
                }
                parts.add(h);
            }
            trunkIn = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 1);
        }
        NDArray h = trunkIn;
        int layers = layout.trunk().layers();
        for (int l = 0; l < layers; l++) {
            h = h.matMul(params[k]).add(params[k + 1]);
            k += 2;
            if (l < layers - 1) {
                h = activate(h, relu);
            }
        }
        return h;
    }

    private static NDArray activate(NDArray h, boolean relu) {
        return relu ? Activation.relu(h) : h.tanh();
    }
}
