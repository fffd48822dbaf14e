package io.tributary.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PolicyInferenceTest {

    private static PolicySnapshot snapshot(PolicySpec spec, float[] params, float[] mean, float[] var) {
        return new PolicySnapshot("run", 3, "ppo", spec, params, mean, var, 0L);
    }

    /** obs 2 -> hidden 2 (tanh) -> 3 logits; every number written out so the layout is pinned. */
    private static final float[] CATEGORICAL_PARAMS = {
            // layer 0: W[2][2] row-major, then b[2]
            0.5f, -0.25f,
            0.75f, 0.1f,
            0.2f, -0.3f,
            // layer 1: W[2][3] row-major, then b[3]
            1.0f, -1.0f, 0.5f,
            0.3f, 0.8f, -0.6f,
            0.05f, 0.0f, -0.1f};

    @Test
    void parameterCountFollowsTheDocumentedLayout() {
        PolicySpec cat = new PolicySpec(2, PolicySpec.Head.CATEGORICAL, 3, new int[] {2}, new float[0], new float[0]);
        assertEquals(CATEGORICAL_PARAMS.length, PolicyInference.parameterCount(cat));
        PolicySpec gauss = new PolicySpec(16, PolicySpec.Head.GAUSSIAN, 4, new int[] {64, 64}, new float[4], new float[4]);
        assertEquals(16 * 64 + 64 + 64 * 64 + 64 + 64 * 4 + 4 + 4, PolicyInference.parameterCount(gauss));
        assertThrows(IllegalArgumentException.class,
                () -> new PolicyInference(snapshot(cat, new float[5], new float[2], new float[] {1f, 1f}), 1));
    }

    @Test
    void categoricalLogProbMatchesHandComputation() {
        PolicySpec spec = new PolicySpec(2, PolicySpec.Head.CATEGORICAL, 3, new int[] {2}, new float[0], new float[0]);
        // mean 1, var 4 - 1e-8 -> std 2: normalised obs = (x - 1) / 2
        float[] mean = {1f, 1f};
        float[] var = {4f, 4f};
        PolicyInference inf = new PolicyInference(snapshot(spec, CATEGORICAL_PARAMS, mean, var), 4);
        float[] obs = {2f, -1f}; // normalised: 0.5, -1.0
        double x0 = 0.5;
        double x1 = -1.0;
        double h0 = Math.tanh(x0 * 0.5 + x1 * 0.75 + 0.2);
        double h1 = Math.tanh(x0 * -0.25 + x1 * 0.1 - 0.3);
        double[] logits = {h0 * 1.0 + h1 * 0.3 + 0.05, h0 * -1.0 + h1 * 0.8 + 0.0, h0 * 0.5 + h1 * -0.6 - 0.1};
        double logZ = Math.log(Math.exp(logits[0]) + Math.exp(logits[1]) + Math.exp(logits[2]));
        float[] out = new float[3];
        inf.forward(obs, 1, out);
        for (int j = 0; j < 3; j++) {
            assertEquals(logits[j], out[j], 1e-6);
        }
        float[] lp = new float[1];
        for (int a = 0; a < 3; a++) {
            inf.logProbs(obs, 1, new float[] {a}, lp);
            assertEquals(logits[a] - logZ, lp[0], 1e-6, "action " + a);
        }
        float[] act = new float[1];
        inf.act(obs, 1, act, lp, null, true);
        int argmax = logits[0] >= logits[1] && logits[0] >= logits[2] ? 0 : (logits[1] >= logits[2] ? 1 : 2);
        assertEquals(argmax, (int) act[0]);
        assertEquals(logits[argmax] - logZ, lp[0], 1e-6);
        assertThrows(IllegalArgumentException.class, () -> inf.logProbs(obs, 1, new float[] {3f}, new float[1]));
    }

    @Test
    void gaussianLogProbMatchesHandComputation() {
        // obs 2 -> 2 means (no hidden layer), logStd at the end
        PolicySpec spec = new PolicySpec(2, PolicySpec.Head.GAUSSIAN, 2, new int[0], new float[] {-1f, -1f}, new float[] {1f, 1f});
        float[] params = {
                0.5f, -0.2f, // W row 0
                0.1f, 0.3f, // W row 1
                0.05f, -0.05f, // b
                -0.5f, 0.2f}; // logStd
        PolicyInference inf = new PolicyInference(snapshot(spec, params, new float[2], new float[] {1f, 1f}), 2);
        float[] obs = {1f, 2f};
        double m0 = 1 * 0.5 + 2 * 0.1 + 0.05;
        double m1 = 1 * -0.2 + 2 * 0.3 - 0.05;
        float[] a = {0.3f, 1.5f};
        double lp = 0;
        double[] ls = {-0.5, 0.2};
        double[] m = {m0, m1};
        for (int j = 0; j < 2; j++) {
            double s = Math.exp(ls[j]);
            lp += -((a[j] - m[j]) * (a[j] - m[j])) / (2 * s * s) - ls[j] - 0.5 * Math.log(2 * Math.PI);
        }
        float[] out = new float[1];
        inf.logProbs(obs, 1, a, out);
        assertEquals(lp, out[0], 1e-5);

        // deterministic: the mean, with the density at the mean
        float[] act = new float[2];
        inf.act(obs, 1, act, out, null, true);
        assertEquals(m0, act[0], 1e-6);
        assertEquals(m1, act[1], 1e-6);
        assertEquals(-(ls[0] + ls[1]) - Math.log(2 * Math.PI), out[0], 1e-5);

        // sampled: unclipped (outside [-1, 1] happens), and the reported log-prob is that of the sample
        SplittableRandom rng = new SplittableRandom(5);
        float[] obs8 = new float[16];
        for (int i = 0; i < 16; i++) {
            obs8[i] = i % 2 == 0 ? 1f : 2f;
        }
        PolicyInference inf8 = new PolicyInference(snapshot(spec, params, new float[2], new float[] {1f, 1f}), 8);
        float[] acts = new float[16];
        float[] lps = new float[8];
        boolean outside = false;
        for (int rep = 0; rep < 50; rep++) {
            inf8.act(obs8, 8, acts, lps, rng, false);
            float[] check = new float[8];
            inf8.logProbs(obs8, 8, acts, check);
            for (int i = 0; i < 8; i++) {
                assertEquals(check[i], lps[i], 1e-4);
            }
            for (float x : acts) {
                outside |= x > 1f || x < -1f;
            }
        }
        assertTrue(outside, "samples are not clipped to the action bounds");
    }

    @Test
    void normalisationClipsAtTen() {
        float[] src = {100f, -100f, 3f};
        float[] dst = new float[3];
        float[] std = PolicyInference.normalizerStd(new float[] {1f, 1f, 4f});
        PolicyInference.normalize(src, 0, dst, 0, 1, new float[] {0f, 0f, 1f}, std);
        assertEquals(10f, dst[0]);
        assertEquals(-10f, dst[1]);
        assertEquals(1f, dst[2], 1e-6);
    }

    @Test
    void categoricalSamplingFollowsSoftmax() {
        PolicySpec spec = new PolicySpec(1, PolicySpec.Head.CATEGORICAL, 3, new int[0], new float[0], new float[0]);
        float[] params = {0f, 0f, 0f, 0f, 1f, 2f}; // logits = b for any input
        PolicyInference inf = new PolicyInference(snapshot(spec, params, new float[1], new float[] {1f}), 1000);
        double z = 1 + Math.E + Math.exp(2);
        double[] p = {1 / z, Math.E / z, Math.exp(2) / z};
        int[] counts = new int[3];
        float[] obs = new float[1000];
        float[] act = new float[1000];
        float[] lp = new float[1000];
        SplittableRandom rng = new SplittableRandom(11);
        for (int rep = 0; rep < 30; rep++) {
            inf.act(obs, 1000, act, lp, rng, false);
            for (int i = 0; i < 1000; i++) {
                counts[(int) act[i]]++;
                assertEquals(Math.log(p[(int) act[i]]), lp[i], 1e-5);
            }
        }
        for (int j = 0; j < 3; j++) {
            assertEquals(p[j], counts[j] / 30000.0, 0.01, "action " + j);
        }
    }

    @Test
    void actAllocatesNothingAfterConstruction() {
        PolicySpec spec = new PolicySpec(16, PolicySpec.Head.GAUSSIAN, 4, new int[] {64, 64}, new float[4], new float[4]);
        float[] params = new float[PolicyInference.parameterCount(spec)];
        SplittableRandom init = new SplittableRandom(3);
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) (0.1 * init.nextGaussian());
        }
        float[] var = new float[16];
        java.util.Arrays.fill(var, 1f);
        PolicyInference inf = new PolicyInference(snapshot(spec, params, new float[16], var), 32);
        float[] obs = new float[32 * 16];
        float[] act = new float[32 * 4];
        float[] lp = new float[32];
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 2000; i++) {
            inf.act(obs, 32, act, lp, rng, false);
        }
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long before = bean.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 2000; i++) {
            inf.act(obs, 32, act, lp, rng, (i & 1) == 0);
        }
        long allocated = bean.getThreadAllocatedBytes(tid) - before;
        assertTrue(allocated < 4096, "act allocated " + allocated + " bytes over 2000 calls");
    }
}
