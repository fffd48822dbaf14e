package io.tributary.learner.sac;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.tributary.learner.nn.DjlMlp;
import io.tributary.simulator.random.SplitMix64;
import java.util.Arrays;

/**
 * N critics Q_j(s, a) held as ONE set of stacked arrays, so the whole ensemble is evaluated by batched
 * matrix products (one engine call per layer, not N): layer {@code l} has weights of shape
 * {@code (N, in_l, out_l)} and biases of shape {@code (N, 1, out_l)}; the input is the concatenation
 * {@code [s, a]}; hidden layers use ReLU, the output is one wide. With N = 10 critics of 2x64 this is
 * what makes RAVL affordable on a CPU core.
 *
 * <p>The flat vector (checkpoints) is the arrays in order, each row-major: W_0, b_0, W_1, b_1, ...
 */
public final class CriticEnsemble {
    private final int members;
    private final int observationSize;
    private final int actionSize;
    private final int[] widths;

    /**
     * @param members         number of critics N, at least 1
     * @param observationSize floats per observation
     * @param actionSize      floats per action
     * @param hiddenSizes     hidden widths (ReLU)
     */
    public CriticEnsemble(int members, int observationSize, int actionSize, int[] hiddenSizes) {
        if (members < 1 || observationSize < 1 || actionSize < 1 || hiddenSizes.length == 0) {
            throw new IllegalArgumentException("bad critic ensemble shape: members=" + members + ", observationSize="
                    + observationSize + ", actionSize=" + actionSize + ", hiddenSizes=" + Arrays.toString(hiddenSizes));
        }
        this.members = members;
        this.observationSize = observationSize;
        this.actionSize = actionSize;
        this.widths = new int[hiddenSizes.length + 2];
        widths[0] = observationSize + actionSize;
        System.arraycopy(hiddenSizes, 0, widths, 1, hiddenSizes.length);
        widths[widths.length - 1] = 1;
    }

    /** Number of critics N. */
    public int members() {
        return members;
    }

    /** Floats per observation. */
    public int observationSize() {
        return observationSize;
    }

    /** Floats per action. */
    public int actionSize() {
        return actionSize;
    }

    /** Dense layers (hidden + output). */
    public int layers() {
        return widths.length - 1;
    }

    /** Parameter arrays: a weight and a bias per layer. */
    public int arrayCount() {
        return 2 * layers();
    }

    /** Shape of parameter array {@code i}. */
    public Shape shape(int i) {
        int l = i / 2;
        return i % 2 == 0 ? new Shape(members, widths[l], widths[l + 1]) : new Shape(members, 1, widths[l + 1]);
    }

    /** Total number of parameters over all critics. */
    public int parameterCount() {
        int n = 0;
        for (int i = 0; i < arrayCount(); i++) {
            n += Math.toIntExact(shape(i).size());
        }
        return n;
    }

    /**
     * Flat parameters in PyTorch's {@code nn.Linear} default initialisation (the reference code's):
     * weights and biases uniform in {@code +-1/sqrt(fan_in)}, drawn independently for every critic, so
     * the members start different (the ensemble's spread is what RAVL relies on).
     */
    public float[] initialParameters(SplitMix64 rng) {
        float[] flat = new float[parameterCount()];
        int pos = 0;
        for (int i = 0; i < arrayCount(); i++) {
            int l = i / 2;
            double bound = 1.0 / Math.sqrt(widths[l]);
            int size = Math.toIntExact(shape(i).size());
            for (int k = 0; k < size; k++) {
                flat[pos++] = (float) rng.uniform(-bound, bound);
            }
        }
        return flat;
    }

    /** Leaf arrays (recording gradients) holding {@code flat}, in {@code manager}. */
    public NDArray[] create(NDManager manager, float[] flat) {
        if (flat.length != parameterCount()) {
            throw new IllegalArgumentException("critic parameter count mismatch: length=" + flat.length + ", expected="
                    + parameterCount());
        }
        NDArray[] p = new NDArray[arrayCount()];
        int pos = 0;
        for (int i = 0; i < p.length; i++) {
            int size = Math.toIntExact(shape(i).size());
            p[i] = DjlMlp.leaf(manager, Arrays.copyOfRange(flat, pos, pos + size), shape(i));
            pos += size;
        }
        return p;
    }

    /** The flat vector of {@code params}. */
    public float[] flatten(NDArray[] params) {
        return DjlMlp.flatten(params, 0, arrayCount());
    }

    /**
     * Q-values of every critic, shape {@code (N, B)}.
     *
     * @param input {@code (B, obs + act)} rows shared by all critics, or {@code (N, B, obs + act)} rows per
     *              critic; intermediates live in its manager
     * @param p     the parameter arrays (leaves, detached views or a target copy)
     */
    public static NDArray forward(NDArray input, NDArray[] p) {
        NDArray h = input;
        int layers = p.length / 2;
        for (int l = 0; l < layers; l++) {
            h = h.matMul(p[2 * l]).add(p[2 * l + 1]);
            if (l < layers - 1) {
                h = Activation.relu(h);
            }
        }
        return h.squeeze(2);
    }

    /**
     * Q-values {@code (N, B)} and their gradients w.r.t. the action, {@code (N, B, A)}, both differentiable
     * w.r.t. {@code p}. The action gradient is the network's backward pass written out with forward ops
     * (the transposed weights, masked by the ReLU pattern): for a ReLU MLP this is exactly what autograd's
     * first backward computes, and since ReLU's second derivative is zero the mask is a constant, so one
     * ordinary backward of a loss built on it gives the true second-order gradient (proven against the
     * engine's double backward and central differences in the tests).
     *
     * @param input {@code (B, obs + act)} rows shared by all critics
     */
    public NDArray[] forwardWithActionGradient(NDArray input, NDArray[] p) {
        int layers = p.length / 2;
        NDArray[] masks = new NDArray[layers - 1];
        NDArray h = input;
        for (int l = 0; l < layers; l++) {
            h = h.matMul(p[2 * l]).add(p[2 * l + 1]);
            if (l < layers - 1) {
                masks[l] = h.stopGradient().gt(0).toType(h.getDataType(), false);
                h = Activation.relu(h);
            }
        }
        NDArray q = h.squeeze(2);
        // Views of the weights are attached to the input's manager: an op's result lands in its receiver's
        // manager, so a weight as receiver would leave every step's tensors (and their graph) in the long-lived one.
        NDManager sub = input.getManager();
        // d q / d h_{L-1} is the last weight column, the same for every row: (N, 1, width)
        NDArray d = owned(sub, p[2 * (layers - 1)].transpose(0, 2, 1));
        for (int l = layers - 1; l >= 1; l--) {
            NDArray dz = d.mul(masks[l - 1]);
            NDArray w = l == 1 ? owned(sub, p[0].get(new ai.djl.ndarray.index.NDIndex(":, {}:, :", observationSize)))
                    : p[2 * (l - 1)];
            d = dz.matMul(owned(sub, w.transpose(0, 2, 1)));
        }
        return new NDArray[] {q, d};
    }

    private static NDArray owned(NDManager sub, NDArray a) {
        a.attach(sub);
        return a;
    }

    /** {@code [obs, actions]} along the last axis. */
    public static NDArray join(NDArray obs, NDArray actions) {
        return NDArrays.concat(new NDList(obs, actions), -1);
    }
}
