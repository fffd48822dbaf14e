package io.tributary.rewards.writing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.tributary.config.SettingsException;
import io.tributary.rewards.RewardModel;
import io.tributary.rewards.RewardModels;
import io.tributary.rewards.RewardSettings;
import io.tributary.rewards.writing.metrics.RewardLengthCorrelation;
import io.tributary.rewards.writing.metrics.SwapConsistency;
import io.tributary.simulator.random.SplitMix64;
import io.tributary.simulator.rollout.ChunkId;
import io.tributary.simulator.rollout.TrajectoryChunk;
import io.tributary.simulator.writing.PretrainingPairs;
import io.tributary.simulator.writing.SpecialTokens;
import io.tributary.simulator.writing.WordTokenizer;
import io.tributary.simulator.writing.WritingGroups;
import io.tributary.simulator.writing.WritingPrompt;
import io.tributary.simulator.writing.WritingPrompts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The writing reward-model plug-ins on hand-built group chunks: rewards, determinism, malformed chunks, options. */
class WritingRewardModelsTest {
    private static final WordTokenizer TOK = WordTokenizer.standard();
    private static final PretrainingPairs SOURCE = PretrainingPairs.standard();
    private static final WritingPrompt PROMPT = WritingPrompts.load().training().get(3);
    private static final UUID WORKER = new UUID(11, 22);

    private static ChunkId id(long sequence) {
        return new ChunkId("run-writing", WORKER, sequence);
    }

    private static WritingGroups.Response response(int[] tokensWithEos) {
        float[] lp = new float[tokensWithEos.length];
        Arrays.fill(lp, -1.5f);
        return new WritingGroups.Response(tokensWithEos, lp, true);
    }

