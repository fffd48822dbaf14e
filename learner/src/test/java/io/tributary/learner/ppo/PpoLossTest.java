package io.tributary.learner.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tributary.config.SettingsException;
import io.tributary.learner.PolicySpec;
import io.tributary.learner.nn.Arrays64;
import io.tributary.learner.nn.Initializers;
import io.tributary.simulator.random.SplitMix64;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Terms of the PPO loss. The surrogate's dual clip: one sample whose probability ratio exploded (old log-prob 60 nats
 * below the current one) with a negative advantage. Without the dual clip it owns the minibatch's gradient (or makes
 * it infinite); with it, the sample adds exactly what a zero advantage adds: nothing. The action-bound loss: a mean
 * past the widened bounds is penalised by exactly its squared excess, one inside them not at all.
 */
class PpoLossTest {

    private static final PolicySpec SPEC =
            new PolicySpec(5, PolicySpec.Head.GAUSSIAN, 2, new int[] {8, 6}, new float[] {-1f, -1f}, new float[] {1f, 1f});
    private static final int N = 16;
    private static final int OUTLIER = 3;

    private static PpoSettings ppo(double dualClip) {
        return PpoSettings.defaults("tributary.learner.ppo { hidden-sizes = [8, 6], dual-clip = " + dualClip + " }", 1000);
    }

    /** The defaults with the action-bound loss at weight 2. */
    private static PpoSettings withBoundLoss() {
        return PpoSettings.defaults("tributary.learner.ppo { hidden-sizes = [8, 6], bound-loss-coef = 2 }", 1000);
    }

    /** Gradient (flattened) and loss terms of one minibatch; {@code outlierAdvantage} is the outlier's advantage. */
    private static float[] gradient(NDManager base, PpoSettings ppo, float outlierAdvantage, float[] lossOut) {
        return gradient(base, ppo, 0.01, outlierAdvantage, lossOut, null);
    }

    /**
     * As above with the policy output layer's init gain {@code outputGain} (large: means far outside [-1, 1]);
     * {@code meansOut}, when not null, receives the actor's means (N x 2); {@code lossOut[3..4]}, when there, the loss
     * and the bound loss.
     */
    private static float[] gradient(NDManager base, PpoSettings ppo, double outputGain, float outlierAdvantage,
                                    float[] lossOut, float[] meansOut) {
        return gradient(base, ppo, outputGain, outlierAdvantage, lossOut, meansOut, null);
    }

    /** As above with per-sample behaviour weights ({@code null}: none, the path of on-policy data). */
    private static float[] gradient(NDManager base, PpoSettings ppo, double outputGain, float outlierAdvantage,
                                    float[] lossOut, float[] meansOut, float[] weights) {
        try (NDManager sub = base.newSubManager()) {
            ActorCritic net = new ActorCritic(sub, SPEC);
            SplitMix64 rng = new SplitMix64(11);
            net.load(Initializers.policy(net.actor, Math.sqrt(2), outputGain, rng),
                    Initializers.policy(net.critic, Math.sqrt(2), 1.0, rng));
            SplittableRandom r = new SplittableRandom(5);
            float[] obs = new float[N * 5];
            float[] actions = new float[N * 2];
            float[] adv = new float[N];
            float[] ret = new float[N];
            for (int i = 0; i < obs.length; i++) {
                obs[i] = (float) r.nextGaussian();
            }
            for (int i = 0; i < actions.length; i++) {
                actions[i] = (float) r.nextGaussian();
            }
            for (int i = 0; i < N; i++) {
                adv[i] = (float) r.nextGaussian();
                ret[i] = (float) r.nextGaussian();
            }
            adv[OUTLIER] = outlierAdvantage;
            NDArray obsArr = Arrays64.create(sub, obs, new Shape(N, 5));
            NDArray actArr = Arrays64.create(sub, actions, new Shape(N, 2));
            // old log-probs: the current ones, except the outlier's, 60 nats lower (ratio e^60, beyond float range)
            float[] logp = SPEC.head().impl().distribution(sub, net.actorOutputs(obsArr, net.detached(sub)),
                    net.actorTail(net.detached(sub)), SPEC).logProb(actArr).toFloatArray();
            logp[OUTLIER] -= 60f;
            Minibatch m = new Minibatch(N, obsArr, actArr, Arrays64.create(sub, logp, new Shape(N)),
                    Arrays64.create(sub, adv, new Shape(N)), Arrays64.create(sub, ret, new Shape(N)),
                    Arrays64.create(sub, new float[N], new Shape(N)),
                    weights == null ? null : Arrays64.create(sub, weights, new Shape(N)));
            NDArray[] grads = new NDArray[net.params.length];
            PpoLoss loss = PpoLoss.backward(sub, net, m, ppo, false, grads);
            lossOut[0] = loss.policyLoss();
            lossOut[1] = loss.gradNorm();
            lossOut[2] = loss.approxKl();
            if (lossOut.length >= 5) {
                lossOut[3] = loss.loss();
                lossOut[4] = loss.boundLoss();
            }
            if (meansOut != null) {
                float[] means = net.actorOutputs(obsArr, net.detached(sub)).toFloatArray();
                System.arraycopy(means, 0, meansOut, 0, means.length);
            }
            int total = 0;
            for (NDArray g : grads) {
                total += (int) g.size();
            }
            float[] flat = new float[total];
            int off = 0;
            for (NDArray g : grads) {
                float[] part = g.toFloatArray();
                System.arraycopy(part, 0, flat, off, part.length);
                off += part.length;
            }
            return flat;
        }
    }

