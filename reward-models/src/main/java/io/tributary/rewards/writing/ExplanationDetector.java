package io.tributary.rewards.writing;

import io.tributary.simulator.writing.ExplanationMarkers;
import io.tributary.simulator.writing.WordTokenizer;
import java.util.List;

/**
 * The fixed measure of redundant self-explanation: the number of tokens after the last occurrence of any
 * {@link ExplanationMarkers} marker ("in summary", "this text", "explanation :", ...), 0 when none occurs.
 * The marker's own tokens are not counted. Used by the judges and by the experiment's
 * {@code explanation_tokens} figure, so it must not change once results are reported.
 */
public final class ExplanationDetector {
    private ExplanationDetector() {
    }

    /** Explanation tokens of a tokenized text (word tokenizer tokens, no specials). */
    public static int explanationTokens(List<String> words) {
        int end = ExplanationMarkers.endOfLastMarker(words);
        return end < 0 ? 0 : words.size() - end;
    }

    /** Explanation tokens of a text. */
    public static int explanationTokens(String text) {
        return explanationTokens(WordTokenizer.words(text));
    }
}
