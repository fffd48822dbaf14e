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

    /** Takes one scored chunk into the next update. */
    void accept(ScoredChunk chunk);

    /** True when enough data is held for {@link #update()}. */
    boolean readyToUpdate();

    /**
     * Runs one update. An update whose loss or gradient is not finite is skipped: weights and version
     * stay as they were, and the report says so.
     */
    UpdateReport update();

    /** The current policy, for publication. */
    PolicySnapshot snapshot();

    /** Writes weights, optimiser state and RNG state into {@code dir} (which exists and is empty). */
    void save(Path dir) throws IOException;

    /** Restores what {@link #save} wrote. */
    void restore(Path dir) throws IOException;

    @Override
    void close();
}
