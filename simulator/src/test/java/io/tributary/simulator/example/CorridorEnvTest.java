package io.tributary.simulator.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.Environment;
import io.tributary.simulator.Environments;
import io.tributary.simulator.StepResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The "add your own environment" example: found by name through its own services file, and it works. */
class CorridorEnvTest {
    private static final float[] LEFT = {0f};
    private static final float[] RIGHT = {1f};

    @Test
    void foundByNameAndWalksToTheExit() {
        Environment env = Environments.create("Corridor-v0", Map.of("length", "5"));
        StepResult out = StepResult.forEnvironment(env);
        env.reset(42, out);
        int start = Math.round(out.observation[0] * 4);
        assertTrue(start >= 0 && start < 4, "start=" + start);
        for (int cell = start + 1; cell < 4; cell++) {
            env.step(RIGHT, out);
            assertEquals(cell / 4f, out.observation[0]);
            assertEquals(-0.01f, out.reward);
            assertFalse(out.done());
        }
        env.step(RIGHT, out);
        assertEquals(1f, out.observation[0]);
        assertEquals(1f, out.reward);
        assertTrue(out.terminated);
        assertThrows(IllegalStateException.class, () -> env.step(RIGHT, out));
    }

    @Test
    void walkingIntoTheWallIsTruncatedByTheStepLimit() {
        Environment env = Environments.create("Corridor-v0", Map.of("length", "6", "max-episode-steps", "3"));
        StepResult out = StepResult.forEnvironment(env);
        env.reset(1, out);
        env.step(LEFT, out);
        env.step(LEFT, out);
        assertFalse(out.done());
        env.step(LEFT, out);
        assertTrue(out.truncated);
        assertFalse(out.terminated);
        assertEquals(0f, out.observation[0]);
    }

    @Test
    void rejectsUnknownOptionsAndShortCorridors() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Environments.create("Corridor-v0", Map.of("width", "2")));
        assertTrue(unknown.getMessage().contains("key=width, allowed=[length, max-episode-steps]"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Environments.create("Corridor-v0", Map.of("length", "1")));
    }
}
