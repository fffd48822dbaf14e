package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.tributary.learner.PolicySnapshot;
import io.tributary.learner.PolicySpec;
import io.tributary.learner.lm.GruLanguageModel;
import io.tributary.rewards.RewardModel;
import io.tributary.rewards.RewardModels;
import io.tributary.rewards.writing.WritingGroupFigures;
import io.tributary.rewards.writing.WritingRewardModel;
import io.tributary.simulator.rollout.ChunkId;
import io.tributary.simulator.rollout.TrajectoryChunk;
import io.tributary.simulator.writing.WordTokenizer;
import io.tributary.simulator.writing.WritingGroups;
import io.tributary.simulator.writing.WritingPrompt;
import io.tributary.simulator.writing.WritingPrompts;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The text rollout role's sampling, without Kafka: groups read back in the writing layout, carry the
 * sampler's log-probs (equal to the learner's teacher-forced recomputation), only training prompts are drawn,
 * group k is reproducible from (seed, k, weights), and a wrong policy is refused. Then the judge scorer's
 * figures on such a group feed the run's {@link JudgeFigures}.
 */
class TextGroupSamplerTest {
    private static final int G = 4;
    private static WordTokenizer tokenizer;
    private static WritingPrompts prompts;
    private static PolicySpec spec;
    private static NDManager manager;
    private static GruLanguageModel modelV1;
    private static GruLanguageModel modelV2;

    @BeforeAll
    static void setUp() {
        tokenizer = WordTokenizer.standard();
        prompts = WritingPrompts.load();
        int longest = 0;
        for (WritingPrompt p : prompts.all()) {
            longest = Math.max(longest, tokenizer.promptTokens(p).length);
        }
        // A tiny GRU over the real vocabulary: the layout and the bookkeeping do not depend on its size.
        spec = PolicySpec.sequence(tokenizer.size(), 8, 16, longest);
        manager = NDManager.newBaseManager();
        modelV1 = GruLanguageModel.create(manager, spec, 11L);
        modelV2 = GruLanguageModel.create(manager, spec, 12L);
    }

    @AfterAll
    static void tearDown() {
        modelV1.close();
        modelV2.close();
        manager.close();
    }

    private static TextGroupSampler sampler(long seed) {
        return new TextGroupSampler(tokenizer, prompts.training(), G, 1f, seed);
    }

    private static ChunkId id(long seq) {
        return new ChunkId("text-test", new UUID(1, 2), seq);
    }

    @Test
    void aGroupReadsBackInTheWritingLayoutWithTheSamplersLogProbs() {
        try (TextGroupSampler s = sampler(5)) {
            s.follow(modelV1.snapshot("text-test", 3, "brpo", 0L));
            TrajectoryChunk chunk = s.sampleGroup(id(0), 0, 7);
            WritingGroups.Group group = WritingGroups.read(chunk);
            WritingPrompt prompt = s.prompt(7);
            assertEquals(WritingGroups.ENV_NAME, chunk.envName());
            assertEquals(3, chunk.policyVersion());
            assertEquals(7, chunk.episodeId());
            assertEquals(G, group.size());
            assertEquals(G, chunk.segmentCount());
            assertEquals(prompt.id(), group.promptId());
            assertArrayEquals(tokenizer.promptTokens(prompt), group.promptTokens());
            assertFalse(WritingPrompts.isHeldOut(prompt), "drawn from the training split");
            List<int[]> ps = new ArrayList<>();
            List<int[]> rs = new ArrayList<>();
            for (WritingGroups.Response r : group.responses()) {
                assertTrue(r.length() <= prompt.lengthCap(), "capped at the prompt's cap: length=" + r.length());
                ps.add(group.promptTokens());
                rs.add(r.tokens());
            }
            // The chunk's log-probs are the ones the learner recomputes by teacher forcing (to 1e-4).
            float[][] recomputed = modelV1.logProbs(ps, rs, 1f);
            for (int i = 0; i < G; i++) {
                float[] sent = group.responses().get(i).logProbs();
                for (int t = 0; t < sent.length; t++) {
                    assertEquals(recomputed[i][t], sent[t], 1e-4, "response " + i + " token " + t);
                }
            }
        }
    }

    @Test
    void groupKIsReproducibleAndOnlyTrainingPromptsAreDrawn() {
        try (TextGroupSampler a = sampler(5); TextGroupSampler b = sampler(5); TextGroupSampler c = sampler(6)) {
            PolicySnapshot snap = modelV1.snapshot("text-test", 1, "brpo", 0L);
            a.follow(snap);
            b.follow(snap);
            c.follow(snap);
            TrajectoryChunk x = a.sampleGroup(id(0), 0, 2);
            TrajectoryChunk y = b.sampleGroup(id(1), 0, 2);
            assertArrayEquals(x.actions(), y.actions(), "same seed, same group: same responses");
            assertArrayEquals(x.context(), y.context());
            TrajectoryChunk z = a.sampleGroup(id(2), 0, 3);
            assertFalse(java.util.Arrays.equals(x.actions(), z.actions()), "another group, other responses");
            Set<Integer> drawnA = new HashSet<>();
            int differ = 0;
            for (long k = 0; k < 300; k++) {
                WritingPrompt p = a.prompt(k);
                assertFalse(WritingPrompts.isHeldOut(p), "held-out prompt drawn: id=" + p.id());
                drawnA.add(p.id());
                differ += p.id() != c.prompt(k).id() ? 1 : 0;
            }
            assertTrue(drawnA.size() > 100, "prompts spread over the training split: distinct=" + drawnA.size());
            assertTrue(differ > 250, "another seed draws other prompts: differ=" + differ);
        }
    }

