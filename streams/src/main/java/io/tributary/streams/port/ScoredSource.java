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

    /**
     * Hands a decoded chunk the learner cannot train to the dead-letter topic with {@code reason}, and
     * returns once the broker has it (a checkpoint written after this call covers the chunk's offset, so
     * the dead letter must be durable first). A failure throws {@link StreamsException}.
     */
    void deadLetter(Item item, String reason);

    /** Makes a blocked {@link #poll} return early; callable from any thread. */
    void wakeup();

    @Override
    void close();
}
