package io.tributary.learner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The token-branch cache of {@link PolicyInference}: with it on, actions, log-probs and raw outputs are the same
 * floats as with it off, whatever is evaluated between two {@code act} calls (mirrored captions for the same
 * rows, many distinct captions that collide in the cache, duplicates in one batch), and it does hit.
 */
class TokenBranchCacheTest {
    private static final int LIDAR = 12;
    private static final int GEOMETRY = 4;
    private static final int LENGTH = 50;
    private static final int VOCAB = 42;
    private static final int ENVS = 4;

    /** Issue 8's fusion shape with a short LiDAR: LiDAR -> 64, geometry -> 32, PID -> 16, tokens 32 -> 64, trunk 128. */
    private static PolicySpec spec() {
        return new PolicySpec(PolicySpec.Architecture.FUSION, PolicySpec.Activation.RELU,
                List.of(ObservationField.box("lidar", LIDAR, true, new int[] {64}),
                        ObservationField.box("geometry", GEOMETRY, true, new int[] {32}),
                        ObservationField.box("pid", 1, true, new int[] {16}),
                        ObservationField.tokens("tokens", LENGTH, VOCAB, 32, new int[] {64})),
                new int[] {128}, PolicySpec.Head.GAUSSIAN, 2, new float[] {-1f, -1f}, new float[] {1f, 1f});
    }

