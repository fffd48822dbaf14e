package io.tributary.learner.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.tributary.simulator.writing.SpecialTokens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LmSamplerTest {

    /** Largest |sampled log-prob − teacher-forced recomputation| over every token of every row. */
    private static double worstParity(GruLanguageModel lm, List<int[]> prompts, int[][] tokens, float[][] sampledLogp,
                                      float temperature) {
        float[][] recomputed = lm.logProbs(prompts, Arrays.asList(tokens), temperature);
        double worst = 0;
        for (int i = 0; i < tokens.length; i++) {
            for (int j = 0; j < tokens[i].length; j++) {
                worst = Math.max(worst, Math.abs(recomputed[i][j] - sampledLogp[i][j]));
            }
        }
        return worst;
    }

    @Test
    void sampledLogProbsEqualTheTeacherForcedRecomputation() {
        try (NDManager manager = NDManager.newBaseManager();
             GruLanguageModel lm = GruLanguageModel.create(manager, TinyGrammar.spec(), 3)) {
            LmSampler sampler = new LmSampler(lm);
            // several prompts of different lengths in one batch, different caps, two temperatures
            List<int[]> prompts = new ArrayList<>();
            int[] caps = new int[12];
            for (int i = 0; i < 12; i++) {
                prompts.add(i % 3 == 0 ? new int[0] : i % 3 == 1 ? new int[] {7} : new int[] {4, 6, 9, 11});
                caps[i] = 30 + i;
            }
            for (float temperature : new float[] {1f, 0.7f}) {
                LmSamples s = sampler.sample(prompts, caps, temperature, 42);
                for (int[] row : s.tokens()) {
                    for (int t : row) {
                        assertTrue(t != SpecialTokens.PAD && t != SpecialTokens.BOS && t != SpecialTokens.SEP,
                                "banned token sampled: " + Arrays.toString(row));
                    }
                }
                double worst = worstParity(lm, prompts, s.tokens(), s.logProbs(), temperature);
                assertTrue(worst < 1e-4, "sampler vs teacher forcing at T=" + temperature + ": max |diff| = " + worst);

                // the check can fail: drop each row's first token, so every later token is scored in the wrong place
                int[][] shifted = new int[s.rows()][];
                float[][] shiftedLogp = new float[s.rows()][];
                for (int i = 0; i < s.rows(); i++) {
                    int n = s.lengths()[i];
                    shifted[i] = n > 1 ? Arrays.copyOfRange(s.tokens()[i], 1, n) : s.tokens()[i];
                    shiftedLogp[i] = n > 1 ? Arrays.copyOf(s.logProbs()[i], n - 1) : s.logProbs()[i];
                }
                assertTrue(worstParity(lm, prompts, shifted, shiftedLogp, temperature) > 1e-2,
                        "a shifted sequence must break parity");
                // and so does recomputing at another temperature
                assertTrue(worstParity(lm, prompts, s.tokens(), s.logProbs(), temperature * 2) > 1e-2);
            }
        }
    }

    @Test
    void sameSeedSameSamplesAndEachRowIndependentOfItsBatch() {
        try (NDManager manager = NDManager.newBaseManager();
             GruLanguageModel lm = GruLanguageModel.create(manager, TinyGrammar.spec(), 5)) {
            LmSampler sampler = new LmSampler(lm);
            LmSamples a = sampler.sampleGroup(TinyGrammar.prompt(1), 16, 40, 1f, 7);
            LmSamples b = sampler.sampleGroup(TinyGrammar.prompt(1), 16, 40, 1f, 7);
            LmSamples c = sampler.sampleGroup(TinyGrammar.prompt(1), 16, 40, 1f, 8);
            assertEquals(16, a.rows());
            for (int i = 0; i < 16; i++) {
                assertArrayEquals(a.tokens()[i], b.tokens()[i]);
                assertArrayEquals(a.logProbs()[i], b.logProbs()[i]);
            }
            assertFalse(Arrays.deepEquals(a.tokens(), c.tokens()), "another seed must give other samples");
            // a row's log-probs do not depend on the prompts sharing its batch (prompts are padded to a fixed length)
            float[][] alone = lm.logProbs(List.of(TinyGrammar.prompt(1)), List.of(a.tokens()[3]), 1f);
            for (int j = 0; j < a.lengths()[3]; j++) {
                assertEquals(a.logProbs()[3][j], alone[0][j], 1e-5);
            }
        }
    }

    @Test
    void rowsStopAtEosOrAtTheirCap() {
        try (NDManager manager = NDManager.newBaseManager();
             GruLanguageModel lm = GruLanguageModel.create(manager, TinyGrammar.spec(), 9)) {
            LmSampler sampler = new LmSampler(lm);
            List<int[]> prompts = List.of(TinyGrammar.prompt(0), TinyGrammar.prompt(1), TinyGrammar.prompt(2),
                    TinyGrammar.prompt(3), TinyGrammar.prompt(0), TinyGrammar.prompt(2));
            int[] caps = {1, 2, 5, 9, 17, 40};
            LmSamples s = sampler.sample(prompts, caps, 1.3f, 11);
            int ended = 0;
            for (int i = 0; i < s.rows(); i++) {
                int[] row = s.tokens()[i];
                assertTrue(row.length >= 1 && row.length <= caps[i], "row " + i + " length " + row.length);
                for (int j = 0; j < row.length - 1; j++) {
                    assertNotEquals(SpecialTokens.EOS, row[j], "EOS only as the last token");
                }
                boolean lastIsEos = row[row.length - 1] == SpecialTokens.EOS;
                assertEquals(lastIsEos, s.endedBeforeCap()[i], "row " + i);
                if (!lastIsEos) {
                    assertEquals(caps[i], row.length, "a row without EOS runs to its cap");
                }
                ended += lastIsEos ? 1 : 0;
            }
            assertEquals(ended / 6.0, s.endedBeforeCapFraction(), 1e-12);

            // force the end token: every row is [EOS]; forbid it: every row runs to its cap
            float[] w = lm.parameters();
            int eosBias = w.length - lm.vocabSize() + SpecialTokens.EOS;
            w[eosBias] = 50f;
            lm.setParameters(w);
            LmSamples always = sampler.sample(prompts, caps, 1f, 11);
            for (int i = 0; i < 6; i++) {
                assertArrayEquals(new int[] {SpecialTokens.EOS}, always.tokens()[i]);
            }
            assertEquals(1.0, always.endedBeforeCapFraction());
            w[eosBias] = -50f;
            lm.setParameters(w);
            LmSamples never = sampler.sample(prompts, caps, 1f, 11);
            assertArrayEquals(caps, never.lengths());
            assertEquals(0.0, never.endedBeforeCapFraction());
        }
    }

    @Test
    void badRequestsAreRefused() {
        try (NDManager manager = NDManager.newBaseManager();
             GruLanguageModel lm = GruLanguageModel.create(manager, TinyGrammar.spec(), 1)) {
            LmSampler sampler = new LmSampler(lm);
            assertThrows(IllegalArgumentException.class, () -> sampler.sampleGroup(new int[] {5, 5, 5, 5, 5}, 2, 4, 1f, 1),
                    "a prompt longer than prompt-length");
            assertThrows(IllegalArgumentException.class, () -> sampler.sampleGroup(new int[] {TinyGrammar.VOCAB}, 2, 4, 1f, 1));
            assertThrows(IllegalArgumentException.class, () -> sampler.sampleGroup(new int[] {5}, 2, 0, 1f, 1));
            assertThrows(IllegalArgumentException.class, () -> sampler.sampleGroup(new int[] {5}, 2, 4, 0f, 1));
            // NaN weights: an error naming the row and step, never a silently drawn token
            float[] w = lm.parameters();
            w[w.length - 1] = Float.NaN;
            lm.setParameters(w);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> sampler.sampleGroup(new int[] {5}, 2, 4, 1f, 1));
            assertTrue(e.getMessage().startsWith("non-finite next-token distribution"), e.getMessage());
        }
    }
}
