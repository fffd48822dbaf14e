package io.tributary.simulator.rollout;

import java.util.List;

/**
 * Turns one finished trajectory chunk into the chunks a rollout worker sends, e.g. the chunk plus a
 * mirrored copy (data augmentation for lane keeping). One instance per worker, called on the worker's
 * thread only, so an implementation may keep buffers.
 *
 * <p>The worker sends the returned chunks in order. The original, returned as the same instance, keeps
 * its id; every other chunk gets a fresh id of the worker's incarnation (so the ids a transform sets
 * do not matter) and counts toward the worker's per-version quota like the steps it produced itself.
 */
public interface ChunkTransform {
    /** The chunks to send in place of {@code chunk} (usually {@code chunk} itself first); never null, may be empty. */
    List<TrajectoryChunk> apply(TrajectoryChunk chunk);
}
