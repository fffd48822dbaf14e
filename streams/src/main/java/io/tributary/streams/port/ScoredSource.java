package io.tributary.streams.port;

import io.tributary.rewards.ScoredChunk;
import java.util.List;

/**
 * The learner's source of scored chunks: committed data only, from given start positions, one owner
 * thread; malformed records come out as items with a reason (they are dead-lettered as well).
 */
public interface ScoredSource extends AutoCloseable {
    /** One record read: its position and either a chunk or the reason it could not be decoded. */
    record Item(int partition, long offset, byte[] key, ScoredChunk chunk, String malformedReason) {
    }

    /** Polls once; returns what arrived (possibly nothing, also when woken up by {@link #wakeup}). */
    List<Item> poll();

    /** Makes a blocked {@link #poll} return early; callable from any thread. */
    void wakeup();

    @Override
    void close();
}
