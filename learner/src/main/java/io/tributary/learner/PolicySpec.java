package io.tributary.learner;

import java.util.Arrays;
import java.util.Objects;

/**
 * Architecture of a policy network, enough to rebuild it from a flat parameter vector: an MLP with
 * tanh hidden layers over (normalised) observations, and either a categorical head (discrete actions)
 * or a Gaussian head with a state-independent log standard deviation (continuous actions).
 *
 * @param observationSize floats per observation
 * @param head            action distribution
 * @param actionSize      number of choices (categorical) or action dimensions (Gaussian)
 * @param hiddenSizes     hidden layer widths, input to output
 * @param actionLow       lower action bounds for Gaussian heads (actions are clipped to them), empty otherwise
 * @param actionHigh      upper action bounds for Gaussian heads, empty otherwise
 */
public record PolicySpec(int observationSize, Head head, int actionSize, int[] hiddenSizes, float[] actionLow,
                         float[] actionHigh) {

    /** The action distribution of a policy head. */
    public enum Head {
        /** Softmax over {@code actionSize} logits; the action is one float holding the index. */
        CATEGORICAL,
        /** Independent Gaussians with a learned, state-independent log standard deviation. */
        GAUSSIAN
    }

    public PolicySpec {
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(hiddenSizes, "hiddenSizes");
        Objects.requireNonNull(actionLow, "actionLow");
        Objects.requireNonNull(actionHigh, "actionHigh");
        if (observationSize < 1) {
            throw new IllegalArgumentException("observationSize must be >= 1: observationSize=" + observationSize);
        }
        if (actionSize < 1) {
            throw new IllegalArgumentException("actionSize must be >= 1: actionSize=" + actionSize);
        }
        for (int h : hiddenSizes) {
            if (h < 1) {
                throw new IllegalArgumentException("hidden sizes must be >= 1: hiddenSizes=" + Arrays.toString(hiddenSizes));
            }
        }
        if (head == Head.GAUSSIAN && (actionLow.length != actionSize || actionHigh.length != actionSize)) {
            throw new IllegalArgumentException("Gaussian head needs one bound per action dimension: actionSize="
                    + actionSize + ", actionLow.length=" + actionLow.length + ", actionHigh.length=" + actionHigh.length);
        }
        hiddenSizes = hiddenSizes.clone();
        actionLow = actionLow.clone();
        actionHigh = actionHigh.clone();
    }

    /** Floats the network writes per action: the action size. */
    public int actionFloats() {
        return head == Head.CATEGORICAL ? 1 : actionSize;
    }
}
