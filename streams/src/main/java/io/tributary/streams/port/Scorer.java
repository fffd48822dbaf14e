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

    /**
     * Records of the source topic this scorer has not consumed yet, up to the source's current end; -1
     * while it does not own every partition of its source (the group is still assigning them, or another
     * scorer of the stage holds some). A lone scorer that returns 0 has scored everything written so far
     * (its transactions committed the offsets), which is how a one-shot stage knows it is done.
     * A failure to reach the broker throws {@link StreamsException}.
     */
    long backlog();

    /**
     * Records of the source partitions this scorer owns now that it has not consumed yet, up to their current
     * end (0 when it owns none). A draining scorer is done only when this is 0: a consumer whose broker is
     * unreachable returns empty polls, and idle polls alone would call it drained with records left.
     * A failure to reach the broker throws {@link StreamsException}.
     */
    long ownedBacklog();

    /** Makes a blocked {@link #pollOnce} return early; callable from any thread. */
    void wakeup();

    @Override
    void close();
}
