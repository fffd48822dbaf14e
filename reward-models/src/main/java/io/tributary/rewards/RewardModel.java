package io.tributary.rewards;

import io.tributary.simulator.rollout.TrajectoryChunk;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns trajectory chunks into per-step rewards. The seam works at three granularities, and an
 * implementation overrides the one it needs:
 * <ul>
 *   <li>per step ({@link #scoreStep}) — e.g. a hybrid lane-keeping reward;</li>
 *   <li>per chunk ({@link #scoreChunk}) — e.g. a scalar reward model over a whole response, or a
 *       segmented chunk that holds a whole BRPO group;</li>
 *   <li>per group ({@link #scoreGroup}) — chunks that must be judged together (BRPO's pairwise judge
 *       against an in-group reference). The scorer calls it once per {@link #groupKey} with the chunks
 *       of that key in one transaction's batch; a workload whose groups must be complete emits a whole
 *       group as one segmented chunk ({@code TrajectoryChunk.segmentOffsets}), so a group never
 *       straddles two transactions.</li>
 * </ul>
 * Implementations may throw {@link IllegalArgumentException} for a chunk they cannot score; the scorer
 * sends that chunk to the dead-letter topic with the message and goes on.
 */
public interface RewardModel extends AutoCloseable {

    /** Name written into every scored chunk. */
    String id();

    /** Version written into every scored chunk; bump it when the model changes. */
    long version();

    /** Key that puts chunks into the same group; by default the chunk's episode within its worker. */
    default String groupKey(TrajectoryChunk chunk) {
        return chunk.id().workerIncarnation() + "/" + chunk.envIndex() + "/" + chunk.episodeId();
    }

    /** Reward of one step; override this for step-wise reward functions. */
    default float scoreStep(TrajectoryChunk chunk, int step) {
        throw new UnsupportedOperationException(id() + " does not score single steps");
    }

    /** Rewards of every step of one chunk; by default {@link #scoreStep} for each step. */
    default float[] scoreChunk(TrajectoryChunk chunk) {
        float[] out = new float[chunk.steps()];
        for (int i = 0; i < out.length; i++) {
            out[i] = scoreStep(chunk, i);
        }
        return out;
    }

    /** Rewards of a group of chunks scored together; by default {@link #scoreChunk} on each. */
    default List<float[]> scoreGroup(List<TrajectoryChunk> group) {
        List<float[]> out = new ArrayList<>(group.size());
        for (TrajectoryChunk c : group) {
            out.add(scoreChunk(c));
        }
        return out;
    }

    /** Releases resources (judge clients, models); the default does nothing. */
    @Override
    default void close() {
    }
}
