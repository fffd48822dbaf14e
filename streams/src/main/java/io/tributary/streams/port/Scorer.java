package io.tributary.streams.port;

/**
 * One scoring stage's consume-score-produce loop, run by one thread: each {@link #pollOnce} scores what
 * arrived in one transaction. A failed transaction throws {@link StreamsException} (it was aborted; the
 * records are read again by the next owner of their partitions).
 */
public interface Scorer extends AutoCloseable {
    /** Polls once and scores what arrived; returns the number of records handled (0 also when woken up). */
    int pollOnce();

    /** Chunks scored so far. */
    long scoredCount();

    /** Records dead-lettered so far. */
    long deadLetteredCount();

    /** Makes a blocked {@link #pollOnce} return early; callable from any thread. */
    void wakeup();

    @Override
    void close();
}
