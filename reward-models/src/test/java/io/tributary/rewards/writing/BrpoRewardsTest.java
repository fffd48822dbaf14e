package io.tributary.rewards.writing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.random.SplitMix64;
import io.tributary.simulator.writing.WritingPrompt;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BRPO's reward assignment and skew filter on hand-made groups, with small fake judges behind the interface. */
class BrpoRewardsTest {
    private static final WritingPrompt PROMPT = new WritingPrompt(1, "water", List.of("river", "cold"), 20, 40);

    /** Scores a response by the number in it ("r7" scores 7), plus a bias for the first-shown one. */
    private static PairwiseJudge numberJudge(double firstBias) {
        return (prompt, a, b) -> new JudgeVerdict(List.of("number"), "larger number",
                Math.min(10, value(a) + firstBias), value(b));
    }

    private static double value(String r) {
        return Double.parseDouble(r.substring(1));
    }

    private static List<String> group(double... values) {
        List<String> g = new ArrayList<>();
        for (double v : values) {
            g.add("r" + v);
        }
        return g;
    }

    @Test
    void winsAgainstTheReferenceInBothOrderingsGetPlusOneOthersMinusOneReferenceZero() {
        // reference index 2 (value 5): 8 and 6 beat it; 5 ties it (-1); 1 and 3 lose
        GroupRewards r = BrpoRewards.assign(PROMPT, group(8, 1, 5, 6, 3, 5), numberJudge(0), 2, 0.6);
        assertArrayEquals(new double[] {1, -1, 0, 1, -1, -1}, r.rewards());
        assertEquals(2, r.referenceIndex());
        assertEquals(1.0 / 6, r.skew(), 1e-12);
        assertFalse(r.filtered());
        assertEquals(5, r.pairs().size());
        r.pairs().forEach(p -> assertTrue(p.response() != 2));
        assertEquals(0, r.scores().length);
    }

    @Test
    void aPositionBiasSmallerThanTheMarginKeepsWinsAndALargerOneTurnsThemIntoLosses() {
        GroupRewards small = BrpoRewards.assign(PROMPT, group(6, 5, 4), numberJudge(0.5), 1, 0.6);
        assertArrayEquals(new double[] {1, 0, -1}, small.rewards());
        // with a bias of 2 the first-shown response always wins: no response wins both orderings
        GroupRewards large = BrpoRewards.assign(PROMPT, group(6, 5, 4), numberJudge(2), 1, 0.6);
        assertArrayEquals(new double[] {-1, 0, -1}, large.rewards());
        assertEquals(0.0, large.swapConsistency());
    }

    @Test
    void aJudgeThatOnlyFavoursThePositionNeverYieldsAWin() {
        PairwiseJudge positionOnly = (prompt, a, b) -> new JudgeVerdict(List.of(), "first is best", 7, 3);
        SplitMix64 rng = new SplitMix64(4);
        for (int trial = 0; trial < 20; trial++) {
            GroupRewards r = BrpoRewards.assign(PROMPT, group(9, 1, 5, 7, 2, 8, 3, 4), positionOnly, rng, 0.6);
            for (int i = 0; i < r.size(); i++) {
                assertEquals(i == r.referenceIndex() ? 0.0 : -1.0, r.rewards()[i]);
            }
            assertEquals(7.0 / 8, r.skew(), 1e-12);
            assertTrue(r.filtered(), "an all-lose group is too skewed to train on");
            assertEquals(0.0, r.swapConsistency());
        }
        // the real judge with a huge first-position bias behaves the same way
        PrincipleJudge biased = new PrincipleJudge(NgramModel.ofTrainingCorpus(),
                PrincipleJudgeSettings.defaults().withFirstPositionBias(20));
        GroupRewards r = BrpoRewards.assign(PROMPT, List.of("the river was cold .", "water", "a river of cold water ."),
                biased, 1, 0.6);
        assertArrayEquals(new double[] {-1, 0, -1}, r.rewards());
    }

    @Test
    void skewFilterUsesTheThresholdStrictly() {
        // G = 5, reference 0 (value 5): four winners -> skew 4/5 = 0.8
        GroupRewards allWin = BrpoRewards.assign(PROMPT, group(5, 6, 7, 8, 9), numberJudge(0), 0, 0.6);
        assertEquals(0.8, allWin.skew(), 1e-12);
        assertTrue(allWin.filtered());
        assertFalse(BrpoRewards.assign(PROMPT, group(5, 6, 7, 8, 9), numberJudge(0), 0, 0.8).filtered());
        // balanced: two win, two lose -> skew 0
        GroupRewards balanced = BrpoRewards.assign(PROMPT, group(5, 6, 7, 1, 2), numberJudge(0), 0, 0.6);
        assertEquals(0.0, balanced.skew(), 1e-12);
        assertFalse(balanced.filtered());
        assertEquals(1.0, balanced.swapConsistency());
        // G = 16 with 13 losers and 2 winners: |2 - 13| / 16 = 0.6875 > 0.6
        double[] v = new double[16];
        v[0] = 5;
        v[1] = 9;
        v[2] = 8;
        for (int i = 3; i < 16; i++) {
            v[i] = 1;
        }
        GroupRewards g16 = BrpoRewards.assign(PROMPT, group(v), numberJudge(0), 0, 0.6);
        assertEquals(11.0 / 16, g16.skew(), 1e-12);
        assertTrue(g16.filtered());
    }

