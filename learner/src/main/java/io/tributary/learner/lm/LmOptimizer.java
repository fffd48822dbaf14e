package io.tributary.learner.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.tributary.learner.nn.Adam;

/**
 * Adam over a {@link GruLanguageModel}'s parameters with the global gradient-norm clip, shared by
 * {@link LmPretrainer} and {@link GroupPolicyUpdate} (one step = read gradients, measure the norm, step
 * only when it is finite).
 */
final class LmOptimizer implements AutoCloseable {
    private final GruLanguageModel model;
    private final Adam adam;

    LmOptimizer(GruLanguageModel model) {
        if (!model.trainable()) {
            throw new IllegalArgumentException("cannot optimise a frozen model: trainable=false");
        }
        this.model = model;
        this.adam = new Adam(model.manager(), model.params, 0.9f, 0.999f, 1e-8f);
    }

    Adam adam() {
        return adam;
    }

    /**
     * Reads the gradients left by a backward pass (attached to {@code m}, so they die with the minibatch),
     * and, if their global L2 norm is finite, takes one Adam step with the norm clipped to {@code maxGradNorm}.
     *
     * @return the gradient norm before clipping (not finite = no step was taken)
     */
    double step(NDManager m, float lr, double maxGradNorm) {
        NDArray[] grads = new NDArray[model.params.length];
        double sq = 0;
        for (int i = 0; i < grads.length; i++) {
            grads[i] = model.params[i].getGradient();
            grads[i].attach(m);
            sq += grads[i].square().sum().getFloat();
        }
        double norm = Math.sqrt(sq);
        if (!Double.isFinite(norm)) {
            // Fresh parameter arrays with the same values: a NaN gradient must not stay on the parameters, where
            // the next backward pass would accumulate into it (Adam's fused step is what normally zeroes it).
            model.restore(model.backup());
            return norm;
        }
        float scale = (float) Math.min(1.0, maxGradNorm / (norm + 1e-6));
        adam.step(model.params, grads, lr, scale);
        return norm;
    }

    @Override
    public void close() {
        adam.close();
    }
}
