package io.tributary.simulator.lane;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The caption vocabulary: one word per line of the shipped resource {@code vocabulary.txt}, id = line
 * number from 0. Id 0 is padding, id 1 an unknown word. It also knows each id's left-right mirror
 * ({@code left} and {@code right} swap), which is how a mirrored chunk mirrors its caption.
 */
public final class Vocabulary {
    /** Padding id. */
    public static final int PAD = 0;
    /** Unknown-word id. */
    public static final int UNK = 1;
    private static final String RESOURCE = "vocabulary.txt";
    private static final Vocabulary SHIPPED = load();

    private final List<String> words;
    private final Map<String, Integer> ids;
    private final int[] mirror;

    private Vocabulary(List<String> words) {
        this.words = List.copyOf(words);
        this.ids = new HashMap<>();
        for (int i = 0; i < words.size(); i++) {
            if (ids.put(words.get(i), i) != null) {
                throw new IllegalStateException("duplicate vocabulary word: word=" + words.get(i) + ", line=" + (i + 1));
            }
        }
        if (!"<pad>".equals(words.get(PAD)) || !"<unk>".equals(words.get(UNK))) {
            throw new IllegalStateException("vocabulary must start with <pad> and <unk>: first=" + words.subList(0, 2));
        }
        this.mirror = new int[words.size()];
        for (int i = 0; i < mirror.length; i++) {
            mirror[i] = i;
        }
        int left = id("left");
        int right = id("right");
        mirror[left] = right;
        mirror[right] = left;
    }

    /** The vocabulary shipped with the simulator. */
    public static Vocabulary shipped() {
        return SHIPPED;
    }

    private static Vocabulary load() {
        try (InputStream in = Vocabulary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource: " + Vocabulary.class.getPackageName().replace('.', '/')
                        + "/" + RESOURCE);
            }
            List<String> words = new ArrayList<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    words.add(line.strip());
                }
            }
            return new Vocabulary(words);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the caption vocabulary: resource=" + RESOURCE, e);
        }
    }

    /** Number of ids. */
    public int size() {
        return words.size();
    }

    /** The id of {@code word}, or {@link #UNK}. */
    public int id(String word) {
        Integer i = ids.get(word);
        return i == null ? UNK : i;
    }

    /** The word of {@code id}. */
    public String word(int id) {
        return words.get(id);
    }

    /** The id of the left-right mirror of {@code id}'s word (itself for words without a side). */
    public int mirror(int id) {
        return mirror[id];
    }

    /** The words of {@code tokens} up to the first padding, joined by spaces (allocates; for logs and tests). */
    public String decode(int[] tokens) {
        StringBuilder sb = new StringBuilder();
        for (int t : tokens) {
            if (t == PAD) {
                break;
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(word(t));
        }
        return sb.toString();
    }
}
