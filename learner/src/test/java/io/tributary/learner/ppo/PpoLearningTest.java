package io.tributary.learner.ppo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.learner.LearnerContext;
import io.tributary.learner.Learners;
import io.tributary.learner.PolicyInference;
import io.tributary.learner.PolicySpec;
import io.tributary.learner.TestChunks;
import io.tributary.learner.TestChunks.End;
import io.tributary.learner.UpdateReport;
import io.tributary.simulator.Space;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** PPO learns small contextual bandits, stepped in-process (one-step episodes). */
class PpoLearningTest {
    private static final int BATCH = 256;

    private static final String SETTINGS = "tributary.learner { device = cpu, seed = 3, ppo { hidden-sizes = [16], "
            + "batch-steps = 256, minibatch-size = 64, epochs = 4, learning-rate = 0.01, entropy-coef = 0.0 } }";

    /** A context for a bandit with {@code obs} context floats, created through the registry as a run would. */
    private static LearnerContext context(int obs, Space actions) {
        return LearnerContext.defaults(SETTINGS, Space.Box.uniform(obs, -1f, 1f), actions, "bandit", 1_000_000L);
    }

    /** Context c in {0, 1} is shown as [+-1, noise]; pulling arm c pays 1, the other arm 0. */
    @Test
    void categoricalPolicyLearnsTheTwoArmedContextualBandit() {
        LearnerContext s = context(2, new Space.Discrete(2));
        PolicySpec spec = Learners.policySpec(s);
        SplittableRandom rng = new SplittableRandom(17);
        try (PpoLearner l = (PpoLearner) Learners.create(s)) {
            double first = 0;
            double last = 0;
            for (int iter = 0; iter < 15; iter++) {
                PolicyInference inf = new PolicyInference(l.snapshot(), BATCH);
                float[] obs = new float[BATCH * 2];
                int[] ctx = new int[BATCH];
                for (int i = 0; i < BATCH; i++) {
                    ctx[i] = rng.nextInt(2);
                    obs[2 * i] = ctx[i] == 0 ? 1f : -1f;
                    obs[2 * i + 1] = (float) (0.1 * rng.nextGaussian());
                }
                float[] act = new float[BATCH];
                float[] lp = new float[BATCH];
                inf.act(obs, BATCH, act, lp, rng, false);
                double total = 0;
                for (int i = 0; i < BATCH; i++) {
                    float r = (int) act[i] == ctx[i] ? 1f : 0f;
                    total += r;
                    l.accept(TestChunks.chunk(2, 1, new float[] {obs[2 * i], obs[2 * i + 1]}, new float[] {act[i]},
                            new float[] {lp[i]}, new float[] {r}, new float[2], End.TERMINATED, i));
                }
                double mean = total / BATCH;
                if (iter == 0) {
                    first = mean;
                }
                last = mean;
                assertTrue(l.readyToUpdate());
                UpdateReport rep = l.update();
                assertTrue(rep.applied(), rep.skipReason());
            }
            assertTrue(first < 0.65, "initial mean reward " + first);
            assertTrue(last > 0.9, "final mean reward " + last + " (initial " + first + ")");
        }
    }

    /** Context c in {-1, 1}; the best action is 0.5 c; reward -(clip(a) - 0.5 c)^2. */
    @Test
    void gaussianPolicyLearnsAContinuousBandit() {
        LearnerContext s = context(1, Space.Box.uniform(1, -1f, 1f));
        PolicySpec spec = Learners.policySpec(s);
        SplittableRandom rng = new SplittableRandom(23);
        try (PpoLearner l = (PpoLearner) Learners.create(s)) {
            double first = 0;
            double last = 0;
            for (int iter = 0; iter < 25; iter++) {
                PolicyInference inf = new PolicyInference(l.snapshot(), BATCH);
                float[] obs = new float[BATCH];
                for (int i = 0; i < BATCH; i++) {
                    obs[i] = rng.nextBoolean() ? 1f : -1f;
                }
                float[] act = new float[BATCH];
                float[] lp = new float[BATCH];
                inf.act(obs, BATCH, act, lp, rng, false);
                double total = 0;
                for (int i = 0; i < BATCH; i++) {
                    float a = Math.max(-1f, Math.min(1f, act[i]));
                    float d = a - 0.5f * obs[i];
                    float r = -d * d;
                    total += r;
                    l.accept(TestChunks.chunk(1, 1, new float[] {obs[i]}, new float[] {act[i]}, new float[] {lp[i]},
                            new float[] {r}, new float[1], End.TERMINATED, i));
                }
                double mean = total / BATCH;
                if (iter == 0) {
                    first = mean;
                }
                last = mean;
                UpdateReport rep = l.update();
                assertTrue(rep.applied(), rep.skipReason());
            }
            assertTrue(last > first + 0.25 && last > -0.25, "final mean reward " + last + ", initial " + first);
        }
    }
}