    @Test
    void dualClipTakesAnExplodedNegativeSampleOutOfTheGradient() {
        try (NDManager base = NDManager.newBaseManager()) {
            float[] plain = new float[3];
            gradient(base, ppo(0), -1f, plain);
            assertTrue(!Float.isFinite(plain[1]) || plain[1] > 1e6f,
                    "without the dual clip the outlier owns the gradient: norm=" + plain[1]);

            float[] dual = new float[3];
            float[] zeroAdv = new float[3];
            float[] g = gradient(base, ppo(3), -1f, dual);
            float[] g0 = gradient(base, ppo(3), 0f, zeroAdv);
            assertTrue(Float.isFinite(dual[1]) && dual[1] < 100f, "gradient norm with the dual clip: " + dual[1]);
            assertArrayEquals(g0, g, 1e-6f, "the outlier adds no gradient");
            // its term is the floor c * A = -3, so the mean loss is 3 / N above the zero-advantage one
            assertEquals(3.0 / N, dual[0] - zeroAdv[0], 1e-5);
            // the KL figure still shows the explosion
            assertTrue(!Float.isFinite(dual[2]) || dual[2] > 1e20f, "approx KL: " + dual[2]);
        }
    }

    @Test
    void aSampleOfWeightZeroAddsNoGradientAndNoKl() {
        try (NDManager base = NDManager.newBaseManager()) {
            float[] ones = new float[N];
            java.util.Arrays.fill(ones, 1f);
            float[] outlierOff = ones.clone();
            outlierOff[OUTLIER] = 0f;

            // Weighted by 0, the exploded sample (ratio e^60, negative advantage, no dual clip) adds nothing: the
            // gradient is the one it has with advantage 0, and the KL is the other samples' (finite and small).
            float[] w = new float[3];
            float[] w0 = new float[3];
            float[] g = gradient(base, ppo(0), 0.01, -1f, w, null, outlierOff);
            float[] g0 = gradient(base, ppo(0), 0.01, 0f, w0, null, outlierOff);
            assertTrue(Float.isFinite(w[1]) && w[1] < 100f, "gradient norm: " + w[1]);
            assertArrayEquals(g0, g, 1e-6f, "the weight-0 sample adds no gradient");
            assertEquals(w0[0], w[0], 1e-6f, "nor any loss");
            assertTrue(Float.isFinite(w[2]) && Math.abs(w[2]) < 1e-4f, "approx KL of the others (ratio 1): " + w[2]);

            // Unweighted, the same sample owns the gradient (dualClipTakesAnExplodedNegativeSampleOutOfTheGradient).
            float[] plain = new float[3];
            gradient(base, ppo(0), 0.01, -1f, plain, null, null);
            assertTrue(!Float.isFinite(plain[1]) || plain[1] > 1e6f, "unweighted gradient norm: " + plain[1]);

            // Weights of 1 are the on-policy path.
            float[] one = new float[3];
            float[] none = new float[3];
            float[] dual = gradient(base, ppo(3), 0.01, -1f, one, null, ones);
            float[] dualNone = gradient(base, ppo(3), 0.01, -1f, none, null, null);
            assertArrayEquals(dualNone, dual, 1e-6f);
            assertEquals(none[0], one[0], 1e-6f);
        }
    }

