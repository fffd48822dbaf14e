package io.tributary.learner;

import io.tributary.rewards.ScoredChunk;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A learning algorithm fed by scored chunks. The learner actor owns one, offers it every chunk that is
 * fresh enough, and calls {@link #update()} whenever {@link #readyToUpdate()} says so; each successful
 * update makes a new policy version. The same contract fits the three kinds of algorithm:
 * <ul>
 *   <li>on-policy (PPO): {@link #accept} fills a batch; ready when the batch is full; update consumes it;</li>
 *   <li>group-based (BRPO/GRPO): {@link #accept} takes segmented chunks (a group of responses each);
 *       ready when enough groups are held;</li>
 *   <li>off-policy (SAC/RAVL): {@link #accept} appends to a replay buffer that persists across updates;
 *       ready once the buffer holds its warm-up; update runs a fixed number of gradient steps.</li>
 * </ul>
 * Implementations are single-threaded and are driven from one thread.
 */
public interface Learner extends AutoCloseable {

    /** Algorithm name written into snapshots, e.g. {@code ppo}. */
    String algorithm();

    /** Where the learner computes, e.g. {@code cpu() on PyTorch 2.7.1}; reported at start-up and in summaries. */
    default String deviceDescription() {
        return "unspecified";
    }

    /** Current policy version: 0 before the first update, +1 per applied update. */
    long version();

    /**
     * Moves the version counter forward to {@code version} without changing the weights, so the next
     * {@link #snapshot()} carries {@code version} and the next applied update makes {@code version + 1}.
     * The learner role calls it right after {@link #restore} on a resumed run: versions that a killed
     * run published after its last checkpoint must never be published again with other weights.
     * Implementations move their counter (and drop a cached snapshot); the default refuses, so a plug-in
     * that does not implement it cannot be resumed after it published past its last checkpoint.
     *
     * @throws IllegalArgumentException when {@code version} is below {@link #version()}
     */
    default void skipVersionsTo(long version) {
        if (version == version()) {
            return;
        }
        throw new UnsupportedOperationException("learner " + algorithm() + " cannot move its version counter to "
                + version + " (implement Learner.skipVersionsTo to support --resume)");
    }

    /**
     * Takes one scored chunk into the next update. A chunk it cannot train (wrong shape, non-finite
     * values, action out of range) throws {@link IllegalArgumentException} and leaves the learner as it
     * was; the learner role dead-letters such a chunk and goes on.
     */
    void accept(ScoredChunk chunk);

    /** True when enough data is held for {@link #update()}. */
    boolean readyToUpdate();

    /**
     * Runs one update. An update whose loss or gradient is not finite is skipped: weights and version
     * stay as they were, and the report says so.
     */
    UpdateReport update();

    /**
     * Empty while the algorithm can go on; otherwise why it cannot (e.g. SAC: "critic diverged at update
     * 1234"). The learner role checks it after every update and ends the run with it as the stop reason,
     * as if the budget were spent, so a failed arm stops instead of skipping updates until its budget ends.
     */
    default String stopReason() {
        return "";
    }

    /** The current policy, for publication. */
    PolicySnapshot snapshot();

    /** Writes weights, optimiser state and RNG state into {@code dir} (which exists and is empty). */
    void save(Path dir) throws IOException;

    /** Restores what {@link #save} wrote. */
    void restore(Path dir) throws IOException;

    @Override
    void close();
}
