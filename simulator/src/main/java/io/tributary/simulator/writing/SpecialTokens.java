package io.tributary.simulator.writing;

/**
 * Token ids with a fixed meaning in every writing vocabulary: the policy language model, the tokenizer and
 * the judges agree on them, so word ids start at {@link #FIRST_WORD}.
 */
public final class SpecialTokens {
    /** Padding (never sampled, masked out of every loss). */
    public static final int PAD = 0;
    /** Start of a response: the first input token after the prompt. */
    public static final int BOS = 1;
    /** End of a response: sampling stops when it is drawn. */
    public static final int EOS = 2;
    /** A word outside the vocabulary. */
    public static final int UNK = 3;
    /** Separates the prompt's fields (topic, keywords, length) inside the prompt context. */
    public static final int SEP = 4;
    /** The first id of an ordinary word. */
    public static final int FIRST_WORD = 5;

    private SpecialTokens() {
    }
}
