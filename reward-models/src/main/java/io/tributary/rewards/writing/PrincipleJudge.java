package io.tributary.rewards.writing;

import io.tributary.simulator.writing.WordTokenizer;
import io.tributary.simulator.writing.WritingPrompt;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The default pairwise judge: deterministic and principle-based, standing in for a generative judge model
 * that cannot be fetched here. For a prompt it states five query-specific principles (use the keywords,
 * read fluently, do not repeat, fit [L, U], no redundant self-explanation at the end), scores both responses
 * on them, names the principle that separates them most in a one-line critique and returns two scores in
 * [0, 10], the first-shown response getting the configured position bias.
 *
 * <p>The pairwise preferences for length fit and for no self-explanation are stronger than the
 * single-response penalties ({@link PrincipleJudgeSettings}): the contrast between the length-biased scalar
 * model and this judge is partly built into the two reward models, and the writing experiment shows how
 * each algorithm responds to it.
 */
public final class PrincipleJudge implements PairwiseJudge {
    /** Names of the principles, in the order they are listed. */
    public static final List<String> PRINCIPLE_NAMES =
            List.of("keywords", "fluency", "no repetition", "length fit", "no self-explanation");

    private final NgramModel ngram;
    private final PrincipleJudgeSettings settings;

    /** A judge scoring fluency with {@code ngram} under {@code settings}. */
    public PrincipleJudge(NgramModel ngram, PrincipleJudgeSettings settings) {
        this.ngram = ngram;
        this.settings = settings;
    }

    /** The training judge: the n-gram model of the corpus's training part, default settings. */
    public static PrincipleJudge training() {
        return new PrincipleJudge(NgramModel.ofTrainingCorpus(), PrincipleJudgeSettings.defaults());
    }

    /** The evaluation judge: the n-gram model of the held-out part, default settings. */
    public static PrincipleJudge evaluation() {
        return new PrincipleJudge(NgramModel.ofHeldOutCorpus(), PrincipleJudgeSettings.defaults());
    }

    /** The settings in use. */
    public PrincipleJudgeSettings settings() {
        return settings;
    }

    /** The query-specific principles for a prompt. */
    public List<String> principles(WritingPrompt prompt) {
        return List.of(
                "uses the keywords " + String.join(", ", prompt.keywords()),
                "reads fluently (judged by the corpus n-gram model)",
                "does not repeat itself",
                "has " + prompt.minLength() + " to " + prompt.maxLength() + " words",
                "ends without a redundant self-explanation");
    }

    /** One response's principle scores. */
    public WritingQuality quality(WritingPrompt prompt, String text) {
        return quality(prompt, WordTokenizer.words(text));
    }

    /** One response's principle scores from its tokens. */
    public WritingQuality quality(WritingPrompt prompt, List<String> words) {
        PrincipleJudgeSettings s = settings;
        int n = words.size();
        double coverage = 1;
        if (!prompt.keywords().isEmpty()) {
            Set<String> present = new HashSet<>(words);
            long used = prompt.keywords().stream().filter(k -> present.contains(k.toLowerCase(Locale.ROOT))).count();
            coverage = used / (double) prompt.keywords().size();
        }
        double logProb = n == 0 ? s.fluencyFloor() : ngram.meanLogProb(words);
        double fluency01 = clamp01((logProb - s.fluencyFloor()) / (s.fluencyCeiling() - s.fluencyFloor()));
        double dup = duplicatedTrigramShare(words);
        double repetition = s.repetitionPoints() * clamp01(1 - dup / s.repetitionTolerance());
        int outside = n < prompt.minLength() ? prompt.minLength() - n : Math.max(0, n - prompt.maxLength());
        double length = Math.max(0, s.lengthPoints() - s.lengthPenaltyPerToken() * outside);
        int expl = ExplanationDetector.explanationTokens(words);
        double explanation = Math.max(0, s.explanationPoints() - s.explanationPenaltyPerToken() * expl);
        return new WritingQuality(s.keywordPoints() * coverage, s.fluencyPoints() * fluency01, repetition, length,
                explanation, n, outside == 0, expl, logProb);
    }

    @Override
    public JudgeVerdict judge(WritingPrompt prompt, String a, String b) {
        WritingQuality qa = quality(prompt, a);
        WritingQuality qb = quality(prompt, b);
        double[] pa = contributions(qa, qb);
        double[] pb = contributions(qb, qa);
        int deciding = 0;
        for (int k = 1; k < pa.length; k++) {
            if (Math.abs(pa[k] - pb[k]) > Math.abs(pa[deciding] - pb[deciding])) {
                deciding = k;
            }
        }
        double scale = pairScale();
        double scoreA = clamp(scale * (sum(pa) + settings.firstPositionBias()));
        double scoreB = clamp(scale * sum(pb));
        String critique;
        if (Math.abs(pa[deciding] - pb[deciding]) < 1e-12) {
            critique = "The responses are equal on every principle.";
        } else {
            String better = pa[deciding] > pb[deciding] ? "A" : "B";
            critique = String.format(Locale.ROOT, "Deciding principle: %s; %s is better (A: %d words, B: %d words).",
                    PRINCIPLE_NAMES.get(deciding), better, qa.words(), qb.words());
        }
        return new JudgeVerdict(principles(prompt), critique, scoreA, scoreB);
    }

    /**
     * Factor from raw pairwise points (at most 10 + both preferences + the bias) to the [0, 10] score scale, so
     * that no pair of good responses is clamped into a tie.
     */
    public double pairScale() {
        return 10 / (10 + settings.lengthPreference() + settings.explanationPreference() + settings.firstPositionBias());
    }

    /** Per-principle points of {@code x} judged beside {@code other}, pairwise preferences included. */
    private double[] contributions(WritingQuality x, WritingQuality other) {
        double lengthPref = x.fitsLength() && !other.fitsLength() ? settings.lengthPreference() : 0;
        double explPref = x.explanationTokens() == 0 && other.explanationTokens() > 0 ? settings.explanationPreference() : 0;
        return new double[] {x.keyword(), x.fluency(), x.repetition(), x.length() + lengthPref, x.explanation() + explPref};
    }

    /** Share of word trigrams that repeat an earlier trigram of the same text. */
    static double duplicatedTrigramShare(List<String> words) {
        int grams = words.size() - 2;
        if (grams <= 0) {
            return 0;
        }
        Set<String> seen = new HashSet<>();
        int dup = 0;
        for (int i = 0; i < grams; i++) {
            if (!seen.add(words.get(i) + ' ' + words.get(i + 1) + ' ' + words.get(i + 2))) {
                dup++;
            }
        }
        return dup / (double) grams;
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(10, v));
    }

    private static double clamp01(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
