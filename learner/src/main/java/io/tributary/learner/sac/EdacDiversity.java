package io.tributary.learner.sac;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * EDAC's ensemble diversity term (An et al. 2021), the part of RAVL's critic loss that differentiates a
 * gradient:
 * <pre>
 *   L_div = 1/(N-1) * mean over the batch of sum_{i != j} &lt;g_i, g_j&gt;,
 *   g_j   = grad_a Q_j(s, a) / (||grad_a Q_j(s, a)|| + 1e-10)
 * </pre>
 * computed as {@code ||sum_j g_j||^2 - sum_j ||g_j||^2} per sample (the same sum without an N x N matrix).
 *
 * <p><b>How the inner gradient is taken.</b> DJL's public API has no {@code create_graph}. The PyTorch
 * engine's {@code JniUtils.backward(..., keepGraph, createGraph)} has it, and the tests use it to check
 * this class, but it cannot serve the learner: a {@code create_graph} backward stores a gradient that
 * carries its own graph in every leaf's {@code .grad}, a reference cycle (parameter, gradient, graph,
 * parameter) that PyTorch only breaks by setting {@code .grad} to None, which DJL cannot do, so every
 * update would leak its graph. Instead {@link CriticEnsemble#forwardWithActionGradient} writes the
 * critics' backward pass to the action out as forward ops (exact for a ReLU MLP), and one ordinary
 * backward of the loss gives the second-order gradient. The tests check the term against a hand
 * computation, against the engine's double backward, and its weight gradient against central finite
 * differences in float64.
 *
 * <p>{@code norm} is PyTorch's, whose backward is 0 at a zero vector (a hand-written sqrt would give NaN).
 */
public final class EdacDiversity {
    /** Added to the gradient norm before dividing (the reference code's value). */
    public static final double EPSILON = 1e-10;

    private EdacDiversity() {
    }

    /** What one evaluation gives: the Q-values of every critic {@code (N, B)} and the diversity term (a scalar). */
    public record Result(NDArray q, NDArray diversity) {
    }

    /**
     * Q-values of the ensemble at {@code (obs, actions)} and the diversity term, both differentiable
     * w.r.t. {@code params}. Works in the arrays' data type (float32 in training, float64 in tests).
     *
     * @param sub     the minibatch's manager (constants live here)
     * @param params  critic parameter arrays (stacked, see {@link CriticEnsemble})
     * @param obs     {@code (B, obsSize)}
     * @param actions {@code (B, actionSize)}
     */
    public static Result evaluate(NDManager sub, CriticEnsemble critics, NDArray[] params, NDArray obs, NDArray actions) {
        int n = critics.members();
        if (n < 2) {
            throw new IllegalArgumentException("the diversity term needs at least 2 critics: members=" + n);
        }
        NDArray[] qg = critics.forwardWithActionGradient(CriticEnsemble.join(obs, actions), params);
        return new Result(qg[0], of(sub, qg[1], n));
    }

    /** The term for action gradients {@code g} of shape {@code (N, B, A)} (un-normalised). */
    static NDArray of(NDManager sub, NDArray g, int n) {
        NDArray eps = sub.create(EPSILON).toType(g.getDataType(), false);
        NDArray unit = g.div(g.norm(new int[] {2}, true).add(eps));
        NDArray sumOverCritics = unit.sum(new int[] {0});
        NDArray cross = sumOverCritics.square().sum(new int[] {1}).sub(unit.square().sum(new int[] {0, 2}));
        NDArray scale = sub.create(1.0 / (n - 1)).toType(g.getDataType(), false);
        return cross.mean().mul(scale);
    }
}
