package io.tributary.learner.lm;

import io.tributary.simulator.writing.TokenPair;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.tributary.learner.nn.Arrays64;
import io.tributary.simulator.random.SplitMix64;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Supervised pre-training of a {@link GruLanguageModel}: teacher forcing on {@link TokenPair}s conditioned
 * on the prompt (see the model's class comment), cross-entropy on the text and its EOS only, padding
 * masked out, the token-level mean per minibatch, global-norm clip, Adam. The stop rule of issue 10 ("run
 * until ≥ 95% of samples end before the length cap") is {@link #run}: every {@code check-every} steps it
 * samples at temperature 1 with each check prompt's cap and stops once {@link LmSamples#endedBeforeCapFraction()}
 * reaches {@code end-before-cap-target}.
 */
public final class LmPretrainer implements AutoCloseable {
    private final GruLanguageModel model;
    private final PretrainSettings settings;
    private final LmOptimizer optimizer;
    private final SplitMix64 rng;
    private int steps;
    private int skipped;

    /**
     * One stop-rule check.
     *
     * @param step                   gradient steps done when it ran
     * @param loss                   mean training loss (per target token) over the steps since the last check
     * @param endedBeforeCapFraction share of the check samples that drew EOS before their cap
     * @param meanLength             mean sampled tokens per check sample
     * @param tokens                 target tokens (text + EOS) trained on by this {@link #run} so far
     */
    public record Check(int step, double loss, double endedBeforeCapFraction, double meanLength, long tokens) {
    }

    /**
     * What {@link #run} did.
     *
     * @param steps         gradient steps taken (skipped ones included)
     * @param skippedSteps  steps whose loss or gradient norm was not finite (no weight change)
     * @param targetReached whether the last check met the target
     * @param checks        every check, in order
     */
    public record Outcome(int steps, int skippedSteps, boolean targetReached, List<Check> checks) {
        public Outcome {
            checks = List.copyOf(checks);
        }

        /** The last check (run always ends with one). */
        public Check last() {
            return checks.get(checks.size() - 1);
        }
    }

    /** A pre-trainer of {@code model} (trainable), shuffling with {@code seed}. */
    public LmPretrainer(GruLanguageModel model, PretrainSettings settings, long seed) {
        this.model = Objects.requireNonNull(model, "model");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.optimizer = new LmOptimizer(model);
        this.rng = new SplitMix64(seed);
    }

    /** The optimiser (for checkpointing its state with {@link io.tributary.learner.nn.Adam#write}). */
    public io.tributary.learner.nn.Adam adam() {
        return optimizer.adam();
    }

    /** Gradient steps taken so far. */
    public int steps() {
        return steps;
    }

    /**
     * One gradient step on {@code batch}.
     *
     * @return the mean loss per target token (not finite = the step was skipped, weights unchanged)
     */
    public double step(List<TokenPair> batch) {
        steps++;
        try (NDManager m = model.manager().newSubManager()) {
            NDArray loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                loss = nll(m, batch);
                gc.backward(loss);
            }
            double value = loss.getFloat();
            double norm = optimizer.step(m, (float) settings.learningRate(), settings.maxGradNorm());
            if (!Double.isFinite(value) || !Double.isFinite(norm)) {
                skipped++;
                return Double.NaN;
            }
            return value;
        }
    }

    /** Mean loss per target token over {@code pairs} (no gradient), in batches of the configured size. */
    public double meanLoss(List<TokenPair> pairs) {
        double sum = 0;
        long tokens = 0;
        for (int from = 0; from < pairs.size(); from += settings.batchSize()) {
            List<TokenPair> batch = pairs.subList(from, Math.min(pairs.size(), from + settings.batchSize()));
            long n = 0;
            for (TokenPair p : batch) {
                n += p.response().length;
            }
            try (NDManager m = model.manager().newSubManager()) {
                sum += nll(m, batch).getFloat() * n;
            }
            tokens += n;
        }
        return sum / tokens;
    }

    /** Masked mean negative log-likelihood of the batch's responses (text + EOS). */
    private NDArray nll(NDManager m, List<TokenPair> batch) {
        List<int[]> prompts = new ArrayList<>(batch.size());
        List<int[]> targets = new ArrayList<>(batch.size());
        int t = 0;
        for (TokenPair p : batch) {
            prompts.add(p.prompt());
            int[] target = p.response();
            targets.add(target);
            t = Math.max(t, target.length);
        }
        float[] mask = new float[batch.size() * t];
        for (int i = 0; i < batch.size(); i++) {
            java.util.Arrays.fill(mask, i * t, i * t + targets.get(i).length, 1f);
        }
        NDArray lp = model.responseLogProbs(m, prompts, targets, 1f);
        NDArray msk = Arrays64.create(m, mask, new Shape(batch.size(), t));
        return lp.mul(msk).sum().div(msk.sum()).neg();
    }

    /**
     * Trains on random minibatches of {@code pairs} (reshuffled every pass) until the stop rule holds at a
     * check or {@code max-steps} is reached; always ends with a check.
     *
     * @param checkPrompts prompts to sample at each check (cycled to {@code check-samples} rows)
     * @param checkCaps    each check prompt's length cap (2.5 × U)
     */
    public Outcome run(List<TokenPair> pairs, List<int[]> checkPrompts, int[] checkCaps) {
        return run(pairs, checkPrompts, checkCaps, c -> { });
    }

    /** As {@link #run(List, List, int[])}, handing every check to {@code onCheck} as it happens (progress lines). */
    public Outcome run(List<TokenPair> pairs, List<int[]> checkPrompts, int[] checkCaps,
                       java.util.function.Consumer<Check> onCheck) {
        Objects.requireNonNull(onCheck, "onCheck");
        if (pairs.isEmpty() || checkPrompts.isEmpty() || checkCaps.length != checkPrompts.size()) {
            throw new IllegalArgumentException("need pairs and one cap per check prompt: pairs=" + pairs.size()
                    + ", checkPrompts=" + checkPrompts.size() + ", checkCaps=" + checkCaps.length);
        }
        int n = pairs.size();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        int cursor = n;
        List<Check> checks = new ArrayList<>();
        double lossSum = 0;
        int lossCount = 0;
        int skippedBefore = skipped;
        int done = 0;
        long tokens = 0;
        while (true) {
            List<TokenPair> batch = new ArrayList<>(settings.batchSize());
            for (int k = 0; k < Math.min(settings.batchSize(), n); k++) {
                if (cursor == n) {
                    rng.shuffle(perm, n);
                    cursor = 0;
                }
                batch.add(pairs.get(perm[cursor++]));
            }
            double l = step(batch);
            done++;
            for (TokenPair p : batch) {
                tokens += p.response().length;
            }
            if (Double.isFinite(l)) {
                lossSum += l;
                lossCount++;
            }
            boolean last = done >= settings.maxSteps();
            if (done % settings.checkEvery() == 0 || last) {
                LmSamples s = checkSamples(checkPrompts, checkCaps);
                double frac = s.endedBeforeCapFraction();
                Check check = new Check(steps, lossCount == 0 ? Double.NaN : lossSum / lossCount, frac, s.meanLength(),
                        tokens);
                checks.add(check);
                onCheck.accept(check);
                lossSum = 0;
                lossCount = 0;
                if (frac >= settings.endBeforeCapTarget() || last) {
                    return new Outcome(done, skipped - skippedBefore, frac >= settings.endBeforeCapTarget(), checks);
                }
            }
        }
    }

    /** {@code check-samples} rows at temperature 1, cycling through the check prompts and their caps. */
    public LmSamples checkSamples(List<int[]> checkPrompts, int[] checkCaps) {
        int rows = settings.checkSamples();
        List<int[]> prompts = new ArrayList<>(rows);
        int[] caps = new int[rows];
        for (int i = 0; i < rows; i++) {
            prompts.add(checkPrompts.get(i % checkPrompts.size()));
            caps[i] = checkCaps[i % checkCaps.length];
        }
        return new LmSampler(model).sample(prompts, caps, 1f, rng.nextLong());
    }

    @Override
    public void close() {
        optimizer.close();
    }
}
