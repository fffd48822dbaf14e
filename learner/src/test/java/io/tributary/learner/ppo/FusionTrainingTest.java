package io.tributary.learner.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.learner.LearnerSettings;
import io.tributary.learner.PolicyInference;
import io.tributary.learner.PolicySettings;
import io.tributary.learner.PolicySnapshot;
import io.tributary.learner.PolicySpec;
import io.tributary.learner.RunningMeanStd;
import io.tributary.learner.TestChunks;
import io.tributary.learner.TestChunks.End;
import io.tributary.learner.UpdateReport;
import io.tributary.simulator.Space;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * PPO trains a fusion policy on a tiny composite-observation task whose answer is only in a token field:
 * each step shows a noise box ({@code state}) and one cue token ({@code cue}, vocabulary 4); action 1
 * pays 1 when the cue is 1 or 2, action 0 pays 1 when it is 0 or 3 (not a linear function of the id, so
 * the embedding has to learn it). Episodes have 4 steps; a random policy earns 2 on average.
 */
class FusionTrainingTest {
    private static final int EPISODE = 4;
    private static final int STATE = 3;
    private static final int OBS = STATE + 1;

    /** The task, stepped in the test. */
    private static final class CueTask {
        private final SplittableRandom rng;

        CueTask(long seed) {
            rng = new SplittableRandom(seed);
        }

        void observe(float[] obs, int off) {
            for (int i = 0; i < STATE; i++) {
                obs[off + i] = (float) (5.0 + 3.0 * rng.nextGaussian());
            }
            obs[off + STATE] = rng.nextInt(4);
        }

        static float reward(float[] obs, int off, float action) {
            int cue = (int) obs[off + STATE];
            int wanted = cue == 1 || cue == 2 ? 1 : 0;
            return (int) action == wanted ? 1f : 0f;
        }
    }

    private static PolicySpec spec(LearnerSettings s, PpoSettings ppo) {
        Map<String, Space> fields = new LinkedHashMap<>();
        fields.put("state", Space.Box.uniform(STATE, -100f, 100f));
        fields.put("cue", new Space.TokenIds(1, 4));
        return PolicySpec.forSpaces(s.policy(), new Space.Composite(fields), new Space.Discrete(2), ppo.hiddenSizes());
    }

    /** Mean episode return of {@code episodes} episodes, acting with {@code inf} (null = uniformly random). */
    private static double evaluate(PolicyInference inf, int episodes, long seed) {
        CueTask task = new CueTask(seed);
        SplittableRandom rng = new SplittableRandom(seed + 1);
        float[] obs = new float[OBS];
        float[] action = new float[1];
        float[] lp = new float[1];
        double total = 0;
        for (int e = 0; e < episodes; e++) {
            for (int t = 0; t < EPISODE; t++) {
                task.observe(obs, 0);
                if (inf == null) {
                    action[0] = rng.nextInt(2);
                } else {
                    inf.act(obs, 1, action, lp, rng, true);
                }
                total += CueTask.reward(obs, 0, action[0]);
            }
        }
        return total / episodes;
    }

