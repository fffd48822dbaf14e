package io.tributary.simulator.writing;

/**
 * One supervised pair for the policy language model: the prompt context ({@link WordTokenizer#promptTokens})
 * and the target response: words (or UNK), then {@link SpecialTokens#EOS} and nothing after it. The arrays are not copied: treat them
 * as read-only.
 */
public record TokenPair(int[] prompt, int[] response) {
    /** Validates the shape. */
    public TokenPair {
        if (prompt == null || prompt.length == 0) {
            throw new IllegalArgumentException("prompt tokens must not be empty");
        }
        if (response == null || response.length == 0 || response[response.length - 1] != SpecialTokens.EOS) {
            throw new IllegalArgumentException("response must end with EOS: length="
                    + (response == null ? 0 : response.length));
        }
        // EOS only at the end, and no token the model never emits inside a text: the pre-trainer learns exactly
        // where a text stops, and the banned tokens stay banned.
        for (int i = 0; i < response.length - 1; i++) {
            int t = response[i];
            if (t < 0 || t == SpecialTokens.PAD || t == SpecialTokens.BOS || t == SpecialTokens.EOS
                    || t == SpecialTokens.SEP) {
                throw new IllegalArgumentException("text token must be a word or UNK: response[" + i + "]=" + t);
            }
        }
    }

    /** Response length in words, the EOS excluded. */
    public int responseWords() {
        return response.length - 1;
    }
}
