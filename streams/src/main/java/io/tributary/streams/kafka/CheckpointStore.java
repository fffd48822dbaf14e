package io.tributary.streams.kafka;

import io.tributary.learner.Learner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Durable learner checkpoints in a folder that every node that may run the learner can read (a
 * setting, so a shared filesystem can hold it). Each checkpoint is written into a temporary folder,
 * fsynced, then renamed into place atomically, and only then does the {@code LATEST} pointer move to it
 * (also by atomic rename): a crash at any point leaves the previous checkpoint usable.
 *
 * <p>A checkpoint holds the learner's own state ({@link Learner#save}) plus {@code checkpoint.properties}:
 * its number, the policy version, the consumed scored-topic offsets, env steps and updates so far, and
 * the ledger entry it covers (so a resumed learner can write that entry if a crash came between the
 * rename and the ledger append).
 */
public final class CheckpointStore {
    /**
     * What a checkpoint records besides the learner's weights: position, budgets, and every counter the
     * run summary reports, so a resumed run reports the whole run, not only its last leg.
     *
     * @param skippedUpdates  updates skipped so far (non-finite loss or gradient)
     * @param chunksRejected  chunks rejected at the learner so far
     * @param latencyClamped  latency or lag values beyond their histogram's range, clamped so far
     * @param lagHistogram    the policy-lag histogram, opaque (the learner role's encoding, base64); "" = empty
     * @param e2eHistogram    the end-to-end latency histogram, same encoding; "" = empty
     * @param versionGaps     version ranges {@code lo-hi} (comma separated) skipped at resumes: {@code lo..hi-1}
     *                        were published by a discarded branch, {@code hi} re-published the restored weights
     */
    public record Meta(long number, long policyVersion, Map<Integer, Long> offsets, long envSteps, long updates,
                       long chunksTrained, long chunksDroppedStale, long wallMillis, long skippedUpdates,
                       long chunksRejected, long latencyClamped, String lagHistogram, String e2eHistogram,
                       String versionGaps) {
        public Meta {
            offsets = Map.copyOf(offsets);
            if (skippedUpdates < 0 || chunksRejected < 0 || latencyClamped < 0) {
                throw new IllegalArgumentException("counters must be >= 0: skippedUpdates=" + skippedUpdates
                        + ", chunksRejected=" + chunksRejected + ", latencyClamped=" + latencyClamped);
            }
            lagHistogram = lagHistogram == null ? "" : lagHistogram;
            e2eHistogram = e2eHistogram == null ? "" : e2eHistogram;
            versionGaps = versionGaps == null ? "" : versionGaps;
        }

        /** A meta without the summary counters (as written before they were checkpointed). */
        public Meta(long number, long policyVersion, Map<Integer, Long> offsets, long envSteps, long updates,
                    long chunksTrained, long chunksDroppedStale, long wallMillis) {
            this(number, policyVersion, offsets, envSteps, updates, chunksTrained, chunksDroppedStale, wallMillis,
                    0, 0, 0, "", "", "");
        }
    }

    /** A checkpoint found on disk. */
    public record Checkpoint(Path dir, Meta meta, Ledger.Entry ledgerEntry) {
        /** Folder holding the learner's own state. */
        public Path learnerDir() {
            return dir.resolve("learner");
        }
    }

    private static final String LATEST = "LATEST";
    /** The checkpoint's ledger entry, one {@link io.tributary.streams.codec.LedgerPart} record. */
    static final String LEDGER_ENTRY_FILE = "ledger-entry.bin";
    /** Version of {@code checkpoint.properties}: 1 had no summary counters, 2 has them (missing = 1). */
    public static final int META_VERSION = 2;
    private final Path root;
    private final int keep;

    /** A store under {@code root}, keeping the newest {@code keep} checkpoints. */
    public CheckpointStore(Path root, int keep) {
        this.root = root;
        this.keep = Math.max(1, keep);
    }

    /** Folder of the store. */
    public Path root() {
        return root;
    }

