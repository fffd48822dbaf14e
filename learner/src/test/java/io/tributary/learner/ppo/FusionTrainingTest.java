package io.tributary.learner.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.learner.LearnerSettings;
import io.tributary.learner.PolicyInference;
import io.tributary.learner.PolicySettings;
import io.tributary.learner.PolicySpec;
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
}
