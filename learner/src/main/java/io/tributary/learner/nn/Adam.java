package io.tributary.learner.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Adam over a fixed list of parameter arrays, with its moments held here so they can be checkpointed and
 * rolled back. Each step is one fused engine call per parameter ({@code NDArrayEx.adamUpdate}, the
 * kernel DJL's own optimiser uses), which also zeroes the parameter's gradient.
 *
 * <p>Update: {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2},
 * {@code w -= lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)} where {@code g} is the gradient
 * times {@code gradScale} (the global-norm clip factor). Unlike {@code torch.optim.Adam}, {@code eps} is
 * added to {@code sqrt(v)} before bias correction (the MXNet/DJL form); with eps = 1e-5 the difference
 * only shows for gradients near zero.
 */
public final class Adam implements AutoCloseable {
    private final NDManager manager;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private NDArray[] m;
    private NDArray[] v;
    private long step;

    /** Zero moments shaped like {@code params}, in {@code manager}. */
    public Adam(NDManager manager, NDArray[] params, float beta1, float beta2, float epsilon) {
        this.manager = manager;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        m = new NDArray[params.length];
        v = new NDArray[params.length];
        for (int i = 0; i < params.length; i++) {
            m[i] = manager.zeros(params[i].getShape());
            v[i] = manager.zeros(params[i].getShape());
        }
    }

    /** Steps taken so far. */
    public long stepCount() {
        return step;
    }

    /**
     * One Adam step for every parameter.
     *
     * @param params    parameters, updated in place
     * @param grads     their gradients (same order)
     * @param lr        step size
     * @param gradScale factor applied to every gradient first
     */
    public void step(NDArray[] params, NDArray[] grads, float lr, float gradScale) {
        step++;
        double bc1 = 1.0 - Math.pow(beta1, step);
        double bc2 = 1.0 - Math.pow(beta2, step);
        float lrCorrected = (float) (lr * Math.sqrt(bc2) / bc1);
        for (int i = 0; i < params.length; i++) {
            NDArray w = params[i];
            w.getNDArrayInternal().adamUpdate(new NDList(w, grads[i], m[i], v[i]), new NDList(w), lr, lrCorrected,
                    0f, gradScale, -1f, beta1, beta2, epsilon, false, false);
        }
    }

    /** A copy of the state, for {@link #restore(State)}. */
    public State backup() {
        NDArray[] mc = new NDArray[m.length];
        NDArray[] vc = new NDArray[v.length];
        for (int i = 0; i < m.length; i++) {
            mc[i] = m[i].duplicate();
            vc[i] = v[i].duplicate();
        }
        return new State(mc, vc, step);
    }

    /** Puts back a state from {@link #backup()}; the state's arrays become this optimiser's. */
    public void restore(State s) {
        for (int i = 0; i < m.length; i++) {
            m[i].close();
            v[i].close();
        }
        m = s.m;
        v = s.v;
        step = s.step;
        s.taken = true;
    }

    /** Writes step count and moments. */
    public void write(DataOutput out) throws IOException {
        out.writeLong(step);
        out.writeInt(m.length);
        for (int i = 0; i < m.length; i++) {
            Checkpoints.writeFloats(out, m[i].toFloatArray());
            Checkpoints.writeFloats(out, v[i].toFloatArray());
        }
    }

    /** Reads what {@link #write} wrote, checking shapes, without changing this optimiser. */
    public Staged readStaged(DataInput in) throws IOException {
        long s = in.readLong();
        if (s < 0) {
            throw new IOException("optimiser step count negative: step=" + s);
        }
        int count = in.readInt();
        if (count != m.length) {
            throw new IOException("optimiser parameter count mismatch: stored=" + count + ", expected=" + m.length);
        }
        float[][] ms = new float[count][];
        float[][] vs = new float[count][];
        for (int i = 0; i < count; i++) {
            ms[i] = Checkpoints.readFloats(in, Math.toIntExact(m[i].size()), "adam.m[" + i + "]");
            vs[i] = Checkpoints.readFloats(in, Math.toIntExact(v[i].size()), "adam.v[" + i + "]");
        }
        return new Staged(s, ms, vs);
    }

    /** Makes a state from {@link #readStaged} this optimiser's. */
    public void apply(Staged staged) {
        for (int i = 0; i < m.length; i++) {
            NDArray nm = Arrays64.create(manager, staged.m[i], m[i].getShape());
            NDArray nv = Arrays64.create(manager, staged.v[i], v[i].getShape());
            m[i].close();
            v[i].close();
            m[i] = nm;
            v[i] = nv;
        }
        step = staged.step;
    }

    /** Optimiser state read from a checkpoint, not yet applied. */
    public static final class Staged {
        private final long step;
        private final float[][] m;
        private final float[][] v;

        private Staged(long step, float[][] m, float[][] v) {
            this.step = step;
            this.m = m;
            this.v = v;
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < m.length; i++) {
            m[i].close();
            v[i].close();
        }
    }

    /** A saved optimiser state; close it if it is not restored. */
    public static final class State implements AutoCloseable {
        private final NDArray[] m;
        private final NDArray[] v;
        private final long step;
        private boolean taken;

        private State(NDArray[] m, NDArray[] v, long step) {
            this.m = m;
            this.v = v;
            this.step = step;
        }

        @Override
        public void close() {
            if (!taken) {
                for (int i = 0; i < m.length; i++) {
                    m[i].close();
                    v[i].close();
                }
                taken = true;
            }
        }
    }
}
