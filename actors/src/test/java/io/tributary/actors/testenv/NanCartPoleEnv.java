package io.tributary.actors.testenv;

import io.tributary.simulator.Environment;
import io.tributary.simulator.EnvironmentProvider;
import io.tributary.simulator.Space;
import io.tributary.simulator.StepResult;
import io.tributary.simulator.envs.CartPoleEnv;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CartPole-v1 that misbehaves on chosen seeds, as a user's faulty plug-in environment would: option
 * {@code nan-on-seeds} (comma-separated) makes the episode with such a seed return a NaN observation at
 * step 3; {@code nan-reward-on-seeds} a NaN reward at step 3; {@code throw-on-seeds} throw at step 3.
 * Every other episode is plain CartPole.
 */
public final class NanCartPoleEnv implements Environment {
    /** Registers {@code NanCartPole-v0}. */
    public static final class Provider implements EnvironmentProvider {
        private static final Set<String> KEYS = Set.of("nan-on-seeds", "nan-reward-on-seeds", "throw-on-seeds");

        @Override
        public String name() {
            return "NanCartPole-v0";
        }

        @Override
        public Environment create(Map<String, String> options) {
            for (String k : options.keySet()) {
                if (!KEYS.contains(k)) {
                    throw new IllegalArgumentException("unknown option: key=" + k + ", allowed=" + KEYS);
                }
            }
            return new NanCartPoleEnv(seeds(options.get("nan-on-seeds")), seeds(options.get("nan-reward-on-seeds")),
                    seeds(options.get("throw-on-seeds")));
        }

        private static Set<Long> seeds(String list) {
            Set<Long> out = new HashSet<>();
            if (list != null) {
                for (String s : list.split(",")) {
                    if (!s.isBlank()) {
                        out.add(Long.parseLong(s.trim()));
                    }
                }
            }
            return out;
        }
    }

    private final CartPoleEnv inner = new CartPoleEnv();
    private final Set<Long> nanObservation;
    private final Set<Long> nanReward;
    private final Set<Long> throwing;
    private long seed;
    private int t;

    private NanCartPoleEnv(Set<Long> nanObservation, Set<Long> nanReward, Set<Long> throwing) {
        this.nanObservation = nanObservation;
        this.nanReward = nanReward;
        this.throwing = throwing;
    }

    @Override
    public String name() {
        return "NanCartPole-v0";
    }

    @Override
    public Space observationSpace() {
        return inner.observationSpace();
    }

    @Override
    public Space actionSpace() {
        return inner.actionSpace();
    }

    @Override
    public void reset(long seed, StepResult out) {
        this.seed = seed;
        this.t = 0;
        inner.reset(seed, out);
    }

    @Override
    public void step(float[] action, StepResult out) {
        if (t == 3 && throwing.contains(seed)) {
            throw new IllegalStateException("simulated environment crash: seed=" + seed);
        }
        inner.step(action, out);
        if (t == 3 && nanObservation.contains(seed)) {
            out.observation[0] = Float.NaN;
        }
        if (t == 3 && nanReward.contains(seed)) {
            out.reward = Float.NaN;
        }
        t++;
    }

    @Override
    public int maxEpisodeSteps() {
        return inner.maxEpisodeSteps();
    }
}
