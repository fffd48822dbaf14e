package io.tributary.learner.lm;

import io.tributary.simulator.writing.SpecialTokens;
import java.util.Objects;

/**
 * One pre-training example: a prompt's tokens and a text whose length lies in the prompt's target range.
 * The text is words only; {@link LmPretrainer} appends EOS, so the model learns where to stop.
 *
 * @param prompt   the prompt's conditioning tokens (at most the model's prompt length; no PAD)
 * @param response the text's tokens, at least one, none of PAD, BOS, EOS or SEP
 */
public record TokenPair(int[] prompt, int[] response) {
    public TokenPair {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(response, "response");
        if (response.length < 1) {
            throw new IllegalArgumentException("a pre-training text needs at least one token: length=0");
        }
        for (int i = 0; i < response.length; i++) {
            int t = response[i];
            if (t < 0 || t == SpecialTokens.PAD || t == SpecialTokens.BOS || t == SpecialTokens.EOS
                    || t == SpecialTokens.SEP) {
                throw new IllegalArgumentException("text token must be a word or UNK: response[" + i + "]=" + t);
            }
        }
        for (int i = 0; i < prompt.length; i++) {
            if (prompt[i] <= SpecialTokens.PAD) {
                throw new IllegalArgumentException("prompt token must be > PAD: prompt[" + i + "]=" + prompt[i]);
            }
        }
        prompt = prompt.clone();
        response = response.clone();
    }

    /** The training target: the text followed by EOS. */
    public int[] target() {
        int[] t = java.util.Arrays.copyOf(response, response.length + 1);
        t[response.length] = SpecialTokens.EOS;
        return t;
    }

    @Override
    public int[] prompt() {
        return prompt.clone();
    }

    @Override
    public int[] response() {
        return response.clone();
    }
}
