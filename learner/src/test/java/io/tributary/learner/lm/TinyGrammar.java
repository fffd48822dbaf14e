package io.tributary.learner.lm;

import io.tributary.simulator.writing.TokenPair;
import io.tributary.learner.PolicySpec;
import io.tributary.simulator.writing.SpecialTokens;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny deterministic writing task for language-model tests (W1's tokenizer is not needed): a prompt is
 * {@code [SEP, k]} with k one of four "topic" tokens; its text is {@code 3 + 2·(k − FIRST)} words counting up
 * from the topic's first word, then EOS, so the model must learn both the words and where to stop.
 */
final class TinyGrammar {
    static final int VOCAB = 48;
    static final int FIRST_TOPIC = SpecialTokens.FIRST_WORD; // topics are 5..8
    static final int TOPICS = 4;
    static final int FIRST_TEXT_WORD = FIRST_TOPIC + TOPICS;

    private TinyGrammar() {
    }

    static PolicySpec spec() {
        return PolicySpec.sequence(VOCAB, 12, 32, 4);
    }

    static int[] prompt(int topic) {
        return new int[] {SpecialTokens.SEP, FIRST_TOPIC + topic};
    }

    /** Target length range upper bound U of a topic (its text length). */
    static int length(int topic) {
        return 3 + 2 * topic;
    }

    /** The cap: 2.5 × U. */
    static int cap(int topic) {
        return (int) Math.ceil(2.5 * length(topic));
    }

    static int[] text(int topic) {
        int[] t = new int[length(topic)];
        for (int j = 0; j < t.length; j++) {
            t[j] = FIRST_TEXT_WORD + (topic * 5 + j) % (VOCAB - FIRST_TEXT_WORD);
        }
        return t;
    }

    static int[] withEos(int[] words) {
        int[] t = java.util.Arrays.copyOf(words, words.length + 1);
        t[words.length] = SpecialTokens.EOS;
        return t;
    }

    static List<TokenPair> pairs() {
        List<TokenPair> pairs = new ArrayList<>();
        for (int k = 0; k < TOPICS; k++) {
            pairs.add(new TokenPair(prompt(k), withEos(text(k))));
        }
        return pairs;
    }

    static List<int[]> prompts() {
        List<int[]> p = new ArrayList<>();
        for (int k = 0; k < TOPICS; k++) {
            p.add(prompt(k));
        }
        return p;
    }

    static int[] caps() {
        int[] c = new int[TOPICS];
        for (int k = 0; k < TOPICS; k++) {
            c[k] = cap(k);
        }
        return c;
    }
}