    @Test
    void fusionPolicyLearnsFromTheTokenField() throws java.io.IOException {
        String config = "tributary.learner { device = cpu, seed = 11, "
                + "ppo { hidden-sizes = [16], batch-steps = 256, minibatch-size = 64, epochs = 4, learning-rate = 0.01, gamma = 0.9 }, "
                + "policy { architecture = fusion, branch-hidden-sizes = [8], embedding-dim = 4, "
                + "fields { state { normalize = true }, cue { hidden-sizes = [] } } } }";
        LearnerSettings s = LearnerSettings.defaults(config);
        PpoSettings ppo = PpoSettings.defaults(config, 1_000_000L);
        PolicySpec spec = spec(s, ppo);
        assertEquals(PolicySpec.Architecture.FUSION, spec.architecture());
        assertEquals(PolicySpec.Head.CATEGORICAL, spec.head());
        CueTask task = new CueTask(5);
        SplittableRandom rng = new SplittableRandom(6);
        try (PpoLearner l = new PpoLearner(s, ppo, spec, "fusion")) {
            double random = evaluate(null, 500, 99);
            double untrained = evaluate(new PolicyInference(l.snapshot(), 1), 500, 99);
            int env = 0;
            for (int iter = 0; iter < 12; iter++) {
                PolicyInference inf = new PolicyInference(l.snapshot(), EPISODE);
                while (!l.readyToUpdate()) {
                    float[] obs = new float[EPISODE * OBS];
                    float[] act = new float[EPISODE];
                    float[] lp = new float[EPISODE];
                    float[] rewards = new float[EPISODE];
                    for (int t = 0; t < EPISODE; t++) {
                        task.observe(obs, t * OBS);
                    }
                    inf.act(obs, EPISODE, act, lp, rng, false);
                    for (int t = 0; t < EPISODE; t++) {
                        rewards[t] = CueTask.reward(obs, t * OBS, act[t]);
                    }
                    l.accept(TestChunks.chunk(OBS, 1, obs, act, lp, rewards, new float[OBS], End.TERMINATED, env++ % 8));
                }
                UpdateReport rep = l.update();
                assertTrue(rep.applied(), rep.skipReason());
            }
            double trained = evaluate(new PolicyInference(l.snapshot(), 1), 500, 99);
            System.out.printf("fusion cue task, mean return over 500 episodes: random %.3f, untrained %.3f, trained %.3f%n",
                    random, untrained, trained);
            assertTrue(random > 1.8 && random < 2.2, "random policy return " + random);
            assertLearnerAndWorkerAgree(l, task);
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("fusion-ckpt");
            l.save(dir);
            try (PpoLearner other = new PpoLearner(s, ppo, spec, "fusion")) {
                other.restore(dir);
                org.junit.jupiter.api.Assertions.assertArrayEquals(l.snapshot().parameters(), other.snapshot().parameters());
                org.junit.jupiter.api.Assertions.assertArrayEquals(l.snapshot().observationMean(),
                        other.snapshot().observationMean());
            }
            assertTrue(trained > 3.5, "trained fusion policy return " + trained + " (random " + random + ", untrained "
                    + untrained + ")");
        }
    }

    /** The learner's DJL outputs and log-probs equal the worker's pure-Java ones for the trained fusion policy. */
    private static void assertLearnerAndWorkerAgree(PpoLearner l, CueTask task) {
        int n = 32;
        float[] obs = new float[n * OBS];
        for (int i = 0; i < n; i++) {
            task.observe(obs, i * OBS);
        }
        PolicyInference inf = new PolicyInference(l.snapshot(), n);
        float[] java = new float[n * 2];
        inf.forward(obs, n, java);
        float[] djl = l.policyOutputs(obs, n);
        for (int i = 0; i < java.length; i++) {
            assertEquals(djl[i], java[i], 1e-5, "output " + i);
        }
        float[] act = new float[n];
        float[] lp = new float[n];
        inf.act(obs, n, act, lp, new SplittableRandom(3), false);
        float[] djlLp = l.logProbs(obs, act, n);
        for (int i = 0; i < n; i++) {
            assertEquals(djlLp[i], lp[i], 1e-5, "logProb " + i);
        }
    }

    @Test
    void disablingAFieldIsASettingAndDropsItsBranch() {
        LearnerSettings s = LearnerSettings.defaults("tributary.learner.policy { architecture = fusion, "
                + "fields { cue { enabled = false } } }");
        PolicySpec spec = spec(s, PpoSettings.defaults("", 1_000_000L));
        assertTrue(!spec.fields().get(1).enabled());
        PolicySettings p = s.policy();
        assertEquals(Boolean.FALSE, p.fields().get("cue").enabled());
        // a disabled field has no parameters: the network is the state branch and the trunk alone
        int state = STATE * 64 + 64;
        int trunk = 64 * 64 + 64 + 64 * 64 + 64 + 64 * 2 + 2;
        assertEquals(state + trunk, PolicyInference.parameterCount(spec));
    }

