package io.tributary.rewards.writing;

import io.tributary.simulator.writing.WordTokenizer;
import io.tributary.simulator.writing.WritingCorpus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An interpolated Kneser–Ney bigram model over word-tokenizer tokens, for the judges' fluency principle.
 *
 * <p>The lines are read as one running text (each line follows the previous one's full stop), so the
 * context of a text's first token is {@code "."}: the model scores sentence starts the way they occur in
 * the corpus. The continuation unigram is mixed with a uniform share {@link #UNIFORM_WEIGHT} over the
 * known words plus one unknown-word class, so every token has a finite log-probability.
 */
public final class NgramModel {
    /** Absolute discount of Kneser–Ney. */
    public static final double DISCOUNT = 0.75;
    /** Weight of the uniform distribution inside the unigram level. */
    public static final double UNIFORM_WEIGHT = 0.01;
    /** The context of the first token of a text. */
    public static final String START = ".";

    private static volatile NgramModel training;
    private static volatile NgramModel heldOut;

    private final Map<String, Integer> ids = new HashMap<>();
    private final Map<Long, Integer> bigramCounts = new HashMap<>();
    private int[] contextCounts;
    private int[] followerTypes;
    private int[] precederTypes;
    private long bigramTypes;

    private NgramModel(List<String> lines) {
        int prev = id(START, true);
        Map<Long, Integer> counts = bigramCounts;
        for (String line : lines) {
            for (String w : WordTokenizer.words(line)) {
                int cur = id(w, true);
                counts.merge(key(prev, cur), 1, Integer::sum);
                prev = cur;
            }
        }
        int n = ids.size();
        contextCounts = new int[n];
        followerTypes = new int[n];
        precederTypes = new int[n];
        for (Map.Entry<Long, Integer> e : counts.entrySet()) {
            int v = (int) (e.getKey() >>> 32);
            int w = (int) (long) e.getKey();
            contextCounts[v] += e.getValue();
            followerTypes[v]++;
            precederTypes[w]++;
        }
        bigramTypes = counts.size();
        if (bigramTypes == 0) {
            throw new IllegalArgumentException("n-gram model needs at least one token");
        }
    }

    /** A model of the given lines. */
    public static NgramModel train(List<String> lines) {
        return new NgramModel(lines);
    }

    /** The model of the shipped corpus's training part (the training judge's), built once per JVM. */
    public static NgramModel ofTrainingCorpus() {
        NgramModel m = training;
        if (m == null) {
            synchronized (NgramModel.class) {
                if (training == null) {
                    training = train(WritingCorpus.load().training());
                }
                m = training;
            }
        }
        return m;
    }

    /** The model of the held-out part (the evaluation judge's), built once per JVM. */
    public static NgramModel ofHeldOutCorpus() {
        NgramModel m = heldOut;
        if (m == null) {
            synchronized (NgramModel.class) {
                if (heldOut == null) {
                    heldOut = train(WritingCorpus.load().heldOut());
                }
                m = heldOut;
            }
        }
        return m;
    }

    /** Natural log of P(word | previous). */
    public double logProb(String previous, String word) {
        Integer w = ids.get(word);
        double unigram = (1 - UNIFORM_WEIGHT) * (w == null ? 0 : precederTypes[w] / (double) bigramTypes)
                + UNIFORM_WEIGHT / (ids.size() + 1);
        Integer v = ids.get(previous);
        if (v == null || contextCounts[v] == 0) {
            return Math.log(unigram);
        }
        double c = contextCounts[v];
        Integer pair = w == null ? null : bigramCounts.get(key(v, w));
        double discounted = pair == null ? 0 : Math.max(pair - DISCOUNT, 0) / c;
        double backoff = DISCOUNT * followerTypes[v] / c;
        return Math.log(discounted + backoff * unigram);
    }

    /** Mean natural-log probability per token of a tokenized text; 0 for an empty text. */
    public double meanLogProb(List<String> words) {
        if (words.isEmpty()) {
            return 0;
        }
        double sum = 0;
        String prev = START;
        for (String w : words) {
            sum += logProb(prev, w);
            prev = w;
        }
        return sum / words.size();
    }

    /** Number of distinct tokens seen. */
    public int vocabularySize() {
        return ids.size();
    }

    private int id(String w, boolean add) {
        Integer i = ids.get(w);
        if (i == null && add) {
            i = ids.size();
            ids.put(w, i);
        }
        return i == null ? -1 : i;
    }

    private static long key(int v, int w) {
        return ((long) v << 32) | (w & 0xffffffffL);
    }
}
