package io.tributary.streams.port;

import io.tributary.streams.kafka.Ledger;
import java.util.Collection;

/**
 * The learner's view of a run's ledger: append a checkpoint's entry durably, and see which checkpoints
 * have one. One writer per run: {@link #claim} (or the first append) makes this process the run's ledger
 * writer and fences any earlier one, whose next append then fails with "another learner took over run".
 */
public interface RunLedger {
    /**
     * Makes this process the run's only ledger writer, fencing an earlier writer of the same run (a
     * second learner started on the run). A failure throws {@link StreamsException}.
     */
    void claim();

    /**
     * Appends {@code entry} (all its records, atomically) and returns once the broker has it; a failure
     * throws {@link StreamsException}, also when a newer writer of the run fenced this one.
     */
    void append(Ledger.Entry entry);

    /** Checkpoint numbers that already have an entry. */
    Collection<Long> checkpoints();
}
