package io.tributary.rewards.writing;

import io.tributary.rewards.RewardModel;

/**
 * A reward model over writing groups ({@code writing-judge}, {@code writing-scalar}) that exposes the figures
 * of the group it scored last, so the scorer stage can publish judge-quality metrics (swap consistency,
 * reward–length correlation, lengths) on the metrics topic without the reward-models module knowing about
 * streams. A stage checks {@code model instanceof WritingRewardModel} and either reads
 * {@link #lastGroupFigures()} after each {@code scoreChunk} or registers a {@link FiguresListener}. Like every
 * reward model, an instance serves one scorer thread.
 */
public interface WritingRewardModel extends RewardModel {

    /** Receives the figures of every group the model scores, on the scoring thread, before scoreChunk returns. */
    @FunctionalInterface
    interface FiguresListener {
        /** Called once per scored group. */
        void onGroupScored(WritingGroupFigures figures);
    }

    /** The figures of the last group scored, or null before the first. */
    WritingGroupFigures lastGroupFigures();

    /** Sets the listener (null removes it); the default is none. */
    void setFiguresListener(FiguresListener listener);
}
