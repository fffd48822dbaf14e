package io.tributary.simulator.writing;

import java.util.List;

/**
 * One writing prompt: what to write about, the words the text must use and the target length range in
 * words (tokens of the word-level tokenizer, end token excluded).
 *
 * @param id          stable id within the prompt set (held-out splits are chosen by id)
 * @param topic       the subject, a few words ("a rainy harbour town")
 * @param keywords    required words, each a single vocabulary word
 * @param minLength   L, the shortest length that fits, in words
 * @param maxLength   U, the longest length that fits, in words
 */
public record WritingPrompt(int id, String topic, List<String> keywords, int minLength, int maxLength) {
    /** Validates the fields. */
    public WritingPrompt {
        if (id < 0) {
            throw new IllegalArgumentException("prompt id must be >= 0: id=" + id);
        }
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("prompt topic must not be blank: id=" + id);
        }
        keywords = List.copyOf(keywords);
        if (minLength < 1 || maxLength < minLength) {
            throw new IllegalArgumentException("prompt length range must satisfy 1 <= L <= U: id=" + id
                    + ", L=" + minLength + ", U=" + maxLength);
        }
    }

    /** The length cap of a sampled response: 2.5 × U words (the rule), rounded down. */
    public int lengthCap() {
        return (int) Math.floor(2.5 * maxLength);
    }
}