    @Test
    void evenAPerfectJudgeFiltersSixOfTheSixteenReferenceRanksAtGroupSixteen() {
        // 16 distinct values, no position bias: the reference's rank alone decides the wins; |2w - 15| / 16 > 0.6
        // holds for w in {0, 1, 2, 13, 14, 15}, so at most 10 of 16 groups can be trained on (62.5%).
        double[] v = new double[16];
        for (int i = 0; i < 16; i++) {
            v[i] = i * 0.5;
        }
        int filtered = 0;
        for (int ref = 0; ref < 16; ref++) {
            GroupRewards r = BrpoRewards.assign(PROMPT, group(v), numberJudge(0), ref, 0.6);
            assertEquals(ref, (int) java.util.Arrays.stream(r.rewards()).filter(x -> x < 0).count());
            filtered += r.filtered() ? 1 : 0;
        }
        assertEquals(6, filtered);
    }

    @Test
    void theReferenceIsDrawnUniformlyFromTheSeed() {
        int[] counts = new int[4];
        SplitMix64 rng = new SplitMix64(12);
        for (int i = 0; i < 4000; i++) {
            counts[BrpoRewards.assign(PROMPT, group(1, 2, 3, 4), numberJudge(0), rng, 0.6).referenceIndex()]++;
        }
        for (int c : counts) {
            assertTrue(c > 900 && c < 1100, "reference counts " + java.util.Arrays.toString(counts));
        }
        GroupRewards a = BrpoRewards.assign(PROMPT, group(1, 2, 3, 4), numberJudge(0), new SplitMix64(3), 0.6);
        GroupRewards b = BrpoRewards.assign(PROMPT, group(1, 2, 3, 4), numberJudge(0), new SplitMix64(3), 0.6);
        assertEquals(a.referenceIndex(), b.referenceIndex());
        assertThrows(IllegalArgumentException.class, () -> BrpoRewards.assign(PROMPT, group(1, 2), numberJudge(0), 2, 0.6));
        assertThrows(IllegalArgumentException.class, () -> BrpoRewards.assign(PROMPT, group(1, 2), numberJudge(0), 0, 1.5));
    }

    @Test
    void grpoNormalisesScoresWithinTheGroup() {
        GroupRewards r = GrpoRewards.assign(new double[] {1, 2, 3, 4}, GrpoRewards.DEFAULT_EPS);
        double std = Math.sqrt(1.25);
        assertArrayEquals(new double[] {-1.5 / std, -0.5 / std, 0.5 / std, 1.5 / std}, r.rewards(), 1e-5);
        assertArrayEquals(new double[] {1, 2, 3, 4}, r.scores());
        assertEquals(-1, r.referenceIndex());
        assertFalse(r.filtered());
        assertEquals(0.0, r.skew(), 1e-9);
        assertArrayEquals(new double[] {0, 0, 0}, GrpoRewards.assign(new double[] {2, 2, 2}, 1e-6).rewards());
        assertThrows(IllegalArgumentException.class, () -> GrpoRewards.assign(new double[0], 1e-6));
    }

    @Test
    void rewardsReadBackFromAScoredGroupGetTheSameSkewFilter() {
        // 16 responses: 12 wins, 3 losses, the reference: |12 - 3| / 16 = 0.5625, kept at 0.6
        double[] kept = new double[16];
        java.util.Arrays.fill(kept, 1);
        kept[3] = 0;
        kept[5] = -1;
        kept[7] = -1;
        kept[9] = -1;
        GroupRewards k = BrpoRewards.fromAssigned(kept, 0.6);
        assertEquals(3, k.referenceIndex());
        assertEquals(9.0 / 16, k.skew(), 1e-12);
        assertFalse(k.filtered());
        // one more win: |13 - 2| / 16 = 0.6875 > 0.6, filtered
        kept[9] = 1;
        GroupRewards f = BrpoRewards.fromAssigned(kept, 0.6);
        assertTrue(f.filtered());
        assertEquals(11.0 / 16, f.skew(), 1e-12);
        // the same rule as assign: a judged group and its rewards read back agree
        GroupRewards judged = BrpoRewards.assign(PROMPT, group(8, 1, 5, 6, 3, 5), numberJudge(0), 2, 0.3);
        GroupRewards back = BrpoRewards.fromAssigned(judged.rewards(), 0.3);
        assertEquals(judged.skew(), back.skew());
        assertEquals(judged.filtered(), back.filtered());
        assertEquals(judged.referenceIndex(), back.referenceIndex());
        // not BRPO rewards: a scalar score, no reference, two references, a single response
        IllegalArgumentException scalar = assertThrows(IllegalArgumentException.class,
                () -> BrpoRewards.fromAssigned(new double[] {1, 0, 0.4}, 0.6));
        assertTrue(scalar.getMessage().contains("response=2, reward=0.4"), scalar.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BrpoRewards.fromAssigned(new double[] {1, -1, 1}, 0.6));
        assertThrows(IllegalArgumentException.class, () -> BrpoRewards.fromAssigned(new double[] {1, 0, 0}, 0.6));
        assertThrows(IllegalArgumentException.class, () -> BrpoRewards.fromAssigned(new double[] {0}, 0.6));
    }
}
