package io.tributary.learner;

import io.tributary.learner.heads.ActionHead;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Pure-Java, allocation-free batched forward pass of a published policy: what rollout workers run to
 * choose actions. It rebuilds the network from a {@link PolicySnapshot} and never creates DJL arrays; the
 * action maths is the head's {@link ActionHead} (shared with the learner).
 *
 * <h2>Observation normalisation</h2>
 * Elements of a field with {@link ObservationField#normalize()} on are normalised with the snapshot's
 * statistics as {@code clip((x - mean[i]) / std[i], -10, 10)} with {@code std[i] = (float) sqrt(var[i] + 1e-8)}
 * (see {@link #normalize}); the learner uses the same code, so both sides see identical inputs. With PPO's
 * {@code normalize-observations} off the learner publishes {@code mean = 0, var = 1}, which leaves only the
 * clip. Elements of a field with normalisation off (token ids always) pass through raw and unclipped.
 *
 * <h2>Flat parameter layout: MLP</h2>
 * The policy is an MLP over the normalised observation with widths
 * {@code [observationSize, hiddenSizes..., outputWidth]}, the activation (tanh or relu) after every hidden
 * layer and none on the output. {@link PolicySnapshot#parameters()} holds, in this order:
 * <ol>
 *   <li>for each layer {@code l = 0 .. hiddenSizes.length} (input to output), with
 *       {@code in = width[l]}, {@code out = width[l + 1]}:
 *       the weight matrix {@code W[in][out]} row-major (element {@code (i, j)} at {@code off + i * out + j}),
 *       then the bias {@code b[out]}; the layer computes {@code y = x W + b};</li>
 *   <li>the head's own parameters: for a {@link PolicySpec.Head#GAUSSIAN GAUSSIAN} or
 *       {@link PolicySpec.Head#BOUNDED_GAUSSIAN BOUNDED_GAUSSIAN} head {@code logStd[actionSize]}, the state-independent log standard deviation of each action dimension;
 *       nothing for the other heads.</li>
 * </ol>
 * {@code outputWidth} is {@code actionSize} (categorical logits, Gaussian means) or {@code 2 * actionSize}
 * for {@link PolicySpec.Head#TANH_GAUSSIAN TANH_GAUSSIAN}: per row the means {@code mu[actionSize]} then the
 * raw log sigmas {@code s[actionSize]} (clipped to [-5, 2] by the head). For today's tanh MLP this is
 * exactly the layout it always had.
 *
 * <h2>Flat parameter layout: fusion</h2>
 * One branch per <em>enabled</em> field, in field order (disabled fields take no parameters and their
 * floats are ignored); each branch's output is written into a concatenation, branches side by side in
 * field order; the trunk is then an MLP over the concatenation as above (hidden layers from
 * {@link PolicySpec#hiddenSizes()}, linear output of {@code outputWidth}). The vector holds:
 * <ol>
 *   <li>for each enabled field in order:
 *     <ul>
 *       <li>a {@code TOKENS} field of {@code length} ids: the embedding table {@code E[vocabSize][embeddingDim]}
 *           row-major; the branch input is the {@code length} embeddings laid side by side
 *           ({@code length * embeddingDim} floats, token {@code t}'s at {@code t * embeddingDim});</li>
 *       <li>a {@code BOX} field: nothing here; the branch input is the (normalised) field;</li>
 *       <li>then the branch's dense layers ({@link ObservationField#hiddenSizes()}, each {@code W[in][out]}
 *           row-major then {@code b[out]}, <em>every</em> one followed by the activation); a branch without
 *           dense layers passes its input on unchanged;</li>
 *     </ul></li>
 *   <li>the trunk's layers, {@code W} then {@code b} per layer as for the MLP;</li>
 *   <li>the head's own parameters, as for the MLP.</li>
 * </ol>
 * {@link PolicyLayout} computes every offset; {@link #parameterCount} gives the total length.
 *
 * <h2>Actions</h2>
 * Categorical: one float per sample holding the action index; sampled from {@code softmax(logits)}, or
 * the arg-max when deterministic. Gaussian: {@code actionSize} floats per sample, {@code mean + std * z}
 * with {@code z ~ N(0, 1)}, or the mean when deterministic. Gaussian samples are <em>not</em> clipped
 * and their log-probability is that of the unclipped sample (as SB3 and CleanRL do); the environment
 * clips to {@link PolicySpec#actionLow()}/{@link PolicySpec#actionHigh()}. Chunks must carry the
 * unclipped actions so the learner's probability ratios are right. Tanh-Gaussian: squashed into the
 * bounds, see {@link io.tributary.learner.heads.TanhGaussianHead}.
 *
 * <h2>Token-branch cache</h2>
 * A {@code TOKENS} branch with dense layers (the caption branch of lane keeping: 50 ids embedded 32 wide, then
 * 1,600 -> 64) costs more than the rest of the network, yet its input changes only when the caption is
 * refreshed (every 10 steps). Each such branch therefore keeps a small direct-mapped cache from the token
 * <em>values</em> of a row to the branch's output row. Keying on the values, not on the env or row index, keeps
 * it right whatever is passed between two {@link #act} calls (e.g. {@link #logProbs} over a chunk's mirrored
 * rows, whose captions are different): a row whose ids are not in its slot is computed and replaces the slot.
 * The output of a hit is the same floats a computation gives (each row's branch is computed alone, so
 * results do not depend on the batch), and an instance serves one snapshot, so nothing goes stale. It is on by
 * default; {@link #PolicyInference(PolicySnapshot, int, boolean)} turns it off (measurements, tests).
 *
 * <p>Not thread-safe: one instance per thread (they are cheap; the parameters are copied once).
 */
public final class PolicyInference {
    /** Normalised observations are clipped to [-OBS_CLIP, OBS_CLIP]. */
    public static final float OBS_CLIP = 10f;
    /** Added to the variance before the square root. */
    public static final double VAR_EPSILON = 1e-8;

    private final PolicySpec spec;
    private final long version;
    private final PolicyLayout layout;
    private final ActionHead head;
    private final boolean relu;
    private final float[] params;
    private final float[] mean;
    private final float[] std;
    private final boolean[] normalized;
    private final int obsSize;
    private final int maxBatch;
    /** Normalised (or raw, per field) input rows. */
    private final float[] input;
    /** Per branch: embedded tokens (null for boxes), then one buffer per dense layer but the last. */
    private final float[][] embedded;
    private final float[][][] branchActivations;
    /** The concatenation of branch outputs (fusion), or {@link #input} (MLP). */
    private final float[] concat;
    /** trunkActivations[l] holds layer l's output rows. */
    private final float[][] trunkActivations;
    /** Per branch: the token-branch cache, null for other branches or with the cache off. */
    private final TokenCache[] tokenCaches;
    /** Rows of the current call whose token-branch output was not cached. */
    private final int[] missRows;

    /**
     * @param snapshot policy to run
     * @param maxBatch most observations one call may pass
     */
    public PolicyInference(PolicySnapshot snapshot, int maxBatch) {
        this(snapshot, maxBatch, true);
    }

    /**
     * @param snapshot           policy to run
     * @param maxBatch           most observations one call may pass
     * @param cacheTokenBranches cache the output of token branches with dense layers by token values (see the
     *                           class comment); false computes every row (the outputs are the same)
     */
    public PolicyInference(PolicySnapshot snapshot, int maxBatch, boolean cacheTokenBranches) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1: maxBatch=" + maxBatch);
        }
        this.spec = snapshot.spec();
        this.version = snapshot.version();
        this.layout = PolicyLayout.actor(spec);
        this.head = spec.head().impl();
        this.relu = spec.activation() == PolicySpec.Activation.RELU;
        if (snapshot.parameters().length != layout.parameterCount()) {
            throw new IllegalArgumentException("parameter count mismatch: parameters.length=" + snapshot.parameters().length
                    + ", expected=" + layout.parameterCount() + ", architecture=" + spec.architecture() + ", trunk="
                    + layout.trunk() + ", head=" + spec.head());
        }
        this.params = snapshot.parameters().clone();
        this.mean = snapshot.observationMean().clone();
        this.std = normalizerStd(snapshot.observationVar());
        this.normalized = spec.normalizedMask();
        this.obsSize = spec.observationSize();
        this.maxBatch = maxBatch;
        this.input = new float[maxBatch * obsSize];
        List<PolicyLayout.Branch> branches = layout.branches();
        this.embedded = new float[branches.size()][];
        this.branchActivations = new float[branches.size()][][];
        this.tokenCaches = new TokenCache[branches.size()];
        this.missRows = new int[maxBatch];
        for (int i = 0; i < branches.size(); i++) {
            PolicyLayout.Branch b = branches.get(i);
            embedded[i] = b.tokens() ? new float[maxBatch * b.embeddedWidth()] : null;
            if (cacheTokenBranches && b.tokens() && b.dense() != null) {
                tokenCaches[i] = new TokenCache(b.inputSize(), b.dense().size(b.dense().layers()), maxBatch);
            }
            int hidden = b.dense() == null ? 0 : b.dense().layers() - 1;
            branchActivations[i] = new float[hidden][];
            for (int l = 0; l < hidden; l++) {
                branchActivations[i][l] = new float[maxBatch * b.dense().size(l + 1)];
            }
        }
        this.concat = spec.architecture() == PolicySpec.Architecture.FUSION ? new float[maxBatch * layout.concatWidth()] : input;
        MlpLayout trunk = layout.trunk();
        this.trunkActivations = new float[trunk.layers()][];
        for (int l = 0; l < trunk.layers(); l++) {
            trunkActivations[l] = new float[maxBatch * trunk.size(l + 1)];
        }
    }

    /** Length of the flat parameter vector for {@code spec}. */
    public static int parameterCount(PolicySpec spec) {
        return PolicyLayout.actor(spec).parameterCount();
    }

    /** The per-element divisor used by {@link #normalize}: {@code (float) sqrt(var + 1e-8)}. */
    public static float[] normalizerStd(float[] var) {
        float[] s = new float[var.length];
        for (int i = 0; i < var.length; i++) {
            s[i] = (float) Math.sqrt(var[i] + VAR_EPSILON);
        }
        return s;
    }

    /**
     * Normalises {@code rows} observations of {@code mean.length} floats from {@code src[srcOff..]} into
     * {@code dst[dstOff..]}: {@code clip((x - mean) / std, -10, 10)}, {@code std} from {@link #normalizerStd}.
     */
    public static void normalize(float[] src, int srcOff, float[] dst, int dstOff, int rows, float[] mean, float[] std) {
        normalize(src, srcOff, dst, dstOff, rows, mean, std, null);
    }

    /**
     * As {@link #normalize(float[], int, float[], int, int, float[], float[])}, but elements whose
     * {@code normalized} flag is false are copied raw and unclipped ({@code null} = all normalised).
     */
    public static void normalize(float[] src, int srcOff, float[] dst, int dstOff, int rows, float[] mean, float[] std,
                                 boolean[] normalized) {
        int size = mean.length;
        for (int r = 0; r < rows; r++) {
            int s = srcOff + r * size;
            int d = dstOff + r * size;
            for (int i = 0; i < size; i++) {
                if (normalized == null || normalized[i]) {
                    float v = (src[s + i] - mean[i]) / std[i];
                    dst[d + i] = v > OBS_CLIP ? OBS_CLIP : (v < -OBS_CLIP ? -OBS_CLIP : v);
                } else {
                    dst[d + i] = src[s + i];
                }
            }
        }
    }

    /** The architecture this instance runs. */
    public PolicySpec spec() {
        return spec;
    }

    /** Version of the snapshot this instance was built from. */
    public long version() {
        return version;
    }

    /** Most observations one call may pass. */
    public int maxBatch() {
        return maxBatch;
    }

    /**
     * Chooses actions for {@code n} observations.
     *
     * @param obsBatch      {@code n * observationSize} raw observations
     * @param n             number of observations, at most {@link #maxBatch()}
     * @param actionsOut    receives {@code n * spec.actionFloats()} actions
     * @param logProbsOut   receives {@code n} log-probabilities of the chosen actions
     * @param rng           randomness for sampling (unused when deterministic)
     * @param deterministic arg-max / mean instead of sampling
     */
    public void act(float[] obsBatch, int n, float[] actionsOut, float[] logProbsOut, SplittableRandom rng,
                    boolean deterministic) {
        float[] out = forwardInternal(obsBatch, n);
        int width = layout.outputWidth();
        int af = spec.actionFloats();
        int tail = layout.tailOffset();
        for (int s = 0; s < n; s++) {
            logProbsOut[s] = (float) head.act(out, s * width, params, tail, spec, rng, deterministic, actionsOut, s * af);
        }
    }

    /**
     * Log-probabilities of given actions (for checks and for re-scoring stored actions).
     *
     * @param obsBatch    {@code n * observationSize} raw observations
     * @param n           number of observations
     * @param actions     {@code n * spec.actionFloats()} actions (indices for categorical heads)
     * @param logProbsOut receives {@code n} log-probabilities
     */
    public void logProbs(float[] obsBatch, int n, float[] actions, float[] logProbsOut) {
        float[] out = forwardInternal(obsBatch, n);
        int width = layout.outputWidth();
        int af = spec.actionFloats();
        for (int s = 0; s < n; s++) {
            logProbsOut[s] = (float) head.logProb(out, s * width, params, layout.tailOffset(), spec, actions, s * af);
        }
    }

    /** Rows whose token-branch output came from the cache (summed over token branches; 0 with the cache off). */
    public long tokenCacheHits() {
        long h = 0;
        for (TokenCache c : tokenCaches) {
            h += c == null ? 0 : c.hits;
        }
        return h;
    }

    /** Rows whose token-branch output was computed and cached (summed over token branches; 0 with the cache off). */
    public long tokenCacheMisses() {
        long m = 0;
        for (TokenCache c : tokenCaches) {
            m += c == null ? 0 : c.misses;
        }
        return m;
    }

    /** Floats {@link #forward} writes per observation: the head's output width. */
    public int outputWidth() {
        return layout.outputWidth();
    }

    /**
     * Raw network outputs (logits, Gaussian means, or tanh-Gaussian means then raw log sigmas) for {@code n}
     * raw observations.
     *
     * @param out receives {@code n * outputWidth()} floats
     */
    public void forward(float[] obsBatch, int n, float[] out) {
        float[] y = forwardInternal(obsBatch, n);
        System.arraycopy(y, 0, out, 0, n * layout.outputWidth());
    }

    /** Gaussian log standard deviation of dimension {@code i}; only the two state-independent Gaussian heads have one. */
    public float logStd(int i) {
        if (!spec.head().hasStateIndependentLogStd()) {
            throw new IllegalStateException("only Gaussian heads have a state-independent logStd: head=" + spec.head());
        }
        return params[layout.tailOffset() + i];
    }

    private float[] forwardInternal(float[] obsBatch, int n) {
        if (n < 0 || n > maxBatch) {
            throw new IllegalArgumentException("batch size out of range: n=" + n + ", maxBatch=" + maxBatch);
        }
        normalize(obsBatch, 0, input, 0, n, mean, std, normalized);
        int cw = layout.concatWidth();
        List<PolicyLayout.Branch> branches = layout.branches();
        for (int i = 0; i < branches.size(); i++) {
            PolicyLayout.Branch b = branches.get(i);
            float[] x = input;
            int xStride = obsSize;
            int xCol = b.inputOffset();
            int width = b.inputSize();
            if (tokenCaches[i] != null) {
                cachedTokenBranch(i, b, n, cw);
                continue;
            }
            if (b.tokens()) {
                embed(b, null, n, b.dense() == null ? concat : embedded[i], b.dense() == null ? cw : b.embeddedWidth(),
                        b.dense() == null ? b.concatOffset() : 0);
                if (b.dense() == null) {
                    continue;
                }
                x = embedded[i];
                xStride = b.embeddedWidth();
                xCol = 0;
                width = b.embeddedWidth();
            }
            MlpLayout d = b.dense();
            if (d == null) {
                for (int s = 0; s < n; s++) {
                    System.arraycopy(x, s * xStride + xCol, concat, s * cw + b.concatOffset(), width);
                }
                continue;
            }
            for (int l = 0; l < d.layers(); l++) {
                boolean last = l == d.layers() - 1;
                float[] y = last ? concat : branchActivations[i][l];
                int yStride = last ? cw : d.size(l + 1);
                int yCol = last ? b.concatOffset() : 0;
                dense(x, xStride, xCol, d.size(l), y, yStride, yCol, d.size(l + 1),
                        b.denseOffset() + d.weightOffset(l), b.denseOffset() + d.biasOffset(l), n, true);
                x = y;
                xStride = yStride;
                xCol = yCol;
            }
        }
        MlpLayout trunk = layout.trunk();
        float[] x = concat;
        int layers = trunk.layers();
        for (int l = 0; l < layers; l++) {
            float[] y = trunkActivations[l];
            dense(x, trunk.size(l), 0, trunk.size(l), y, trunk.size(l + 1), 0, trunk.size(l + 1),
                    layout.trunkOffset() + trunk.weightOffset(l), layout.trunkOffset() + trunk.biasOffset(l), n,
                    l < layers - 1);
            x = y;
        }
        return trunkActivations[layers - 1];
    }

    /**
     * Token branch {@code i} through its cache: hits are copied into the concatenation; the missing rows are
     * embedded and run through the branch's layers together (row by row, so each row's floats are what an
     * uncached pass gives), then copied into the concatenation and stored.
     */
    private void cachedTokenBranch(int i, PolicyLayout.Branch b, int n, int cw) {
        TokenCache cache = tokenCaches[i];
        int len = b.inputSize();
        int width = cache.width;
        int misses = 0;
        for (int s = 0; s < n; s++) {
            int src = s * obsSize + b.inputOffset();
            int slot = cache.slot(input, src);
            if (cache.holds(slot, input, src)) {
                System.arraycopy(cache.values, slot * width, concat, s * cw + b.concatOffset(), width);
                cache.hits++;
            } else {
                missRows[misses++] = s;
            }
        }
        if (misses == 0) {
            return;
        }
        cache.misses += misses;
        embed(b, missRows, misses, embedded[i], b.embeddedWidth(), 0);
        MlpLayout d = b.dense();
        float[] x = embedded[i];
        int xStride = b.embeddedWidth();
        for (int l = 0; l < d.layers(); l++) {
            boolean last = l == d.layers() - 1;
            float[] y = last ? cache.computed : branchActivations[i][l];
            dense(x, xStride, 0, d.size(l), y, d.size(l + 1), 0, d.size(l + 1),
                    b.denseOffset() + d.weightOffset(l), b.denseOffset() + d.biasOffset(l), misses, true);
            x = y;
            xStride = d.size(l + 1);
        }
        for (int k = 0; k < misses; k++) {
            int s = missRows[k];
            System.arraycopy(cache.computed, k * width, concat, s * cw + b.concatOffset(), width);
            int src = s * obsSize + b.inputOffset();
            int slot = cache.slot(input, src);
            System.arraycopy(input, src, cache.keys, slot * len, len);
            System.arraycopy(cache.computed, k * width, cache.values, slot * width, width);
            cache.filled[slot] = true;
        }
    }

    /**
     * Looks up the embeddings of a token branch's ids into {@code dst} (row stride {@code stride}, from column
     * {@code col}): destination row {@code s} holds input row {@code rows[s]} ({@code s} when {@code rows} is null).
     */
    private void embed(PolicyLayout.Branch b, int[] rows, int n, float[] dst, int stride, int col) {
        int dim = b.embeddingDim();
        for (int s = 0; s < n; s++) {
            int row = rows == null ? s : rows[s];
            int src = row * obsSize + b.inputOffset();
            int d = s * stride + col;
            for (int t = 0; t < b.inputSize(); t++) {
                float id = input[src + t];
                if (!(id >= 0 && id < b.vocabSize() && id == (int) id)) {
                    throw new IllegalArgumentException("token id out of range: field="
                            + spec.fields().get(b.field()).name() + ", tokenId=" + id + ", vocabSize=" + b.vocabSize()
                            + ", row=" + row + ", position=" + t);
                }
                System.arraycopy(params, b.embeddingOffset() + (int) id * dim, dst, d + t * dim, dim);
            }
        }
    }

    /** {@code y = act(x W + b)} for {@code n} rows, summing in the same order as the learner's reference loop. */
    private void dense(float[] x, int xStride, int xCol, int in, float[] y, int yStride, int yCol, int out, int w, int b,
                       int n, boolean activate) {
        for (int s = 0; s < n; s++) {
            int xo = s * xStride + xCol;
            int yo = s * yStride + yCol;
            System.arraycopy(params, b, y, yo, out);
            for (int i = 0; i < in; i++) {
                float xi = x[xo + i];
                int row = w + i * out;
                for (int j = 0; j < out; j++) {
                    y[yo + j] += xi * params[row + j];
                }
            }
            if (activate) {
                if (relu) {
                    for (int j = 0; j < out; j++) {
                        y[yo + j] = y[yo + j] > 0f ? y[yo + j] : 0f;
                    }
                } else {
                    for (int j = 0; j < out; j++) {
                        y[yo + j] = (float) Math.tanh(y[yo + j]);
                    }
                }
            }
        }
    }

    /**
     * Direct-mapped cache of one token branch: slot = hash of the row's token values; a slot holds the ids it
     * was filled from (compared in full on every lookup) and the branch's output for them. Sized for a few
     * captions per batch row (the current and the mirrored caption of each environment, and the captions of a
     * chunk being labelled), at least 64 slots; a collision only costs a recomputation.
     */
    private static final class TokenCache {
        final int length;
        final int width;
        final int mask;
        final float[] keys;
        final float[] values;
        final boolean[] filled;
        /** The branch outputs of the rows that missed in the current call. */
        final float[] computed;
        long hits;
        long misses;

        TokenCache(int length, int width, int maxBatch) {
            int slots = Integer.highestOneBit(Math.max(64, Math.min(1 << 12, 8 * maxBatch)) - 1) << 1;
            this.length = length;
            this.width = width;
            this.mask = slots - 1;
            this.keys = new float[slots * length];
            this.values = new float[slots * width];
            this.filled = new boolean[slots];
            this.computed = new float[maxBatch * width];
        }

        int slot(float[] row, int off) {
            int h = 1;
            for (int t = 0; t < length; t++) {
                h = 31 * h + Float.floatToRawIntBits(row[off + t]);
            }
            h ^= h >>> 16;
            h *= 0x45d9f3b;
            h ^= h >>> 16;
            return h & mask;
        }

        boolean holds(int slot, float[] row, int off) {
            if (!filled[slot]) {
                return false;
            }
            int k = slot * length;
            for (int t = 0; t < length; t++) {
                if (Float.floatToRawIntBits(keys[k + t]) != Float.floatToRawIntBits(row[off + t])) {
                    return false;
                }
            }
            return true;
        }
    }
}
