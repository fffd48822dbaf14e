package io.tributary.simulator.example;

import io.tributary.simulator.Environment;
import io.tributary.simulator.Space;
import io.tributary.simulator.StepResult;
import io.tributary.simulator.envs.ActionChecks;
import io.tributary.simulator.envs.EnvOptions;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Worked example of a third-party environment (docs/add-environment.md): walk along a corridor of
 * {@code length} cells to the exit in the last cell. Lives outside the built-in list on purpose, to
 * prove that a provider on the classpath is found by name.
 */
public final class CorridorEnv implements Environment {
    /** Registered name. */
    public static final String NAME = "Corridor-v0";
    /** Option: number of cells, at least 2 (the exit is the last one). */
    public static final String LENGTH = "length";

    private static final Set<String> OPTION_KEYS = Set.of(LENGTH, EnvOptions.MAX_EPISODE_STEPS);
    // Observation: the position scaled to [0, 1]. Action: 0 = step left, 1 = step right.
    private static final Space.Box OBSERVATION_SPACE = Space.Box.uniform(1, 0f, 1f);
    private static final Space.Discrete ACTION_SPACE = new Space.Discrete(2);
    private static final float STEP_REWARD = -0.01f;
    private static final float EXIT_REWARD = 1f;

    private final int length;
    private final int maxEpisodeSteps;
    private int position;
    private int steps;
    private boolean running;

    /** A corridor of {@code length} cells, truncated after {@code maxEpisodeSteps} steps. */
    public CorridorEnv(int length, int maxEpisodeSteps) {
        if (length < 2 || maxEpisodeSteps < 1) {
            throw new IllegalArgumentException("corridor needs length >= 2 and maxEpisodeSteps >= 1: length="
                    + length + ", maxEpisodeSteps=" + maxEpisodeSteps);
        }
        this.length = length;
        this.maxEpisodeSteps = maxEpisodeSteps;
    }

    /** Builds from provider options: {@code length} (default 10) and {@code max-episode-steps} (default 100). */
    public static CorridorEnv fromOptions(Map<String, String> options) {
        EnvOptions.requireKnownKeys(NAME, options, OPTION_KEYS);
        int length = EnvOptions.positiveInt(NAME, options, LENGTH, 10);
        if (length < 2) {
            throw new IllegalArgumentException("corridor length must be >= 2: env=" + NAME + ", key=" + LENGTH
                    + ", value=" + length);
        }
        return new CorridorEnv(length, EnvOptions.positiveInt(NAME, options, EnvOptions.MAX_EPISODE_STEPS, 100));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Space observationSpace() {
        return OBSERVATION_SPACE;
    }

    @Override
    public Space actionSpace() {
        return ACTION_SPACE;
    }

    @Override
    public int maxEpisodeSteps() {
        return maxEpisodeSteps;
    }

    @Override
    public void reset(long seed, StepResult out) {
        // reset may allocate (once per episode); only step must not.
        position = new SplittableRandom(seed).nextInt(length - 1);
        steps = 0;
        running = true;
        out.clear();
        out.observation[0] = scaled();
    }

    @Override
    public void step(float[] action, StepResult out) {
        if (!running) {
            throw new IllegalStateException("step without a running episode: env=" + NAME + ", steps=" + steps
                    + " (call reset first)");
        }
        int a = ActionChecks.discreteIndex(action, ACTION_SPACE.n());
        position = a == 1 ? position + 1 : Math.max(0, position - 1);
        steps++;
        boolean atExit = position == length - 1;
        out.clear();
        out.observation[0] = scaled();
        out.reward = atExit ? EXIT_REWARD : STEP_REWARD;
        out.terminated = atExit;
        out.truncated = steps >= maxEpisodeSteps;
        running = !out.done();
    }

    private float scaled() {
        return position / (float) (length - 1);
    }
}
