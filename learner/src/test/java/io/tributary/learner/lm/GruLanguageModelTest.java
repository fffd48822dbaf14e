package io.tributary.learner.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.tributary.learner.PolicySnapshot;
import io.tributary.learner.PolicySpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class GruLanguageModelTest {

    @Test
    void parameterCountMatchesTheFeasibilityDesign() {
        assertEquals(846_496, GruLanguageModel.parameterCount(PolicySpec.sequence(4000, 64, 128, 32)));
    }

    @Test
    void checkpointAndSnapshotRoundTripKeepTheLogProbs() throws IOException {
        try (NDManager manager = NDManager.newBaseManager();
             GruLanguageModel lm = GruLanguageModel.create(manager, TinyGrammar.spec(), 12)) {
            List<int[]> prompts = List.of(TinyGrammar.prompt(0), TinyGrammar.prompt(3));
            List<int[]> responses = List.of(new int[] {9, 10, 2}, new int[] {11, 12, 13, 14});
            float[][] expected = lm.logProbs(prompts, responses, 1f);

            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            lm.write(new DataOutputStream(bytes));
            try (GruLanguageModel back = GruLanguageModel.read(manager,
                    new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), true)) {
                assertEquals(lm.spec(), back.spec());
                assertArrayEquals(lm.parameters(), back.parameters());
                float[][] got = back.logProbs(prompts, responses, 1f);
                for (int i = 0; i < 2; i++) {
                    assertArrayEquals(expected[i], got[i]);
                }
            }
            PolicySnapshot snap = lm.snapshot("run", 3, "brpo", 1L);
            assertEquals(PolicySpec.Architecture.SEQUENCE, snap.spec().architecture());
            try (GruLanguageModel fromSnap = GruLanguageModel.fromSnapshot(manager, snap, false)) {
                assertArrayEquals(expected[1], fromSnap.logProbs(prompts, responses, 1f)[1]);
            }
            // a different model gives different log-probs (so the equalities above can fail)
            try (GruLanguageModel other = GruLanguageModel.create(manager, TinyGrammar.spec(), 13)) {
                assertTrue(Math.abs(other.logProbs(prompts, responses, 1f)[0][0] - expected[0][0]) > 1e-6);
            }
            // a truncated checkpoint is an IOException naming the field
            byte[] cut = java.util.Arrays.copyOf(bytes.toByteArray(), bytes.size() - 8);
            assertThrows(IOException.class, () -> GruLanguageModel.read(manager,
                    new DataInputStream(new ByteArrayInputStream(cut)), true));
        }
    }

    @Test
    void samplingLeavesNothingBehindInTheParameterManager() {
        try (NDManager manager = NDManager.newBaseManager();
             GruLanguageModel lm = GruLanguageModel.create(manager, TinyGrammar.spec(), 14)) {
            LmSampler sampler = new LmSampler(lm);
            sampler.sampleGroup(TinyGrammar.prompt(0), 4, 5, 1f, 1);
            int arrays = lm.manager().getManagedArrays().size();
            float[] w = lm.parameters();
            w[w.length - lm.vocabSize() + io.tributary.simulator.writing.SpecialTokens.EOS] = -50f;
            lm.setParameters(w); // never ends: 300 steps per row
            int before = lm.manager().getManagedArrays().size();
            LmSamples s = sampler.sampleGroup(TinyGrammar.prompt(1), 4, 300, 1f, 2);
            lm.logProbs(List.of(TinyGrammar.prompt(1)), List.of(s.tokens()[0]), 1f);
            assertEquals(300, s.lengths()[0]);
            assertEquals(before, lm.manager().getManagedArrays().size(), "arrays left in the model's manager");
            assertEquals(arrays, before, "setParameters replaces, never adds");
        }
    }

    @Test
    void onlySequenceSpecsAndFittingPromptsAreAccepted() {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThrows(IllegalArgumentException.class, () -> GruLanguageModel.create(manager,
                    PolicySpec.mlp(4, PolicySpec.Head.CATEGORICAL, 2, new int[] {8}, new float[0], new float[0]), 1));
            try (GruLanguageModel lm = GruLanguageModel.create(manager, TinyGrammar.spec(), 1)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> lm.logProbs(List.of(new int[] {5, 5, 5, 5, 5}), List.of(new int[] {9}), 1f));
                assertEquals("prompt longer than the model's prompt context: promptTokens=5, promptLength=4", e.getMessage());
                assertThrows(IllegalArgumentException.class,
                        () -> lm.logProbs(List.of(new int[] {5}), List.of(new int[] {TinyGrammar.VOCAB}), 1f));
                assertThrows(IllegalArgumentException.class, () -> lm.setParameters(new float[3]));
            }
        }
    }
}
