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
    /** What a checkpoint records besides the learner's weights. */
    public record Meta(long number, long policyVersion, Map<Integer, Long> offsets, long envSteps, long updates,
                       long chunksTrained, long chunksDroppedStale, long wallMillis) {
        public Meta {
            offsets = Map.copyOf(offsets);
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
            for (Map.Entry<Integer, Long> e : meta.offsets().entrySet()) {
                p.setProperty("offset." + e.getKey(), Long.toString(e.getValue()));
            }
            try (var w = Files.newBufferedWriter(tmp.resolve("checkpoint.properties"), StandardCharsets.UTF_8)) {
                p.store(w, "tributary checkpoint");
            }
            Files.write(tmp.resolve("ledger-entry.txt"), entry.encode());
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
        try {
            Path dir = root.resolve(Files.readString(pointer, StandardCharsets.UTF_8).trim());
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
                    Long.parseLong(p.getProperty("wall-millis", "0")));
            Ledger.Entry entry = Ledger.Entry.decode(meta.number(), Files.readAllBytes(dir.resolve("ledger-entry.txt")));
            return Optional.of(new Checkpoint(dir, meta, entry));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("checkpoint pointed to by " + pointer + " is unreadable: " + e, e);
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
