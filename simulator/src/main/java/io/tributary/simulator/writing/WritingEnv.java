package io.tributary.simulator.writing;

import io.tributary.simulator.Environment;
import io.tributary.simulator.Space;
import io.tributary.simulator.StepResult;
import io.tributary.simulator.envs.EnvOptions;
import io.tributary.simulator.random.SplitMix64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code Writing-v0}: the writing task's entry in the environment registry, so that a writing run's config goes
 * through the same checks as every other ({@code simulator.env.name}, the learner's spaces) although the task is
 * not stepped. A group of G responses to a prompt is sampled by the text rollout role (the policy language model
 * runs whole responses, {@link WritingGroups} is the chunk layout), never one {@link #step} at a time.
 *
 * <p>Its spaces describe what a writing policy sees and emits: the observation is a prompt as token ids,
 * {@link Space.TokenIds}{@code (promptTokens, V)} with {@code promptTokens} the longest prompt of the shipped set
 * ({@link WordTokenizer#promptTokens}) and V the standard tokenizer's vocabulary; the action is one next token,
 * {@link Space.Discrete}{@code (V)}. A learner checks its language model against them (vocabulary equal,
 * prompt context at least as long).
 *
 * <p>{@link #reset} writes a training prompt (drawn from the seed) right-aligned and left-padded with
 * {@link SpecialTokens#PAD}, the way the language model reads it; {@link #step} always throws
 * {@link UnsupportedOperationException} saying that Writing-v0 is sampled by the text rollout role. No options.
 */
public final class WritingEnv implements Environment {
    /** The registered name (the envName of every writing group chunk). */
    public static final String NAME = WritingGroups.ENV_NAME;
    /** What {@link #step} says. */
    public static final String NOT_STEPPED = "Writing-v0 is sampled by the text rollout role (whole responses per "
            + "prompt group), it is not a stepped environment";

    private static volatile Shape shape;

    private final List<WritingPrompt> training;
    private final WordTokenizer tokenizer;
    private final Shape dims;
    private final SplitMix64 rng = new SplitMix64(0);

    /** The shipped prompt set's dimensions, computed once per JVM. */
    private record Shape(int promptTokens, int vocabSize, int maxEpisodeSteps) {
    }

    private WritingEnv() {
        this.training = WritingPrompts.load().training();
        this.tokenizer = WordTokenizer.standard();
        this.dims = shape();
    }

    /** A Writing-v0 instance; it takes no options. */
    public static WritingEnv fromOptions(Map<String, String> options) {
        EnvOptions.requireKnownKeys(NAME, options, Set.of());
        return new WritingEnv();
    }

    private static Shape shape() {
        Shape s = shape;
        if (s == null) {
            synchronized (WritingEnv.class) {
                s = shape;
                if (s == null) {
                    WordTokenizer t = WordTokenizer.standard();
                    int longest = 1;
                    int cap = 1;
                    for (WritingPrompt p : WritingPrompts.load().all()) {
                        longest = Math.max(longest, t.promptTokens(p).length);
                        cap = Math.max(cap, p.lengthCap());
                    }
                    // a response is at most its cap in words, plus EOS
                    s = new Shape(longest, t.size(), cap + 1);
                    shape = s;
                }
            }
        }
        return s;
    }

    /** Tokens of the longest prompt of the shipped set (the observation's length). */
    public static int promptTokens() {
        return shape().promptTokens();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Space observationSpace() {
        return new Space.TokenIds(dims.promptTokens(), dims.vocabSize());
    }

    @Override
    public Space actionSpace() {
        return new Space.Discrete(dims.vocabSize());
    }

    @Override
    public void reset(long seed, StepResult out) {
        out.clear();
        rng.reseed(seed);
        int[] prompt = tokenizer.promptTokens(training.get(rng.nextInt(training.size())));
        int pad = out.observation.length - prompt.length;
        java.util.Arrays.fill(out.observation, 0, pad, SpecialTokens.PAD);
        for (int i = 0; i < prompt.length; i++) {
            out.observation[pad + i] = prompt[i];
        }
    }

    /** Always throws: see the class comment. */
    @Override
    public void step(float[] action, StepResult out) {
        throw new UnsupportedOperationException(NOT_STEPPED);
    }

    /** The longest response of the prompt set: its largest length cap (2.5 × U) plus EOS. */
    @Override
    public int maxEpisodeSteps() {
        return dims.maxEpisodeSteps();
    }
}
