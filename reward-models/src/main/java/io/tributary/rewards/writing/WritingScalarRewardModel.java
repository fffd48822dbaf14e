package io.tributary.rewards.writing;

import io.tributary.simulator.rollout.TrajectoryChunk;
import io.tributary.simulator.writing.WordTokenizer;
import io.tributary.simulator.writing.WritingPrompt;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The reward model {@code writing-scalar}: the scalar baseline ({@link ScalarWritingReward}: the principle
 * judge's single-response quality + {@code bias} per word) for every response of a writing group chunk.
 *
 * <p><b>Raw scores, not normalised here:</b> the RAW score of response i goes on its last token (0
 * elsewhere); GRPO's group normalisation ({@link GrpoRewards}) is the learner's. Why: the issue asks for GRPO
 * and BRPO to share the learner's code except the advantage rule, so the learner's one group-advantage step
 * turns last-token rewards into advantages for both (BRPO: R_i as is; GRPO: normalised within the group); the
 * scored topic keeps the reward model's own output, so the reward–length correlation, the experiment's
 * {@code mean_reward_trained} and a re-score under another bias are measured on raw scores; and a normalised
 * reward would hide the length bias from every metric (a group's normalised rewards always have mean 0).
 */
public final class WritingScalarRewardModel implements WritingRewardModel {
    /** The reward model's name. */
    public static final String ID = "writing-scalar";
    /** Version written into scored chunks; bump it when the reward changes. */
    public static final long VERSION = 1;

    private final ScalarWritingReward reward;
    private final Map<Integer, WritingPrompt> prompts;
    private final WordTokenizer tokenizer;
    private WritingGroupFigures last;
    private FiguresListener listener;

    /** A model scoring with {@code reward} over the prompt set {@code prompts} (by id) and {@code tokenizer}'s vocabulary. */
    public WritingScalarRewardModel(ScalarWritingReward reward, Map<Integer, WritingPrompt> prompts, WordTokenizer tokenizer) {
        this.reward = Objects.requireNonNull(reward, "reward");
        this.prompts = Map.copyOf(prompts);
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public long version() {
        return VERSION;
    }

    /** The per-word bias in use (0 = the control arm). */
    public double biasPerToken() {
        return reward.biasPerToken();
    }

    /**
     * Raw scalar scores on each response's last token.
     *
     * @throws IllegalArgumentException (key=value details) when the chunk is not a scorable writing group
     *                                  ({@link WritingChunk#decode})
     */
    @Override
    public float[] scoreChunk(TrajectoryChunk chunk) {
        WritingChunk group = WritingChunk.decode(chunk, prompts, tokenizer);
        int g = group.size();
        double[] scores = new double[g];
        int[] lengths = new int[g];
        int[] explanation = new int[g];
        for (int i = 0; i < g; i++) {
            List<String> words = group.words().get(i);
            scores[i] = reward.score(group.prompt(), words);
            lengths[i] = words.size();
            explanation[i] = ExplanationDetector.explanationTokens(words);
        }
        WritingGroupFigures figures = new WritingGroupFigures(ID, chunk.id().toString(), group.prompt().id(),
                chunk.policyVersion(), lengths, explanation, scores, -1, 0, false, List.of());
        last = figures;
        if (listener != null) {
            listener.onGroupScored(figures);
        }
        return group.lastTokenRewards(scores);
    }

    @Override
    public WritingGroupFigures lastGroupFigures() {
        return last;
    }

    @Override
    public void setFiguresListener(FiguresListener listener) {
        this.listener = listener;
    }
}
