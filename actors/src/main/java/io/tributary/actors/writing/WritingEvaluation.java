package io.tributary.actors.writing;

import io.tributary.learner.lm.GruLanguageModel;
import io.tributary.learner.lm.LmSampler;
import io.tributary.learner.lm.LmSamples;
import io.tributary.rewards.writing.ExplanationDetector;
import io.tributary.rewards.writing.PairwiseJudge;
import io.tributary.simulator.random.SplitMix64;
import io.tributary.simulator.writing.WordTokenizer;
import io.tributary.simulator.writing.WritingPrompt;
import io.tributary.simulator.writing.WritingPrompts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The writing experiment's measurements, fixed by issue 10 so nobody can tune them:
 * <ul>
 *   <li>length: mean words (tokens before EOS) of {@value #LENGTH_SAMPLES} samples at temperature 1 on each of
 *       the first {@value #PROMPTS} held-out prompts, each capped at the prompt's {@link WritingPrompt#lengthCap()};
 *       explanation tokens ({@link ExplanationDetector}) measured on the same samples;</li>
 *   <li>win rate against a reference policy (the pre-trained one): on the same {@value #PROMPTS} held-out
 *       prompts, {@value #PAIRS_PER_PROMPT} samples of each policy at temperature 1, paired in order (n = 320),
 *       each pair judged in both orderings by the given judge (the EVALUATION judge, whose n-gram model comes
 *       from the held-out corpus); a win is winning both orderings, a loss losing both, anything else a tie;
 *       rate = (wins + 0.5 × ties) / n, with a 95% normal-approximation interval over the per-pair scores
 *       {1, 0.5, 0} (clipped to [0, 1]); the judge's swap consistency over the same n pairs.</li>
 * </ul>
 * Sampling is seeded, so the same weights and seed give the same figures.
 */
public final class WritingEvaluation {
    /** Held-out prompts evaluated. */
    public static final int PROMPTS = 40;
    /** Samples per prompt for the length figures. */
    public static final int LENGTH_SAMPLES = 4;
    /** Pairs per prompt for the win rate. */
    public static final int PAIRS_PER_PROMPT = 8;

    private WritingEvaluation() {
    }

    /** One sampled response, as text, for the results' examples. */
    public record Sample(int promptId, String prompt, String text, int words, int explanationTokens) {
    }

    /**
     * @param meanWords             mean words per sample
     * @param meanExplanationTokens mean redundant-explanation tokens per sample
     * @param samples               every sample (prompt order, then sample order)
     */
    public record LengthFigures(double meanWords, double meanExplanationTokens, List<Sample> samples) {
        /** Copies the samples. */
        public LengthFigures {
            samples = List.copyOf(samples);
        }
    }

    /**
     * @param wins            pairs the policy won in both orderings
     * @param losses          pairs the reference won in both orderings
     * @param ties            every other pair
     * @param rate            (wins + 0.5 ties) / n
     * @param ciLow           lower end of the 95% interval
     * @param ciHigh          upper end of the 95% interval
     * @param swapConsistency share of pairs whose two orderings named the same winner
     */
    public record WinRate(int wins, int losses, int ties, double rate, double ciLow, double ciHigh,
                          double swapConsistency) {
        /** Number of pairs n. */
        public int n() {
            return wins + losses + ties;
        }
    }

    /** The evaluated prompts: the first {@value #PROMPTS} of the held-out split (never trained on). */
    public static List<WritingPrompt> prompts(WritingPrompts all) {
        List<WritingPrompt> held = all.heldOut();
        if (held.size() < PROMPTS) {
            throw new IllegalArgumentException("need " + PROMPTS + " held-out prompts: heldOut=" + held.size());
        }
        return held.subList(0, PROMPTS);
    }

    /** Length and explanation figures of {@code model} on {@code prompts} ({@value #LENGTH_SAMPLES} samples each). */
    public static LengthFigures length(GruLanguageModel model, WordTokenizer tokenizer, List<WritingPrompt> prompts,
                                       long seed) {
        Objects.requireNonNull(model, "model");
        LmSampler sampler = new LmSampler(model);
        List<Sample> samples = new ArrayList<>();
        double words = 0;
        double explanation = 0;
        SplitMix64 seeds = new SplitMix64(seed);
        for (WritingPrompt p : prompts) {
            LmSamples s = sampler.sampleGroup(tokenizer.promptTokens(p), LENGTH_SAMPLES, p.lengthCap(), 1f,
                    seeds.nextLong());
            for (int i = 0; i < s.rows(); i++) {
                Sample x = sample(p, tokenizer, s.tokens()[i]);
                samples.add(x);
                words += x.words();
                explanation += x.explanationTokens();
            }
        }
        int n = samples.size();
        return new LengthFigures(words / n, explanation / n, samples);
    }

    /** Win rate of {@code policy} against {@code reference} on {@code prompts}, judged by {@code judge}. */
    public static WinRate winRate(GruLanguageModel policy, GruLanguageModel reference, PairwiseJudge judge,
                                  WordTokenizer tokenizer, List<WritingPrompt> prompts, long seed) {
        LmSampler ps = new LmSampler(policy);
        LmSampler rs = new LmSampler(reference);
        SplitMix64 seeds = new SplitMix64(seed);
        int wins = 0;
        int losses = 0;
        int ties = 0;
        int consistent = 0;
        double[] scores = new double[prompts.size() * PAIRS_PER_PROMPT];
        int k = 0;
        for (WritingPrompt p : prompts) {
            int[] context = tokenizer.promptTokens(p);
            // Different seeds for the two policies: the same seed would couple their draws.
            LmSamples a = ps.sampleGroup(context, PAIRS_PER_PROMPT, p.lengthCap(), 1f, seeds.nextLong());
            LmSamples b = rs.sampleGroup(context, PAIRS_PER_PROMPT, p.lengthCap(), 1f, seeds.nextLong());
            for (int i = 0; i < PAIRS_PER_PROMPT; i++) {
                PairwiseJudge.PairOutcome o = judge.judgeBothOrderings(p, tokenizer.responseText(a.tokens()[i]),
                        tokenizer.responseText(b.tokens()[i]));
                if (o.aWinsBoth()) {
                    wins++;
                    scores[k++] = 1;
                } else if (o.bWinsBoth()) {
                    losses++;
                    scores[k++] = 0;
                } else {
                    ties++;
                    scores[k++] = 0.5;
                }
                consistent += o.consistent() ? 1 : 0;
            }
        }
        int n = k;
        double mean = Arrays.stream(scores, 0, n).sum() / n;
        double var = 0;
        for (int i = 0; i < n; i++) {
            var += (scores[i] - mean) * (scores[i] - mean);
        }
        double se = n > 1 ? Math.sqrt(var / (n - 1) / n) : 0;
        return new WinRate(wins, losses, ties, mean, Math.max(0, mean - 1.96 * se), Math.min(1, mean + 1.96 * se),
                (double) consistent / n);
    }

    /** Up to {@code count} samples spread over the prompts (first sample of every few prompts), for the report. */
    public static List<Sample> examples(LengthFigures figures, int count) {
        List<Sample> all = figures.samples();
        if (all.isEmpty() || count <= 0) {
            return Collections.emptyList();
        }
        List<Sample> out = new ArrayList<>();
        int stride = Math.max(1, all.size() / count / LENGTH_SAMPLES) * LENGTH_SAMPLES;
        for (int i = 0; i < all.size() && out.size() < count; i += stride) {
            out.add(all.get(i));
        }
        return out;
    }

    private static Sample sample(WritingPrompt p, WordTokenizer tokenizer, int[] tokens) {
        String text = tokenizer.responseText(tokens);
        List<String> words = WordTokenizer.words(text);
        return new Sample(p.id(), p.topic() + " | " + String.join(", ", p.keywords()) + " | [" + p.minLength() + ", "
                + p.maxLength() + "]", text, words.size(), ExplanationDetector.explanationTokens(words));
    }
}
