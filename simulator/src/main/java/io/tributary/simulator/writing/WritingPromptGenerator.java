package io.tributary.simulator.writing;

import io.tributary.simulator.random.SplitMix64;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Makes the prompt set deterministically from the corpus: a topic is a noun the corpus defines ("X is ..."),
 * its 2–3 keywords are content words that share training lines with it (so pre-training text with them
 * exists), and the target range is L in [20, 60], U = min(80, L + 10..30). Run {@link #main} to rewrite
 * {@code prompts.tsv}; a test checks the shipped file equals this output.
 */
public final class WritingPromptGenerator {
    /** Prompts in the shipped set. */
    public static final int COUNT = 240;
    /** Seed of the shipped set. */
    public static final long SEED = 20261202L;
    /** A topic must occur in at least this many training lines. */
    static final int MIN_TOPIC_LINES = 6;
    /** A keyword must share at least this many training lines with the topic. */
    static final int MIN_SHARED_LINES = 2;

    /** Function words never chosen as topic or keyword. */
    static final Set<String> STOPWORDS = Set.of("the", "a", "an", "and", "or", "of", "to", "in", "on", "at",
            "for", "with", "by", "from", "as", "is", "are", "was", "were", "be", "been", "being", "it", "its",
            "that", "this", "these", "those", "which", "who", "whom", "what", "when", "where", "how", "not",
            "no", "but", "if", "than", "then", "there", "their", "they", "them", "he", "she", "his", "her",
            "him", "we", "our", "you", "your", "i", "my", "me", "has", "have", "had", "do", "does", "did",
            "into", "out", "up", "down", "over", "under", "about", "such", "some", "any", "all", "one", "two",
            "other", "another", "more", "most", "very", "so", "can", "could", "will", "would", "should", "may",
            "might", "must", "means", "something", "someone", "especially", "usually", "often", "also",
            "having", "made", "make", "used", "using", "relating", "characterized", "person", "act",
            "kind", "part", "state", "quality", "way");

    private WritingPromptGenerator() {
    }

    /** The prompt set for a corpus, tokenizer, size and seed. */
    public static List<WritingPrompt> generate(WritingCorpus corpus, WordTokenizer tokenizer, int count, long seed) {
        List<List<String>> lines = new ArrayList<>();
        for (String l : corpus.training()) {
            lines.add(WordTokenizer.words(l));
        }
        Map<String, List<Integer>> linesOf = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            for (String w : new TreeSet<>(lines.get(i))) {
                linesOf.computeIfAbsent(w, k -> new ArrayList<>()).add(i);
            }
        }
        TreeSet<String> topics = new TreeSet<>();
        for (List<String> l : lines) {
            if (l.size() > 2 && l.get(1).equals("is") && usable(l.get(0), tokenizer)
                    && linesOf.get(l.get(0)).size() >= MIN_TOPIC_LINES) {
                topics.add(l.get(0));
            }
        }
        List<String> topicList = new ArrayList<>(topics);
        int[] order = new int[topicList.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplitMix64 rng = new SplitMix64(seed);
        rng.shuffle(order, order.length);
        List<WritingPrompt> out = new ArrayList<>();
        for (int k = 0; k < order.length && out.size() < count; k++) {
            String topic = topicList.get(order[k]);
            TreeMap<String, Integer> shared = new TreeMap<>();
            for (int li : linesOf.get(topic)) {
                for (String w : new TreeSet<>(lines.get(li))) {
                    if (!w.equals(topic) && usable(w, tokenizer)) {
                        shared.merge(w, 1, Integer::sum);
                    }
                }
            }
            List<String> candidates = new ArrayList<>();
            shared.forEach((w, c) -> {
                if (c >= MIN_SHARED_LINES) {
                    candidates.add(w);
                }
            });
            int nKeywords = 2 + rng.nextInt(2);
            if (candidates.size() < nKeywords) {
                continue;
            }
            int[] pick = new int[candidates.size()];
            for (int i = 0; i < pick.length; i++) {
                pick[i] = i;
            }
            rng.shuffle(pick, pick.length);
            List<String> keywords = new ArrayList<>();
            for (int i = 0; i < nKeywords; i++) {
                keywords.add(candidates.get(pick[i]));
            }
            int lo = 20 + rng.nextInt(41);
            int hi = Math.min(80, lo + 10 + rng.nextInt(21));
            out.add(new WritingPrompt(out.size(), topic, keywords, lo, hi));
        }
        if (out.size() < count) {
            throw new IllegalStateException("corpus yields too few prompts: wanted=" + count + ", got=" + out.size());
        }
        return out;
    }

    private static boolean usable(String w, WordTokenizer tokenizer) {
        return w.length() >= 4 && !STOPWORDS.contains(w) && w.chars().allMatch(Character::isLetter)
                && tokenizer.contains(w);
    }

    /** Writes the shipped set to the path given (default: the resource file in this source tree). */
    public static void main(String[] args) throws IOException {
        Path target = Path.of(args.length > 0 ? args[0]
                : "simulator/src/main/resources/io/tributary/simulator/writing/prompts.tsv");
        List<WritingPrompt> prompts = generate(WritingCorpus.load(), WordTokenizer.standard(), COUNT, SEED);
        Files.writeString(target, WritingPrompts.format(prompts), StandardCharsets.UTF_8);
        System.out.println("wrote " + prompts.size() + " prompts to " + target);
    }
}
