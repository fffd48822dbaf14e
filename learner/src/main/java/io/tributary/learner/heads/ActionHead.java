package io.tributary.learner.heads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.tributary.learner.PolicySpec;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * The maths of one action distribution, written once and used by both sides: the pure-Java form (worker
 * inference, {@code act} / {@code logProb} over one output row, allocation-free) and the DJL form (the
 * learner's differentiable {@link Distribution}). Each {@link PolicySpec.Head} has exactly one
 * implementation; the network in front of it writes {@link #outputWidth} floats per row and the head may
 * own {@link #tailParameters} parameters of its own at the end of the flat vector.
 */
public interface ActionHead {

    /** Which head this is. */
    PolicySpec.Head kind();

    /** Network outputs per row the head reads. */
    int outputWidth(int actionSize);

    /** Parameters the head owns at the end of the flat vector (0 if none). */
    int tailParameters(int actionSize);

    /** Floats one action takes in a chunk. */
    int actionFloats(int actionSize);

    /**
     * Samples one action (or the deterministic one: arg-max / mean) from the output row at {@code out[outOff..]}
     * and writes it to {@code actions[actOff..]}.
     *
     * @param tail    flat parameters holding the head's own ones at {@code tailOff}
     * @return the log-probability of the written action
     */
    double act(float[] out, int outOff, float[] tail, int tailOff, PolicySpec spec, SplittableRandom rng,
               boolean deterministic, float[] actions, int actOff);

    /** Log-probability of the action at {@code actions[actOff..]} under the output row at {@code out[outOff..]}. */
    double logProb(float[] out, int outOff, float[] tail, int tailOff, PolicySpec spec, float[] actions, int actOff);

    /** Throws {@link IllegalArgumentException} (key=value message) if a stored action cannot come from this head. */
    void checkAction(float[] actions, int actOff, int actionSize);

    /** Floats per sample that {@link #stageAction} writes for the DJL form; by default the action itself. */
    default int stagedActionWidth(int actionSize) {
        return actionSize;
    }

    /**
     * Writes one action in the form {@link Distribution#logProb} reads: by default the action's floats as they
     * are (continuous heads); categorical heads write a one-hot row.
     */
    default void stageAction(float[] actions, int actOff, int actionSize, ByteBuffer dst) {
        for (int j = 0; j < actionSize; j++) {
            dst.putFloat(actions[actOff + j]);
        }
    }

    /**
     * The DJL form over network outputs {@code out} of shape {@code (n, outputWidth)}.
     *
     * @param sub  the minibatch's manager: constants are created here (never {@code Number} arguments in a
     *             graph that is backpropagated)
     * @param tail the head's own parameter array, or null when it has none
     */
    Distribution distribution(NDManager sub, NDArray out, NDArray tail, PolicySpec spec);

    /** A batch of action distributions as differentiable DJL arrays. */
    interface Distribution {
        /** Log-probabilities, shape {@code (n)}, of staged actions of shape {@code (n, stagedActionWidth)}. */
        NDArray logProb(NDArray stagedActions);

        /** Mean entropy over the batch, a scalar; only for heads whose entropy has a closed form. */
        NDArray meanEntropy();

        /**
         * The action-bound loss before its weight, a scalar: the mean over the batch of the summed squared distances
         * by which each dimension's mean lies beyond its action bounds widened by
         * {@link GaussianHead#BOUND_MARGIN} of the half-range; 0 inside them. Only for heads with a mean in action
         * units (Gaussian); PPO's {@code bound-loss-coef} weights it.
         *
         * @throws UnsupportedOperationException for other heads
         */
        default NDArray meanBoundExcess() {
            throw new UnsupportedOperationException("this action distribution has no mean in action units");
        }
    }
}