    /** Writes a checkpoint atomically and returns it. */
    public Checkpoint write(Learner learner, Meta meta, Ledger.Entry entry) {
        try {
            Files.createDirectories(root);
            String name = String.format("ckpt-%08d", meta.number());
            Path tmp = root.resolve(".tmp-" + name + "-" + System.nanoTime());
            Path learnerDir = tmp.resolve("learner");
            Files.createDirectories(learnerDir);
            learner.save(learnerDir);
            Properties p = new Properties();
            p.setProperty("number", Long.toString(meta.number()));
            p.setProperty("policy-version", Long.toString(meta.policyVersion()));
            p.setProperty("env-steps", Long.toString(meta.envSteps()));
            p.setProperty("updates", Long.toString(meta.updates()));
            p.setProperty("chunks-trained", Long.toString(meta.chunksTrained()));
            p.setProperty("chunks-dropped-stale", Long.toString(meta.chunksDroppedStale()));
            p.setProperty("wall-millis", Long.toString(meta.wallMillis()));
            p.setProperty("meta-version", Integer.toString(META_VERSION));
            p.setProperty("skipped-updates", Long.toString(meta.skippedUpdates()));
            p.setProperty("chunks-rejected", Long.toString(meta.chunksRejected()));
            p.setProperty("latency-clamped", Long.toString(meta.latencyClamped()));
            p.setProperty("lag-histogram", meta.lagHistogram());
            p.setProperty("e2e-histogram", meta.e2eHistogram());
            p.setProperty("version-gaps", meta.versionGaps());
            for (Map.Entry<Integer, Long> e : meta.offsets().entrySet()) {
                p.setProperty("offset." + e.getKey(), Long.toString(e.getValue()));
            }
            try (var w = Files.newBufferedWriter(tmp.resolve("checkpoint.properties"), StandardCharsets.UTF_8)) {
                p.store(w, "tributary checkpoint");
            }
            Files.write(tmp.resolve(LEDGER_ENTRY_FILE), entry.encode());
            fsyncTree(tmp);
            Path target = root.resolve(name);
            if (Files.exists(target)) {
                deleteTree(target);
            }
            move(tmp, target);
            Path pointerTmp = root.resolve(".LATEST.tmp");
            Files.writeString(pointerTmp, name, StandardCharsets.UTF_8);
            fsync(pointerTmp);
            move(pointerTmp, root.resolve(LATEST));
            fsync(root);
            prune();
            return new Checkpoint(target, meta, entry);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint: dir=" + root + ", number=" + meta.number()
                    + ", cause=" + e, e);
        }
    }

    /** The newest complete checkpoint, if any. */
    public Optional<Checkpoint> latest() {
        Path pointer = root.resolve(LATEST);
        if (!Files.exists(pointer)) {
            return Optional.empty();
        }
        Path dir;
        try {
            dir = root.resolve(Files.readString(pointer, StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            throw new IllegalStateException("checkpoint pointer " + pointer + " is unreadable: " + e, e);
        }
        return Optional.of(read(dir, "pointed to by " + pointer));
    }

    /**
     * Every complete checkpoint still kept (at most {@code keep-checkpoints}), newest first: for choosing among a
     * run's recent policies (e.g. on validation episodes). Folders being written ({@code .tmp-}) are not listed.
     */
    public List<Checkpoint> all() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> dirs;
        try (Stream<Path> s = Files.list(root)) {
            dirs = s.filter(p -> p.getFileName().toString().startsWith("ckpt-")).sorted(Comparator.reverseOrder()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + root + ": " + e, e);
        }
        List<Checkpoint> out = new ArrayList<>(dirs.size());
        for (Path dir : dirs) {
            out.add(read(dir, "in " + root));
        }
        return out;
    }

    private static Checkpoint read(Path dir, String where) {
        try {
            Properties p = new Properties();
            try (var r = Files.newBufferedReader(dir.resolve("checkpoint.properties"), StandardCharsets.UTF_8)) {
                p.load(r);
            }
            Map<Integer, Long> offsets = new HashMap<>();
            for (String k : p.stringPropertyNames()) {
                if (k.startsWith("offset.")) {
                    offsets.put(Integer.parseInt(k.substring(7)), Long.parseLong(p.getProperty(k)));
                }
            }
            Meta meta = new Meta(Long.parseLong(p.getProperty("number")), Long.parseLong(p.getProperty("policy-version")),
                    offsets, Long.parseLong(p.getProperty("env-steps")), Long.parseLong(p.getProperty("updates")),
                    Long.parseLong(p.getProperty("chunks-trained")), Long.parseLong(p.getProperty("chunks-dropped-stale")),
                    Long.parseLong(p.getProperty("wall-millis", "0")),
                    // Checkpoints older than meta-version 2 did not record these: the resumed run counts them from zero.
                    Long.parseLong(p.getProperty("skipped-updates", "0")), Long.parseLong(p.getProperty("chunks-rejected", "0")),
                    Long.parseLong(p.getProperty("latency-clamped", "0")), p.getProperty("lag-histogram", ""),
                    p.getProperty("e2e-histogram", ""), p.getProperty("version-gaps", ""));
            int metaVersion = Integer.parseInt(p.getProperty("meta-version", "1"));
            if (metaVersion > META_VERSION) {
                throw new IllegalStateException("checkpoint meta-version " + metaVersion + " is newer than this build reads ("
                        + META_VERSION + "): dir=" + dir);
            }
            Path entryFile = dir.resolve(LEDGER_ENTRY_FILE);
            Ledger.Entry entry = Files.exists(entryFile)
                    ? Ledger.Entry.decode(Files.readAllBytes(entryFile), entryFile.toString())
                    // Checkpoints written before ledger entries had a codec kept them as text.
                    : Ledger.Entry.decodeLegacyText(meta.number(), Files.readAllBytes(dir.resolve("ledger-entry.txt")));
            return new Checkpoint(dir, meta, entry);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("checkpoint " + dir.getFileName() + " " + where + " is unreadable: " + e, e);
        }
    }

    private void prune() throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.list(root)) {
            all = s.filter(p -> p.getFileName().toString().startsWith("ckpt-")).sorted(Comparator.reverseOrder()).toList();
        }
        for (int i = keep; i < all.size(); i++) {
            deleteTree(all.get(i));
        }
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.filter(x -> x.getFileName().toString().startsWith(".tmp-")).toList()) {
                deleteTree(p);
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("filesystem cannot rename atomically: " + from + " -> " + to, e);
        }
    }

    private static void fsyncTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                if (Files.isRegularFile(p)) {
                    fsync(p);
                }
            }
        }
        fsync(dir);
    }

    private static void fsync(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                ch.force(true);
            } catch (IOException e) {
                // Some filesystems refuse to open directories for sync; the data files are synced already.
            }
            return;
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
