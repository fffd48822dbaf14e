package io.tributary.learner.lm;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import io.tributary.config.SettingsException;
import io.tributary.learner.LearnerSettings;
import io.tributary.learner.PolicySettings;
import io.tributary.learner.PolicySpec;
import io.tributary.learner.nn.Devices;
import io.tributary.simulator.writing.PretrainingPairs;
import io.tributary.simulator.writing.TokenPair;
import io.tributary.simulator.writing.WordTokenizer;
import io.tributary.simulator.writing.WritingPrompt;
import io.tributary.simulator.writing.WritingPrompts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What {@code ./tributary pretrain-lm} does, callable from an experiment too: a fresh policy language model of the
 * {@code tributary.learner.policy.sequence} shape, pre-trained ({@link LmPretrainer}, {@code tributary.learner.lm-pretrain})
 * on {@code pairs} {@link PretrainingPairs} over the training prompts until the stop rule holds (≥
 * {@code end-before-cap-target} of the check samples end before their cap, 2.5 × U, checked on the held-out
 * prompts) or {@code max-steps}, then written as an {@link LmModelFile} ({@code tributary.learner.group.init-from}
 * reads it). The vocabulary size must equal the standard tokenizer's. Device from {@code tributary.learner.device}.
 */
public final class LmPretraining {
    private LmPretraining() {
    }

    /**
     * What a pre-training run did.
     *
     * @param spec       the model's shape
     * @param parameters its parameter count
     * @param pairs      pre-training pairs drawn
     * @param seed       the seed of pairs, initialisation and shuffling
     * @param outcome    the pre-trainer's outcome (every check)
     * @param seconds    wall time of data preparation, training and checks
     * @param device     where it computed
     */
    public record Result(PolicySpec spec, long parameters, int pairs, long seed, LmPretrainer.Outcome outcome,
                         double seconds, String device) {
        public Result {
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(outcome, "outcome");
        }

        /** Target tokens trained per second over the whole run (checks included). */
        public double tokensPerSecond() {
            return seconds <= 0 ? 0 : outcome.last().tokens() / seconds;
        }

        /** The figures written beside the model file ({@code <file>.json}), flat and named. */
        public Map<String, Object> figures() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("steps", outcome.steps());
            m.put("skipped_steps", outcome.skippedSteps());
            m.put("target_reached", outcome.targetReached());
            m.put("ended_before_cap", outcome.last().endedBeforeCapFraction());
            m.put("loss", outcome.last().loss());
            m.put("mean_sample_length", outcome.last().meanLength());
            m.put("tokens", outcome.last().tokens());
            m.put("tokens_per_second", tokensPerSecond());
            m.put("seconds", seconds);
            m.put("seed", seed);
            m.put("pairs", pairs);
            m.put("parameters", parameters);
            m.put("vocab_size", spec.fields().get(0).vocabSize());
            m.put("embedding_dim", spec.fields().get(0).embeddingDim());
            m.put("hidden_size", spec.hiddenSizes()[0]);
            m.put("prompt_length", spec.fields().get(0).size());
            m.put("device", device);
            List<Map<String, Object>> checks = new ArrayList<>();
            for (LmPretrainer.Check c : outcome.checks()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("step", c.step());
                row.put("loss", c.loss());
                row.put("ended_before_cap", c.endedBeforeCapFraction());
                row.put("mean_sample_length", c.meanLength());
                row.put("tokens", c.tokens());
                checks.add(row);
            }
            m.put("checks", checks);
            return m;
        }
    }

    /** The sequence spec of {@code config}'s {@code policy.sequence}, checked against the standard tokenizer. */
    public static PolicySpec spec(Config config) {
        PolicySettings.SequenceOptions s = PolicySettings.fromConfig(config).sequence();
        int vocab = WordTokenizer.standard().size();
        if (s.vocabSize() != vocab) {
            throw new SettingsException(PolicySettings.PATH + ".sequence.vocab-size", s.vocabSize(),
                    "must equal the writing tokenizer's vocabulary: " + vocab);
        }
        int longest = 0;
        for (WritingPrompt p : WritingPrompts.load().all()) {
            longest = Math.max(longest, WordTokenizer.standard().promptTokens(p).length);
        }
        if (s.promptLength() < longest) {
            throw new SettingsException(PolicySettings.PATH + ".sequence.prompt-length", s.promptLength(),
                    "must hold the longest prompt: promptTokens=" + longest);
        }
        return PolicySpec.sequence(s.vocabSize(), s.embeddingDim(), s.hiddenSize(), s.promptLength());
    }

    /**
     * Pre-trains a model as the class comment says and writes it to {@code out}.
     *
     * @param onCheck receives every stop-rule check as it happens (progress lines)
     * @throws SettingsException for a bad setting (path, value, rule)
     * @throws IOException       when the model file cannot be written
     */
    public static Result run(Config config, long seed, Path out, Consumer<LmPretrainer.Check> onCheck) throws IOException {
        PretrainSettings settings = PretrainSettings.fromConfig(config);
        PolicySpec spec = spec(config);
        Device device = Devices.resolve(LearnerSettings.fromConfig(config).device());
        long t0 = System.nanoTime();
        WordTokenizer tokenizer = WordTokenizer.standard();
        WritingPrompts prompts = WritingPrompts.load();
        List<TokenPair> pairs = PretrainingPairs.standard().pairs(prompts.training(), settings.pairs(), seed);
        List<int[]> checkPrompts = new ArrayList<>();
        int[] caps = new int[prompts.heldOut().size()];
        for (int i = 0; i < caps.length; i++) {
            WritingPrompt p = prompts.heldOut().get(i);
            checkPrompts.add(tokenizer.promptTokens(p));
            caps[i] = p.lengthCap();
        }
        try (NDManager manager = NDManager.newBaseManager(device);
             GruLanguageModel model = GruLanguageModel.create(manager, spec, seed);
             LmPretrainer pretrainer = new LmPretrainer(model, settings, seed)) {
            LmPretrainer.Outcome outcome = pretrainer.run(pairs, checkPrompts, caps, onCheck);
            double seconds = (System.nanoTime() - t0) / 1e9;
            LmModelFile.write(out, model);
            return new Result(spec, GruLanguageModel.parameterCount(spec), pairs.size(), seed, outcome, seconds,
                    Devices.describe(device));
        }
    }
}
