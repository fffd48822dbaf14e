package io.tributary.learner.sac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.tributary.simulator.random.SplitMix64;
import org.junit.jupiter.api.Test;

/**
 * The EDAC diversity term against values computed by hand and by an independent plain-Java reference
 * (manual back-propagation of the action gradient), its gradient w.r.t. the critic weights against
 * central finite differences, and both against PyTorch's own double backward, all in float64.
 */
class EdacDiversityTest {
    private static final int OBS = 2;
    private static final int ACT = 2;
    private static final int[] HIDDEN = {5, 4};

    @Test
    void identicalCriticsGiveNAndOppositeCriticsGiveMinusTwo() {
        CriticEnsemble critics = new CriticEnsemble(3, OBS, ACT, new int[] {3});
        double[][] one = randomMember(critics, new SplitMix64(3));
        // three identical members: every g_j is the same unit vector, so the sum over i != j is N(N-1)
        double[][] same = stack(one, one, one);
        double[] obs = {0.3, -0.2, 0.7, 0.1};
        double[] act = {0.5, -0.4, -0.1, 0.9};
        assertEquals(3.0, djlValue(critics, same, obs, act, 2), 1e-7);
        assertEquals(3.0, referenceValue(critics, same, obs, act, 2), 1e-7);

        // two members, the second the negation of the first: g_2 = -g_1, so the term is 2 * (-1) / (2 - 1)
        CriticEnsemble pair = new CriticEnsemble(2, OBS, ACT, new int[] {3});
        double[][] neg = negated(one);
        double[][] opposite = stack(one, neg);
        assertEquals(-2.0, djlValue(pair, opposite, obs, act, 2), 1e-7);
    }

    @Test
    void valueMatchesThePlainJavaReference() {
        CriticEnsemble critics = new CriticEnsemble(4, OBS, ACT, HIDDEN);
        double[][] p = randomEnsemble(critics, new SplitMix64(11));
        SplitMix64 rng = new SplitMix64(5);
        int b = 6;
        double[] obs = gaussian(rng, b * OBS);
        double[] act = gaussian(rng, b * ACT);
        double reference = referenceValue(critics, p, obs, act, b);
        assertTrue(Math.abs(reference) > 1e-3, "a non-trivial case: reference=" + reference);
        assertEquals(reference, djlValue(critics, p, obs, act, b), 1e-10);
    }

