package io.tributary.learner.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tributary.learner.MlpLayout;

/**
 * A dense tanh MLP held as plain DJL arrays {@code [W0, b0, W1, b1, ...]} (each {@code W} of shape
 * {@code (in, out)}, so its row-major data is exactly the {@link MlpLayout} slice), with the forward pass
 * written out by hand. Owning the arrays directly (instead of a DJL {@code Block}) keeps flattening,
 * checkpointing and the optimiser state simple.
 */
public final class DjlMlp {
    private DjlMlp() {
    }

    /**
     * Creates the parameter arrays of {@code layout} from {@code flat} in {@code manager}, each one a leaf
     * that records gradients.
     *
     * @param out   receives the {@code 2 * layout.layers()} arrays starting at {@code outOff}
     */
    public static void create(NDManager manager, MlpLayout layout, float[] flat, int flatOff, NDArray[] out, int outOff) {
        for (int l = 0; l < layout.layers(); l++) {
            int in = layout.size(l);
            int o = layout.size(l + 1);
            float[] w = new float[in * o];
            System.arraycopy(flat, flatOff + layout.weightOffset(l), w, 0, w.length);
            float[] b = new float[o];
            System.arraycopy(flat, flatOff + layout.biasOffset(l), b, 0, o);
            out[outOff + 2 * l] = leaf(manager, w, new Shape(in, o));
            out[outOff + 2 * l + 1] = leaf(manager, b, new Shape(o));
        }
    }

    /** A float array in {@code manager} that records gradients. */
    public static NDArray leaf(NDManager manager, float[] data, Shape shape) {
        NDArray a = Arrays64.create(manager, data, shape);
        a.setRequiresGradient(true);
        return a;
    }

    /**
     * Forward pass {@code tanh(... tanh(x W0 + b0) ...) W_last + b_last}. Every intermediate is created
     * with {@code x} as receiver, so it lands in {@code x}'s manager (a per-minibatch sub-manager), never in
     * the long-lived manager that owns the parameters.
     *
     * @param params parameter arrays, layer {@code l} at {@code params[off + 2l]}, {@code params[off + 2l + 1]}
     */
    public static NDArray forward(NDArray x, NDArray[] params, int off, MlpLayout layout) {
        NDArray h = x;
        int layers = layout.layers();
        for (int l = 0; l < layers; l++) {
            h = h.matMul(params[off + 2 * l]).add(params[off + 2 * l + 1]);
            if (l < layers - 1) {
                h = h.tanh();
            }
        }
        return h;
    }

    /** Copies {@code count} arrays starting at {@code off} into one flat vector, in order. */
    public static float[] flatten(NDArray[] params, int off, int count) {
        long total = 0;
        for (int i = 0; i < count; i++) {
            total += params[off + i].size();
        }
        float[] flat = new float[Math.toIntExact(total)];
        int pos = 0;
        for (int i = 0; i < count; i++) {
            float[] p = params[off + i].toFloatArray();
            System.arraycopy(p, 0, flat, pos, p.length);
            pos += p.length;
        }
        return flat;
    }
}
