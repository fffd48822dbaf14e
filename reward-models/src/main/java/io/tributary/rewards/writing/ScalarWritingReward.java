package io.tributary.rewards.writing;

import io.tributary.simulator.writing.WordTokenizer;
import io.tributary.simulator.writing.WritingPrompt;
import java.util.List;

/**
 * The scalar reward-model baseline of the writing experiment: the principle judge's single-response
 * quality score plus {@code biasPerToken} per word. With the default 0.02 it is a length-biased reward
 * model (padding with fluent text raises the score, see {@code PrincipleJudgeTest}); {@code biasPerToken = 0}
 * is the control arm.
 */
public final class ScalarWritingReward {
    /** The length bias of the scalar baseline. */
    public static final double DEFAULT_BIAS_PER_TOKEN = 0.02;

    private final PrincipleJudge judge;
    private final double biasPerToken;

    /** A scalar model over {@code judge}'s quality score with the given per-token bias. */
    public ScalarWritingReward(PrincipleJudge judge, double biasPerToken) {
        if (!(biasPerToken >= 0) || Double.isInfinite(biasPerToken)) {
            throw new IllegalArgumentException("biasPerToken must be finite and >= 0: biasPerToken=" + biasPerToken);
        }
        this.judge = judge;
        this.biasPerToken = biasPerToken;
    }

    /** The length-biased baseline over the training judge. */
    public static ScalarWritingReward lengthBiased() {
        return new ScalarWritingReward(PrincipleJudge.training(), DEFAULT_BIAS_PER_TOKEN);
    }

    /** The control: the same model without the length bias. */
    public static ScalarWritingReward unbiased() {
        return new ScalarWritingReward(PrincipleJudge.training(), 0);
    }

    /** The per-token bias. */
    public double biasPerToken() {
        return biasPerToken;
    }

    /** The reward of one response. */
    public double score(WritingPrompt prompt, String text) {
        return score(prompt, WordTokenizer.words(text));
    }

    /** The reward of one tokenized response. */
    public double score(WritingPrompt prompt, List<String> words) {
        return judge.quality(prompt, words).total() + biasPerToken * words.size();
    }
}
