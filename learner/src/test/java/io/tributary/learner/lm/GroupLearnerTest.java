package io.tributary.learner.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.tributary.config.SettingsException;
import io.tributary.learner.Learner;
import io.tributary.learner.LearnerContext;
import io.tributary.learner.Learners;
import io.tributary.learner.PolicySnapshot;
import io.tributary.learner.PolicySpec;
import io.tributary.learner.ProductionQuota;
import io.tributary.learner.UpdateReport;
import io.tributary.rewards.ScoredChunk;
import io.tributary.rewards.writing.WritingChunk;
import io.tributary.simulator.Environment;
import io.tributary.simulator.Environments;
import io.tributary.simulator.Space;
import io.tributary.simulator.rollout.ChunkId;
import io.tributary.simulator.rollout.TrajectoryChunk;
import io.tributary.simulator.writing.WordTokenizer;
import io.tributary.simulator.writing.WritingGroups;
import io.tributary.simulator.writing.WritingPrompt;
import io.tributary.simulator.writing.WritingPrompts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The brpo / grpo learner fed hand-built scored writing group chunks ({@link WritingGroups#build} + rewards on
 * each response's last token, as the writing reward models put them), at a tiny model size over the real
 * tokenizer's vocabulary and the real prompts.
 */
class GroupLearnerTest {
    private static final String RUN = "group-learner-test";
    private static final PolicySpec SPEC = PolicySpec.sequence(WordTokenizer.STANDARD_SIZE, 8, 16, 16);
    private static final WordTokenizer TOKENIZER = WordTokenizer.standard();
    private static final Map<Integer, WritingPrompt> PROMPTS = WritingChunk.shippedPrompts();
    private static final UUID WORKER = new UUID(7, 11);
    private static final int CAP = 10;

    @TempDir
    Path tmp;

    private Path initFile(String name, PolicySpec spec, long seed) throws IOException {
        Path file = tmp.resolve(name);
        try (NDManager m = NDManager.newBaseManager(); GruLanguageModel lm = GruLanguageModel.create(m, spec, seed)) {
            LmModelFile.write(file, lm);
        }
        return file;
    }

    private static LearnerContext context(String algorithm, Path init, String extra) {
        return context(algorithm, init, extra, writingSpace(true), writingSpace(false));
    }

    private static LearnerContext context(String algorithm, Path init, String extra, Space obs, Space act) {
        String conf = "tributary.learner { algorithm = " + algorithm + ", device = cpu, seed = 3\n"
                + " policy { architecture = sequence, sequence { vocab-size = 4000, embedding-dim = 8, hidden-size = 16,"
                + " prompt-length = 16 } }\n"
                + " group { init-from = \"" + (init == null ? "" : init.toString().replace("\\", "/")) + "\","
                + " groups-per-version = 2, learning-rate = 1.0e-2, minibatch-size = 64 } }\n" + extra;
        return LearnerContext.defaults(conf, obs, act, RUN, 1_000_000);
    }

    private static Space writingSpace(boolean observation) {
        try (Environment env = Environments.create("Writing-v0", Map.of())) {
            return observation ? env.observationSpace() : env.actionSpace();
        }
    }

    private static GroupLearner learner(LearnerContext c) {
        return (GroupLearner) Learners.create(c);
    }

    /** A group of {@code rewards.length} responses sampled from {@code policy} for training prompt {@code k}. */
    private static ScoredChunk group(PolicySnapshot policy, int k, long seq, double[] rewards) {
        return group(policy, k, seq, rewards, -1);
    }

    /** As above; when {@code poisoned >= 0}, that response's first log-prob is made −1e30 (finite, absurd). */
    private static ScoredChunk group(PolicySnapshot policy, int k, long seq, double[] rewards, int poisoned) {
        WritingPrompt prompt = WritingPrompts.load().training().get(k);
        int[] tokens = TOKENIZER.promptTokens(prompt);
        LmSamples s;
        try (NDManager m = NDManager.newBaseManager(); GruLanguageModel lm = GruLanguageModel.fromSnapshot(m, policy, false)) {
            s = new LmSampler(lm).sampleGroup(tokens, rewards.length, CAP, 1f, seq);
        }
        List<WritingGroups.Response> responses = new ArrayList<>();
        for (int i = 0; i < s.rows(); i++) {
            float[] lp = s.logProbs()[i].clone();
            if (i == poisoned) {
                lp[0] = -1e30f;
            }
            responses.add(new WritingGroups.Response(s.tokens()[i], lp, s.endedBeforeCap()[i]));
        }
        TrajectoryChunk chunk = WritingGroups.build(new ChunkId(RUN, WORKER, seq), 0, seq, policy.version(), prompt.id(),
                tokens, responses, 1_000L);
        float[] stepRewards = WritingChunk.decode(chunk, PROMPTS, TOKENIZER).lastTokenRewards(rewards);
        return new ScoredChunk(chunk, stepRewards, "test", 1, 2_000L);
    }

    private static final double[] BRPO_MIXED = {1, -1, 1, -1, 0, 1, -1, -1};
    private static final double[] BRPO_SKEWED = {1, 1, 1, 1, 1, 0, 1, 1}; // |7| / 8 > 0.6
    private static final double[] SCALAR = {3.1, 5.2, 4.0, 2.2, 6.5, 3.3, 4.8, 5.0};

    private static double mean(double[] a) {
        return Arrays.stream(a).average().orElseThrow();
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double w = 0;
        for (int i = 0; i < a.length; i++) {
            w = Math.max(w, Math.abs(a[i] - b[i]));
        }
        return w;
    }

    @Test
    void brpoAndGrpoUpdateOnTheirQuotaOfGroupsAndPublishASequenceSnapshot() throws IOException {
        Path init = initFile("init.lm", SPEC, 5);
        for (String algorithm : List.of("brpo", "grpo")) {
            double[] rewards = algorithm.equals("brpo") ? BRPO_MIXED : SCALAR;
            LearnerContext c = context(algorithm, init, "tributary.learner.group.max-updates = 2");
            assertEquals(ProductionQuota.groups(2), Learners.quota(c));
            assertEquals(SPEC, Learners.policySpec(c));
            try (GroupLearner l = learner(c)) {
                assertEquals(algorithm, l.algorithm());
                float[] start = l.parameters();
                PolicySnapshot v0 = l.snapshot();
                assertEquals(0, v0.version());
                assertEquals(PolicySpec.Architecture.SEQUENCE, v0.spec().architecture());
                ScoredChunk a = group(v0, 0, 1, rewards);
                l.accept(a);
                assertFalse(l.readyToUpdate(), "the quota is 2 groups");
                l.accept(group(v0, 1, 2, rewards));
                assertTrue(l.readyToUpdate());

                UpdateReport r = l.update();
                assertTrue(r.applied(), r.skipReason());
                assertEquals(1, r.version());
                assertEquals(0, l.pendingGroups());
                assertEquals(2.0, r.stats().get("groups"));
                assertEquals(2.0, r.stats().get("groups_trained"));
                assertEquals(0.0, r.stats().get("groups_filtered"));
                assertEquals(mean(rewards), r.stats().get("mean_reward"), 1e-6, algorithm);
                assertEquals(mean(rewards), r.stats().get("mean_reward_trained"), 1e-6, algorithm);
                int words = 0;
                for (WritingGroups.Response resp : WritingGroups.read(a.chunk()).responses()) {
                    words += resp.words();
                }
                double len = r.stats().get("mean_response_length");
                assertTrue(len > 0 && len <= CAP, "mean words " + len + " (first group alone: " + words / 8.0 + ")");
                assertEquals(0.0, r.stats().get("clip_fraction"), "one minibatch at the sampling policy: ratio 1");
                assertEquals(0.0, r.stats().get("kl"), "kl-coef 0");
                assertEquals(0.0, r.stats().get("skipped_updates"));
                PolicySnapshot v1 = l.snapshot();
                assertEquals(1, v1.version());
                assertEquals(algorithm, v1.algorithm());
                assertEquals(PolicySpec.Architecture.SEQUENCE, v1.spec().architecture());
                assertArrayEquals(l.parameters(), v1.parameters());
                assertTrue(maxAbsDiff(start, v1.parameters()) > 1e-6, "the update moved the weights");
                assertEquals("", l.stopReason());

                l.accept(group(v1, 2, 3, rewards));
                l.accept(group(v1, 3, 4, rewards));
                assertTrue(l.update().applied());
                assertEquals("max-updates reached: updates=2", l.stopReason());
            }
        }
    }

    @Test
    void chunksTheLearnerCannotTrainAreRefusedAndNothingIsKept() throws IOException {
        Path init = initFile("init.lm", SPEC, 5);
        try (GroupLearner brpo = learner(context("brpo", init, ""));
             GroupLearner grpo = learner(context("grpo", init, ""))) {
            PolicySnapshot v0 = brpo.snapshot();
            ScoredChunk scalar = group(v0, 0, 1, SCALAR);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> brpo.accept(scalar));
            assertTrue(e.getMessage().contains("a BRPO reward must be +1, -1 or 0") && e.getMessage().contains("algorithm=brpo"),
                    e.getMessage());
            assertEquals(0, brpo.pendingGroups());
            grpo.accept(scalar); // the same chunk is a valid GRPO group
            assertEquals(1, grpo.pendingGroups());

            // a stepped chunk is not a writing group
            TrajectoryChunk w = scalar.chunk();
            TrajectoryChunk renamed = new TrajectoryChunk(w.id(), "CartPole-v1", w.envIndex(), w.episodeId(), w.chunkIndex(),
                    w.policyVersion(), w.steps(), w.observationSize(), w.observations(), w.actionSize(), w.actions(),
                    w.logProbs(), w.rewards(), w.values(), w.terminated(), w.truncated(), w.bootstrapObservation(),
                    w.segmentOffsets(), w.context(), w.depth(), w.createdAtMicros());
            IllegalArgumentException env = assertThrows(IllegalArgumentException.class,
                    () -> grpo.accept(new ScoredChunk(renamed, scalar.rewards(), "test", 1, 0)));
            assertTrue(env.getMessage().contains("envName=CartPole-v1"), env.getMessage());
            assertEquals(1, grpo.pendingGroups());
        }
    }

    @Test
    void filteredGroupsCountAsTrainedAndGiveNoGradient() throws IOException {
        Path init = initFile("init.lm", SPEC, 6);
        float[] start;
        PolicySnapshot v0;
        try (GroupLearner l = learner(context("brpo", init, ""))) {
            start = l.parameters();
            v0 = l.snapshot();
            l.accept(group(v0, 0, 1, BRPO_SKEWED));
            l.accept(group(v0, 1, 2, BRPO_SKEWED));
            UpdateReport r = l.update();
            assertTrue(r.applied(), "a version is made even when every group was filtered");
            assertEquals(1, r.version());
            assertEquals(2.0, r.stats().get("groups_trained"));
            assertEquals(2.0, r.stats().get("groups_filtered"));
            assertEquals(1.0, r.stats().get("groups_filtered_frac"));
            assertFalse(r.stats().containsKey("mean_reward_trained"), "no group trained");
            assertEquals(0.0, r.stats().get("minibatch_steps"));
            assertArrayEquals(start, l.parameters(), "filtered groups give no gradient");
            assertEquals(2, l.groupsTrained());
            assertEquals(2, l.groupsFiltered());

            l.accept(group(v0, 2, 3, BRPO_MIXED));
            l.accept(group(v0, 3, 4, BRPO_SKEWED));
            UpdateReport mixed = l.update();
            assertEquals(1.0, mixed.stats().get("groups_filtered"));
            assertEquals(mean(BRPO_MIXED), mixed.stats().get("mean_reward_trained"), 1e-9);
            assertEquals(4, l.groupsTrained());
            assertEquals(3, l.groupsFiltered());
        }
        // the same skewed groups under a threshold they pass do move the weights (so the check above can fail)
        try (GroupLearner l = learner(context("brpo", init, "tributary.learner.group.skew-threshold = 1.0"))) {
            l.accept(group(v0, 0, 1, BRPO_SKEWED));
            l.accept(group(v0, 1, 2, BRPO_SKEWED));
            UpdateReport r = l.update();
            assertEquals(0.0, r.stats().get("groups_filtered"));
            assertTrue(maxAbsDiff(start, l.parameters()) > 1e-6);
        }
    }

    @Test
    void aNonFiniteUpdateIsSkippedRolledBackAndNeverPublished() throws IOException {
        Path init = initFile("init.lm", SPEC, 7);
        for (String algorithm : List.of("brpo", "grpo")) {
            try (GroupLearner l = learner(context(algorithm, init, ""))) {
                float[] start = l.parameters();
                PolicySnapshot v0 = l.snapshot();
                double[] rewards = algorithm.equals("brpo") ? BRPO_MIXED : SCALAR;
                // response 1 has reward -1 (BRPO) / below the mean (GRPO): ratio exp(logp + 1e30) = inf, surrogate -inf
                l.accept(group(v0, 0, 1, rewards, 1));
                l.accept(group(v0, 1, 2, rewards));
                UpdateReport r = l.update();
                assertFalse(r.applied(), algorithm);
                assertTrue(r.skipReason().startsWith("non-finite"), r.skipReason());
                assertEquals(0, r.version());
                assertEquals(0, l.version());
                assertEquals(1.0, r.stats().get("skipped_updates"));
                assertEquals(0.0, r.stats().get("groups_trained"));
                assertEquals(0, l.pendingGroups(), "the groups of a skipped update are dropped");
                assertArrayEquals(start, l.parameters(), "weights rolled back");
                PolicySnapshot published = l.snapshot();
                assertEquals(0, published.version());
                assertArrayEquals(start, published.parameters(), "the unchanged policy is what gets published");
                for (float p : published.parameters()) {
                    assertTrue(Float.isFinite(p));
                }
                // the learner goes on with good data
                l.accept(group(v0, 2, 3, rewards));
                l.accept(group(v0, 3, 4, rewards));
                UpdateReport ok = l.update();
                assertTrue(ok.applied(), ok.skipReason());
                assertEquals(1, ok.version());
                assertEquals(1, l.updatesSkipped());
                assertEquals(2, l.updatesRun());
            }
        }
    }

    @Test
    void aCheckpointResumesTheSameWeightsOptimiserAndCounters() throws IOException {
        Path init = initFile("init.lm", SPEC, 8);
        LearnerContext c = context("brpo", init, "");
        Path dir = tmp.resolve("ckpt");
        java.nio.file.Files.createDirectories(dir);
        ScoredChunk next1;
        try (GroupLearner a = learner(c)) {
            PolicySnapshot v0 = a.snapshot();
            for (int u = 0; u < 2; u++) {
                a.accept(group(v0, 2 * u, 10 + 2 * u, BRPO_MIXED));
                a.accept(group(v0, 2 * u + 1, 11 + 2 * u, u == 1 ? BRPO_SKEWED : BRPO_MIXED));
                assertTrue(a.update().applied());
            }
            a.skipVersionsTo(5);
            a.accept(group(v0, 4, 20, BRPO_MIXED)); // accepted, not yet trained: it travels in the checkpoint
            a.save(dir);
            next1 = group(v0, 5, 21, BRPO_MIXED);

            try (GroupLearner b = learner(c)) {
                assertTrue(maxAbsDiff(a.parameters(), b.parameters()) > 1e-6, "a fresh learner starts elsewhere");
                b.restore(dir);
                assertArrayEquals(a.parameters(), b.parameters());
                assertEquals(5, b.version());
                assertEquals(2, b.updatesRun());
                assertEquals(4, b.groupsTrained());
                assertEquals(1, b.groupsFiltered());
                assertEquals(1, b.pendingGroups());
                assertEquals(5, b.snapshot().version());
                assertEquals(2, a.optimizerSteps(), "one minibatch step per update with trained groups");
                assertEquals(a.optimizerSteps(), b.optimizerSteps());
                // the next update is the same on both: weights, Adam moments, shuffling RNG and pending group restored
                a.accept(next1);
                b.accept(next1);
                UpdateReport ra = a.update();
                UpdateReport rb = b.update();
                assertEquals(6, ra.version());
                assertEquals(6, rb.version());
                assertEquals(ra.stats().get("groups"), rb.stats().get("groups"));
                assertEquals(2.0, rb.stats().get("groups"));
                assertArrayEquals(a.parameters(), b.parameters());
            }
        }
        // the wrong algorithm or another pre-trained model is refused
        try (GroupLearner g = learner(context("grpo", init, ""))) {
            IOException e = assertThrows(IOException.class, () -> g.restore(dir));
            assertTrue(e.getMessage().contains("algorithm mismatch"), e.getMessage());
        }
        Path other = initFile("other.lm", SPEC, 9);
        try (GroupLearner o = learner(context("brpo", other, ""))) {
            IOException e = assertThrows(IOException.class, () -> o.restore(dir));
            assertTrue(e.getMessage().contains("another pre-trained model"), e.getMessage());
        }
    }

    @Test
    void theKlReferenceIsThePretrainedModel() throws IOException {
        Path init = initFile("init.lm", SPEC, 10);
        try (GroupLearner l = learner(context("grpo", init, "tributary.learner.group.kl-coef = 0.5"))) {
            PolicySnapshot v0 = l.snapshot();
            l.accept(group(v0, 0, 1, SCALAR));
            l.accept(group(v0, 1, 2, SCALAR));
            assertEquals(0.0, l.update().stats().get("kl"), 1e-9, "the first update starts at the reference");
            PolicySnapshot v1 = l.snapshot();
            l.accept(group(v1, 2, 3, SCALAR));
            l.accept(group(v1, 3, 4, SCALAR));
            double kl = l.update().stats().get("kl");
            assertTrue(kl > 0, "moved away from the pre-trained model: kl=" + kl);
        }
    }

    private static String failure(LearnerContext c) {
        return assertThrows(SettingsException.class, () -> Learners.check(c)).getMessage();
    }

    @Test
    void badSettingsNameThePathValueAndRule() throws IOException {
        Path init = initFile("init.lm", SPEC, 5);
        Learners.check(context("brpo", init, ""));
        assertTrue(failure(context("brpo", null, "")).startsWith(
                "bad config: path=tributary.learner.group.init-from, value=, rule=must name a pre-trained model file"));
        Path missing = tmp.resolve("missing.lm");
        assertTrue(failure(context("grpo", missing, "")).startsWith("bad config: path=tributary.learner.group.init-from, value="
                + missing + ", rule=must be a readable file made by ./tributary pretrain-lm"), failure(context("grpo", missing, "")));
        Path notModel = tmp.resolve("not-a-model.lm");
        java.nio.file.Files.writeString(notModel, "hello, this is not a language model file at all");
        assertTrue(failure(context("brpo", notModel, "")).contains("rule=must be a language-model file made by pretrain-lm"));
        Path wide = initFile("wide.lm", PolicySpec.sequence(WordTokenizer.STANDARD_SIZE, 8, 24, 16), 5);
        assertTrue(failure(context("brpo", wide, "")).contains("path=tributary.learner.group.init-from")
                && failure(context("brpo", wide, "")).contains("must hold a model of the configured shape"
                + " (tributary.learner.policy.sequence): stored=vocab 4000, embedding 8, hidden 24, prompt 16"));

        assertEquals("bad config: path=tributary.learner.group.groups-per-version, value=0, rule=must be in [1, 1048576]",
                failure(context("brpo", init, "tributary.learner.group.groups-per-version = 0")));
        assertEquals("bad config: path=tributary.learner.group.skew-threshold, value=1.5, rule=must be in [0, 1]",
                failure(context("brpo", init, "tributary.learner.group.skew-threshold = 1.5")));
        assertEquals("bad config: path=tributary.learner.group.max-updates, value=-1, rule=must be >= 0 (0 = no limit)",
                failure(context("grpo", init, "tributary.learner.group.max-updates = -1")));
        assertEquals("bad config: path=tributary.learner.group.reward-mode, value=grpo, rule=must be auto or brpo when "
                + "tributary.learner.algorithm = brpo", failure(context("brpo", init, "tributary.learner.group.reward-mode = grpo")));
        Learners.check(context("grpo", init, "tributary.learner.group.reward-mode = grpo"));
        assertEquals("bad config: path=tributary.learner.policy.architecture, value=mlp, rule=must be sequence for a "
                + "language-model policy", failure(context("grpo", init, "tributary.learner.policy.architecture = mlp")));
        assertTrue(failure(context("brpo", init, "tributary.learner.policy.sequence.prompt-length = 2")).startsWith(
                "bad config: path=tributary.learner.policy.sequence.prompt-length, value=2, rule=must hold the environment's"
                        + " longest prompt"));
        assertTrue(failure(context("brpo", init, "", new Space.TokenIds(8, 3000), new Space.Discrete(3000))).startsWith(
                "bad config: path=tributary.learner.policy.sequence.vocab-size, value=4000, rule=must equal the environment's"
                        + " vocabulary"));
        IllegalArgumentException spaces = assertThrows(IllegalArgumentException.class, () -> Learners.check(
                context("brpo", init, "", Space.Box.uniform(4, -1, 1), new Space.Discrete(2))));
        assertTrue(spaces.getMessage().startsWith("algorithm brpo needs a writing environment"), spaces.getMessage());
    }
}
