package io.tributary.simulator.writing;

import java.util.List;

/**
 * The fixed phrases that open a redundant self-explanation ("in summary, this text ..."): the pre-training
 * tails start with one of them and the explanation detector counts the tokens after the last one. Shared
 * here so both sides use the same list; changing it changes what the experiment measures.
 */
public final class ExplanationMarkers {
    /** The markers as token sequences of the word tokenizer (lower case, punctuation as its own token). */
    public static final List<List<String>> MARKERS = List.of(
            List.of("in", "summary"),
            List.of("this", "text"),
            List.of("explanation", ":"),
            List.of("to", "summarize"),
            List.of("in", "conclusion"),
            List.of("this", "response"));

    private ExplanationMarkers() {
    }

    /**
     * The index just past the end of the last marker occurrence in {@code words}, or -1 when none occurs.
     * Occurrences are found by their start; the last-starting one wins.
     */
    public static int endOfLastMarker(List<String> words) {
        for (int start = words.size() - 1; start >= 0; start--) {
            for (List<String> m : MARKERS) {
                if (start + m.size() <= words.size() && words.subList(start, start + m.size()).equals(m)) {
                    return start + m.size();
                }
            }
        }
        return -1;
    }

    /** Whether any marker occurs in {@code words}. */
    public static boolean containsMarker(List<String> words) {
        return endOfLastMarker(words) >= 0;
    }
}
