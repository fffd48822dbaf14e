package io.tributary.learner.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tributary.learner.MlpLayout;

/**
 * Helpers for networks held as plain DJL arrays (each {@code W} of shape {@code (in, out)}, so its row-major
 * data is exactly the {@link MlpLayout} slice): leaf creation and flattening. Owning the arrays directly
 * (instead of a DJL {@code Block}) keeps flattening, checkpointing and the optimiser state simple; the
 * forward passes are in {@link DjlPolicyNetwork}.
 */
public final class DjlMlp {
    private DjlMlp() {
    }

    /** A float array in {@code manager} that records gradients. */
    public static NDArray leaf(NDManager manager, float[] data, Shape shape) {
        NDArray a = Arrays64.create(manager, data, shape);
        a.setRequiresGradient(true);
        return a;
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
