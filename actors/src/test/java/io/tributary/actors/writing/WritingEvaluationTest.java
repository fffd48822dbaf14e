package io.tributary.actors.writing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.tributary.learner.PolicySpec;
import io.tributary.learner.lm.GruLanguageModel;
import io.tributary.rewards.writing.PrincipleJudge;
import io.tributary.simulator.writing.WordTokenizer;
import io.tributary.simulator.writing.WritingPrompt;
import io.tributary.simulator.writing.WritingPrompts;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The experiment's fixed measurements on tiny untrained models: shapes, arithmetic, held-out prompts, seeds. */
class WritingEvaluationTest {

    @Test
    void lengthAndWinRateAreMeasuredAsTheIssueFixesThem() {
        WordTokenizer tok = WordTokenizer.standard();
        WritingPrompts all = WritingPrompts.load();
        List<WritingPrompt> prompts = WritingEvaluation.prompts(all);
        assertEquals(WritingEvaluation.PROMPTS, prompts.size());
        int longest = 0;
        for (WritingPrompt p : all.all()) {
            longest = Math.max(longest, tok.promptTokens(p).length);
        }
        PolicySpec spec = PolicySpec.sequence(tok.size(), 8, 16, longest);
        try (NDManager m = NDManager.newBaseManager();
             GruLanguageModel a = GruLanguageModel.create(m, spec, 1L);
             GruLanguageModel b = GruLanguageModel.create(m, spec, 2L)) {
            WritingEvaluation.LengthFigures la = WritingEvaluation.length(a, tok, prompts, 7);
            assertEquals(WritingEvaluation.PROMPTS * WritingEvaluation.LENGTH_SAMPLES, la.samples().size());
            double words = 0;
            double expl = 0;
            for (WritingEvaluation.Sample s : la.samples()) {
                WritingPrompt p = prompts.stream().filter(x -> x.id() == s.promptId()).findFirst().orElseThrow();
                assertTrue(WritingPrompts.isHeldOut(p), "evaluated on held-out prompts only");
                assertTrue(s.words() <= p.lengthCap(), "capped: words=" + s.words() + ", cap=" + p.lengthCap());
                words += s.words();
                expl += s.explanationTokens();
            }
            assertEquals(words / la.samples().size(), la.meanWords(), 1e-9);
            assertEquals(expl / la.samples().size(), la.meanExplanationTokens(), 1e-9);
            assertEquals(la.meanWords(), WritingEvaluation.length(a, tok, prompts, 7).meanWords(), 0.0, "seeded");
            // Untrained models almost never draw EOS (lengths sit at the caps), but their texts differ.
            assertNotEquals(la.samples().get(0).text(), WritingEvaluation.length(b, tok, prompts, 7).samples().get(0).text(),
                    "other weights, other samples");
            assertEquals(5, WritingEvaluation.examples(la, 5).size());

            WritingEvaluation.WinRate w = WritingEvaluation.winRate(a, b, PrincipleJudge.evaluation(), tok, prompts, 3);
            assertEquals(WritingEvaluation.PROMPTS * WritingEvaluation.PAIRS_PER_PROMPT, w.n(), "n = 320");
            assertEquals((w.wins() + 0.5 * w.ties()) / w.n(), w.rate(), 1e-12);
            assertTrue(w.ciLow() <= w.rate() && w.rate() <= w.ciHigh(), w.toString());
            assertTrue(w.ciHigh() - w.ciLow() < 0.2, "n = 320 gives a narrow interval: " + w);
            assertTrue(w.swapConsistency() >= 0 && w.swapConsistency() <= 1, w.toString());
            assertFalse(w.wins() == 0 && w.losses() == 0, "two different random policies are told apart at least once: " + w);
        }
    }
}
