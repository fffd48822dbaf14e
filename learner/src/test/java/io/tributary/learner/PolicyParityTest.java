package io.tributary.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.tributary.learner.heads.ActionHead;
import io.tributary.learner.heads.TanhGaussianHead;
import io.tributary.learner.nn.Arrays64;
import io.tributary.learner.nn.DjlPolicyNetwork;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Pure-Java worker inference against the learner's DJL network, per architecture (tanh MLP, relu MLP,
 * fusion of a box and a token field) and head (categorical, Gaussian, bounded Gaussian, tanh-Gaussian): network outputs
 * and log-probabilities agree to 1e-5.
 */
class PolicyParityTest {
    private static final int N = 48;
    private static final int OBS_BOX = 5;
    private static final int TOKENS = 3;
    private static final int VOCAB = 7;

    private static PolicySpec spec(String arch, PolicySpec.Head head) {
        int actions = head == PolicySpec.Head.CATEGORICAL ? 4 : 2;
        float[] low = head == PolicySpec.Head.CATEGORICAL ? new float[0] : new float[] {-1f, -2f};
        float[] high = head == PolicySpec.Head.CATEGORICAL ? new float[0] : new float[] {1f, 0.5f};
        switch (arch) {
            case "mlp-tanh":
                return new PolicySpec(OBS_BOX + TOKENS, head, actions, new int[] {16, 8}, low, high);
            case "mlp-relu":
                return new PolicySpec(PolicySpec.Architecture.MLP, PolicySpec.Activation.RELU,
                        List.of(ObservationField.box("state", OBS_BOX, true), ObservationField.box("raw", TOKENS, false)),
                        new int[] {16, 8}, head, actions, low, high);
            default:
                return new PolicySpec(PolicySpec.Architecture.FUSION, PolicySpec.Activation.TANH,
                        List.of(ObservationField.box("state", OBS_BOX, true, new int[] {12, 6}),
                                ObservationField.tokens("scene", TOKENS, VOCAB, 4, new int[] {10}),
                                ObservationField.box("ignored", 2, true).withEnabled(false)),
                        new int[] {16}, head, actions, low, high);
        }
    }

    private static float[] observations(PolicySpec spec, SplittableRandom rng) {
        int size = spec.observationSize();
        float[] obs = new float[N * size];
        for (int s = 0; s < N; s++) {
            int off = 0;
            for (ObservationField f : spec.fields()) {
                for (int i = 0; i < f.size(); i++) {
                    obs[s * size + off + i] = f.kind() == ObservationField.Kind.TOKENS || f.name().equals("raw")
                            ? rng.nextInt(VOCAB) : (float) (0.5 + 2.0 * rng.nextGaussian());
                }
                off += f.size();
            }
        }
        return obs;
    }

