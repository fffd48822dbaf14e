package io.tributary.learner;

import java.util.ArrayList;
import java.util.List;

/**
 * Where every parameter of a policy (or critic) network sits in its flat vector, for every
 * {@link PolicySpec.Architecture}; the order is documented in {@link PolicyInference}. The DJL network
 * holds the same parameters as a list of arrays in the same order ({@link #arrayCount()}), so flattening
 * that list gives this vector.
 */
public final class PolicyLayout {

    /**
     * One fusion branch.
     *
     * @param field           index of the field in {@link PolicySpec#fields()}
     * @param inputOffset     offset of the field in the flat observation
     * @param inputSize       floats of the field
     * @param tokens          true for a token-id field (embedding first)
     * @param vocabSize       vocabulary size (tokens only)
     * @param embeddingDim    embedding width (tokens only)
     * @param embeddingOffset offset of the embedding table {@code E[vocabSize][embeddingDim]} row-major, -1 for boxes
     * @param dense           the branch's dense layers (every one activated), null when it has none
     * @param denseOffset     offset of the first dense layer's weights
     * @param outputWidth     width the branch contributes to the concatenation
     * @param concatOffset    its first column in the concatenation
     */
    public record Branch(int field, int inputOffset, int inputSize, boolean tokens, int vocabSize, int embeddingDim,
                         int embeddingOffset, MlpLayout dense, int denseOffset, int outputWidth, int concatOffset) {
        /** Width entering the dense layers: the field size, times the embedding width for tokens. */
        public int embeddedWidth() {
            return tokens ? inputSize * embeddingDim : inputSize;
        }
    }

    private final PolicySpec spec;
    private final List<Branch> branches;
    private final int concatWidth;
    private final MlpLayout trunk;
    private final int trunkOffset;
    private final int tailOffset;
    private final int tailLength;
    private final int parameterCount;
    private final int arrayCount;

    private PolicyLayout(PolicySpec spec, int outputWidth, int tailLength) {
        if (spec.architecture() == PolicySpec.Architecture.SEQUENCE) {
            // a GRU has no dense layout; reading it as an MLP would silently mis-place every parameter
            throw new IllegalArgumentException("a sequence policy has no flat dense layout (see"
                    + " io.tributary.learner.lm.GruLanguageModel): architecture=" + spec.architecture());
        }
        this.spec = spec;
        List<Branch> bs = new ArrayList<>();
        long offset = 0;
        int arrays = 0;
        int concat;
        if (spec.architecture() == PolicySpec.Architecture.FUSION) {
            concat = 0;
            int in = 0;
            for (int i = 0; i < spec.fields().size(); i++) {
                ObservationField f = spec.fields().get(i);
                if (f.enabled()) {
                    boolean tokens = f.kind() == ObservationField.Kind.TOKENS;
                    int embOff = -1;
                    if (tokens) {
                        embOff = (int) offset;
                        offset += (long) f.vocabSize() * f.embeddingDim();
                        arrays++;
                    }
                    int width = tokens ? f.size() * f.embeddingDim() : f.size();
                    MlpLayout dense = null;
                    int denseOff = (int) offset;
                    if (f.hiddenLayerCount() > 0) {
                        int[] h = f.hiddenSizes();
                        dense = new MlpLayout(width, java.util.Arrays.copyOf(h, h.length - 1), h[h.length - 1]);
                        offset += dense.parameterCount();
                        arrays += 2 * dense.layers();
                        width = dense.outputSize();
                    }
                    check(offset);
                    bs.add(new Branch(i, in, f.size(), tokens, tokens ? f.vocabSize() : 0,
                            tokens ? f.embeddingDim() : 0, embOff, dense, denseOff, width, concat));
                    concat += width;
                }
                in += f.size();
            }
        } else {
            concat = spec.observationSize();
        }
        this.branches = List.copyOf(bs);
        this.concatWidth = concat;
        this.trunkOffset = (int) offset;
        this.trunk = new MlpLayout(concat, spec.hiddenSizes(), outputWidth);
        offset += trunk.parameterCount();
        arrays += 2 * trunk.layers();
        this.tailOffset = (int) offset;
        this.tailLength = tailLength;
        offset += tailLength;
        arrays += tailLength > 0 ? 1 : 0;
        check(offset);
        this.parameterCount = (int) offset;
        this.arrayCount = arrays;
    }

    private static void check(long offset) {
        if (offset > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("network too large: parameters=" + offset);
        }
    }

    /** The actor: output width and tail as the spec's head needs. */
    public static PolicyLayout actor(PolicySpec spec) {
        return new PolicyLayout(spec, spec.head().impl().outputWidth(spec.actionSize()),
                spec.head().impl().tailParameters(spec.actionSize()));
    }

    /** A critic of the same architecture: one linear output, no tail. */
    public static PolicyLayout critic(PolicySpec spec) {
        return new PolicyLayout(spec, 1, 0);
    }

    /** The spec this layout was computed for. */
    public PolicySpec spec() {
        return spec;
    }

    /** Fusion branches of enabled fields, in field order (empty for an MLP). */
    public List<Branch> branches() {
        return branches;
    }

    /** Width entering the trunk: the observation size (MLP) or the concatenated branch outputs (fusion). */
    public int concatWidth() {
        return concatWidth;
    }

    /** The trunk: hidden layers (activated) and the linear output layer. */
    public MlpLayout trunk() {
        return trunk;
    }

    /** Offset of the trunk's first weight. */
    public int trunkOffset() {
        return trunkOffset;
    }

    /** Network output width per row. */
    public int outputWidth() {
        return trunk.outputSize();
    }

    /** Offset of the head's own parameters (Gaussian log sigma). */
    public int tailOffset() {
        return tailOffset;
    }

    /** Floats of the head's own parameters. */
    public int tailLength() {
        return tailLength;
    }

    /** Length of the flat vector. */
    public int parameterCount() {
        return parameterCount;
    }

    /** Number of arrays the DJL network holds (embedding tables, weights, biases, tail). */
    public int arrayCount() {
        return arrayCount;
    }
}