    private static PolicySnapshot snapshot(PolicySpec spec, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] params = new float[PolicyInference.parameterCount(spec)];
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) (0.2 * rng.nextGaussian());
        }
        int size = spec.observationSize();
        float[] mean = new float[size];
        float[] var = new float[size];
        for (int i = 0; i < size; i++) {
            mean[i] = (float) (0.3 * rng.nextGaussian());
            var[i] = (float) (0.5 + rng.nextDouble() * 3);
        }
        return new PolicySnapshot("cache", 5, "test", spec, params, mean, var, 0L);
    }

    private static final int OBS = LIDAR + GEOMETRY + 1 + LENGTH;
    private static final int TOKENS_AT = LIDAR + GEOMETRY + 1;

    private static float[] caption(SplittableRandom rng) {
        float[] c = new float[LENGTH];
        for (int t = 0; t < LENGTH; t++) {
            c[t] = t < 12 ? 1 + rng.nextInt(VOCAB - 1) : 0f;
        }
        return c;
    }

    /** Rows of random boxes with the given captions. */
    private static float[] rows(SplittableRandom rng, float[][] captions) {
        float[] obs = new float[captions.length * OBS];
        for (int s = 0; s < captions.length; s++) {
            for (int i = 0; i < TOKENS_AT; i++) {
                obs[s * OBS + i] = (float) rng.nextGaussian();
            }
            System.arraycopy(captions[s], 0, obs, s * OBS + TOKENS_AT, LENGTH);
        }
        return obs;
    }

    /** A caption's mirror: ids 1 and 2 swapped (as left/right are). */
    private static float[] mirrored(float[] c) {
        float[] m = c.clone();
        for (int t = 0; t < m.length; t++) {
            m[t] = m[t] == 1f ? 2f : (m[t] == 2f ? 1f : m[t]);
        }
        return m;
    }

    @Test
    void cachedAndUncachedInferenceGiveTheSameFloatsWithMirrorsLabelledBetweenSteps() {
        PolicySnapshot snap = snapshot(spec(), 11);
        PolicyInference cached = new PolicyInference(snap, 64);
        PolicyInference plain = new PolicyInference(snap, 64, false);
        SplittableRandom data = new SplittableRandom(3);
        SplittableRandom rngA = new SplittableRandom(9);
        SplittableRandom rngB = new SplittableRandom(9);
        float[][] captions = new float[ENVS][];
        float[] actA = new float[ENVS * 2];
        float[] actB = new float[ENVS * 2];
        float[] lpA = new float[ENVS];
        float[] lpB = new float[ENVS];
        long rows = 0;
        for (int step = 0; step < 120; step++) {
            if (step % 10 == 0) {
                for (int e = 0; e < ENVS; e++) {
                    captions[e] = caption(data);
                }
            }
            float[] obs = rows(data, captions);
            cached.act(obs, ENVS, actA, lpA, rngA, false);
            plain.act(obs, ENVS, actB, lpB, rngB, false);
            rows += ENVS;
            assertArrayEquals(actB, actA, "actions at step " + step);
            assertArrayEquals(lpB, lpA, "log-probs at step " + step);
            if (step % 7 == 6) {
                // A worker labelling mirrored chunks between two steps: the same rows, other captions.
                float[][] mirrors = new float[ENVS][];
                for (int e = 0; e < ENVS; e++) {
                    mirrors[e] = mirrored(captions[e]);
                }
                float[] mobs = rows(data, mirrors);
                float[] ma = new float[ENVS * 2];
                for (int i = 0; i < ma.length; i++) {
                    ma[i] = (float) data.nextGaussian();
                }
                float[] mlA = new float[ENVS];
                float[] mlB = new float[ENVS];
                cached.logProbs(mobs, ENVS, ma, mlA);
                plain.logProbs(mobs, ENVS, ma, mlB);
                rows += ENVS;
                assertArrayEquals(mlB, mlA, "mirrored log-probs after step " + step);
            }
        }
        assertEquals(rows, cached.tokenCacheHits() + cached.tokenCacheMisses(), "every row looked up once");
        assertTrue(cached.tokenCacheHits() > rows * 3 / 4, "captions last 10 steps: hits=" + cached.tokenCacheHits()
                + ", misses=" + cached.tokenCacheMisses());
        assertEquals(0L, plain.tokenCacheHits() + plain.tokenCacheMisses());
    }

    @Test
    void collisionsAndDuplicatesInOneBatchStayExact() {
        PolicySnapshot snap = snapshot(spec(), 12);
        PolicyInference cached = new PolicyInference(snap, 32);
        PolicyInference plain = new PolicyInference(snap, 32, false);
        SplittableRandom data = new SplittableRandom(4);
        float[][] pool = new float[600][];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = caption(data);
        }
        float[] outA = new float[32 * cached.outputWidth()];
        float[] outB = new float[32 * plain.outputWidth()];
        for (int call = 0; call < 60; call++) {
            float[][] captions = new float[32][];
            for (int s = 0; s < 32; s++) {
                // many distinct captions (more than the 256 slots), with repeats and duplicates in the batch
                captions[s] = pool[data.nextInt(call < 20 ? pool.length : 40)];
            }
            captions[31] = captions[0];
            float[] obs = rows(data, captions);
            cached.forward(obs, 32, outA);
            plain.forward(obs, 32, outB);
            assertArrayEquals(outB, outA, "outputs of call " + call);
        }
        assertTrue(cached.tokenCacheHits() > 0 && cached.tokenCacheMisses() > 256,
                "hits=" + cached.tokenCacheHits() + ", misses=" + cached.tokenCacheMisses());
    }

    @Test
    void cachedActAllocatesNothingAfterConstruction() {
        PolicyInference inf = new PolicyInference(snapshot(spec(), 13), ENVS);
        SplittableRandom data = new SplittableRandom(5);
        float[][] obs = new float[20][];
        for (int i = 0; i < obs.length; i++) {
            float[][] captions = new float[ENVS][];
            for (int e = 0; e < ENVS; e++) {
                captions[e] = caption(data);
            }
            obs[i] = rows(data, captions);
        }
        float[] act = new float[ENVS * 2];
        float[] lp = new float[ENVS];
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 2000; i++) {
            inf.act(obs[(i / 10) % obs.length], ENVS, act, lp, rng, false);
        }
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long before = bean.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 2000; i++) {
            inf.act(obs[(i / 10) % obs.length], ENVS, act, lp, rng, (i & 1) == 0);
        }
        long allocated = bean.getThreadAllocatedBytes(tid) - before;
        assertTrue(allocated < 4096, "act allocated " + allocated + " bytes over 2000 calls");
        assertTrue(inf.tokenCacheMisses() > 0 && inf.tokenCacheHits() > 0);
    }
}
