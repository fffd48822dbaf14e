package io.tributary.simulator.writing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class WritingPromptsTest {
    @Test
    void shippedSetHasEnoughPromptsAndAFixedHeldOutSplit() {
        WritingPrompts set = WritingPrompts.load();
        assertTrue(set.all().size() >= 200, "prompts: " + set.all().size());
        assertTrue(set.heldOut().size() >= 40, "held out: " + set.heldOut().size());
        assertEquals(set.all().size(), set.training().size() + set.heldOut().size());
        set.heldOut().forEach(p -> assertEquals(0, p.id() % WritingPrompts.HELD_OUT_EVERY));
        set.training().forEach(p -> assertTrue(p.id() % WritingPrompts.HELD_OUT_EVERY != 0));
    }

    @Test
    void promptsFollowTheRangeRulesAndUseVocabularyKeywords() {
        WordTokenizer tok = WordTokenizer.standard();
        for (WritingPrompt p : WritingPrompts.load().all()) {
            assertTrue(p.minLength() >= 20 && p.minLength() <= 60, "L of " + p);
            assertTrue(p.maxLength() - p.minLength() >= 10 && p.maxLength() - p.minLength() <= 30, "U-L of " + p);
            assertTrue(p.maxLength() <= 80 && p.lengthCap() <= 200, "U of " + p);
            assertTrue(p.keywords().size() >= 2 && p.keywords().size() <= 3, "keywords of " + p);
            p.keywords().forEach(k -> assertTrue(tok.contains(k), "keyword not in vocabulary: " + k));
            assertTrue(tok.contains(p.topic()), "topic not in vocabulary: " + p.topic());
            int[] ctx = tok.promptTokens(p);
            for (int t : ctx) {
                assertTrue(t != SpecialTokens.UNK, "UNK in prompt context of " + p);
            }
        }
    }

    @Test
    void shippedFileIsTheGeneratorsOutput() {
        List<WritingPrompt> generated = WritingPromptGenerator.generate(WritingCorpus.load(), WordTokenizer.standard(),
                WritingPromptGenerator.COUNT, WritingPromptGenerator.SEED);
        assertEquals(generated, WritingPrompts.load().all());
        assertEquals(generated, WritingPrompts.parse(List.of(WritingPrompts.format(generated).split("\n"))));
    }

    @Test
    void malformedLinesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> WritingPrompts.parse(List.of("1\ttopic\tkw\t20")));
        assertThrows(IllegalArgumentException.class, () -> WritingPrompts.parse(List.of("1\ttopic\tkw\t50\t20")));
    }
}
