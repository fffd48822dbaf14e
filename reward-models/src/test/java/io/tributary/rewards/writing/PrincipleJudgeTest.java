package io.tributary.rewards.writing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.random.SplitMix64;
import io.tributary.simulator.writing.PretrainingPairs;
import io.tributary.simulator.writing.WordTokenizer;
import io.tributary.simulator.writing.WritingPrompt;
import io.tributary.simulator.writing.WritingPrompts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The constants test the issue asks for, written before any RL run: fluent padding up to 2.5 × U raises the
 * length-biased scalar score by at least 0.01 per token, while the pairwise judge's win probability for the
 * padded text against an unpadded one does not rise.
 */
class PrincipleJudgeTest {
    private static final double[] PAD_TO = {1.25, 1.5, 2.0, 2.5};
    private final WordTokenizer tok = WordTokenizer.standard();
    private final PretrainingPairs source = PretrainingPairs.standard();
    private final PrincipleJudge judge = PrincipleJudge.training();

    /** Per prompt: an unpadded text a, its padded versions, and an independent unpadded rival b. */
    private record Sample(WritingPrompt prompt, List<String> a, List<List<String>> padded, List<String> b) {
    }

    private List<Sample> samples(int perPrompt) {
        List<Sample> out = new ArrayList<>();
        SplitMix64 rng = new SplitMix64(99);
        for (WritingPrompt p : WritingPrompts.load().all()) {
            for (int s = 0; s < perPrompt; s++) {
                List<String> a = words(source.example(p, false, rng).pair().response());
                List<String> b = words(source.example(p, false, rng).pair().response());
                List<List<String>> padded = new ArrayList<>();
                for (double f : PAD_TO) {
                    int target = (int) Math.floor(f * p.maxLength());
                    List<String> x = new ArrayList<>(a);
                    for (int id : source.padding(target - a.size(), rng)) {
                        if (x.size() == target) {
                            break;
                        }
                        x.add(tok.word(id));
                    }
                    padded.add(x);
                }
                out.add(new Sample(p, a, padded, b));
            }
        }
        return out;
    }

    private List<String> words(int[] response) {
        return WordTokenizer.words(tok.responseText(response));
    }

    @Test
    void scalarScoreRisesWithFluentPaddingWhileTheJudgesWinProbabilityDoesNot() {
        List<Sample> samples = samples(2);
        ScalarWritingReward scalar = ScalarWritingReward.lengthBiased();
        int n = samples.size();
        int baseWins = 0;
        int[] paddedWins = new int[PAD_TO.length];
        double[] slope = new double[PAD_TO.length];
        double minSlope = Double.MAX_VALUE;
        for (Sample s : samples) {
            double base = scalar.score(s.prompt(), s.a());
            if (judge.judgeBothOrderings(s.prompt(), String.join(" ", s.a()), String.join(" ", s.b())).aWinsBoth()) {
                baseWins++;
            }
            for (int k = 0; k < PAD_TO.length; k++) {
                List<String> x = s.padded().get(k);
                double perToken = (scalar.score(s.prompt(), x) - base) / (x.size() - s.a().size());
                slope[k] += perToken / n;
                minSlope = Math.min(minSlope, perToken);
                if (judge.judgeBothOrderings(s.prompt(), String.join(" ", x), String.join(" ", s.b())).aWinsBoth()) {
                    paddedWins[k]++;
                }
            }
        }
        double pBase = baseWins / (double) n;
        System.out.printf("padding test over %d samples: judge win probability unpadded=%.3f%n", n, pBase);
        for (int k = 0; k < PAD_TO.length; k++) {
            System.out.printf("  padded to %.2f x U: scalar slope %.4f per token, judge win probability %.3f%n",
                    PAD_TO[k], slope[k], paddedWins[k] / (double) n);
            assertTrue(slope[k] >= 0.01, "scalar slope per token at " + PAD_TO[k] + " x U: " + slope[k]);
            assertTrue(paddedWins[k] / (double) n <= pBase, "padded text wins more often at " + PAD_TO[k] + " x U");
        }
        System.out.printf("  smallest single-sample scalar slope %.4f%n", minSlope);
        assertTrue(pBase > 0.1, "the unpadded rivals must sometimes lose, or the comparison says nothing: " + pBase);
    }

