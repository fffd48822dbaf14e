package io.tributary.simulator.writing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The shipped writing corpus: one sentence per line, extracted from WordNet 3.0's glosses (see
 * {@code docs/writing-data.md} for source, licence and extraction), split into a training part and a fixed
 * held-out part by a hash of each line, so the split never depends on the line order.
 *
 * <p>The held-out part exists for the evaluation judge: its n-gram model must not have seen the text the
 * policy learned from.
 */
public final class WritingCorpus {
    /** Resource path of the corpus text. */
    public static final String RESOURCE = "/io/tributary/simulator/writing/corpus.txt";
    /** One line in this many goes to the held-out part (by {@link #lineHash}). */
    public static final int HELD_OUT_MODULUS = 10;

    private static volatile WritingCorpus shipped;

    private final List<String> training;
    private final List<String> heldOut;

    private WritingCorpus(List<String> lines) {
        List<String> train = new ArrayList<>();
        List<String> held = new ArrayList<>();
        for (String line : lines) {
            if (isHeldOut(line)) {
                held.add(line);
            } else {
                train.add(line);
            }
        }
        this.training = List.copyOf(train);
        this.heldOut = List.copyOf(held);
    }

    /** The shipped corpus (read once per JVM, then shared: it is immutable). */
    public static WritingCorpus load() {
        WritingCorpus c = shipped;
        if (c == null) {
            synchronized (WritingCorpus.class) {
                c = shipped;
                if (c == null) {
                    c = new WritingCorpus(readLines(RESOURCE));
                    shipped = c;
                }
            }
        }
        return c;
    }

    /** A corpus over the given lines (tests, user corpora); blank lines are skipped. */
    public static WritingCorpus of(List<String> lines) {
        return new WritingCorpus(lines.stream().map(String::strip).filter(l -> !l.isEmpty()).toList());
    }

    /** The lines the policy and the training judge learn from (about 90%). */
    public List<String> training() {
        return training;
    }

    /** The fixed held-out lines (about 10%), for the evaluation judge's n-gram model. */
    public List<String> heldOut() {
        return heldOut;
    }

    /** Whether a line belongs to the held-out part. */
    public static boolean isHeldOut(String line) {
        return Long.remainderUnsigned(lineHash(line), HELD_OUT_MODULUS) == 0;
    }

    /** FNV-1a 64-bit hash of the line's UTF-8 bytes: fixed across JVMs and Java versions. */
    public static long lineHash(String line) {
        long h = 0xcbf29ce484222325L;
        for (byte b : line.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    static List<String> readLines(String resource) {
        try (InputStream in = WritingCorpus.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("writing resource missing from the classpath: resource=" + resource);
            }
            List<String> lines = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    String s = line.strip();
                    if (!s.isEmpty()) {
                        lines.add(s);
                    }
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read writing resource " + resource, e);
        }
    }
}
