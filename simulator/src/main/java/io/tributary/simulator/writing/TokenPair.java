package io.tributary.simulator.writing;

/**
 * One supervised pair for the policy language model: the prompt context ({@link WordTokenizer#promptTokens})
 * and the target response, which ends with {@link SpecialTokens#EOS}. The arrays are not copied: treat them
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
    }

    /** Response length in words, the EOS excluded. */
    public int responseWords() {
        return response.length - 1;
    }
}
