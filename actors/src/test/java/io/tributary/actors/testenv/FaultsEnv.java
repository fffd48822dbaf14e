package io.tributary.actors.testenv;

import io.tributary.simulator.Environment;
import io.tributary.simulator.EnvironmentProvider;
import io.tributary.simulator.Space;
import io.tributary.simulator.StepResult;
import java.util.List;
import java.util.Map;

/**
 * A tiny test environment that misbehaves on demand: 16-step episodes, reward 1 for the action matching
 * the sign of the first observation. Option {@code throw-on-seed}: the episode with that seed throws at
 * step 3. Option {@code spike-on-episode}: each instance's N-th episode returns a reward of 3e38 once,
 * enough to overflow the learner's loss. Option {@code nan-observation-on-seed}: the episode with that
 * seed returns a NaN observation at step 4. Option {@code nan-reward-on-seed}: the episode with that seed
 * returns a NaN reward at step 2. Info (step signals): {@code x} (the new first observation) and
 * {@code t} (steps taken in the episode).
 */
public final class FaultsEnv implements Environment {
    /** Registers {@code Faults-v0}. */
    public static final class Provider implements EnvironmentProvider {
        @Override
        public String name() {
            return "Faults-v0";
        }

        @Override
        public Environment create(Map<String, String> options) {
            for (String k : options.keySet()) {
                if (!OPTIONS.contains(k)) {
                    throw new IllegalArgumentException("unknown option: key=" + k + ", allowed=" + OPTIONS);
                }
            }
            return new FaultsEnv(Long.parseLong(options.getOrDefault("throw-on-seed", "-1")),
                    Integer.parseInt(options.getOrDefault("spike-on-episode", "-1")),
                    Long.parseLong(options.getOrDefault("nan-observation-on-seed", "-1")),
                    Long.parseLong(options.getOrDefault("nan-reward-on-seed", "-1")));
        }
    }

    private static final List<String> OPTIONS =
            List.of("throw-on-seed", "spike-on-episode", "nan-observation-on-seed", "nan-reward-on-seed");

    /** Instances created and not yet closed, in this JVM (a restarted worker must close its environments). */
    private static final java.util.concurrent.atomic.AtomicInteger OPEN = new java.util.concurrent.atomic.AtomicInteger();

    private final long throwOnSeed;
    private final int spikeOnEpisode;
    private final long nanObservationOnSeed;
    private final long nanRewardOnSeed;
    private long seed;
    private int t;
    private int episode;
    private float x;

    private FaultsEnv(long throwOnSeed, int spikeOnEpisode, long nanObservationOnSeed, long nanRewardOnSeed) {
        this.throwOnSeed = throwOnSeed;
        this.spikeOnEpisode = spikeOnEpisode;
        this.nanObservationOnSeed = nanObservationOnSeed;
        this.nanRewardOnSeed = nanRewardOnSeed;
        OPEN.incrementAndGet();
    }

    @Override
    public String name() {
        return "Faults-v0";
    }

    @Override
    public Space observationSpace() {
        return Space.Box.uniform(2, -1f, 1f);
    }

    @Override
    public Space actionSpace() {
        return new Space.Discrete(2);
    }

    @Override
    public void reset(long seed, StepResult out) {
        this.seed = seed;
        this.t = 0;
        this.episode++;
        out.clear();
        x = ((seed * 2654435761L) & 1) == 0 ? 0.5f : -0.5f;
        out.observation[0] = x;
        out.observation[1] = 0f;
    }

    @Override
    public void step(float[] action, StepResult out) {
        if (seed == throwOnSeed && t == 3) {
            throw new IllegalStateException("simulated environment crash: seed=" + seed);
        }
        out.clear();
        boolean right = action[0] == 1f;
        out.reward = (right == (x > 0)) ? 1f : 0f;
        if (episode == spikeOnEpisode && t == 5) {
            out.reward = 3.0e38f;
        }
        t++;
        x = -x;
        out.observation[0] = x;
        out.observation[1] = t / 16f;
        if (seed == nanObservationOnSeed && t == 4) {
            out.observation[1] = Float.NaN;
        }
        if (seed == nanRewardOnSeed && t == 2) {
            out.reward = Float.NaN;
        }
        out.truncated = t >= maxEpisodeSteps();
        out.info[0] = x;
        out.info[1] = t;
    }

    /** Instances created and not yet closed in this JVM. */
    public static int open() {
        return OPEN.get();
    }

    private boolean closed;

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            OPEN.decrementAndGet();
        }
    }

    @Override
    public List<String> infoKeys() {
        return List.of("x", "t");
    }

    @Override
    public int maxEpisodeSteps() {
        return 16;
    }
}
