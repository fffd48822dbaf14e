package io.tributary.simulator.writing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The word-level tokenizer of the writing workload: lower-case words (runs of letters, digits and
 * apostrophes) and the punctuation marks {@code . , ; : ! ?} as tokens of their own; every other character
 * is dropped. Tokens written as {@code <name>} are the special and length tokens.
 *
 * <p>The vocabulary is built at load time, deterministically, from the training part of the corpus (no
 * vocabulary file is shipped, so it cannot drift from the corpus): ids 0–4 are {@link SpecialTokens}, then
 * the length-bucket tokens ({@link #lengthToken}), then the words that must exist whatever their frequency
 * (the punctuation marks, the {@link ExplanationMarkers} and the explanation-tail words of
 * {@link PretrainingPairs}), then the most
 * frequent corpus words (count descending, then alphabetically) until {@link #STANDARD_SIZE} ids. Words
 * outside it encode to {@link SpecialTokens#UNK}. {@code encode(decode(ids))} returns {@code ids} for every
 * valid id sequence.
 */
public final class WordTokenizer {
    /** Size of the standard vocabulary, specials and length tokens included (see docs/writing-feasibility.md). */
    public static final int STANDARD_SIZE = 4000;
    /** Length buckets are this many words wide. */
    public static final int LENGTH_BUCKET = 10;
    /** The largest upper bucket edge; longer ranges use the last bucket. */
    public static final int LENGTH_BUCKET_MAX = 100;

    /** The punctuation tokens; always in the vocabulary. */
    public static final List<String> PUNCTUATION = List.of(".", ",", ";", ":", "!", "?");

    private static final Pattern TOKEN = Pattern.compile("<[a-z0-9_]+>|[a-z0-9']+|[.,;:!?]");
    private static final String[] SPECIAL_NAMES = {"<pad>", "<bos>", "<eos>", "<unk>", "<sep>"};
    private static volatile WordTokenizer standard;

    private final String[] words;
    private final Map<String, Integer> ids;

    private WordTokenizer(List<String> vocabulary) {
        this.words = vocabulary.toArray(new String[0]);
        this.ids = new HashMap<>(vocabulary.size() * 2);
        for (int i = 0; i < words.length; i++) {
            if (ids.put(words[i], i) != null) {
                throw new IllegalStateException("duplicate vocabulary entry: word=" + words[i]);
            }
        }
    }

    /** The standard tokenizer, built from the shipped corpus's training part (once per JVM). */
    public static WordTokenizer standard() {
        WordTokenizer t = standard;
        if (t == null) {
            synchronized (WordTokenizer.class) {
                t = standard;
                if (t == null) {
                    t = build(WritingCorpus.load().training(), STANDARD_SIZE);
                    standard = t;
                }
            }
        }
        return t;
    }

    /** Builds a vocabulary of {@code size} ids from {@code lines} by the rule in the class comment. */
    public static WordTokenizer build(List<String> lines, int size) {
        List<String> vocab = new ArrayList<>(Arrays.asList(SPECIAL_NAMES));
        for (int a = 0; a < LENGTH_BUCKET_MAX; a += LENGTH_BUCKET) {
            for (int b = a + LENGTH_BUCKET; b <= LENGTH_BUCKET_MAX; b += LENGTH_BUCKET) {
                vocab.add("<len_" + a + "_" + b + ">");
            }
        }
        Set<String> reserved = new TreeSet<>();
        ExplanationMarkers.MARKERS.forEach(reserved::addAll);
        reserved.addAll(PretrainingPairs.TAIL_WORDS);
        reserved.addAll(PUNCTUATION);
        Set<String> chosen = new LinkedHashSet<>(vocab);
        chosen.addAll(reserved);
        if (chosen.size() > size) {
            throw new IllegalArgumentException("vocabulary size too small for the fixed entries: size=" + size
                    + ", fixed=" + chosen.size());
        }
        Map<String, Integer> counts = new HashMap<>();
        for (String line : lines) {
            for (String w : words(line)) {
                counts.merge(w, 1, Integer::sum);
            }
        }
        List<Map.Entry<String, Integer>> byCount = new ArrayList<>(counts.entrySet());
        byCount.sort((x, y) -> x.getValue().equals(y.getValue())
                ? x.getKey().compareTo(y.getKey()) : Integer.compare(y.getValue(), x.getValue()));
        for (Map.Entry<String, Integer> e : byCount) {
            if (chosen.size() >= size) {
                break;
            }
            chosen.add(e.getKey());
        }
        return new WordTokenizer(new ArrayList<>(chosen));
    }

    /** The tokens of {@code text} as strings, before any vocabulary lookup (the tokenization rule). */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** The length token of a target range: {@code <len_a_b>}, a = L rounded down, b = U rounded up to 10. */
    public static String lengthToken(int minLength, int maxLength) {
        int a = Math.min(LENGTH_BUCKET_MAX - LENGTH_BUCKET, (minLength / LENGTH_BUCKET) * LENGTH_BUCKET);
        int b = Math.min(LENGTH_BUCKET_MAX,
                Math.max(a + LENGTH_BUCKET, ((maxLength + LENGTH_BUCKET - 1) / LENGTH_BUCKET) * LENGTH_BUCKET));
        return "<len_" + a + "_" + b + ">";
    }

    /** Number of ids (the LM's vocabulary size). */
    public int size() {
        return words.length;
    }

    /** The id of a token, {@link SpecialTokens#UNK} when it is not in the vocabulary. */
    public int id(String word) {
        Integer i = ids.get(word);
        return i == null ? SpecialTokens.UNK : i;
    }

    /** Whether the vocabulary holds {@code word}. */
    public boolean contains(String word) {
        return ids.containsKey(word);
    }

    /** The token of an id. */
    public String word(int id) {
        if (id < 0 || id >= words.length) {
            throw new IllegalArgumentException("token id out of range: id=" + id + ", size=" + words.length);
        }
        return words[id];
    }

    /** Encodes text (no BOS/EOS added). */
    public int[] encode(String text) {
        List<String> w = words(text);
        int[] out = new int[w.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = id(w.get(i));
        }
        return out;
    }

    /** Decodes every id, specials included, joined by single spaces. */
    public String decode(int[] tokens) {
        StringBuilder sb = new StringBuilder();
        for (int t : tokens) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(word(t));
        }
        return sb.toString();
    }

    /** A sampled response as text: tokens before the first EOS, PAD and BOS skipped. */
    public String responseText(int[] tokens) {
        StringBuilder sb = new StringBuilder();
        for (int t : tokens) {
            if (t == SpecialTokens.EOS) {
                break;
            }
            if (t == SpecialTokens.PAD || t == SpecialTokens.BOS) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(word(t));
        }
        return sb.toString();
    }

    /**
     * The prompt context the policy LM is conditioned on: the topic's words, SEP, the keywords, SEP, the
     * length token of [L, U]. Example: {@code harbour SEP rain boat SEP <len_30_50>}.
     */
    public int[] promptTokens(WritingPrompt prompt) {
        List<Integer> out = new ArrayList<>();
        for (int t : encode(prompt.topic())) {
            out.add(t);
        }
        out.add(SpecialTokens.SEP);
        for (String k : prompt.keywords()) {
            for (int t : encode(k)) {
                out.add(t);
            }
        }
        out.add(SpecialTokens.SEP);
        out.add(id(lengthToken(prompt.minLength(), prompt.maxLength())));
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Share of the tokens of {@code lines} that encode to UNK. */
    public double oovRate(List<String> lines) {
        long total = 0;
        long unknown = 0;
        for (String line : lines) {
            for (String w : words(line)) {
                total++;
                if (!ids.containsKey(w)) {
                    unknown++;
                }
            }
        }
        return total == 0 ? 0 : (double) unknown / total;
    }
}