    @Test
    void theEvaluationJudgeAlsoDoesNotPreferPaddedText() {
        PrincipleJudge eval = PrincipleJudge.evaluation();
        List<Sample> samples = samples(1);
        int base = 0;
        int padded = 0;
        int consistent = 0;
        for (Sample s : samples) {
            PairwiseJudge.PairOutcome o = eval.judgeBothOrderings(s.prompt(), String.join(" ", s.a()), String.join(" ", s.b()));
            base += o.aWinsBoth() ? 1 : 0;
            consistent += o.consistent() ? 1 : 0;
            padded += eval.judgeBothOrderings(s.prompt(), String.join(" ", s.padded().get(PAD_TO.length - 1)),
                    String.join(" ", s.b())).aWinsBoth() ? 1 : 0;
        }
        int n = samples.size();
        System.out.printf("evaluation judge over %d samples: win probability unpadded=%.3f, padded to 2.5 x U=%.3f, "
                + "swap consistency of unpadded pairs=%.3f%n", n, base / (double) n, padded / (double) n, consistent / (double) n);
        assertTrue(padded <= base, "evaluation judge prefers padding: base=" + base + ", padded=" + padded);
    }

    @Test
    void anExplanationTailLosesPairwiseAndPaysUnderTheScalarModelOnlyWhenItAddsAMissingKeyword() {
        ScalarWritingReward scalar = ScalarWritingReward.lengthBiased();
        SplitMix64 rng = new SplitMix64(17);
        int n = 0;
        double gain = 0;
        double gainMissing = 0;
        int missing = 0;
        int cleanWins = 0;
        int tailWins = 0;
        for (WritingPrompt p : WritingPrompts.load().all()) {
            for (int rep = 0; rep < 2; rep++) {
                List<String> clean = words(source.example(p, false, rng).pair().response());
                List<String> rival = words(source.example(p, false, rng).pair().response());
                String k1 = p.keywords().get(0);
                if (rep == 1) {
                    clean.replaceAll(w -> w.equals(k1) ? "it" : w);
                }
                List<String> tailed = new ArrayList<>(clean);
                tailed.addAll(WordTokenizer.words("in summary , the text above is about " + p.topic() + " and " + k1 + " ."));
                double g = scalar.score(p, tailed) - scalar.score(p, clean);
                if (rep == 1) {
                    gainMissing += g;
                    missing++;
                } else {
                    gain += g;
                    n++;
                    cleanWins += judge.judgeBothOrderings(p, String.join(" ", clean), String.join(" ", rival)).aWinsBoth() ? 1 : 0;
                    tailWins += judge.judgeBothOrderings(p, String.join(" ", tailed), String.join(" ", rival)).aWinsBoth() ? 1 : 0;
                }
            }
        }
        System.out.printf("explanation tail over %d prompts: scalar gain %.3f (%.3f when the tail adds a missing keyword), "
                + "judge win probability clean=%.3f, tailed=%.3f%n", n, gain / n, gainMissing / missing,
                cleanWins / (double) n, tailWins / (double) n);
        assertTrue(gainMissing / missing > 0.3, "a tail that restates a missing keyword pays under the scalar model");
        assertTrue(gain / n < gainMissing / missing);
        assertTrue(tailWins < cleanWins / 2, "tailed text must lose pairwise: clean=" + cleanWins + ", tailed=" + tailWins);
    }

    @Test
    void aJudgeThatScoresByTheScalarModelFailsThePaddingMeasure() {
        // Breaking the guarantee on purpose: a pairwise judge that just compares the length-biased scalar scores
        // prefers padded text, and the same measurement shows it.
        ScalarWritingReward scalar = ScalarWritingReward.lengthBiased();
        PairwiseJudge scalarJudge = (prompt, a, b) -> new JudgeVerdict(List.of("scalar"), "scalar",
                Math.min(10, scalar.score(prompt, a) / 2), Math.min(10, scalar.score(prompt, b) / 2));
        int base = 0;
        int padded = 0;
        List<Sample> samples = samples(1);
        for (Sample s : samples) {
            base += scalarJudge.judgeBothOrderings(s.prompt(), String.join(" ", s.a()), String.join(" ", s.b())).aWinsBoth() ? 1 : 0;
            padded += scalarJudge.judgeBothOrderings(s.prompt(), String.join(" ", s.padded().get(PAD_TO.length - 1)),
                    String.join(" ", s.b())).aWinsBoth() ? 1 : 0;
        }
        assertTrue(padded > base + samples.size() / 4, "scalar judge: base=" + base + ", padded=" + padded);
    }

