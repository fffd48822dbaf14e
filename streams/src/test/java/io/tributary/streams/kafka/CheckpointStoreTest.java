package io.tributary.streams.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.learner.Learner;
import io.tributary.learner.PolicySnapshot;
import io.tributary.learner.UpdateReport;
import io.tributary.rewards.ScoredChunk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
    @TempDir
    Path dir;

    /** A learner whose whole state is one string, saved as a file; enough to test the store's file handling. */
    private static final class TextStateLearner implements Learner {
        String state;
        boolean failSave;

        TextStateLearner(String state) {
            this.state = state;
        }

        @Override
        public String algorithm() {
            return "text";
        }

        @Override
        public long version() {
            return 0;
        }

        @Override
        public void accept(ScoredChunk chunk) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean readyToUpdate() {
            return false;
        }

        @Override
        public UpdateReport update() {
            throw new UnsupportedOperationException();
        }

        @Override
        public PolicySnapshot snapshot() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void save(Path d) throws IOException {
            Files.writeString(d.resolve("state.txt"), state.substring(0, state.length() / 2));
            if (failSave) {
                throw new IOException("disk full (simulated) while writing state.txt");
            }
            Files.writeString(d.resolve("state.txt"), state);
        }

        @Override
        public void restore(Path d) throws IOException {
            state = Files.readString(d.resolve("state.txt"));
        }

        @Override
        public void close() {
        }
    }

    private static CheckpointStore.Meta meta(long n) {
        return new CheckpointStore.Meta(n, n * 10, Map.of(0, n * 100, 1, n * 100 + 1), n * 1000, n * 10, n * 5, n, n * 7);
    }

    @Test
    void summaryCountersRoundTripAndOldMetasReadAsZero() throws Exception {
        CheckpointStore store = new CheckpointStore(dir, 2);
        CheckpointStore.Meta full = new CheckpointStore.Meta(1, 10, Map.of(0, 5L), 1000, 10, 50, 3, 700, 2, 4, 1,
                "bGFn", "ZTJl", "6-9");
        Ledger.Entry entry = new Ledger.Entry(1, List.of("a/1"), List.of("b/3 discarded-branch v=7"), List.of());
        store.write(new TextStateLearner("w"), full, entry);
        assertEquals(full, store.latest().orElseThrow().meta());

        // A checkpoint written before the counters (and the ledger codec) existed: no counter keys, a text entry.
        Path cp = store.latest().orElseThrow().dir();
        java.util.Properties p = new java.util.Properties();
        try (var r = Files.newBufferedReader(cp.resolve("checkpoint.properties"))) {
            p.load(r);
        }
        for (String k : List.of("meta-version", "skipped-updates", "chunks-rejected", "latency-clamped", "lag-histogram",
                "e2e-histogram", "version-gaps")) {
            p.remove(k);
        }
        try (var w = Files.newBufferedWriter(cp.resolve("checkpoint.properties"))) {
            p.store(w, "old");
        }
        Files.delete(cp.resolve(CheckpointStore.LEDGER_ENTRY_FILE));
        Files.writeString(cp.resolve("ledger-entry.txt"), "T a/1\nD b/3 discarded-branch v=7\n");
        CheckpointStore.Checkpoint old = store.latest().orElseThrow();
        assertEquals(new CheckpointStore.Meta(1, 10, Map.of(0, 5L), 1000, 10, 50, 3, 700), old.meta());
        assertEquals(entry, old.ledgerEntry());

        // A meta from a newer build is refused, not half-read.
        p.setProperty("meta-version", "99");
        try (var w = Files.newBufferedWriter(cp.resolve("checkpoint.properties"))) {
            p.store(w, "new");
        }
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, store::latest);
        assertTrue(e.getMessage().contains("meta-version 99"), e.getMessage());
    }

    @Test
    void allListsTheKeptCheckpointsNewestFirstWithoutHalfWrittenOnes() throws Exception {
        assertEquals(List.of(), new CheckpointStore(dir.resolve("none"), 3).all(), "no store yet: no checkpoints");
        CheckpointStore store = new CheckpointStore(dir, 3);
        Ledger.Entry entry = new Ledger.Entry(1, List.of("a/1"), List.of(), List.of());
        for (long n = 1; n <= 5; n++) {
            store.write(new TextStateLearner("weights-" + n), meta(n), entry);
        }
        TextStateLearner failing = new TextStateLearner("weights-6");
        failing.failSave = true;
        assertThrows(RuntimeException.class, () -> store.write(failing, meta(6), entry));
        List<CheckpointStore.Checkpoint> all = store.all();
        assertEquals(List.of(meta(5), meta(4), meta(3)), all.stream().map(CheckpointStore.Checkpoint::meta).toList());
        for (CheckpointStore.Checkpoint cp : all) {
            TextStateLearner restored = new TextStateLearner("");
            restored.restore(cp.learnerDir());
            assertEquals("weights-" + cp.meta().number(), restored.state);
        }
        assertEquals(all.get(0).meta(), store.latest().orElseThrow().meta());
    }

    @Test
    void roundTripsMetaLedgerEntryAndLearnerState() throws Exception {
        CheckpointStore store = new CheckpointStore(dir, 2);
        Ledger.Entry entry = new Ledger.Entry(1, List.of("a/1", "a/2"), List.of("b/3 lag=4"), List.of("c/9 malformed"));
        store.write(new TextStateLearner("weights-1"), meta(1), entry);
        CheckpointStore.Checkpoint cp = store.latest().orElseThrow();
        assertEquals(meta(1), cp.meta());
        assertEquals(entry, cp.ledgerEntry());
        TextStateLearner restored = new TextStateLearner("");
        restored.restore(cp.learnerDir());
        assertEquals("weights-1", restored.state);
    }

    @Test
    void aCrashMidWriteLeavesThePreviousCheckpointUsable() throws Exception {
        CheckpointStore store = new CheckpointStore(dir, 2);
        store.write(new TextStateLearner("weights-1"), meta(1), new Ledger.Entry(1, List.of("a/1"), List.of(), List.of()));
        TextStateLearner failing = new TextStateLearner("weights-2");
        failing.failSave = true;
        assertThrows(RuntimeException.class,
                () -> store.write(failing, meta(2), new Ledger.Entry(2, List.of("a/2"), List.of(), List.of())));
        CheckpointStore.Checkpoint cp = store.latest().orElseThrow();
        assertEquals(1, cp.meta().number(), "the pointer still names the previous checkpoint");
        TextStateLearner restored = new TextStateLearner("");
        restored.restore(cp.learnerDir());
        assertEquals("weights-1", restored.state, "its state is intact");
        // The next successful write replaces the pointer and removes the half-written folder.
        store.write(new TextStateLearner("weights-3"), meta(3), new Ledger.Entry(3, List.of(), List.of(), List.of()));
        assertEquals(3, store.latest().orElseThrow().meta().number());
        try (Stream<Path> s = Files.list(dir)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().startsWith(".tmp-")), "temporary folders pruned");
        }
    }

    @Test
    void keepsOnlyTheNewestCheckpoints() throws Exception {
        CheckpointStore store = new CheckpointStore(dir, 2);
        for (long n = 1; n <= 4; n++) {
            store.write(new TextStateLearner("w" + n), meta(n), new Ledger.Entry(n, List.of(), List.of(), List.of()));
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of("ckpt-00000003", "ckpt-00000004"),
                    s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("ckpt-")).sorted().toList());
        }
        assertEquals("ckpt-00000004", Files.readString(dir.resolve("LATEST"), StandardCharsets.UTF_8));
    }

    @Test
    void anUnreadableCheckpointIsReportedWithItsPath() throws Exception {
        CheckpointStore store = new CheckpointStore(dir, 2);
        store.write(new TextStateLearner("w"), meta(1), new Ledger.Entry(1, List.of(), List.of(), List.of()));
        Files.delete(dir.resolve("ckpt-00000001").resolve("checkpoint.properties"));
        IllegalStateException e = assertThrows(IllegalStateException.class, store::latest);
        assertTrue(e.getMessage().contains("LATEST") && e.getMessage().contains("unreadable"), e.getMessage());
    }
}