    @Test
    void followingANewPolicyChangesTheSamplesAndTheVersion() {
        try (TextGroupSampler s = sampler(5)) {
            s.follow(modelV1.snapshot("text-test", 1, "brpo", 0L));
            TrajectoryChunk first = s.sampleGroup(id(0), 0, 4);
            s.follow(modelV2.snapshot("text-test", 2, "brpo", 0L));
            TrajectoryChunk second = s.sampleGroup(id(1), 0, 4);
            assertEquals(2, second.policyVersion());
            assertArrayEquals(first.context(), second.context(), "same group, same prompt");
            assertNotEquals(java.util.Arrays.toString(first.logProbs()), java.util.Arrays.toString(second.logProbs()),
                    "other weights, other log-probs");
        }
    }

    @Test
    void refusesAPolicyItCannotSampleFrom() {
        try (TextGroupSampler s = sampler(5)) {
            assertThrows(IllegalStateException.class, () -> s.sampleGroup(id(0), 0, 0), "no policy yet");
            PolicySpec mlp = PolicySpec.mlp(4, PolicySpec.Head.CATEGORICAL, 2, new int[] {8}, new float[0], new float[0]);
            PolicySnapshot notSequence = new PolicySnapshot("text-test", 1, "ppo", mlp,
                    new float[io.tributary.learner.PolicyInference.parameterCount(mlp)], new float[4], new float[4], 0L);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.follow(notSequence));
            assertTrue(e.getMessage().contains("architecture=MLP"), e.getMessage());
            PolicySpec smaller = PolicySpec.sequence(tokenizer.size() - 1, 8, 16, spec.observationSize());
            try (NDManager m = NDManager.newBaseManager();
                 GruLanguageModel wrongVocab = GruLanguageModel.create(m, smaller, 1L)) {
                e = assertThrows(IllegalArgumentException.class, () -> s.follow(wrongVocab.snapshot("text-test", 1, "brpo", 0L)));
                assertTrue(e.getMessage().contains("vocabSize=" + (tokenizer.size() - 1)), e.getMessage());
            }
            assertEquals(-1, s.version(), "a refused policy is not followed");
        }
        assertThrows(IllegalArgumentException.class, () -> new TextGroupSampler(tokenizer, prompts.training(), 1, 1f, 0));
        assertThrows(IllegalArgumentException.class, () -> new TextGroupSampler(tokenizer, List.of(), 4, 1f, 0));
    }

    /** A sampled group scored by the writing-judge plug-in: its figures feed the run's judge figures. */
    @Test
    void judgeFiguresAccumulateFromScoredGroups() {
        JudgeFigures run = new JudgeFigures();
        assertTrue(run.fields().isEmpty(), "no figures before the first group");
        List<WritingGroupFigures> seen = new ArrayList<>();
        try (TextGroupSampler s = sampler(9);
             RewardModel judge = RewardModels.create("writing-judge", Map.of("seed", "9"))) {
            ((WritingRewardModel) judge).setFiguresListener(seen::add);
            s.follow(modelV1.snapshot("text-test", 1, "brpo", 0L));
            for (long k = 0; k < 3; k++) {
                judge.scoreGroup(List.of(s.sampleGroup(id(k), 0, k)));
            }
        }
        assertEquals(3, seen.size(), "one figure set per scored group");
        long pairs = 0;
        long consistent = 0;
        int filtered = 0;
        for (WritingGroupFigures f : seen) {
            run.add(f);
            pairs += f.pairs().size();
            consistent += f.pairs().stream().filter(p -> p.outcome().consistent()).count();
            filtered += f.filtered() ? 1 : 0;
        }
        assertEquals(3, run.groups());
        assertTrue(pairs > 0, "BRPO judged pairs");
        assertEquals((double) consistent / pairs, run.swapConsistency(), 1e-12);
        assertEquals(filtered / 3.0, run.groupsFilteredFraction(), 1e-12);
        Map<String, Object> fields = run.fields();
        assertEquals("writing-judge", fields.get("judge_model"));
        assertEquals(3L, fields.get("judge_groups"));
        assertEquals(run.swapConsistency(), (double) fields.get("judge_swap_consistency"), 1e-12);
        assertEquals(seen.get(2).meanLength(), (double) fields.get("judge_last_mean_length"), 1e-12);
    }
}