    @Test
    void pooledNormalizationPublishesOneMeanAndVarianceForTheField() {
        String config = "tributary.learner { device = cpu, seed = 3, ppo { hidden-sizes = [8], batch-steps = 64, "
                + "minibatch-size = 32, epochs = 1, pooled-normalization-fields = [state] }, "
                + "policy { architecture = fusion, branch-hidden-sizes = [8], embedding-dim = 4 } }";
        LearnerSettings s = LearnerSettings.defaults(config);
        PpoSettings ppo = PpoSettings.defaults(config, 1_000_000L);
        PolicySpec spec = spec(s, ppo);
        SplittableRandom rng = new SplittableRandom(8);
        float[] all = new float[64 * STATE];
        try (PpoLearner l = new PpoLearner(s, ppo, spec, "pooled")) {
            PolicyInference inf = new PolicyInference(l.snapshot(), EPISODE);
            int env = 0;
            int row = 0;
            while (!l.readyToUpdate()) {
                float[] obs = new float[EPISODE * OBS];
                float[] act = new float[EPISODE];
                float[] lp = new float[EPISODE];
                for (int t = 0; t < EPISODE; t++) {
                    // element i of the box has its own scale: 1, 10, 100
                    for (int i = 0; i < STATE; i++) {
                        obs[t * OBS + i] = (float) (Math.pow(10, i) * rng.nextGaussian());
                        all[row * STATE + i] = obs[t * OBS + i];
                    }
                    obs[t * OBS + STATE] = rng.nextInt(4);
                    row++;
                }
                inf.act(obs, EPISODE, act, lp, rng, false);
                l.accept(TestChunks.chunk(OBS, 1, obs, act, lp, new float[EPISODE], new float[OBS], End.TERMINATED,
                        env++ % 8));
            }
            assertTrue(l.update().applied());
            PolicySnapshot snap = l.snapshot();
            float[] mean = snap.observationMean();
            float[] var = snap.observationVar();
            RunningMeanStd perElement = new RunningMeanStd(STATE);
            perElement.update(all, 64);
            float[] expectedMean = perElement.meanAsFloats();
            float[] expectedVar = perElement.varAsFloats();
            RunningMeanStd.poolInPlace(expectedMean, expectedVar, 0, STATE);
            for (int i = 0; i < STATE; i++) {
                assertEquals(expectedMean[0], mean[i], 1e-4f * Math.max(1f, Math.abs(expectedMean[0])));
                assertEquals(expectedVar[0], var[i], 1e-4f * expectedVar[0]);
            }
            // without pooling, element 0 (scale 1) and element 2 (scale 100) would differ 10,000-fold in variance
            assertTrue(perElement.var(2) > 1000 * perElement.var(0));

            // the checkpoint carries the list: the same list restores the same inputs, another one is refused
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("pooled-ckpt");
            l.save(dir);
            try (PpoLearner same = new PpoLearner(s, ppo, spec, "pooled")) {
                same.restore(dir);
                org.junit.jupiter.api.Assertions.assertArrayEquals(var, same.snapshot().observationVar());
            }
            String plain = config.replace("pooled-normalization-fields = [state]", "");
            PpoSettings plainPpo = PpoSettings.defaults(plain, 1_000_000L);
            try (PpoLearner other = new PpoLearner(LearnerSettings.defaults(plain), plainPpo, spec, "plain")) {
                float[] before = other.snapshot().parameters();
                java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                        () -> other.restore(dir));
                assertTrue(e.getMessage().startsWith("checkpoint normalisation mismatch"), e.getMessage());
                assertTrue(e.getMessage().contains("pooled-normalization-fields=[state]"), e.getMessage());
                org.junit.jupiter.api.Assertions.assertArrayEquals(before, other.snapshot().parameters());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void pooledNormalizationRefusesAnUnknownOrTokenField() {
        for (String field : new String[] {"lidar", "cue"}) {
            String config = "tributary.learner { device = cpu, ppo { pooled-normalization-fields = [" + field + "] }, "
                    + "policy { architecture = fusion } }";
            LearnerSettings s = LearnerSettings.defaults(config);
            PpoSettings ppo = PpoSettings.defaults(config, 1_000_000L);
            PolicySpec spec = spec(s, ppo);
            io.tributary.config.SettingsException e = org.junit.jupiter.api.Assertions.assertThrows(
                    io.tributary.config.SettingsException.class, () -> new PpoLearner(s, ppo, spec, "bad").close());
            assertTrue(e.getMessage().contains("tributary.learner.ppo.pooled-normalization-fields"), e.getMessage());
            assertTrue(e.getMessage().contains(field), e.getMessage());
        }
    }
}