    /**
     * A group of 16 of mixed quality: pre-training-like texts (keywords, fluent, in range), word salad of
     * random vocabulary words, and texts repeating one sentence, so a judge has winners and losers.
     */
    private static List<WritingGroups.Response> mixedGroup(WritingPrompt p, long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        List<WritingGroups.Response> out = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            int[] good = SOURCE.example(p, false, rng).pair().response();
            switch (i % 3) {
                case 0 -> out.add(response(good));
                case 1 -> {
                    int[] salad = new int[good.length];
                    for (int k = 0; k < salad.length - 1; k++) {
                        salad[k] = SpecialTokens.FIRST_WORD + 60 + rng.nextInt(TOK.size() - SpecialTokens.FIRST_WORD - 60);
                    }
                    salad[salad.length - 1] = SpecialTokens.EOS;
                    out.add(response(salad));
                }
                default -> {
                    int[] half = Arrays.copyOf(good, Math.max(1, (good.length - 1) / 3));
                    int[] rep = new int[half.length * 3 + 1];
                    for (int k = 0; k < 3; k++) {
                        System.arraycopy(half, 0, rep, k * half.length, half.length);
                    }
                    rep[rep.length - 1] = SpecialTokens.EOS;
                    out.add(response(rep));
                }
            }
        }
        return out;
    }

    private static TrajectoryChunk chunk(long sequence, WritingPrompt p, List<WritingGroups.Response> responses) {
        return WritingGroups.build(id(sequence), 0, sequence, 2L, p.id(), TOK.promptTokens(p), responses, 1_000L);
    }

    private static RewardModel create(String name, Map<String, String> options) {
        return RewardModels.create(name, options);
    }

    private static RewardSettings settings(String overrides) {
        return RewardSettings.fromConfig(ConfigFactory.parseString(overrides).withFallback(ConfigFactory.defaultReference()).resolve());
    }

    @Test
    void brpoRewardsArePlusMinusOneWithOneZeroAtTheReferenceOnLastTokensOnly() {
        try (WritingJudgeRewardModel m = (WritingJudgeRewardModel) create("writing-judge", Map.of("seed", "7"))) {
            int plus = 0;
            int minus = 0;
            for (long seq = 0; seq < 6; seq++) {
                TrajectoryChunk c = chunk(seq, PROMPT, mixedGroup(PROMPT, 100 + seq));
                float[] r = m.scoreChunk(c);
                assertEquals(c.steps(), r.length);
                Set<Integer> last = new HashSet<>();
                for (int i = 1; i < c.segmentOffsets().length; i++) {
                    last.add(c.segmentOffsets()[i] - 1);
                }
                for (int t = 0; t < r.length; t++) {
                    if (!last.contains(t)) {
                        assertEquals(0f, r[t], "reward off a last token at step " + t);
                    }
                }
                double[] perResponse = WritingChunk.responseRewards(c, r);
                WritingGroupFigures f = m.lastGroupFigures();
                assertEquals(c.id().toString(), f.chunkId());
                assertEquals(16, perResponse.length);
                int zeros = 0;
                for (int i = 0; i < 16; i++) {
                    double v = perResponse[i];
                    assertTrue(v == 1 || v == -1 || v == 0, "BRPO reward " + v);
                    if (v == 0) {
                        zeros++;
                        assertEquals(f.referenceIndex(), i, "the 0 is the reference's");
                    }
                    plus += v == 1 ? 1 : 0;
                    minus += v == -1 ? 1 : 0;
                    assertEquals(f.rewards()[i], v);
                }
                assertEquals(1, zeros, "exactly one 0 (the reference)");
                assertEquals(15, f.pairs().size());
                double sum = Arrays.stream(perResponse).sum();
                assertEquals(Math.abs(sum) / 16, f.skew(), 1e-12);
                assertEquals(f.skew() > 0.6, f.filtered());
                assertEquals(WritingJudgeRewardModel.referenceIndex(7, c.id(), 16), f.referenceIndex());
            }
            assertTrue(plus > 0 && minus > 0, "a mixed group has winners and losers: plus=" + plus + ", minus=" + minus);
        }
    }

    @Test
    void brpoRewardsAreDeterministicByChunkIdAndSeed() {
        List<WritingGroups.Response> group = mixedGroup(PROMPT, 5);
        float[] first;
        try (RewardModel m = create("writing-judge", Map.of("seed", "42"))) {
            first = m.scoreChunk(chunk(9, PROMPT, group));
            // Scoring other chunks in between does not change a re-score (no state carried between chunks).
            m.scoreChunk(chunk(10, PROMPT, group));
            assertArrayEquals(first, m.scoreChunk(chunk(9, PROMPT, group)));
        }
        try (RewardModel fresh = create("writing-judge", Map.of("seed", "42"))) {
            assertArrayEquals(first, fresh.scoreChunk(chunk(9, PROMPT, group)), "a re-score in a fresh model");
        }
        // The reference depends on the chunk id and on the seed, and is uniform over the group.
        int[] counts = new int[16];
        Set<Integer> bySeed = new HashSet<>();
        for (long seq = 0; seq < 3200; seq++) {
            counts[WritingJudgeRewardModel.referenceIndex(42, id(seq), 16)]++;
        }
        for (long seed = 0; seed < 40; seed++) {
            bySeed.add(WritingJudgeRewardModel.referenceIndex(seed, id(9), 16));
        }
        for (int k = 0; k < 16; k++) {
            assertTrue(counts[k] > 130 && counts[k] < 270, "reference " + k + " drawn " + counts[k] + " of 3200 times");
        }
        assertTrue(bySeed.size() > 8, "the seed moves the reference: " + bySeed);
        assertNotEquals(WritingJudgeRewardModel.referenceIndex(42, new ChunkId("other-run", WORKER, 9), 1 << 30),
                WritingJudgeRewardModel.referenceIndex(42, id(9), 1 << 30), "the run id is part of the seed");
    }

    @Test
    void scalarRewardIsTheRawScoreOnLastTokensAndRisesWithPadding() {
        SplitMix64 rng = new SplitMix64(3);
        List<WritingGroups.Response> group = new ArrayList<>();
        List<WritingGroups.Response> padded = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int[] base = SOURCE.example(PROMPT, false, rng).pair().response();
            group.add(response(base));
            int target = (int) Math.floor(2.5 * PROMPT.maxLength());
            int[] pad = SOURCE.padding(target - (base.length - 1), rng);
            int[] p = new int[target + 1];
            System.arraycopy(base, 0, p, 0, base.length - 1);
            System.arraycopy(pad, 0, p, base.length - 1, target - (base.length - 1));
            p[target] = SpecialTokens.EOS;
            padded.add(response(p));
        }
        List<WritingGroups.Response> both = new ArrayList<>(group);
        both.addAll(padded);
        TrajectoryChunk c = chunk(1, PROMPT, both);
        ScalarWritingReward direct = new ScalarWritingReward(PrincipleJudge.training(), 0.02);
        double[] biased;
        double[] control;
        try (WritingScalarRewardModel m = (WritingScalarRewardModel) create("writing-scalar", Map.of())) {
            assertEquals(0.02, m.biasPerToken());
            float[] r = m.scoreChunk(c);
            biased = WritingChunk.responseRewards(c, r);
            float nonLast = 0;
            for (int t = 0; t < r.length; t++) {
                boolean isLast = false;
                for (int i = 1; i < c.segmentOffsets().length; i++) {
                    isLast |= c.segmentOffsets()[i] - 1 == t;
                }
                nonLast += isLast ? 0 : Math.abs(r[t]);
            }
            assertEquals(0f, nonLast, "rewards only on last tokens");
            for (int i = 0; i < both.size(); i++) {
                String text = TOK.responseText(both.get(i).tokens());
                assertEquals((float) direct.score(PROMPT, text), (float) biased[i], 1e-6, "raw score, not normalised: " + i);
            }
            assertEquals(-1, m.lastGroupFigures().referenceIndex());
            assertTrue(Double.isNaN(m.lastGroupFigures().swapConsistency()));
        }
        try (RewardModel m = create("writing-scalar", Map.of("bias", "0"))) {
            control = WritingChunk.responseRewards(c, m.scoreChunk(c));
        }
        double meanGain = 0;
        for (int i = 0; i < 8; i++) {
            meanGain += (biased[8 + i] - biased[i]) / 8;
            int words = both.get(i).words();
            assertEquals(0.02 * words, biased[i] - control[i], 1e-5, "bias x words, response " + i);
        }
        assertTrue(meanGain > 0, "fluent padding to 2.5 x U raises the biased scalar reward: mean gain " + meanGain);
    }

    @Test
    void figuresReachTheListenerAndFeedTheRunningMetrics() {
        try (WritingJudgeRewardModel m = (WritingJudgeRewardModel) create("writing-judge", Map.of())) {
            assertNull(m.lastGroupFigures());
            List<WritingGroupFigures> seen = new ArrayList<>();
            m.setFiguresListener(seen::add);
            TrajectoryChunk c = chunk(4, PROMPT, mixedGroup(PROMPT, 8));
            m.scoreChunk(c);
            assertEquals(1, seen.size());
            assertSame(m.lastGroupFigures(), seen.get(0));
            WritingGroupFigures f = seen.get(0);
            assertEquals(PROMPT.id(), f.promptId());
            assertEquals(2L, f.policyVersion());
            for (int i = 0; i < 16; i++) {
                assertEquals(TOK.responseText(WritingGroups.read(c).responses().get(i).tokens()).isEmpty() ? 0
                        : WordTokenizer.words(TOK.responseText(WritingGroups.read(c).responses().get(i).tokens())).size(),
                        f.lengths()[i]);
            }
            SwapConsistency swap = new SwapConsistency();
            RewardLengthCorrelation corr = new RewardLengthCorrelation(64);
            f.feed(swap, corr);
            assertEquals(15, swap.pairs());
            assertEquals(f.swapConsistency(), swap.value(), 1e-12);
            assertEquals(15, corr.size(), "the reference is left out of the correlation");
            m.setFiguresListener(null);
            m.scoreChunk(c);
            assertEquals(1, seen.size());
        }
    }

    @Test
    void unscorableChunksThrowNamingTheRule() {
        try (RewardModel judge = create("writing-judge", Map.of()); RewardModel scalar = create("writing-scalar", Map.of())) {
            TrajectoryChunk good = chunk(1, PROMPT, mixedGroup(PROMPT, 1));
            for (RewardModel m : List.of(judge, scalar)) {
                // Not segmented.
                boolean[] term = new boolean[good.steps()];
                term[good.steps() - 1] = true;
                TrajectoryChunk flat = new TrajectoryChunk(good.id(), good.envName(), 0, 0, 0, 0, good.steps(), 0,
                        new float[0], 1, good.actions(), good.logProbs(), good.values(), good.rewards(), term,
                        new boolean[good.steps()], new float[0], new int[0], good.context(), new int[0], 0L);
                assertRule(m, flat, "must be segmented");
                // Unknown prompt id.
                int[] ctx = good.context().clone();
                ctx[0] = 99_999;
                assertRule(m, withContext(good, ctx), "unknown prompt id: promptId=99999");
                // Prompt tokens that are not the prompt's.
                int[] other = good.context().clone();
                other[1] = other[1] + 1;
                assertRule(m, withContext(good, other), "prompt tokens differ from the prompt's: promptId=" + PROMPT.id());
                // A token id outside the vocabulary.
                List<WritingGroups.Response> bad = new ArrayList<>(mixedGroup(PROMPT, 1));
                bad.set(2, response(new int[] {TOK.size() + 5, SpecialTokens.EOS}));
                assertRule(m, chunk(1, PROMPT, bad), "token id out of the vocabulary: response=2, position=0, token="
                        + (TOK.size() + 5));
                // Longer than the length cap.
                int[] tooLong = new int[PROMPT.lengthCap() + 2];
                Arrays.fill(tooLong, SpecialTokens.FIRST_WORD + 70);
                tooLong[tooLong.length - 1] = SpecialTokens.EOS;
                bad.set(2, response(tooLong));
                assertRule(m, chunk(1, PROMPT, bad), "response longer than the length cap: response=2, words="
                        + (PROMPT.lengthCap() + 1));
            }
            assertRule(judge, chunk(1, PROMPT, mixedGroup(PROMPT, 1).subList(0, 1)), "a BRPO group needs at least 2 responses: G=1");
            // The scalar model scores a group of one.
            assertEquals(1, WritingChunk.responseRewards(chunk(1, PROMPT, mixedGroup(PROMPT, 1).subList(0, 1)),
                    scalar.scoreChunk(chunk(1, PROMPT, mixedGroup(PROMPT, 1).subList(0, 1)))).length);
        }
    }

    private static void assertRule(RewardModel m, TrajectoryChunk c, String rule) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.scoreChunk(c), m.id());
        assertTrue(e.getMessage().contains(rule), m.id() + ": " + e.getMessage());
    }

    private static TrajectoryChunk withContext(TrajectoryChunk c, int[] context) {
        return new TrajectoryChunk(c.id(), c.envName(), c.envIndex(), c.episodeId(), c.chunkIndex(), c.policyVersion(),
                c.steps(), c.observationSize(), c.observations(), c.actionSize(), c.actions(), c.logProbs(), c.values(),
                c.rewards(), c.terminated(), c.truncated(), c.bootstrapObservation(), c.segmentOffsets(), context, c.depth(),
                c.createdAtMicros());
    }

    @Test
    void serviceLoaderFindsBothProviders() {
        assertTrue(RewardModels.names().containsAll(List.of("writing-judge", "writing-scalar")), RewardModels.names().toString());
        try (RewardModel m = settings("tributary.reward-models { model = writing-judge, options { seed = 12, first-position-bias = 0.5 } }").create()) {
            WritingJudgeRewardModel w = assertInstanceOf(WritingJudgeRewardModel.class, m);
            assertEquals(12L, w.seed());
            assertEquals(0.5, assertInstanceOf(PrincipleJudge.class, w.judge()).settings().firstPositionBias());
        }
        try (RewardModel m = settings("tributary.reward-models { model = writing-scalar, options.bias = 0 }").create()) {
            assertEquals(0.0, assertInstanceOf(WritingScalarRewardModel.class, m).biasPerToken());
        }
    }

    @Test
    void badOptionsNameTheirKeyAndValue() {
        assertEquals("bad config: path=tributary.reward-models.options.judge, value=gpt, rule=must be one of [http, principle]",
                failure("tributary.reward-models { model = writing-judge, options.judge = gpt }"));
        assertEquals("bad config: path=tributary.reward-models.options.bias, value=-0.01, rule=must be >= 0 (a negative bias "
                + "would pay for brevity; 0 is the control)",
                failure("tributary.reward-models { model = writing-scalar, options.bias = -0.01 }"));
        assertTrue(failure("tributary.reward-models { model = writing-scalar, options.bais = 0.1 }")
                .startsWith("bad config: path=tributary.reward-models.options.bais, value=0.1, rule=unknown option"));
        assertTrue(failure("tributary.reward-models { model = writing-judge, options.seed = 1.5 }")
                .startsWith("bad config: path=tributary.reward-models.options.seed, value=1.5, rule=must be an integer"));
        assertEquals("bad config: path=tributary.reward-models.options.skew-threshold, value=1.5, rule=must lie in [0, 1]",
                failure("tributary.reward-models { model = writing-judge, options.skew-threshold = 1.5 }"));
        assertTrue(failure("tributary.reward-models { model = writing-judge, options { judge = http, fluency-points = 2 } }")
                .startsWith("bad config: path=tributary.reward-models.options.fluency-points, value=2, rule=a principle-judge "
                        + "constant applies only with judge = principle"));
        assertTrue(failure("tributary.reward-models { model = writing-scalar, options.keyword-points = -1 }")
                .startsWith("bad config: path=tributary.reward-models.options.keyword-points, value=-1"));
    }

    @Test
    void theHttpJudgeReadsItsSettingsFromTheRunConfig() {
        try (RewardModel m = settings("tributary.reward-models { model = writing-judge, options.judge = http, "
                + "judge.http.base-url = \"http://judge-box:9000\" }").create(ConfigFactory.parseString(
                        "tributary.reward-models.judge.http.base-url = \"http://judge-box:9000\"")
                .withFallback(ConfigFactory.defaultReference()).resolve())) {
            var judge = assertInstanceOf(io.tributary.rewards.writing.http.HttpPairwiseJudge.class,
                    ((WritingJudgeRewardModel) m).judge());
            assertEquals("http://judge-box:9000", judge.settings().baseUrl().toString());
        }
        // Start-up validates the HTTP settings of the run config through the provider.
        assertTrue(failure("tributary.reward-models { model = writing-judge, options.judge = http, "
                + "judge.http.base-url = \"ftp://judge-box\" }")
                .startsWith("bad config: path=tributary.reward-models.judge.http.base-url, value=ftp://judge-box"));
        // With judge = principle the HTTP settings are not read.
        try (RewardModel m = settings("tributary.reward-models { model = writing-judge, judge.http.base-url = \"http://x:1\" }").create()) {
            assertInstanceOf(PrincipleJudge.class, ((WritingJudgeRewardModel) m).judge());
        }
    }

    private static String failure(String overrides) {
        return assertThrows(SettingsException.class, () -> settings(overrides)).getMessage();
    }
}
