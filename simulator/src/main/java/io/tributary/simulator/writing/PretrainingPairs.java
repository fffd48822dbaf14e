package io.tributary.simulator.writing;

import io.tributary.simulator.random.SplitMix64;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Supervised pre-training data for the policy LM: (prompt tokens, response tokens + EOS) whose response
 * length lies in the prompt's [L, U], built from training-corpus sentences.
 *
 * <p>A response is built for a target length drawn uniformly in the allowed range: first one sentence
 * containing each keyword and one containing the topic (where the corpus has one), then further sentences
 * containing the topic or a keyword, then random sentences; a sentence that would overshoot is replaced by a
 * shorter random one that fits when one is found, else the text stops when it is long enough, else the sentence
 * is cut and closed with a full stop. Sentences with an unknown word or an explanation marker are never used, so the
 * only explanations in the data are the tails below.
 *
 * <p>Exactly {@link #TAIL_FRACTION} of the pairs (rounded, positions chosen by the seed) end with a redundant
 * self-explanation tail from {@link #TAIL_TEMPLATES}: each starts with one {@link ExplanationMarkers} marker,
 * restates the topic and keywords, and counts toward the length, so the policy starts with a small habit
 * that a length-rewarding scalar model can amplify (the Writing-Zero hacking signature).
 */
public final class PretrainingPairs {
    /** Share of pairs that end with an explanation tail. */
    public static final double TAIL_FRACTION = 0.10;
    /** Tail templates: {topic}, {k1}, {k2} are replaced by the prompt's topic and first two keywords. */
    public static final List<String> TAIL_TEMPLATES = List.of(
            "in summary , the text above is about {topic} and {k1} .",
            "explanation : the text above describes {topic} and uses {k1} and {k2} .",
            "to summarize , it was about {topic} .",
            "in conclusion , the words {k1} and {k2} were used to write about {topic} .",
            "this response is about {topic} and {k1} .",
            "this text talks about {topic} , {k1} and {k2} .");
    /** The fixed words of the templates; the tokenizer always keeps them. */
    public static final Set<String> TAIL_WORDS;

    static {
        Set<String> w = new TreeSet<>();
        for (String t : TAIL_TEMPLATES) {
            for (String s : t.split(" ")) {
                if (!s.startsWith("{")) {
                    w.add(s);
                }
            }
        }
        TAIL_WORDS = Set.copyOf(w);
    }

    /** Random draws for a whole sentence that fits the room left before a sentence is cut instead. */
    private static final int FIT_ATTEMPTS = 200;

    /** One generated pair with what made it (for tests and inspection). */
    public record Example(WritingPrompt prompt, TokenPair pair, boolean explanationTail, int tailWords) {
    }

    private final WordTokenizer tokenizer;
    private final List<int[]> sentences = new ArrayList<>();
    private final Map<Integer, List<Integer>> sentencesWith = new HashMap<>();

    /** Indexes the clean sentences of the corpus's training part. */
    public PretrainingPairs(WritingCorpus corpus, WordTokenizer tokenizer) {
        this.tokenizer = tokenizer;
        for (String line : corpus.training()) {
            List<String> words = WordTokenizer.words(line);
            if (words.isEmpty() || ExplanationMarkers.containsMarker(words)) {
                continue;
            }
            int[] ids = new int[words.size()];
            boolean clean = true;
            for (int i = 0; i < ids.length; i++) {
                ids[i] = tokenizer.id(words.get(i));
                clean &= ids[i] != SpecialTokens.UNK;
            }
            if (!clean) {
                continue;
            }
            int index = sentences.size();
            sentences.add(ids);
            for (int id : new HashSet<>(box(ids))) {
                sentencesWith.computeIfAbsent(id, k -> new ArrayList<>()).add(index);
            }
        }
        if (sentences.isEmpty()) {
            throw new IllegalArgumentException("corpus has no usable sentence for pre-training pairs");
        }
    }

    /** The standard pairs source: shipped corpus and standard tokenizer. */
    public static PretrainingPairs standard() {
        return new PretrainingPairs(WritingCorpus.load(), WordTokenizer.standard());
    }

    /** {@code count} pairs over {@code prompts} (uniformly drawn), reproducible from {@code seed}. */
    public List<TokenPair> pairs(List<WritingPrompt> prompts, int count, long seed) {
        return examples(prompts, count, seed).stream().map(Example::pair).toList();
    }

    /** Like {@link #pairs}, with each pair's prompt and tail flag. */
    public List<Example> examples(List<WritingPrompt> prompts, int count, long seed) {
        if (prompts.isEmpty() || count < 0) {
            throw new IllegalArgumentException("need prompts and count >= 0: prompts=" + prompts.size() + ", count=" + count);
        }
        SplitMix64 rng = new SplitMix64(seed);
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        rng.shuffle(order, count);
        int tails = (int) Math.round(TAIL_FRACTION * count);
        boolean[] tail = new boolean[count];
        for (int i = 0; i < tails; i++) {
            tail[order[i]] = true;
        }
        List<Example> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(example(prompts.get(rng.nextInt(prompts.size())), tail[i], rng));
        }
        return out;
    }

    /** One pair for {@code prompt}, with or without an explanation tail. */
    public Example example(WritingPrompt prompt, boolean withTail, SplitMix64 rng) {
        int[] tailIds = withTail ? tail(prompt, rng) : new int[0];
        int bodyMin = Math.max(1, prompt.minLength() - tailIds.length);
        int bodyMax = prompt.maxLength() - tailIds.length;
        if (bodyMax < 1) {
            throw new IllegalArgumentException("target range too short for a tail: id=" + prompt.id()
                    + ", U=" + prompt.maxLength() + ", tail=" + tailIds.length);
        }
        int lo = Math.min(bodyMin + 2, bodyMax);
        int target = lo + rng.nextInt(bodyMax - lo + 1);
        List<Integer> body = new ArrayList<>(target);
        Set<Integer> used = new HashSet<>();
        List<Integer> wanted = new ArrayList<>();
        for (String k : prompt.keywords()) {
            wanted.add(tokenizer.id(k));
        }
        for (int t : tokenizer.encode(prompt.topic())) {
            wanted.add(t);
        }
        List<Integer> related = new ArrayList<>();
        for (int w : wanted) {
            related.addAll(sentencesWith.getOrDefault(w, List.of()));
        }
        int step = 0;
        while (body.size() < target) {
            int s;
            if (step < wanted.size()) {
                List<Integer> with = sentencesWith.getOrDefault(wanted.get(step), List.of());
                step++;
                if (with.isEmpty()) {
                    continue;
                }
                s = with.get(rng.nextInt(with.size()));
            } else if (!related.isEmpty() && used.size() < related.size() && rng.nextDouble() < 0.7) {
                s = related.get(rng.nextInt(related.size()));
            } else {
                s = rng.nextInt(sentences.size());
            }
            if (!used.add(s)) {
                continue;
            }
            int[] ids = sentences.get(s);
            int remaining = target - body.size();
            if (ids.length > remaining) {
                int[] shorter = fitting(remaining, rng);
                ids = shorter == null ? ids : shorter;
            }
            if (ids.length <= remaining) {
                for (int id : ids) {
                    body.add(id);
                }
            } else if (body.size() >= bodyMin) {
                break;
            } else {
                for (int i = 0; i < remaining - 1; i++) {
                    body.add(ids[i]);
                }
                body.add(tokenizer.id("."));
            }
        }
        int[] response = new int[body.size() + tailIds.length + 1];
        for (int i = 0; i < body.size(); i++) {
            response[i] = body.get(i);
        }
        System.arraycopy(tailIds, 0, response, body.size(), tailIds.length);
        response[response.length - 1] = SpecialTokens.EOS;
        return new Example(prompt, new TokenPair(tokenizer.promptTokens(prompt), response), withTail, tailIds.length);
    }

    /** Fluent corpus sentences of about {@code words} tokens in all, none with a marker (padding, tests). */
    public int[] padding(int words, SplitMix64 rng) {
        List<Integer> out = new ArrayList<>();
        while (out.size() < words) {
            for (int id : sentences.get(rng.nextInt(sentences.size()))) {
                out.add(id);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A random whole sentence of at most {@code room} tokens, or null when a bounded search finds none. */
    private int[] fitting(int room, SplitMix64 rng) {
        for (int attempt = 0; attempt < FIT_ATTEMPTS; attempt++) {
            int[] ids = sentences.get(rng.nextInt(sentences.size()));
            if (ids.length <= room) {
                return ids;
            }
        }
        return null;
    }

    private int[] tail(WritingPrompt prompt, SplitMix64 rng) {
        String k1 = prompt.keywords().isEmpty() ? prompt.topic() : prompt.keywords().get(0);
        String k2 = prompt.keywords().size() < 2 ? k1 : prompt.keywords().get(1);
        String t = TAIL_TEMPLATES.get(rng.nextInt(TAIL_TEMPLATES.size()))
                .replace("{topic}", prompt.topic()).replace("{k1}", k1).replace("{k2}", k2);
        return tokenizer.encode(t);
    }

    private static List<Integer> box(int[] ids) {
        List<Integer> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            out.add(id);
        }
        return out;
    }
}
