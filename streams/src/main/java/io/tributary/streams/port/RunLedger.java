package io.tributary.streams.port;

import io.tributary.streams.kafka.Ledger;
import java.util.Collection;

/** The learner's view of a run's ledger: append a checkpoint's entry durably, and see which checkpoints have one. */
public interface RunLedger {
    /** Appends {@code entry} and returns once the broker has it; a failure throws {@link StreamsException}. */
    void append(Ledger.Entry entry);

    /** Checkpoint numbers that already have an entry. */
    Collection<Long> checkpoints();
}
