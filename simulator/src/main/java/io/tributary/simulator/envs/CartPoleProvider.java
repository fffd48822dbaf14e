package io.tributary.simulator.envs;

import io.tributary.simulator.Environment;
import io.tributary.simulator.EnvironmentProvider;
import java.util.Map;

/** Registers {@link CartPoleEnv} as {@code CartPole-v1}. */
public final class CartPoleProvider implements EnvironmentProvider {
    @Override
    public String name() {
        return CartPoleEnv.NAME;
    }

    @Override
    public Environment create(Map<String, String> options) {
        return CartPoleEnv.fromOptions(options);
    }
}
