package io.tributary.simulator.envs;

import io.tributary.simulator.Environment;
import io.tributary.simulator.EnvironmentProvider;
import java.util.Map;

/** Registers {@link PendulumEnv} as {@code Pendulum-v1}. */
public final class PendulumProvider implements EnvironmentProvider {
    @Override
    public String name() {
        return PendulumEnv.NAME;
    }

    @Override
    public Environment create(Map<String, String> options) {
        return PendulumEnv.fromOptions(options);
    }
}