    private static PolicySnapshot snapshot(PolicySpec spec, SplittableRandom rng) {
        float[] params = new float[PolicyInference.parameterCount(spec)];
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) (0.4 * rng.nextGaussian());
        }
        int size = spec.observationSize();
        float[] mean = new float[size];
        float[] var = new float[size];
        for (int i = 0; i < size; i++) {
            mean[i] = (float) (0.3 * rng.nextGaussian());
            var[i] = (float) (0.5 + rng.nextDouble() * 3);
        }
        return new PolicySnapshot("parity", 3, "test", spec, params, mean, var, 0L);
    }

    @Test
    void pureJavaInferenceMatchesDjlForEveryArchitectureAndHead() {
        List<String> checked = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (String arch : List.of("mlp-tanh", "mlp-relu", "fusion")) {
                for (PolicySpec.Head head : PolicySpec.Head.values()) {
                    SplittableRandom rng = new SplittableRandom(arch.hashCode() * 31L + head.ordinal());
                    PolicySpec spec = spec(arch, head);
                    PolicySnapshot snap = snapshot(spec, rng);
                    float[] obs = observations(spec, rng);
                    PolicyInference inf = new PolicyInference(snap, N);
                    PolicyLayout layout = PolicyLayout.actor(spec);
                    int width = layout.outputWidth();
                    float[] javaOut = new float[N * width];
                    inf.forward(obs, N, javaOut);
                    float[] actions = new float[N * spec.actionFloats()];
                    float[] javaLp = new float[N];
                    inf.act(obs, N, actions, javaLp, new SplittableRandom(5), false);
                    float[] javaLp2 = new float[N];
                    inf.logProbs(obs, N, actions, javaLp2);

                    try (NDManager sub = manager.newSubManager()) {
                        NDArray[] params = new NDArray[layout.arrayCount()];
                        DjlPolicyNetwork.create(sub, layout, snap.parameters(), params, 0);
                        float[] norm = new float[obs.length];
                        PolicyInference.normalize(obs, 0, norm, 0, N, snap.observationMean(),
                                PolicyInference.normalizerStd(snap.observationVar()), spec.normalizedMask());
                        NDArray x = Arrays64.create(sub, norm, new Shape(N, spec.observationSize()));
                        NDArray out = DjlPolicyNetwork.forward(x, params, 0, layout);
                        float[] djlOut = out.toFloatArray();
                        String what = arch + "/" + head;
                        assertEquals(javaOut.length, djlOut.length, what);
                        for (int i = 0; i < djlOut.length; i++) {
                            assertEquals(djlOut[i], javaOut[i], 1e-5, what + " output " + i);
                        }
                        ActionHead h = head.impl();
                        ActionHead.Distribution dist = h.distribution(sub, out, DjlPolicyNetwork.tail(params, 0, layout), spec);
                        float[] djlLp = dist.logProb(staged(sub, h, spec, actions)).toFloatArray();
                        for (int i = 0; i < N; i++) {
                            assertEquals(djlLp[i], javaLp2[i], 1e-5 * Math.max(1, Math.abs(djlLp[i])), what + " logProb " + i);
                            if (head != PolicySpec.Head.TANH_GAUSSIAN) {
                                // (a squashed action is rounded to float near a bound, so re-scoring it moves its log-prob;
                                // the sampled log-probs are compared through the reparameterised DJL sample instead)
                                assertEquals(djlLp[i], javaLp[i], 1e-5 * Math.max(1, Math.abs(djlLp[i])), what + " sampled " + i);
                            }
                        }
                        if (head == PolicySpec.Head.TANH_GAUSSIAN) {
                            checkReparameterisedSample(sub, (TanhGaussianHead.TanhDistribution) dist, spec, actions, javaLp, what);
                        }
                        checked.add(what);
                    }
                }
            }
        }
        assertEquals(12, checked.size(), checked.toString());
    }

    /** SAC's path: the DJL sample from the same standard-normal draws gives the same actions and log-probs. */
    private static void checkReparameterisedSample(NDManager sub, TanhGaussianHead.TanhDistribution dist, PolicySpec spec,
                                                   float[] actions, float[] javaLp, String what) {
        SplittableRandom rng = new SplittableRandom(5);
        float[] noise = new float[N * spec.actionSize()];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) rng.nextGaussian();
        }
        NDList sample = dist.sample(sub.create(noise, new Shape(N, spec.actionSize())));
        float[] a = sample.get(0).toFloatArray();
        float[] lp = sample.get(1).toFloatArray();
        for (int i = 0; i < a.length; i++) {
            assertEquals(actions[i], a[i], 1e-5, what + " sampled action " + i);
            assertTrue(a[i] >= spec.actionLow()[i % 2] && a[i] <= spec.actionHigh()[i % 2], what + " bounds " + i);
        }
        for (int i = 0; i < N; i++) {
            assertEquals(javaLp[i], lp[i], 1e-5 * Math.max(1, Math.abs(lp[i])), what + " sampled logProb " + i);
        }
    }

    private static NDArray staged(NDManager sub, ActionHead h, PolicySpec spec, float[] actions) {
        int w = h.stagedActionWidth(spec.actionSize());
        ByteBuffer buf = Arrays64.allocate(N * w);
        for (int i = 0; i < N; i++) {
            h.stageAction(actions, i * spec.actionFloats(), spec.actionSize(), buf);
        }
        buf.flip();
        return sub.create(buf, new Shape(N, w), DataType.FLOAT32);
    }

    @Test
    void tanhGaussianLogProbIncludesTheJacobian() {
        // one dimension, bounds [-1, 3] (centre 1, half-range 2), network output mu = 0.3, raw log sigma = 9 (clipped to 2)
        PolicySpec spec = new PolicySpec(PolicySpec.Architecture.MLP, PolicySpec.Activation.TANH,
                List.of(ObservationField.box("x", 1, false)), new int[0], PolicySpec.Head.TANH_GAUSSIAN, 1,
                new float[] {-1f}, new float[] {3f});
        float[] params = {0f, 0f, 0.3f, 9f}; // W[1][2] = 0, b = [0.3, 9]
        PolicyInference inf = new PolicyInference(new PolicySnapshot("r", 0, "t", spec, params, new float[1], new float[] {1f}, 0L), 1);
        float[] action = new float[1];
        float[] lp = new float[1];
        inf.act(new float[] {0f}, 1, action, lp, null, true);
        assertEquals(1.0 + 2.0 * Math.tanh(0.3), action[0], 1e-6);
        double sigma = Math.exp(2.0);
        double expected = -Math.log(sigma) - 0.5 * Math.log(2 * Math.PI) - Math.log(2.0) - Math.log(1 - Math.pow(Math.tanh(0.3), 2));
        assertEquals(expected, lp[0], 1e-5);
    }

    @Test
    void boundedGaussianMeanStaysInsideTheBoundsWhereThePlainMeanLeavesThem() {
        // one dimension, bounds [-1, 3] (centre 1, half-range 2); W = 0, b = network output u, log std -1
        for (float u : new float[] {-40f, -0.7f, 0f, 0.3f, 5f, 40f}) {
            float[] params = {0f, u, -1f};
            float[] action = new float[1];
            float[] lp = new float[1];
            PolicyInference bounded = oneDimension(PolicySpec.Head.BOUNDED_GAUSSIAN, params);
            bounded.act(new float[] {0f}, 1, action, lp, null, true);
            double mean = 1.0 + 2.0 * Math.tanh(u);
            assertEquals(mean, action[0], 1e-6, "u=" + u);
            assertTrue(action[0] >= -1f && action[0] <= 3f, "bounded mean " + action[0] + " for u=" + u);
            // the log-prob is a plain Gaussian's around the squashed mean (no Jacobian: the sample is not squashed)
            float[] probe = {(float) (mean + 0.25)};
            float[] probeLp = new float[1];
            bounded.logProbs(new float[] {0f}, 1, probe, probeLp);
            double z = (probe[0] - mean) / Math.exp(-1.0);
            assertEquals(-0.5 * z * z + 1.0 - 0.5 * Math.log(2 * Math.PI), probeLp[0], 1e-5, "u=" + u);

            PolicyInference plain = oneDimension(PolicySpec.Head.GAUSSIAN, params);
            plain.act(new float[] {0f}, 1, action, lp, null, true);
            assertEquals(u, action[0], 1e-6, "the plain Gaussian's mean is the output itself");
        }
    }

    private static PolicyInference oneDimension(PolicySpec.Head head, float[] params) {
        PolicySpec spec = new PolicySpec(PolicySpec.Architecture.MLP, PolicySpec.Activation.TANH,
                List.of(ObservationField.box("x", 1, false)), new int[0], head, 1, new float[] {-1f}, new float[] {3f});
        return new PolicyInference(new PolicySnapshot("r", 0, "t", spec, params, new float[1], new float[] {1f}, 0L), 1);
    }

    @Test
    void unnormalisedFieldsPassRawAndNormalisedOnesAreClipped() {
        // identity network: two box fields of one float each, W = I, b = 0, categorical over 2 "actions" = the inputs
        PolicySpec spec = new PolicySpec(PolicySpec.Architecture.MLP, PolicySpec.Activation.TANH,
                List.of(ObservationField.box("lidar", 1, false), ObservationField.box("speed", 1, true)), new int[0],
                PolicySpec.Head.CATEGORICAL, 2, new float[0], new float[0]);
        float[] params = {1f, 0f, 0f, 1f, 0f, 0f};
        PolicyInference inf = new PolicyInference(new PolicySnapshot("r", 0, "t", spec, params, new float[2],
                new float[] {1f, 1f}, 0L), 1);
        float[] out = new float[2];
        inf.forward(new float[] {100f, 100f}, 1, out);
        assertEquals(100f, out[0]);
        assertEquals(PolicyInference.OBS_CLIP, out[1]);
    }

    @Test
    void tokenIdsOutsideTheVocabularyAreRejected() {
        PolicySpec spec = spec("fusion", PolicySpec.Head.CATEGORICAL);
        SplittableRandom rng = new SplittableRandom(1);
        PolicyInference inf = new PolicyInference(snapshot(spec, rng), 1);
        float[] obs = new float[spec.observationSize()];
        obs[OBS_BOX] = VOCAB;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> inf.act(obs, 1, new float[1], new float[1], rng, false));
        assertTrue(e.getMessage().startsWith("token id out of range: field=scene, tokenId=7.0, vocabSize=7"), e.getMessage());
    }

    @Test
    void fusionLayoutCountsEmbeddingsBranchesTrunkAndTail() {
        PolicySpec spec = spec("fusion", PolicySpec.Head.GAUSSIAN);
        int state = 5 * 12 + 12 + 12 * 6 + 6;
        int scene = 7 * 4 + 12 * 10 + 10;
        int trunk = 16 * 16 + 16 + 16 * 2 + 2;
        assertEquals(state + scene + trunk + 2, PolicyInference.parameterCount(spec));
        PolicyLayout l = PolicyLayout.actor(spec);
        assertEquals(16, l.concatWidth());
        assertEquals(state, l.branches().get(1).embeddingOffset());
        assertEquals(state + scene, l.trunkOffset());
        assertEquals(4 + (1 + 2) + 4 + 1, l.arrayCount());
        assertEquals(state + scene + 16 * 16 + 16 + 16 + 1, PolicyLayout.critic(spec).parameterCount());
    }
}