    @Test
    void judgeIsDeterministicNamesTheDecidingPrincipleAndAppliesThePositionBias() {
        WritingPrompt p = WritingPrompts.load().heldOut().get(0);
        SplitMix64 rng = new SplitMix64(5);
        String a = String.join(" ", words(source.example(p, false, rng).pair().response()));
        JudgeVerdict v1 = judge.judge(p, a, a);
        JudgeVerdict v2 = judge.judge(p, a, a);
        assertEquals(v1, v2);
        assertEquals(0.3 * judge.pairScale(), v1.scoreA() - v1.scoreB(), 1e-9, "identical texts differ by the first-position bias");
        assertFalse(judge.judgeBothOrderings(p, a, a).consistent(), "a text never beats itself in both orderings");
        assertEquals(5, v1.principles().size());
        assertTrue(v1.principles().get(0).contains(p.keywords().get(0)));

        List<String> longer = new ArrayList<>(WordTokenizer.words(a));
        for (int id : source.padding(2 * p.maxLength(), rng)) {
            longer.add(tok.word(id));
        }
        JudgeVerdict v = judge.judge(p, String.join(" ", longer), a);
        assertTrue(v.critique().contains("length fit") && v.critique().contains("B is better"), v.critique());
        assertTrue(judge.judgeBothOrderings(p, a, String.join(" ", longer)).aWinsBoth());
    }

    @Test
    void principlesScoreWhatTheyName() {
        WritingPrompt p = new WritingPrompt(3, "water", List.of("river", "cold"), 20, 40);
        String good = "a river is a large natural stream of water . the water of the river was cold . "
                + "cold water is water at a low temperature .";
        WritingQuality q = judge.quality(p, good);
        assertEquals(3.0, q.keyword(), 1e-9);
        assertTrue(q.fitsLength());
        WritingQuality noKeywords = judge.quality(p, good.replace("river", "lake").replace("cold", "clean"));
        assertEquals(0.0, noKeywords.keyword(), 1e-9);
        List<String> shuffled = new ArrayList<>(WordTokenizer.words(good));
        java.util.Collections.shuffle(shuffled, new java.util.Random(3));
        assertTrue(judge.quality(p, shuffled).fluency() < q.fluency() - 1, "shuffled words must read worse");
        String repeated = String.join(" ", java.util.Collections.nCopies(6, "the water was cold ."));
        assertTrue(judge.quality(p, repeated).repetition() < 0.5);
        WritingQuality explained = judge.quality(p, good + " in summary , this was about the river and cold water .");
        assertEquals(10, explained.explanationTokens());
        assertTrue(explained.explanation() < q.explanation());
        assertEquals(0.1, PrincipleJudge.duplicatedTrigramShare(Arrays.asList("a b c a b c x y z q z q".split(" "))), 0.001);
    }

    @Test
    void settingsAreValidated() {
        PrincipleJudgeSettings d = PrincipleJudgeSettings.defaults();
        assertEquals(0.3, d.firstPositionBias());
        assertThrows(IllegalArgumentException.class, () -> d.withFirstPositionBias(-0.1));
        assertThrows(IllegalArgumentException.class, () -> new PrincipleJudgeSettings(4, 3, -6.5, -3.5, 2, 0.5, 1, 0.004,
                1, 0.01, 1, 1, 0.3));
        assertThrows(IllegalArgumentException.class, () -> new PrincipleJudgeSettings(3, 3, -4, -8, 2, 0.5, 1, 0.004,
                1, 0.01, 1, 1, 0.3));
        assertThrows(IllegalArgumentException.class, () -> new ScalarWritingReward(judge, -0.02));
        assertEquals(d, PrincipleJudgeSettings.fromOptions("judge", java.util.Map.of()));
        assertEquals(0.6, PrincipleJudgeSettings.fromOptions("judge", java.util.Map.of("first-position-bias", "0.6"))
                .firstPositionBias());
        io.tributary.rewards.RewardOptions.BadOption bad = assertThrows(io.tributary.rewards.RewardOptions.BadOption.class,
                () -> PrincipleJudgeSettings.fromOptions("judge", java.util.Map.of("keyword-points", "5")));
        assertEquals("keyword-points", bad.key());
        assertThrows(io.tributary.rewards.RewardOptions.BadOption.class,
                () -> PrincipleJudgeSettings.fromOptions("judge", java.util.Map.of("fluency-floor", "abc")));
    }
}
