package io.tributary.learner.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tributary.simulator.random.SplitMix64;
import io.tributary.simulator.writing.SpecialTokens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Batched autoregressive sampling from a {@link GruLanguageModel}: B rows (one group of G responses to a
 * prompt, or several prompts' groups at once), each conditioned on its own prompt, with temperature, per
 * row length caps and a seed. It runs the fused GRU once over every row's context (padded prompt + BOS),
 * then one step at a time with the carried state, so no prefix is recomputed.
 *
 * <p>The draw is inverse-CDF sampling: the engine computes the softmax's cumulative sum per row, Java
 * draws one uniform per row from {@link SplitMix64} and binary-searches it, so the same seed gives the
 * same samples whatever the engine's global random state (which a Gumbel-max draw in the engine would
 * depend on). The log-prob reported for a token is the engine's log-softmax at that token, the quantity
 * the learner's teacher-forced {@link GruLanguageModel#logProbs} recomputes.
 *
 * <p>A row stops when it draws EOS (kept as its last token, {@code endedBeforeCap = true}) or when it has
 * {@code cap} tokens without one ({@code endedBeforeCap = false}). Rows that stopped keep being fed PAD
 * until the whole batch has stopped; their outputs are ignored.
 *
 * <p>DJL inference in the rollout role is a documented deviation from pure-Java worker inference (issue 10).
 */
public final class LmSampler {
    private final GruLanguageModel model;

    /** A sampler drawing from {@code model}'s current weights. */
    public LmSampler(GruLanguageModel model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    /** {@code g} responses to one prompt (a group), each capped at {@code cap} tokens. */
    public LmSamples sampleGroup(int[] prompt, int g, int cap, float temperature, long seed) {
        int[] caps = new int[g];
        Arrays.fill(caps, cap);
        return sample(Collections.nCopies(g, prompt), caps, temperature, seed);
    }

    /**
     * One response per prompt in {@code prompts} (repeat a prompt G times for a group).
     *
     * @param caps        per row, the most tokens it may have (the 2.5 × U), at least 1
     * @param temperature softmax temperature (> 0); log-probs are reported at it
     * @param seed        same seed, same prompts and same weights give the same samples
     */
    public LmSamples sample(List<int[]> prompts, int[] caps, float temperature, long seed) {
        int b = prompts.size();
        if (caps.length != b) {
            throw new IllegalArgumentException("one cap per row: rows=" + b + ", caps=" + caps.length);
        }
        if (!(temperature > 0 && Float.isFinite(temperature))) {
            throw new IllegalArgumentException("temperature must be finite and > 0: temperature=" + temperature);
        }
        int maxCap = 0;
        for (int c : caps) {
            if (c < 1) {
                throw new IllegalArgumentException("caps must be >= 1: caps=" + Arrays.toString(caps));
            }
            maxCap = Math.max(maxCap, c);
        }
        if (b == 0) {
            return new LmSamples(new int[0][], new float[0][], new int[0], new boolean[0]);
        }
        int p = model.promptLength();
        int v = model.vocabSize();
        int h = model.hiddenSize();
        SplitMix64 rng = new SplitMix64(seed);
        List<int[]> tokens = new ArrayList<>(b);
        List<float[]> logps = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            tokens.add(new int[Math.min(caps[i], 64)]);
            logps.add(new float[Math.min(caps[i], 64)]);
        }
        int[] len = new int[b];
        boolean[] ended = new boolean[b];
        boolean[] done = new boolean[b];
        int active = b;
        try (NDManager m = model.manager().newSubManager()) {
            long[] context = new long[b * (p + 1)];
            for (int i = 0; i < b; i++) {
                model.writeContext(prompts.get(i), context, i * (p + 1));
            }
            // An op's result joins its first operand's manager: the step's output and state live in the step's
            // own manager, so everything a step derives from them is freed when the next step replaces it.
            NDManager cur = m.newSubManager();
            try {
                NDArray x0 = model.embed(cur, cur.create(context, new Shape(b, p + 1)));
                NDList o0 = model.gru(x0, cur.zeros(new Shape(1, b, h)));
                NDArray out = o0.get(0).get(":, -1, :").reshape(b, h);
                NDArray state = o0.get(1);
                long[] next = new long[b];
                for (int step = 0; ; step++) {
                    NDArray logp = model.logProbs(out, temperature);
                    float[] lp = logp.toFloatArray();
                    float[] cdf = logp.exp().cumSum(1).toFloatArray();
                    for (int i = 0; i < b; i++) {
                        float total = cdf[i * v + v - 1];
                        if (!done[i] && !(total > 0 && Float.isFinite(total))) {
                            throw new IllegalStateException("non-finite next-token distribution (NaN weights or logits?):"
                                    + " row=" + i + ", step=" + step + ", total=" + total);
                        }
                    }
                    for (int i = 0; i < b; i++) {
                        if (done[i]) {
                            next[i] = SpecialTokens.PAD;
                            continue;
                        }
                        int tok = draw(cdf, i * v, v, rng.nextDouble());
                        if (len[i] == tokens.get(i).length) {
                            int grown = Math.min(caps[i], len[i] * 2);
                            tokens.set(i, Arrays.copyOf(tokens.get(i), grown));
                            logps.set(i, Arrays.copyOf(logps.get(i), grown));
                        }
                        tokens.get(i)[len[i]] = tok;
                        logps.get(i)[len[i]] = lp[i * v + tok];
                        len[i]++;
                        next[i] = tok;
                        if (tok == SpecialTokens.EOS || len[i] >= caps[i]) {
                            done[i] = true;
                            ended[i] = tok == SpecialTokens.EOS;
                            active--;
                        }
                    }
                    if (active == 0) {
                        break;
                    }
                    if (step > maxCap) {
                        throw new IllegalStateException("sampler ran past every cap: step=" + step + ", maxCap=" + maxCap);
                    }
                    NDArray x = model.embed(cur, cur.create(next, new Shape(b, 1)));
                    NDList o = model.gru(x, state);
                    NDManager following = m.newSubManager();
                    out = o.get(0).reshape(b, h);
                    state = o.get(1);
                    out.attach(following);
                    state.attach(following);
                    cur.close();
                    cur = following;
                }
            } finally {
                cur.close();
            }
        }
        int[][] t = new int[b][];
        float[][] l = new float[b][];
        for (int i = 0; i < b; i++) {
            t[i] = Arrays.copyOf(tokens.get(i), len[i]);
            l[i] = Arrays.copyOf(logps.get(i), len[i]);
        }
        return new LmSamples(t, l, len, ended);
    }

    /** The first index j in row [off, off + v) whose cumulative probability exceeds u × the row's total. */
    private static int draw(float[] cdf, int off, int v, double u) {
        double x = u * cdf[off + v - 1];
        int lo = 0;
        int hi = v - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[off + mid] > x) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