    @Test
    void behaviourWeightIsTheTruncatedDensityRatio() {
        assertEquals(1f, PpoBatch.behaviourWeight(-1f, -1f), 0f, "symmetric policy: the copy trains like a real sample");
        assertEquals(1f, PpoBatch.behaviourWeight(2f, -1f), 0f, "truncated at 1");
        assertEquals((float) Math.exp(-3), PpoBatch.behaviourWeight(-4f, -1f), 1e-7f);
        assertEquals(0f, PpoBatch.behaviourWeight(-3000f, -1f), 0f, "a copy deep in the tail does not train");
    }

    @Test
    void dualClipMustExceedOne() {
        SettingsException e = assertThrows(SettingsException.class, () -> ppo(0.5));
        assertTrue(e.getMessage().contains("tributary.learner.ppo.dual-clip") && e.getMessage().contains("0.5"), e.getMessage());
    }

    @Test
    void boundLossIsTheSquaredExcessOfMeansBeyondTheWidenedBounds() {
        try (NDManager base = NDManager.newBaseManager()) {
            // output gain 20: means of several action units, most of them beyond +-1.1
            float[] off = new float[5];
            float[] on = new float[5];
            float[] means = new float[N * 2];
            float[] gOff = gradient(base, ppo(0), 20.0, 0.5f, off, means);
            float[] gOn = gradient(base, withBoundLoss(), 20.0, 0.5f, on, null);
            double expected = 0;
            for (float mu : means) {
                double excess = Math.max(0, mu - 1.1) + Math.max(0, -1.1 - mu);
                expected += excess * excess;
            }
            expected /= N;
            assertTrue(expected > 1, "the test needs means well beyond the bounds: " + expected);
            assertEquals(0f, off[4], "no bound loss when the coefficient is 0");
            assertEquals(expected, on[4], 1e-4 * expected, "bound loss");
            assertEquals(off[3] + 2 * expected, on[3], 1e-4 * expected, "total loss = the rest + coef * bound loss");
            assertEquals(off[0], on[0], 1e-6f, "the surrogate is unchanged");
            double dot = 0;
            for (int i = 0; i < gOn.length; i++) {
                dot += (gOn[i] - gOff[i]) * (double) (gOn[i] - gOff[i]);
            }
            assertTrue(dot > 1e-6, "the bound loss adds gradient");
        }
    }

    @Test
    void boundLossIsZeroForMeansInsideTheWidenedBounds() {
        try (NDManager base = NDManager.newBaseManager()) {
            float[] off = new float[5];
            float[] on = new float[5];
            float[] means = new float[N * 2];
            float[] gOff = gradient(base, ppo(0), 0.01, 0.5f, off, means);
            float[] gOn = gradient(base, withBoundLoss(), 0.01, 0.5f, on, null);
            for (float mu : means) {
                assertTrue(Math.abs(mu) < 1.1f, "mean inside the widened bounds: " + mu);
            }
            assertEquals(0f, on[4]);
            assertArrayEquals(gOff, gOn, 0f, "inside the widened bounds the term adds nothing");
        }
    }

    @Test
    void boundLossCoefficientMustBeNonNegative() {
        SettingsException e = assertThrows(SettingsException.class, () -> PpoSettings.defaults(
                "tributary.learner.ppo { bound-loss-coef = -1 }", 1000));
        assertTrue(e.getMessage().contains("tributary.learner.ppo.bound-loss-coef") && e.getMessage().contains("-1"),
                e.getMessage());
    }
}
