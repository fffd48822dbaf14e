package io.tributary.learner.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.tributary.learner.ObservationField;
import io.tributary.learner.PolicySnapshot;
import io.tributary.learner.PolicySpec;
import io.tributary.learner.nn.Arrays64;
import io.tributary.learner.nn.Checkpoints;
import io.tributary.simulator.random.SplitMix64;
import io.tributary.simulator.writing.SpecialTokens;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The writing workload's policy language model (architecture {@link PolicySpec.Architecture#SEQUENCE}):
 * token embedding [V, E] → one GRU of width H → untied output layer [H, V]. The GRU is PyTorch's fused
 * {@code gru} kernel through {@code NDArrayEx.gru} with the parameters held here (the design measured in
 * docs/writing-feasibility.md): the same kernel runs over a whole sequence for teacher forcing and over one
 * step with a carried state for sampling, so no prefix is recomputed.
 *
 * <p><b>Prompt conditioning.</b> A row's inputs are {@code [PAD … PAD, prompt, BOS, r_0, …, r_{n-2}]}: the
 * prompt is left-padded with {@link SpecialTokens#PAD} to exactly {@link #promptLength()} tokens (a longer
 * prompt is refused), so a row's inputs, and therefore its log-probs, never depend on which other prompts
 * share its batch. The outputs at positions {@code promptLength() … promptLength() + n - 1} (from BOS on)
 * predict {@code r_0 … r_{n-1}}; the prompt positions only build the state and get no loss or log-prob.
 * The response is the tokens as sampled: words, then {@link SpecialTokens#EOS} if the row ended.
 *
 * <p><b>Banned tokens.</b> PAD, BOS and SEP never occur in a response: their logits get −1e9 in every
 * forward (sampling and teacher forcing alike, so log-probs agree), which is probability 0 at any sane
 * temperature.
 *
 * <p>Parameter order (also the flat order of {@link #parameters()} and of a {@link PolicySnapshot}):
 * embedding [V, E], w_ih [3H, E], w_hh [3H, H], b_ih [3H], b_hh [3H], w_out [V, H], b_out [V]
 * (PyTorch's gate order r, z, n; the output layer in PyTorch's {@code Linear} layout, so logits are one fused
 * {@code linear} = addmm call: at vocabulary 4,000 every extra elementwise pass over the [tokens, V] logits
 * (a separate bias add, the temperature division) cost as much as a third of the output matmul, measured). Initialisation (seeded, {@link SplitMix64}): embedding N(0, 0.1²), GRU
 * and output weights U(±1/√H) as PyTorch does, biases 0.
 *
 * <p>Memory: a DJL op's result joins its first operand's manager, so the embedding lookup is attached to
 * the caller's manager at once; otherwise everything derived from it piles up in the parameters' manager
 * (the feasibility harness was OOM-killed that way).
 */
public final class GruLanguageModel implements AutoCloseable {
    private static final float BANNED_LOGIT = -1e9f;

    private final PolicySpec spec;
    private final NDManager manager;
    private final int vocab;
    private final int embed;
    private final int hidden;
    private final int promptLength;
    private final boolean trainable;
    /** See the class comment for the order; replaced wholesale by {@link #restore}. */
    NDArray[] params;
    private final NDArray banned;

    private GruLanguageModel(NDManager parent, PolicySpec spec, float[] flat, boolean trainable) {
        Objects.requireNonNull(spec, "spec");
        if (spec.architecture() != PolicySpec.Architecture.SEQUENCE) {
            throw new IllegalArgumentException("a language model needs a sequence spec: architecture="
                    + spec.architecture());
        }
        ObservationField f = spec.fields().get(0);
        if (f.vocabSize() <= SpecialTokens.FIRST_WORD) {
            throw new IllegalArgumentException("vocabulary must hold the special tokens and a word: vocabSize="
                    + f.vocabSize());
        }
        this.spec = spec;
        this.vocab = f.vocabSize();
        this.embed = f.embeddingDim();
        this.hidden = spec.hiddenSizes()[0];
        this.promptLength = f.size();
        this.trainable = trainable;
        long count = parameterCount(spec);
        if (flat.length != count) {
            throw new IllegalArgumentException("parameter count mismatch: given=" + flat.length + ", expected=" + count);
        }
        this.manager = parent.newSubManager();
        params = new NDArray[shapes().length];
        int off = 0;
        Shape[] shapes = shapes();
        for (int i = 0; i < shapes.length; i++) {
            int n = (int) shapes[i].size();
            params[i] = Arrays64.create(manager, Arrays.copyOfRange(flat, off, off + n), shapes[i]);
            params[i].setRequiresGradient(trainable);
            off += n;
        }
        float[] b = new float[vocab];
        b[SpecialTokens.PAD] = BANNED_LOGIT;
        b[SpecialTokens.BOS] = BANNED_LOGIT;
        b[SpecialTokens.SEP] = BANNED_LOGIT;
        banned = Arrays64.create(manager, b, new Shape(vocab));
    }

    /** A fresh, trainable model with seeded initial weights. */
    public static GruLanguageModel create(NDManager parent, PolicySpec spec, long seed) {
        return new GruLanguageModel(parent, spec, initialParameters(spec, seed), true);
    }

    /** A model holding {@code flat} (layout of {@link #parameters()}); {@code trainable = false} for a frozen reference. */
    public static GruLanguageModel fromParameters(NDManager parent, PolicySpec spec, float[] flat, boolean trainable) {
        return new GruLanguageModel(parent, spec, flat, trainable);
    }

    /** A model from a published snapshot (its spec must be a sequence spec). */
    public static GruLanguageModel fromSnapshot(NDManager parent, PolicySnapshot snapshot, boolean trainable) {
        return new GruLanguageModel(parent, snapshot.spec(), snapshot.parameters(), trainable);
    }

    /** A copy of this model's current weights in a model of its own (e.g. the frozen pre-trained reference). */
    public GruLanguageModel copy(NDManager parent, boolean trainable) {
        return new GruLanguageModel(parent, spec, parameters(), trainable);
    }

    /** Number of parameters of a sequence spec: V·E + 3H·E + 3H·H + 6H + H·V + V. */
    public static long parameterCount(PolicySpec spec) {
        ObservationField f = spec.fields().get(0);
        long v = f.vocabSize();
        long e = f.embeddingDim();
        long h = spec.hiddenSizes()[0];
        return v * e + 3 * h * e + 3 * h * h + 6 * h + h * v + v;
    }

    private Shape[] shapes() {
        return new Shape[] {new Shape(vocab, embed), new Shape(3L * hidden, embed), new Shape(3L * hidden, hidden),
            new Shape(3L * hidden), new Shape(3L * hidden), new Shape(vocab, hidden), new Shape(vocab)};
    }

    private static float[] initialParameters(PolicySpec spec, long seed) {
        ObservationField f = spec.fields().get(0);
        int v = f.vocabSize();
        int e = f.embeddingDim();
        int h = spec.hiddenSizes()[0];
        float[] flat = new float[Math.toIntExact(parameterCount(spec))];
        SplitMix64 rng = new SplitMix64(seed);
        int off = 0;
        for (int i = 0; i < v * e; i++) {
            flat[off++] = (float) (0.1 * rng.nextGaussian());
        }
        double s = 1.0 / Math.sqrt(h);
        for (int i = 0; i < 3 * h * e + 3 * h * h; i++) {
            flat[off++] = (float) rng.uniform(-s, s);
        }
        off += 6 * h; // GRU biases start at 0
        for (int i = 0; i < h * v; i++) {
            flat[off++] = (float) rng.uniform(-s, s);
        }
        return flat; // output bias 0
    }

    /** The sequence spec. */
    public PolicySpec spec() {
        return spec;
    }

    /** Vocabulary size V. */
    public int vocabSize() {
        return vocab;
    }

    /** Embedding width E. */
    public int embeddingDim() {
        return embed;
    }

    /** GRU width H. */
    public int hiddenSize() {
        return hidden;
    }

    /** Prompt context length P: prompts are left-padded with PAD to it. */
    public int promptLength() {
        return promptLength;
    }

    /** Whether the parameters take gradients. */
    public boolean trainable() {
        return trainable;
    }

    /** The manager owning the parameters (callers open per-minibatch sub-managers of it). */
    NDManager manager() {
        return manager;
    }

    /** All parameters, flat, in the order of the class comment. */
    public float[] parameters() {
        float[] flat = new float[Math.toIntExact(parameterCount(spec))];
        int off = 0;
        for (NDArray p : params) {
            float[] a = p.toFloatArray();
            System.arraycopy(a, 0, flat, off, a.length);
            off += a.length;
        }
        return flat;
    }

    /** Replaces every parameter with {@code flat} (layout of {@link #parameters()}). */
    public void setParameters(float[] flat) {
        if (flat.length != parameterCount(spec)) {
            throw new IllegalArgumentException("parameter count mismatch: given=" + flat.length + ", expected="
                    + parameterCount(spec));
        }
        Shape[] shapes = shapes();
        NDArray[] fresh = new NDArray[params.length];
        int off = 0;
        for (int i = 0; i < shapes.length; i++) {
            int n = (int) shapes[i].size();
            fresh[i] = Arrays64.create(manager, Arrays.copyOfRange(flat, off, off + n), shapes[i]);
            off += n;
        }
        restore(fresh);
    }

    /** Copies of every parameter, for {@link #restore} (close them if unused). */
    NDArray[] backup() {
        NDArray[] copies = new NDArray[params.length];
        for (int i = 0; i < params.length; i++) {
            try (NDArray detached = params[i].stopGradient()) {
                copies[i] = detached.duplicate();
            }
        }
        return copies;
    }

    /** Makes {@code arrays} (from {@link #backup}, in this model's manager) the parameters. */
    void restore(NDArray[] arrays) {
        for (int i = 0; i < params.length; i++) {
            params[i].close();
            params[i] = arrays[i];
            params[i].setRequiresGradient(trainable);
        }
    }

    /**
     * A published snapshot of the current weights (architecture sequence). A language model has no
     * observation statistics; the snapshot's are the identity (mean 0, variance 1 over the prompt field).
     */
    public PolicySnapshot snapshot(String runId, long version, String algorithm, long createdAtMicros) {
        float[] var = new float[promptLength];
        Arrays.fill(var, 1f);
        return new PolicySnapshot(runId, version, algorithm, spec, parameters(), new float[promptLength], var,
                createdAtMicros);
    }

    /** Writes spec and weights in the learners' checkpoint style ({@link Checkpoints}). */
    public void write(DataOutput out) throws IOException {
        Checkpoints.writeSpec(out, spec);
        Checkpoints.writeFloats(out, parameters());
    }

    /** Reads what {@link #write} wrote; a non-sequence spec or a wrong length is an {@link IOException}. */
    public static GruLanguageModel read(NDManager parent, DataInput in, boolean trainable) throws IOException {
        PolicySpec spec = Checkpoints.readSpec(in);
        if (spec.architecture() != PolicySpec.Architecture.SEQUENCE) {
            throw new IOException("checkpoint is not a language model: architecture=" + spec.architecture());
        }
        float[] flat = Checkpoints.readFloats(in, Math.toIntExact(parameterCount(spec)), "lm.parameters");
        return new GruLanguageModel(parent, spec, flat, trainable);
    }

    // ---- conditioning --------------------------------------------------------------------------------

    /**
     * Writes the {@code promptLength() + 1} conditioning inputs of one row into {@code out} at {@code off}:
     * PAD left-padding, the prompt, BOS.
     */
    void writeContext(int[] prompt, long[] out, int off) {
        if (prompt.length > promptLength) {
            throw new IllegalArgumentException("prompt longer than the model's prompt context: promptTokens="
                    + prompt.length + ", promptLength=" + promptLength);
        }
        int pad = promptLength - prompt.length;
        Arrays.fill(out, off, off + pad, SpecialTokens.PAD);
        for (int i = 0; i < prompt.length; i++) {
            out[off + pad + i] = checkToken(prompt[i], "prompt", i);
        }
        out[off + promptLength] = SpecialTokens.BOS;
    }

    int checkToken(int t, String what, int index) {
        if (t < 0 || t >= vocab) {
            throw new IllegalArgumentException("token out of range: " + what + "[" + index + "]=" + t + ", vocabSize="
                    + vocab);
        }
        return t;
    }

    // ---- forward pieces --------------------------------------------------------------------------------

    /** Embeddings [ids.shape..., E] of INT64 ids, attached to {@code m} (see the class comment on memory). */
    NDArray embed(NDManager m, NDArray ids) {
        Shape s = ids.getShape();
        NDArray x = params[0].get(ids.reshape(-1));
        x.attach(m);
        long[] dims = Arrays.copyOf(s.getShape(), s.dimension() + 1);
        dims[s.dimension()] = embed;
        return x.reshape(new Shape(dims));
    }

    /** GRU over x [B, T, E] (batch first) from state [1, B, H]: output [B, T, H] and the new state [1, B, H]. */
    NDList gru(NDArray x, NDArray state) {
        NDList weights = new NDList(params[1], params[2], params[3], params[4]);
        return x.getNDArrayInternal().gru(x, state, weights, true, 1, 0.0, false, false, true);
    }

    /**
     * Log-probs [N, V] at {@code temperature} from hidden outputs h [N, H]; banned tokens get −1e9 before
     * scaling. The temperature and the banned-token mask are folded into the [V, H] weight and [V] bias (small)
     * rather than applied to the [N, V] logits (large), and the results are attached to h's manager: an op's
     * result joins its first operand's manager, which here is the parameters'.
     */
    NDArray logProbs(NDArray h, float temperature) {
        NDManager m = h.getManager();
        NDArray w = params[5];
        NDArray b = params[6].add(banned);
        b.attach(m);
        if (temperature != 1f) {
            NDArray t = m.create(temperature);
            w = w.div(t);
            w.attach(m);
            b = b.div(t);
        }
        return ai.djl.nn.core.Linear.linear(h, w, b).singletonOrThrow().logSoftmax(1);
    }

    /**
     * Teacher-forced per-token log-probs [B, T] of the responses (T = the longest response; positions past a
     * row's length are meaningless and must be masked by the caller), at {@code temperature}, in {@code m}.
     * Recorded by an open gradient collector when the model is trainable.
     */
    NDArray responseLogProbs(NDManager m, List<int[]> prompts, List<int[]> responses, float temperature) {
        int b = prompts.size();
        if (responses.size() != b) {
            throw new IllegalArgumentException("one response per prompt: prompts=" + b + ", responses=" + responses.size());
        }
        int t = 0;
        for (int[] r : responses) {
            if (r.length < 1) {
                throw new IllegalArgumentException("a response needs at least one token: length=" + r.length);
            }
            t = Math.max(t, r.length);
        }
        int len = promptLength + t; // context + BOS + r_0 .. r_{t-2}
        long[] in = new long[b * len];
        long[] target = new long[b * t];
        // past a row's end the dummy target is EOS, an unbanned token: its log-prob stays moderate, so a masked
        // position can never turn into -inf * 0 = NaN, whatever the temperature
        java.util.Arrays.fill(target, SpecialTokens.EOS);
        for (int i = 0; i < b; i++) {
            int[] r = responses.get(i);
            writeContext(prompts.get(i), in, i * len);
            for (int j = 0; j < r.length; j++) {
                checkToken(r[j], "response", j);
                target[i * t + j] = r[j];
                if (j + 1 < t) {
                    in[i * len + promptLength + 1 + j] = r[j];
                }
            }
            // past the end: inputs stay PAD, targets EOS; both are masked out
        }
        NDArray inputs = m.create(in, new Shape(b, len));
        NDArray targets = m.create(target, new Shape((long) b * t, 1));
        NDArray x = embed(m, inputs);
        NDArray out = gru(x, m.zeros(new Shape(1, b, hidden))).get(0);
        NDArray h = out.get(":, " + promptLength + ":, :").reshape((long) b * t, hidden);
        return logProbs(h, temperature).gather(targets, 1).reshape(b, t);
    }

    /**
     * Per-token log-probs of each response given its prompt, teacher-forced at {@code temperature} (no
     * gradient): row i has {@code responses.get(i).length} values. The learner's recomputation of what
     * {@link LmSampler} reports.
     */
    public float[][] logProbs(List<int[]> prompts, List<int[]> responses, float temperature) {
        try (NDManager m = manager.newSubManager()) {
            NDArray lp = responseLogProbs(m, prompts, responses, temperature);
            int t = (int) lp.getShape().get(1);
            float[] all = lp.toFloatArray();
            float[][] rows = new float[prompts.size()][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = Arrays.copyOfRange(all, i * t, i * t + responses.get(i).length);
            }
            return rows;
        }
    }

    /** An INT64 id array [B] in {@code m}. */
    static NDArray ids(NDManager m, long[] ids) {
        return m.create(ids, new Shape(ids.length)).toType(DataType.INT64, false);
    }

    @Override
    public void close() {
        manager.close();
    }
}
