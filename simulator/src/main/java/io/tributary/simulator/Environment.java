package io.tributary.simulator;

import java.util.List;

/**
 * A reinforcement-learning environment: the SPI every workload implements. Implementations are
 * single-threaded (one instance per rollout slot) and must not allocate in {@link #step}.
 *
 * <p>Actions arrive flattened: a {@link Space.Discrete} action is one float holding the index, a
 * {@link Space.Box} action is its elements. An environment is found by name through
 * {@link EnvironmentProvider} and {@link Environments}.
 */
public interface Environment extends AutoCloseable {

    /** Registered name, e.g. {@code CartPole-v1}. */
    String name();

    /** Space of observations written into {@link StepResult#observation}. */
    Space observationSpace();

    /** Space of actions accepted by {@link #step}. */
    Space actionSpace();

    /** Starts a new episode from {@code seed}; writes the first observation, reward 0, flags false. */
    void reset(long seed, StepResult out);

    /** Advances one step with {@code action}; writes observation, reward, flags and info into {@code out}. */
    void step(float[] action, StepResult out);

    /** Step limit after which an episode is truncated. */
    int maxEpisodeSteps();

    /** Names of the values in {@link StepResult#info}; empty by default. */
    default List<String> infoKeys() {
        return List.of();
    }

    /** Releases resources; the default does nothing. */
    @Override
    default void close() {
    }
}
