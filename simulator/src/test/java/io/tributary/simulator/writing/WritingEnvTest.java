package io.tributary.simulator.writing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.Environment;
import io.tributary.simulator.Environments;
import io.tributary.simulator.Space;
import io.tributary.simulator.StepResult;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WritingEnvTest {

    @Test
    void registeredWithTheSpacesOfAWritingPolicyAndRefusesToStep() {
        Environment env = Environments.create("Writing-v0", Map.of());
        assertInstanceOf(WritingEnv.class, env);
        WordTokenizer tokenizer = WordTokenizer.standard();
        int longest = WritingPrompts.load().all().stream().mapToInt(p -> tokenizer.promptTokens(p).length).max().orElseThrow();
        assertEquals(new Space.TokenIds(longest, tokenizer.size()), env.observationSpace());
        assertEquals(new Space.Discrete(WordTokenizer.STANDARD_SIZE), env.actionSpace());
        int cap = WritingPrompts.load().all().stream().mapToInt(WritingPrompt::lengthCap).max().orElseThrow();
        assertEquals(cap + 1, env.maxEpisodeSteps());

        // reset: a training prompt, left-padded with PAD, the same one for the same seed
        StepResult out = StepResult.forEnvironment(env);
        env.reset(7, out);
        float[] first = out.observation.clone();
        env.reset(7, out);
        assertArrayEquals(first, out.observation);
        boolean matched = false;
        for (WritingPrompt p : WritingPrompts.load().training()) {
            int[] t = tokenizer.promptTokens(p);
            float[] expected = new float[longest];
            for (int i = 0; i < t.length; i++) {
                expected[longest - t.length + i] = t[i];
            }
            matched |= Arrays.equals(expected, first);
        }
        assertTrue(matched, "reset writes a training prompt: " + Arrays.toString(first));

        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> env.step(new float[] {5}, out));
        assertTrue(e.getMessage().startsWith("Writing-v0 is sampled by the text rollout role"), e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Environments.create("Writing-v0", Map.of("max-episode-steps", "10")));
        assertTrue(bad.getMessage().contains("key=max-episode-steps"), bad.getMessage());
    }
}
