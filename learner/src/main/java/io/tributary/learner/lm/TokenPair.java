package io.tributary.learner.lm;

import io.tributary.simulator.writing.SpecialTokens;
import java.util.Objects;

/**
 * One pre-training example: a prompt's conditioning tokens and a text whose length lies in the prompt's
 * target range, ending with EOS (the same shape as the writing data's {@code io.tributary.simulator.writing.TokenPair},
 * which replaces this record once both are on one branch: {@link LmPretrainer} reads only {@code prompt()} and
 * {@code response()}).
 *
 * @param prompt   the prompt's conditioning tokens (at least one, at most the model's prompt length)
 * @param response the text's tokens then EOS; EOS nowhere else, and no PAD, BOS or SEP
 */
public record TokenPair(int[] prompt, int[] response) {
    public TokenPair {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(response, "response");
        if (prompt.length == 0) {
            throw new IllegalArgumentException("prompt tokens must not be empty");
        }
        if (response.length == 0 || response[response.length - 1] != SpecialTokens.EOS) {
            throw new IllegalArgumentException("response must end with EOS: length=" + response.length);
        }
        for (int i = 0; i < response.length - 1; i++) {
            int t = response[i];
            if (t < 0 || t == SpecialTokens.PAD || t == SpecialTokens.BOS || t == SpecialTokens.EOS
                    || t == SpecialTokens.SEP) {
                throw new IllegalArgumentException("text token must be a word or UNK: response[" + i + "]=" + t);
            }
        }
        prompt = prompt.clone();
        response = response.clone();
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
