package io.tributary.streams.codec;

import java.util.List;

/**
 * One record of the ledger topic: part {@code part} of {@code parts} of the entry of checkpoint
 * {@code checkpoint}. A checkpoint's entry lists the chunk ids it covers — trained, dropped (with a
 * reason: {@code lag=<n>}, {@code discarded-branch ...}, {@code end-of-run}) and rejected (with a reason);
 * an entry too big for one record is split into several parts, each a record of its own, so an entry is
 * never lost to the record size limit. Every part repeats {@code parts}, so a reader can tell a complete
 * entry from one cut short by a crash.
 *
 * @param checkpoint   the checkpoint number (&gt;= 0)
 * @param part         this part's index, 0-based
 * @param parts        how many parts the entry has (&gt;= 1)
 * @param trained      ids trained by this checkpoint's updates
 * @param droppedStale ids not trained, each {@code <id> <reason>}
 * @param rejected     ids rejected at the learner, each {@code <id> <reason>}
 */
public record LedgerPart(long checkpoint, int part, int parts, List<String> trained, List<String> droppedStale,
                         List<String> rejected) {
    /** Checks the numbering and copies the lists. */
    public LedgerPart {
        if (checkpoint < 0) {
            throw new IllegalArgumentException("checkpoint must be >= 0: checkpoint=" + checkpoint);
        }
        if (parts < 1 || part < 0 || part >= parts) {
            throw new IllegalArgumentException("part out of range: part=" + part + ", parts=" + parts);
        }
        trained = List.copyOf(trained);
        droppedStale = List.copyOf(droppedStale);
        rejected = List.copyOf(rejected);
    }
}
