package io.tributary.simulator.writing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.random.SplitMix64;
import java.util.List;
import org.junit.jupiter.api.Test;

class WordTokenizerTest {
    private final WordTokenizer tok = WordTokenizer.standard();

    @Test
    void standardVocabularyHasTheSpecialsFirstAndTheStandardSize() {
        assertEquals(WordTokenizer.STANDARD_SIZE, tok.size());
        assertEquals("<pad>", tok.word(SpecialTokens.PAD));
        assertEquals("<eos>", tok.word(SpecialTokens.EOS));
        assertEquals(SpecialTokens.UNK, tok.id("<unk>"));
        assertEquals(SpecialTokens.SEP, tok.id("<sep>"));
        for (List<String> marker : ExplanationMarkers.MARKERS) {
            marker.forEach(w -> assertTrue(tok.contains(w), "marker word missing: " + w));
        }
        assertTrue(tok.contains(WordTokenizer.lengthToken(20, 45)));
    }

    @Test
    void encodeDecodeRoundTripsAndUnknownWordsBecomeUnk() {
        String text = "The dog ran all night; it was loud!";
        int[] ids = tok.encode(text);
        assertEquals("the dog ran all night ; it was loud !", tok.decode(ids));
        assertArrayEquals(ids, tok.encode(tok.decode(ids)));
        int[] unk = tok.encode("the zzxqv dog");
        assertEquals(SpecialTokens.UNK, unk[1]);
        assertNotEquals(SpecialTokens.UNK, unk[2]);
        // every id sequence survives decode then encode, specials included
        SplitMix64 rng = new SplitMix64(7);
        int[] random = new int[500];
        for (int i = 0; i < random.length; i++) {
            random[i] = rng.nextInt(tok.size());
        }
        assertArrayEquals(random, tok.encode(tok.decode(random)));
        assertEquals("the dog", tok.responseText(new int[] {tok.id("the"), tok.id("dog"), SpecialTokens.EOS, tok.id("cat")}));
    }

    @Test
    void vocabularyIsDeterministicAndCoversTheHeldOutPart() {
        WordTokenizer again = WordTokenizer.build(WritingCorpus.load().training(), WordTokenizer.STANDARD_SIZE);
        for (int i = 0; i < tok.size(); i++) {
            assertEquals(tok.word(i), again.word(i));
        }
        double oov = tok.oovRate(WritingCorpus.load().heldOut());
        System.out.printf("writing vocabulary: size=%d, held-out OOV rate=%.4f%n", tok.size(), oov);
        assertTrue(oov < 0.02, "held-out OOV rate " + oov);
        // a vocabulary of a quarter the size must miss far more: the measure can fail
        assertTrue(WordTokenizer.build(WritingCorpus.load().training(), 1000).oovRate(WritingCorpus.load().heldOut()) > 0.05);
    }

    @Test
    void lengthTokensBucketTheRange() {
        assertEquals("<len_20_50>", WordTokenizer.lengthToken(24, 46));
        assertEquals("<len_50_70>", WordTokenizer.lengthToken(50, 63));
        assertEquals("<len_90_100>", WordTokenizer.lengthToken(150, 300));
        WritingPrompt p = new WritingPrompt(0, "water", List.of("rain", "boat"), 30, 50);
        int[] ctx = tok.promptTokens(p);
        assertEquals("water <sep> rain boat <sep> <len_30_50>", tok.decode(ctx));
    }

    @Test
    void corpusSplitIsByLineHash() {
        WritingCorpus c = WritingCorpus.load();
        assertTrue(c.heldOut().size() > c.training().size() / 15 && c.heldOut().size() < c.training().size() / 6);
        c.heldOut().forEach(l -> assertTrue(WritingCorpus.isHeldOut(l)));
        WritingCorpus reordered = WritingCorpus.of(List.of(c.heldOut().get(0), c.training().get(0)));
        assertEquals(List.of(c.heldOut().get(0)), reordered.heldOut());
    }
}
