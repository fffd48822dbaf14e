package io.tributary.learner;

import java.util.Arrays;
import java.util.Objects;

/**
 * One named field of a policy's observation, in flat-observation order: how the network reads it and
 * whether it is normalised. A non-composite observation space is one {@link Kind#BOX} field.
 *
 * @param name         field name (the key of the {@code Composite} space, or {@code observation})
 * @param kind         real-valued box, or token ids
 * @param size         floats the field takes in the flat observation
 * @param vocabSize    token vocabulary size ({@link Kind#TOKENS} only; 0 for boxes)
 * @param normalize    normalise with the running statistics as {@code clip((x - mean) / std, -10, 10)};
 *                     when false the raw values pass through unclipped; always false for token ids
 * @param enabled      whether a fusion network has a branch for it (a disabled field is ignored); an MLP
 *                     reads every field
 * @param hiddenSizes  widths of the fusion branch's dense layers (each followed by the activation); empty =
 *                     the branch passes its (embedded) input straight to the trunk
 * @param embeddingDim embedding width per token ({@link Kind#TOKENS} only; 0 for boxes)
 */
public record ObservationField(String name, Kind kind, int size, int vocabSize, boolean normalize, boolean enabled,
                               int[] hiddenSizes, int embeddingDim) {

    /** How a field's floats are read. */
    public enum Kind {
        /** Real values. */
        BOX,
        /** Integer token ids in {@code [0, vocabSize)}, stored as floats; never normalised or clipped. */
        TOKENS
    }

    public ObservationField {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(hiddenSizes, "hiddenSizes");
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("field name must not be empty: name=" + name);
        }
        if (size < 1) {
            throw new IllegalArgumentException("field size must be >= 1: field=" + name + ", size=" + size);
        }
        for (int h : hiddenSizes) {
            if (h < 1) {
                throw new IllegalArgumentException("hidden sizes must be >= 1: field=" + name + ", hiddenSizes="
                        + Arrays.toString(hiddenSizes));
            }
        }
        if (kind == Kind.TOKENS) {
            if (vocabSize < 1 || vocabSize > (1 << 24)) {
                throw new IllegalArgumentException("token field needs 1 <= vocabSize <= 2^24: field=" + name
                        + ", vocabSize=" + vocabSize);
            }
            if (embeddingDim < 1) {
                throw new IllegalArgumentException("token field needs embeddingDim >= 1: field=" + name
                        + ", embeddingDim=" + embeddingDim);
            }
            if (normalize) {
                throw new IllegalArgumentException("token ids are never normalised: field=" + name + ", normalize=true");
            }
        } else if (vocabSize != 0 || embeddingDim != 0) {
            throw new IllegalArgumentException("box field has no vocabulary or embedding: field=" + name
                    + ", vocabSize=" + vocabSize + ", embeddingDim=" + embeddingDim);
        }
        hiddenSizes = hiddenSizes.clone();
    }

    /** A box field read as-is by an MLP (fusion branch without dense layers). */
    public static ObservationField box(String name, int size, boolean normalize) {
        return new ObservationField(name, Kind.BOX, size, 0, normalize, true, new int[0], 0);
    }

    /** A box field with fusion branch layers. */
    public static ObservationField box(String name, int size, boolean normalize, int[] hiddenSizes) {
        return new ObservationField(name, Kind.BOX, size, 0, normalize, true, hiddenSizes, 0);
    }

    /** A token-id field with an embedding and fusion branch layers. */
    public static ObservationField tokens(String name, int length, int vocabSize, int embeddingDim, int[] hiddenSizes) {
        return new ObservationField(name, Kind.TOKENS, length, vocabSize, false, true, hiddenSizes, embeddingDim);
    }

    /** The same field, switched on or off (an ablation). */
    public ObservationField withEnabled(boolean on) {
        return new ObservationField(name, kind, size, vocabSize, normalize, on, hiddenSizes, embeddingDim);
    }

    /** Hidden widths (a copy). */
    @Override
    public int[] hiddenSizes() {
        return hiddenSizes.clone();
    }

    /** Width of hidden layer {@code i}, without copying. */
    public int hiddenSizeAt(int i) {
        return hiddenSizes[i];
    }

    /** Number of branch dense layers. */
    public int hiddenLayerCount() {
        return hiddenSizes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObservationField f && name.equals(f.name) && kind == f.kind && size == f.size
                && vocabSize == f.vocabSize && normalize == f.normalize && enabled == f.enabled
                && Arrays.equals(hiddenSizes, f.hiddenSizes) && embeddingDim == f.embeddingDim;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, kind, size, vocabSize, normalize, enabled, Arrays.hashCode(hiddenSizes), embeddingDim);
    }

    @Override
    public String toString() {
        return "ObservationField[name=" + name + ", kind=" + kind + ", size=" + size + ", vocabSize=" + vocabSize
                + ", normalize=" + normalize + ", enabled=" + enabled + ", hiddenSizes=" + Arrays.toString(hiddenSizes)
                + ", embeddingDim=" + embeddingDim + "]";
    }
}
