package io.tributary.simulator.writing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PretrainingPairsTest {
    private final WordTokenizer tok = WordTokenizer.standard();
    private final PretrainingPairs source = PretrainingPairs.standard();

    @Test
    void lengthsLieInTheTargetRangeAndTenPercentEndWithAnExplanationTail() {
        List<PretrainingPairs.Example> ex = source.examples(WritingPrompts.load().training(), 2000, 11L);
        int tails = 0;
        int withAllKeywords = 0;
        for (PretrainingPairs.Example e : ex) {
            TokenPair pair = e.pair();
            int n = pair.responseWords();
            assertTrue(n >= e.prompt().minLength() && n <= e.prompt().maxLength(),
                    "length " + n + " outside [" + e.prompt().minLength() + ", " + e.prompt().maxLength() + "]");
            assertEquals(SpecialTokens.EOS, pair.response()[n]);
            for (int i = 0; i < n; i++) {
                assertTrue(pair.response()[i] >= SpecialTokens.FIRST_WORD, "special token inside a response");
            }
            assertArrayEquals(tok.promptTokens(e.prompt()), pair.prompt());
            List<String> words = WordTokenizer.words(tok.responseText(pair.response()));
            int end = ExplanationMarkers.endOfLastMarker(words);
            if (e.explanationTail()) {
                tails++;
                assertTrue(end > 0, "tail without a marker: " + words);
                assertTrue(words.size() - end >= 3, "tail too short");
            } else {
                assertEquals(-1, end, "marker in a pair without a tail: " + words);
            }
            if (words.containsAll(e.prompt().keywords())) {
                withAllKeywords++;
            }
        }
        assertEquals(200, tails);
        System.out.printf("pre-training pairs: %d of %d contain every keyword%n", withAllKeywords, ex.size());
        assertTrue(withAllKeywords > ex.size() / 2, "keyword coverage " + withAllKeywords);
    }

    @Test
    void pairsAreReproducibleFromTheSeed() {
        List<TokenPair> a = source.pairs(WritingPrompts.load().training(), 50, 3L);
        List<TokenPair> b = source.pairs(WritingPrompts.load().training(), 50, 3L);
        List<TokenPair> c = source.pairs(WritingPrompts.load().training(), 50, 4L);
        boolean anyDifferent = false;
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).response(), b.get(i).response());
            anyDifferent |= !java.util.Arrays.equals(a.get(i).response(), c.get(i).response());
        }
        assertTrue(anyDifferent);
    }

    @Test
    void tailsCountTowardTheLengthEvenForShortRanges() {
        WritingPrompt tight = new WritingPrompt(1, "water", List.of("river", "cold"), 20, 22);
        List<Integer> lengths = new ArrayList<>();
        for (int s = 0; s < 50; s++) {
            PretrainingPairs.Example e = source.example(tight, true, new io.tributary.simulator.random.SplitMix64(s));
            lengths.add(e.pair().responseWords());
            assertTrue(e.tailWords() > 0);
        }
        lengths.forEach(n -> assertTrue(n >= 20 && n <= 22, "length " + n));
        assertFalse(ExplanationMarkers.containsMarker(List.of("in", "short", "supply")));
    }
}
