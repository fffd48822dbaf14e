package io.tributary.simulator.model;

import io.tributary.simulator.Environment;
import io.tributary.simulator.Environments;
import io.tributary.simulator.StateResettable;
import io.tributary.simulator.StepResult;
import io.tributary.simulator.random.SplitMix64;
import java.util.Arrays;
import java.util.Map;

/**
 * The TRUE dynamics of a {@link StateResettable} environment as a {@link TransitionModel}: each call
 * resets the environment to the given observation, takes one step and reads the next observation,
 * reward and terminal flag. This is what the edge-of-reach experiment rolls out with, so that its model
 * has no error at all. Single-threaded; allocates nothing per call.
 */
public final class EnvironmentDynamics implements TransitionModel, AutoCloseable {
    private final Environment env;
    private final StateResettable resettable;
    private final StepResult result;
    private final int observationSize;
    private final int actionSize;
    private final float[] lastNext;
    private boolean lastTerminal;
    private boolean hasLast;

    /** Wraps {@code env}, which must implement {@link StateResettable}; this model owns and closes it. */
    public EnvironmentDynamics(Environment env) {
        if (!(env instanceof StateResettable r)) {
            String name = env.name();
            env.close();
            throw new IllegalArgumentException("environment cannot be reset to a given state, so it has no true-dynamics"
                    + " model: env=" + name + " (it must implement StateResettable)");
        }
        this.env = env;
        this.resettable = r;
        this.result = StepResult.forEnvironment(env);
        this.observationSize = env.observationSpace().flatSize();
        this.actionSize = env.actionSpace().flatSize();
        this.lastNext = new float[observationSize];
    }

    /** The true dynamics of the registered environment {@code envName} (created with no options). */
    public static EnvironmentDynamics of(String envName) {
        return new EnvironmentDynamics(Environments.create(envName, Map.of()));
    }

    /** Name of the wrapped environment. */
    public String environmentName() {
        return env.name();
    }

    @Override
    public int observationSize() {
        return observationSize;
    }

    @Override
    public int actionSize() {
        return actionSize;
    }

    @Override
    public double step(float[] observation, float[] action, SplitMix64 random, float[] next) {
        resettable.resetTo(observation, random.nextLong(), result);
        env.step(action, result);
        System.arraycopy(result.observation, 0, next, 0, observationSize);
        System.arraycopy(result.observation, 0, lastNext, 0, observationSize);
        lastTerminal = result.terminated;
        hasLast = true;
        return result.reward;
    }

    /**
     * Whether {@code next} is terminal, as the environment said when it produced it. Only the state of the
     * latest {@link #step} is known: asking about any other state fails rather than guess.
     */
    @Override
    public boolean terminal(float[] next) {
        if (!hasLast || !Arrays.equals(next, lastNext)) {
            throw new IllegalStateException("true dynamics know the terminal flag only of the state the latest step"
                    + " produced: env=" + env.name() + ", asked=" + Arrays.toString(next));
        }
        return lastTerminal;
    }

    @Override
    public void close() {
        env.close();
    }
}
