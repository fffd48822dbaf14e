package io.tributary.streams.port;

import io.tributary.learner.PolicySnapshot;

/** Follows a run's published policy snapshots in publication order; one owner thread. */
public interface PolicySource extends AutoCloseable {
    /** The most recently published snapshot among those that arrived since the last call, or null (also when woken up). */
    PolicySnapshot poll();

    /** Makes a blocked {@link #poll} return early; callable from any thread. */
    void wakeup();

    @Override
    void close();
}
