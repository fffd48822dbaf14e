package io.tributary.learner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Worker inference caches a token branch's output between caption refreshes: outputs are bit-identical to a
 * cold computation whatever the sequence of observations (tokens held, refreshed, rows swapped), and the cache
 * hits exactly for the rows whose ids did not change.
 */
class PolicyInferenceTokenCacheTest {
    private static final int N = 3;
    private static final int BOX = 4;
    private static final int TOKENS = 6;
    private static final int VOCAB = 9;

    @Test
    void cachedTokenBranchGivesTheColdOutputAndHitsOnlyOnUnchangedIds() {
        SplittableRandom rng = new SplittableRandom(5);
        PolicySpec spec = new PolicySpec(PolicySpec.Architecture.FUSION, PolicySpec.Activation.RELU,
                List.of(ObservationField.box("geometry", BOX, true, new int[] {8}),
                        ObservationField.tokens("tokens", TOKENS, VOCAB, 3, new int[] {7, 5})),
                new int[] {12}, PolicySpec.Head.GAUSSIAN, 2, new float[] {-1f, -1f}, new float[] {1f, 1f});
        float[] params = new float[PolicyInference.parameterCount(spec)];
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) (0.5 * rng.nextGaussian());
        }
        int size = spec.observationSize();
        float[] mean = new float[size];
        float[] var = new float[size];
        java.util.Arrays.fill(var, 1f);
        PolicySnapshot snap = new PolicySnapshot("cache", 1, "test", spec, params, mean, var, 0L);
        PolicyInference cached = new PolicyInference(snap, N);
        int width = cached.outputWidth();
        float[] obs = new float[N * size];
        long expectedMisses = 0;
        for (int call = 0; call < 40; call++) {
            for (int r = 0; r < N; r++) {
                for (int i = 0; i < BOX; i++) {
                    obs[r * size + i] = (float) rng.nextGaussian();
                }
                // Each row's caption refreshes every 10 calls, at its own phase (like envs at different steps).
                if (call == 0 || (call + 3 * r) % 10 == 0) {
                    for (int t = 0; t < TOKENS; t++) {
                        obs[r * size + BOX + t] = rng.nextInt(VOCAB);
                    }
                    expectedMisses++;
                }
            }
            if (call == 25) {
                // Rows swapped: the ids are compared, not the row index trusted; rows 0 and 1 now miss (unless equal).
                float[] tmp = java.util.Arrays.copyOfRange(obs, 0, size);
                System.arraycopy(obs, size, obs, 0, size);
                System.arraycopy(tmp, 0, obs, size, size);
                expectedMisses += 2;
            }
            float[] hot = new float[N * width];
            float[] cold = new float[N * width];
            cached.forward(obs, N, hot);
            new PolicyInference(snap, N).forward(obs, N, cold);
            assertArrayEquals(cold, hot, "call " + call);
        }
        assertEquals(expectedMisses, cached.tokenCacheMisses());
        assertEquals(40L * N - expectedMisses, cached.tokenCacheHits());
    }
}
