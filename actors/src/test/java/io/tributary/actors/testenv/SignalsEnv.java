package io.tributary.actors.testenv;

import io.tributary.simulator.Environment;
import io.tributary.simulator.EnvironmentProvider;
import io.tributary.simulator.Space;
import io.tributary.simulator.StepResult;
import java.util.List;
import java.util.Map;

/**
 * A test environment with step signals whose per-episode aggregates are easy to compute by hand: episodes of
 * exactly 4 steps (reward 1 each, truncated at 4); observation {@code [steps taken so far]}. After step
 * t (1..4) of the episode started from seed s the info values are: {@code offset = (s + 1) * (t - 2)},
 * {@code hit_flag = 2} at t = 3 else 0 (a flag by its name although not 0/1), {@code pushed} = the action
 * taken (0/1-valued, so a flag by its values).
 */
public final class SignalsEnv implements Environment {
    /** Registers {@code Signals-v0}. */
    public static final class Provider implements EnvironmentProvider {
        @Override
        public String name() {
            return "Signals-v0";
        }

        @Override
        public Environment create(Map<String, String> options) {
            if (!options.isEmpty()) {
                throw new IllegalArgumentException("Signals-v0 takes no options: options=" + options);
            }
            return new SignalsEnv();
        }
    }

    private long seed;
    private int t;

    @Override
    public String name() {
        return "Signals-v0";
    }

    @Override
    public Space observationSpace() {
        return Space.Box.uniform(1, 0f, 4f);
    }

    @Override
    public Space actionSpace() {
        return new Space.Discrete(2);
    }

    @Override
    public List<String> infoKeys() {
        return List.of("offset", "hit_flag", "pushed");
    }

    @Override
    public void reset(long seed, StepResult out) {
        this.seed = seed;
        this.t = 0;
        out.clear();
        out.observation[0] = 0f;
    }

    @Override
    public void step(float[] action, StepResult out) {
        out.clear();
        t++;
        out.observation[0] = t;
        out.reward = 1f;
        out.truncated = t >= 4;
        out.info[0] = (seed + 1) * (t - 2);
        out.info[1] = t == 3 ? 2 : 0;
        out.info[2] = action[0];
    }

    @Override
    public int maxEpisodeSteps() {
        return 4;
    }
}
