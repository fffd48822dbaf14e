package io.tributary.simulator.envs;

import io.tributary.simulator.Environment;
import io.tributary.simulator.EnvironmentProvider;
import java.util.Map;

/** Registers {@link ModelRolloutsEnv} as {@code ModelRollouts-v0}. */
public final class ModelRolloutsProvider implements EnvironmentProvider {
    @Override
    public String name() {
        return ModelRolloutsEnv.NAME;
    }

    @Override
    public Environment create(Map<String, String> options) {
        return ModelRolloutsEnv.fromOptions(options);
    }
}
