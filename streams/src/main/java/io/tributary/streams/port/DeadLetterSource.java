package io.tributary.streams.port;

import java.util.List;

/**
 * Reads a run's dead-letter topic from its beginning and follows it, and tells how many records the
 * rollouts topic holds (chunks produced, as a monitor counts them); one owner thread.
 */
public interface DeadLetterSource extends AutoCloseable {
    /** Polls once; returns the dead-letter records that arrived (possibly none, also when woken up). */
    List<DeadLetterRecord> poll();

    /**
     * Records written to the rollouts topic so far (the sum of its partitions' end offsets, refreshed at
     * most once a second; a refresh that times out keeps the last count): every chunk the workers
     * produced, plus any record injected into the topic.
     */
    long rolloutRecords();

    /** Makes a blocked {@link #poll} return early; callable from any thread. */
    void wakeup();

    @Override
    void close();
}
