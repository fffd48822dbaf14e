package io.tributary.rewards.writing;

import io.tributary.simulator.rollout.TrajectoryChunk;
import io.tributary.simulator.writing.WordTokenizer;
import io.tributary.simulator.writing.WritingGroups;
import io.tributary.simulator.writing.WritingPrompt;
import io.tributary.simulator.writing.WritingPrompts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A writing group chunk ({@link WritingGroups}'s layout) decoded for scoring: the prompt it answers, each
 * response as text and words, and the step that carries each response's reward (its last token). The
 * writing reward models put R_i on that step and 0 on every other step, so the learner reads response i's
 * reward at {@code segmentOffsets[i + 1] - 1}.
 *
 * @param chunk      the chunk
 * @param prompt     the prompt of the chunk's context
 * @param texts      each response's text ({@link WordTokenizer#responseText}: tokens before EOS, PAD/BOS skipped)
 * @param words      each response's words (the judges' and the length figures' unit)
 * @param lastSteps  each response's last step in the chunk, where its reward goes
 */
public record WritingChunk(TrajectoryChunk chunk, WritingPrompt prompt, List<String> texts, List<List<String>> words,
                           int[] lastSteps) {
    /** Validates the shape and copies the lists. */
    public WritingChunk {
        if (texts.isEmpty() || words.size() != texts.size() || lastSteps.length != texts.size()) {
            throw new IllegalArgumentException("one text, word list and last step per response: texts=" + texts.size()
                    + ", words=" + words.size() + ", lastSteps=" + lastSteps.length);
        }
        texts = List.copyOf(texts);
        words = words.stream().map(List::copyOf).toList();
    }

    /** Group size G. */
    public int size() {
        return texts.size();
    }

    /**
     * Decodes and checks a chunk against the prompt set and the vocabulary.
     *
     * @throws IllegalArgumentException with key=value details when the chunk is not a writing group
     *                                  ({@link WritingGroups#read}), names an unknown prompt id, carries prompt
     *                                  tokens that differ from the prompt's, holds a token id outside the
     *                                  vocabulary, or a response longer than the prompt's length cap
     */
    public static WritingChunk decode(TrajectoryChunk chunk, Map<Integer, WritingPrompt> prompts, WordTokenizer tokenizer) {
        WritingGroups.Group group = WritingGroups.read(chunk);
        WritingPrompt prompt = prompts.get(group.promptId());
        if (prompt == null) {
            throw new IllegalArgumentException("unknown prompt id: promptId=" + group.promptId() + ", prompts="
                    + prompts.size() + ", chunk=" + chunk.id());
        }
        int[] expected = tokenizer.promptTokens(prompt);
        if (!Arrays.equals(expected, group.promptTokens())) {
            throw new IllegalArgumentException("prompt tokens differ from the prompt's: promptId=" + prompt.id()
                    + ", expected=" + Arrays.toString(expected) + ", actual=" + Arrays.toString(group.promptTokens())
                    + ", chunk=" + chunk.id());
        }
        List<String> texts = new ArrayList<>(group.size());
        List<List<String>> words = new ArrayList<>(group.size());
        int[] lastSteps = new int[group.size()];
        for (int i = 0; i < group.size(); i++) {
            WritingGroups.Response r = group.responses().get(i);
            for (int k = 0; k < r.length(); k++) {
                int id = r.tokens()[k];
                if (id >= tokenizer.size()) {
                    throw new IllegalArgumentException("token id out of the vocabulary: response=" + i + ", position=" + k
                            + ", token=" + id + ", vocabulary=" + tokenizer.size() + ", chunk=" + chunk.id());
                }
            }
            if (r.words() > prompt.lengthCap()) {
                throw new IllegalArgumentException("response longer than the length cap: response=" + i + ", words="
                        + r.words() + ", cap=" + prompt.lengthCap() + ", promptId=" + prompt.id() + ", chunk=" + chunk.id());
            }
            String text = tokenizer.responseText(r.tokens());
            texts.add(text);
            words.add(WordTokenizer.words(text));
            lastSteps[i] = chunk.segmentOffsets()[i + 1] - 1;
        }
        return new WritingChunk(chunk, prompt, texts, words, lastSteps);
    }

    /** The shipped prompt set by id. */
    public static Map<Integer, WritingPrompt> shippedPrompts() {
        Map<Integer, WritingPrompt> byId = new HashMap<>();
        for (WritingPrompt p : WritingPrompts.load().all()) {
            byId.put(p.id(), p);
        }
        return Map.copyOf(byId);
    }

    /** Per-step rewards: {@code perResponse[i]} on response i's last token, 0 on every other step. */
    public float[] lastTokenRewards(double[] perResponse) {
        if (perResponse.length != size()) {
            throw new IllegalArgumentException("one reward per response: rewards=" + perResponse.length + ", G=" + size());
        }
        float[] out = new float[chunk.steps()];
        for (int i = 0; i < perResponse.length; i++) {
            out[lastSteps[i]] = (float) perResponse[i];
        }
        return out;
    }

    /**
     * The per-response rewards of a scored writing group: the value on each response's last token (the
     * inverse of {@link #lastTokenRewards}, for the learner and the metrics).
     */
    public static double[] responseRewards(TrajectoryChunk chunk, float[] stepRewards) {
        int[] offsets = chunk.segmentOffsets();
        if (offsets.length == 0) {
            throw new IllegalArgumentException("a writing group must be segmented: chunk=" + chunk.id());
        }
        if (stepRewards.length != chunk.steps()) {
            throw new IllegalArgumentException("one reward per step: rewards=" + stepRewards.length + ", steps="
                    + chunk.steps() + ", chunk=" + chunk.id());
        }
        double[] out = new double[offsets.length - 1];
        for (int i = 0; i < out.length; i++) {
            out[i] = stepRewards[offsets[i + 1] - 1];
        }
        return out;
    }
}
