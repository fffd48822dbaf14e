package io.tributary.learner;

import java.util.Arrays;

/**
 * Where each weight and bias of a stack of dense layers sits in a flat parameter vector (an MLP, a fusion
 * branch or trunk; {@link PolicyLayout} places stacks in a policy's vector). For layer {@code l}
 * (input width {@code in = sizes[l]}, output width {@code out = sizes[l + 1]}) the vector holds the
 * weight matrix {@code W[in][out]} row-major (element {@code (i, j)} at {@code weightOffset(l) + i * out + j})
 * followed by the bias {@code b[out]}; layers follow each other from input to output. A layer computes
 * {@code y = x W + b}; in an MLP or trunk every layer but the last is followed by the activation, in a
 * fusion branch every layer is.
 */
public final class MlpLayout {
    private final int[] sizes;
    private final int[] weightOffsets;
    private final int[] biasOffsets;
    private final int parameterCount;

    /**
     * @param inputSize   input width
     * @param hiddenSizes hidden widths, input to output (may be empty: a single linear layer)
     * @param outputSize  output width
     */
    public MlpLayout(int inputSize, int[] hiddenSizes, int outputSize) {
        if (inputSize < 1 || outputSize < 1) {
            throw new IllegalArgumentException("sizes must be >= 1: inputSize=" + inputSize + ", outputSize=" + outputSize);
        }
        sizes = new int[hiddenSizes.length + 2];
        sizes[0] = inputSize;
        for (int i = 0; i < hiddenSizes.length; i++) {
            if (hiddenSizes[i] < 1) {
                throw new IllegalArgumentException("hidden sizes must be >= 1: hiddenSizes=" + Arrays.toString(hiddenSizes));
            }
            sizes[i + 1] = hiddenSizes[i];
        }
        sizes[sizes.length - 1] = outputSize;
        int layers = sizes.length - 1;
        weightOffsets = new int[layers];
        biasOffsets = new int[layers];
        long offset = 0;
        for (int l = 0; l < layers; l++) {
            weightOffsets[l] = (int) offset;
            offset += (long) sizes[l] * sizes[l + 1];
            biasOffsets[l] = (int) offset;
            offset += sizes[l + 1];
            if (offset > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("network too large: sizes=" + Arrays.toString(sizes));
            }
        }
        parameterCount = (int) offset;
    }

    /** Number of dense layers (hidden layers + 1). */
    public int layers() {
        return sizes.length - 1;
    }

    /** Width of activation {@code k}: 0 is the input, {@link #layers()} the output. */
    public int size(int k) {
        return sizes[k];
    }

    /** Input width. */
    public int inputSize() {
        return sizes[0];
    }

    /** Output width. */
    public int outputSize() {
        return sizes[sizes.length - 1];
    }

    /** Widest activation, input and output included. */
    public int maxWidth() {
        int m = 0;
        for (int s : sizes) {
            m = Math.max(m, s);
        }
        return m;
    }

    /** Offset of layer {@code l}'s weight matrix {@code W[in][out]} (row-major). */
    public int weightOffset(int l) {
        return weightOffsets[l];
    }

    /** Offset of layer {@code l}'s bias {@code b[out]}. */
    public int biasOffset(int l) {
        return biasOffsets[l];
    }

    /** Floats taken by all weights and biases. */
    public int parameterCount() {
        return parameterCount;
    }

    @Override
    public String toString() {
        return "MlpLayout" + Arrays.toString(sizes);
    }
}
