package io.tributary.learner.lm;

import io.tributary.simulator.writing.TokenPair;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.tributary.config.SettingsException;
import io.tributary.simulator.writing.SpecialTokens;
import java.util.List;
import org.junit.jupiter.api.Test;

class LmPretrainerTest {

    @Test
    void pretrainingLowersTheLossAndTeachesWhereToStop() {
        PretrainSettings settings = PretrainSettings.defaults("tributary.learner.lm-pretrain { learning-rate = 1.0e-2,"
                + " batch-size = 8, max-steps = 400, check-every = 50, check-samples = 32 }");
        try (NDManager manager = NDManager.newBaseManager();
             GruLanguageModel lm = GruLanguageModel.create(manager, TinyGrammar.spec(), 21);
             LmPretrainer pre = new LmPretrainer(lm, settings, 4)) {
            List<TokenPair> pairs = TinyGrammar.pairs();
            double lossBefore = pre.meanLoss(pairs);
            LmSamples before = pre.checkSamples(TinyGrammar.prompts(), TinyGrammar.caps());
            LmPretrainer.Outcome out = pre.run(pairs, TinyGrammar.prompts(), TinyGrammar.caps());
            double lossAfter = pre.meanLoss(pairs);

            assertTrue(lossAfter < 0.5 * lossBefore, "loss " + lossBefore + " -> " + lossAfter);
            assertTrue(before.endedBeforeCapFraction() < 0.9, "untrained: " + before.endedBeforeCapFraction());
            assertTrue(out.targetReached(), "stop rule never met: " + out.checks());
            assertTrue(out.last().endedBeforeCapFraction() >= 0.95, out.checks().toString());
            assertTrue(out.steps() < 400 && out.steps() % 50 == 0, "stops at a check once the rule holds: " + out.steps());
            assertEquals(0, out.skippedSteps());

            // greedy-ish (low temperature) samples reproduce the grammar: the topic's words, then EOS
            LmSampler sampler = new LmSampler(lm);
            for (int k = 0; k < TinyGrammar.TOPICS; k++) {
                LmSamples s = sampler.sampleGroup(TinyGrammar.prompt(k), 2, TinyGrammar.cap(k), 0.05f, k);
                int[] expected = TinyGrammar.withEos(TinyGrammar.text(k));
                assertArrayEquals(expected, s.tokens()[0], "topic " + k);
            }
        }
    }

    @Test
    void pairsAndSettingsAreChecked() {
        int eos = SpecialTokens.EOS;
        assertThrows(IllegalArgumentException.class, () -> new TokenPair(new int[] {5}, new int[0]));
        assertThrows(IllegalArgumentException.class, () -> new TokenPair(new int[] {5}, new int[] {7, 8}), "no EOS");
        assertThrows(IllegalArgumentException.class, () -> new TokenPair(new int[] {5}, new int[] {7, eos, 8, eos}));
        assertThrows(IllegalArgumentException.class, () -> new TokenPair(new int[] {5}, new int[] {SpecialTokens.SEP, eos}));
        assertThrows(IllegalArgumentException.class, () -> new TokenPair(new int[0], new int[] {7, eos}));
        assertArrayEquals(new int[] {7, 8, eos}, new TokenPair(new int[] {5}, new int[] {7, 8, eos}).response());
        SettingsException e = assertThrows(SettingsException.class,
                () -> PretrainSettings.defaults("tributary.learner.lm-pretrain.end-before-cap-target = 1.5"));
        assertEquals("bad config: path=tributary.learner.lm-pretrain.end-before-cap-target, value=1.5, rule=must be in (0, 1]",
                e.getMessage());
        assertEquals(0.95, PretrainSettings.defaults("").endBeforeCapTarget());
    }
}
