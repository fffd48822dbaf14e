package io.tributary.actors.testenv;

import io.tributary.simulator.Environment;
import io.tributary.simulator.EnvironmentProvider;
import io.tributary.simulator.Space;
import io.tributary.simulator.StepResult;
import java.util.Map;

/**
 * A continuous-action test environment for SAC runs: 16-step episodes, observation (x, t/16), reward
 * {@code -a^2}; option {@code spike-on-episode}: each instance's N-th episode returns a reward of 3e38 at
 * step 5, a finite value whose square overflows the critic loss, so a SAC critic diverges.
 */
public final class SpikeBoxEnv implements Environment {
    /** Registers {@code SpikeBox-v0}. */
    public static final class Provider implements EnvironmentProvider {
        @Override
        public String name() {
            return "SpikeBox-v0";
        }

        @Override
        public Environment create(Map<String, String> options) {
            for (String k : options.keySet()) {
                if (!k.equals("spike-on-episode")) {
                    throw new IllegalArgumentException("unknown option: key=" + k + ", allowed=[spike-on-episode]");
                }
            }
            return new SpikeBoxEnv(Integer.parseInt(options.getOrDefault("spike-on-episode", "-1")));
        }
    }

    private final int spikeOnEpisode;
    private int episode;
    private int t;
    private float x;

    private SpikeBoxEnv(int spikeOnEpisode) {
        this.spikeOnEpisode = spikeOnEpisode;
    }

    @Override
    public String name() {
        return "SpikeBox-v0";
    }

    @Override
    public Space observationSpace() {
        return Space.Box.uniform(2, -1f, 1f);
    }

    @Override
    public Space actionSpace() {
        return Space.Box.uniform(1, -1f, 1f);
    }

    @Override
    public void reset(long seed, StepResult out) {
        episode++;
        t = 0;
        out.clear();
        x = ((seed * 2654435761L) & 1) == 0 ? 0.5f : -0.5f;
        out.observation[0] = x;
        out.observation[1] = 0f;
    }

    @Override
    public void step(float[] action, StepResult out) {
        out.clear();
        out.reward = -action[0] * action[0];
        if (episode == spikeOnEpisode && t == 5) {
            out.reward = 3.0e38f;
        }
        t++;
        x = -x;
        out.observation[0] = x;
        out.observation[1] = t / 16f;
        out.truncated = t >= maxEpisodeSteps();
    }

    @Override
    public int maxEpisodeSteps() {
        return 16;
    }

    @Override
    public void close() {
    }
}
