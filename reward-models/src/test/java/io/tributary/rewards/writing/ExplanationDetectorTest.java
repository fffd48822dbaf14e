package io.tributary.rewards.writing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.writing.ExplanationMarkers;
import io.tributary.simulator.writing.WordTokenizer;
import io.tributary.simulator.writing.WritingCorpus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fixed detector: tokens after the last marker. */
class ExplanationDetectorTest {
    @Test
    void countsTheTokensAfterTheLastMarker() {
        assertEquals(0, ExplanationDetector.explanationTokens("the river was cold ."));
        assertEquals(5, ExplanationDetector.explanationTokens("the river was cold . in summary , it was cold ."));
        // the last marker wins: "this text" comes after "in summary"
        assertEquals(2, ExplanationDetector.explanationTokens("in summary , the river . this text is short"));
        assertEquals(4, ExplanationDetector.explanationTokens("Explanation: the river was cold"));
        assertEquals(0, ExplanationDetector.explanationTokens("a river . in conclusion"));
        // "explanation" without the colon is an ordinary word, and so is "in short"
        assertEquals(0, ExplanationDetector.explanationTokens("the explanation was very simple ."));
        assertEquals(0, ExplanationDetector.explanationTokens("food is in short supply ."));
        assertEquals(6, ExplanationMarkers.MARKERS.size());
    }

    @Test
    void theCorpusAlmostNeverTriggersIt() {
        long hits = WritingCorpus.load().training().stream()
                .filter(l -> ExplanationDetector.explanationTokens(WordTokenizer.words(l)) > 0).count();
        assertTrue(hits < 5, "corpus lines with a marker: " + hits);
        assertEquals(List.of("explanation", ":"), WordTokenizer.words("Explanation:"));
    }
}