    @Test
    void gradientWithRespectToCriticWeightsMatchesCentralDifferences() {
        CriticEnsemble critics = new CriticEnsemble(3, OBS, ACT, HIDDEN);
        double[][] p = randomEnsemble(critics, new SplitMix64(21));
        SplitMix64 rng = new SplitMix64(8);
        int b = 5;
        double[] obs = gaussian(rng, b * OBS);
        double[] act = gaussian(rng, b * ACT);

        double[][] analytic = new double[p.length][];
        try (NDManager m = NDManager.newBaseManager(); NDManager sub = m.newSubManager()) {
            NDArray[] params = leaves(m, critics, p);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                EdacDiversity.Result r = EdacDiversity.evaluate(sub, critics, params, sub.create(obs, new Shape(b, OBS)),
                        sub.create(act, new Shape(b, ACT)));
                gc.backward(r.diversity());
            }
            for (int i = 0; i < params.length; i++) {
                analytic[i] = gradient(params[i]);
            }
        }
        double h = 1e-6;
        int checked = 0;
        double maxErr = 0;
        double maxGrad = 0;
        for (int i = 0; i < p.length; i++) {
            for (int k = 0; k < p[i].length; k++) {
                double keep = p[i][k];
                p[i][k] = keep + h;
                double up = referenceValue(critics, p, obs, act, b);
                p[i][k] = keep - h;
                double down = referenceValue(critics, p, obs, act, b);
                p[i][k] = keep;
                double numeric = (up - down) / (2 * h);
                maxErr = Math.max(maxErr, Math.abs(numeric - analytic[i][k]));
                maxGrad = Math.max(maxGrad, Math.abs(numeric));
                checked++;
            }
        }
        assertTrue(maxGrad > 1e-2, "weights must matter: maxGrad=" + maxGrad);
        assertTrue(maxErr < 1e-6, "closed-form gradient vs central differences: maxErr=" + maxErr + ", checked=" + checked);
    }

    @Test
    void closedFormActionGradientEqualsTheEnginesDoubleBackward() {
        // the same term and weight gradient through PyTorch's create_graph backward (JniUtils), the way the
        // reference code computes it with torch.autograd.grad: both must agree to float64 rounding
        CriticEnsemble critics = new CriticEnsemble(3, OBS, ACT, HIDDEN);
        double[][] p = randomEnsemble(critics, new SplitMix64(4));
        SplitMix64 rng = new SplitMix64(9);
        int b = 4;
        double[] obs = gaussian(rng, b * OBS);
        double[] act = gaussian(rng, b * ACT);
        double[][] closed = new double[p.length][];
        double[][] twice = new double[p.length][];
        double closedValue;
        double twiceValue;
        try (NDManager m = NDManager.newBaseManager(); NDManager sub = m.newSubManager()) {
            NDArray[] params = leaves(m, critics, p);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                EdacDiversity.Result r = EdacDiversity.evaluate(sub, critics, params, sub.create(obs, new Shape(b, OBS)),
                        sub.create(act, new Shape(b, ACT)));
                closedValue = r.diversity().getDouble();
                gc.backward(r.diversity());
            }
            for (int i = 0; i < params.length; i++) {
                closed[i] = gradient(params[i]);
            }
        }
        try (NDManager m = NDManager.newBaseManager(); NDManager sub = m.newSubManager()) {
            NDArray[] params = leaves(m, critics, p);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray o = sub.create(obs, new Shape(b, OBS));
                NDArray actRep = sub.create(act, new Shape(b, ACT)).expandDims(0)
                        .broadcast(new Shape(critics.members(), b, ACT)).duplicate();
                actRep.setRequiresGradient(true);
                NDArray q = CriticEnsemble.forward(CriticEnsemble.join(
                        o.expandDims(0).broadcast(new Shape(critics.members(), b, OBS)), actRep), params);
                NDArray total = q.sum();
                JniUtils.backward((PtNDArray) total, (PtNDArray) sub.ones(total.getShape(), total.getDataType()), true, true);
                for (NDArray a : params) {
                    JniUtils.zeroGrad((PtNDArray) a); // drop d(sum Q)/dW, which is no part of the loss
                }
                NDArray g = actRep.getGradient();
                NDArray div = EdacDiversity.of(sub, g, critics.members());
                twiceValue = div.getDouble();
                gc.backward(div);
            }
            for (int i = 0; i < params.length; i++) {
                twice[i] = gradient(params[i]);
            }
        }
        assertEquals(twiceValue, closedValue, 1e-12);
        for (int i = 0; i < p.length; i++) {
            for (int k = 0; k < p[i].length; k++) {
                assertEquals(twice[i][k], closed[i][k], 1e-10, "array " + i + " index " + k);
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static double djlValue(CriticEnsemble critics, double[][] p, double[] obs, double[] act, int b) {
        try (NDManager m = NDManager.newBaseManager(); NDManager sub = m.newSubManager()) {
            NDArray[] params = leaves(m, critics, p);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                EdacDiversity.Result r = EdacDiversity.evaluate(sub, critics, params, sub.create(obs, new Shape(b, OBS)),
                        sub.create(act, new Shape(b, ACT)));
                return r.diversity().getDouble();
            }
        }
    }

    /** A parameter's gradient in float64 (the last bias has none from this term: DJL then gives float32 zeros). */
    private static double[] gradient(NDArray p) {
        return p.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
    }

    private static NDArray[] leaves(NDManager m, CriticEnsemble critics, double[][] p) {
        NDArray[] a = new NDArray[p.length];
        for (int i = 0; i < p.length; i++) {
            a[i] = m.create(p[i], critics.shape(i));
            a[i].setRequiresGradient(true);
        }
        return a;
    }

    /**
     * The term in plain Java: per critic, a forward pass and a hand-written backward pass to the action
     * input (ReLU mask), normalised, then the sum over ordered pairs of distinct critics.
     */
    static double referenceValue(CriticEnsemble critics, double[][] p, double[] obs, double[] act, int b) {
        int n = critics.members();
        int layers = critics.layers();
        double total = 0;
        for (int s = 0; s < b; s++) {
            double[][] g = new double[n][];
            for (int j = 0; j < n; j++) {
                double[][] pre = new double[layers][];
                double[] x = new double[OBS + ACT];
                System.arraycopy(obs, s * OBS, x, 0, OBS);
                System.arraycopy(act, s * ACT, x, OBS, ACT);
                double[] h = x;
                for (int l = 0; l < layers; l++) {
                    Shape ws = critics.shape(2 * l);
                    int in = (int) ws.get(1);
                    int out = (int) ws.get(2);
                    double[] z = new double[out];
                    for (int o = 0; o < out; o++) {
                        double v = p[2 * l + 1][j * out + o];
                        for (int i = 0; i < in; i++) {
                            v += h[i] * p[2 * l][(j * in + i) * out + o];
                        }
                        z[o] = v;
                    }
                    pre[l] = z;
                    h = new double[out];
                    for (int o = 0; o < out; o++) {
                        h[o] = l < layers - 1 ? Math.max(0, z[o]) : z[o];
                    }
                }
                double[] dz = {1.0};
                for (int l = layers - 1; l >= 0; l--) {
                    Shape ws = critics.shape(2 * l);
                    int in = (int) ws.get(1);
                    int out = (int) ws.get(2);
                    double[] dx = new double[in];
                    for (int i = 0; i < in; i++) {
                        double v = 0;
                        for (int o = 0; o < out; o++) {
                            v += dz[o] * p[2 * l][(j * in + i) * out + o];
                        }
                        dx[i] = l > 0 ? (pre[l - 1][i] > 0 ? v : 0) : v;
                    }
                    dz = dx;
                }
                double norm = 0;
                for (int a = 0; a < ACT; a++) {
                    norm += dz[OBS + a] * dz[OBS + a];
                }
                norm = Math.sqrt(norm) + EdacDiversity.EPSILON;
                g[j] = new double[ACT];
                for (int a = 0; a < ACT; a++) {
                    g[j][a] = dz[OBS + a] / norm;
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (i != j) {
                        for (int a = 0; a < ACT; a++) {
                            total += g[i][a] * g[j][a];
                        }
                    }
                }
            }
        }
        return total / b / (n - 1);
    }

    private static double[][] randomEnsemble(CriticEnsemble critics, SplitMix64 rng) {
        float[] flat = critics.initialParameters(rng);
        double[][] p = new double[critics.arrayCount()][];
        int pos = 0;
        for (int i = 0; i < p.length; i++) {
            int size = (int) critics.shape(i).size();
            p[i] = new double[size];
            for (int k = 0; k < size; k++) {
                // biases made larger than the default so that ReLUs sit away from their kinks
                p[i][k] = flat[pos++] + (i % 2 == 1 ? 0.3 : 0.0);
            }
        }
        return p;
    }

    /** One member's arrays (the ensemble's arrays with N = 1). */
    private static double[][] randomMember(CriticEnsemble like, SplitMix64 rng) {
        return randomEnsemble(new CriticEnsemble(1, like.observationSize(), like.actionSize(), new int[] {3}), rng);
    }

    private static double[][] stack(double[][]... members) {
        double[][] out = new double[members[0].length][];
        for (int i = 0; i < out.length; i++) {
            int size = members[0][i].length;
            out[i] = new double[size * members.length];
            for (int j = 0; j < members.length; j++) {
                System.arraycopy(members[j][i], 0, out[i], j * size, size);
            }
        }
        return out;
    }

    private static double[][] negated(double[][] member) {
        double[][] out = new double[member.length][];
        int last = member.length - 2;
        for (int i = 0; i < member.length; i++) {
            out[i] = member[i].clone();
            if (i >= last) {
                for (int k = 0; k < out[i].length; k++) {
                    out[i][k] = -out[i][k];
                }
            }
        }
        return out;
    }

    private static double[] gaussian(SplitMix64 rng, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rng.nextGaussian();
        }
        return a;
    }
}
