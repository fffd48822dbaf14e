package io.tributary.simulator.example;

import io.tributary.simulator.Environment;
import io.tributary.simulator.EnvironmentProvider;
import java.util.Map;

/** Makes {@link CorridorEnv} available as {@code Corridor-v0}; listed in META-INF/services. */
public final class CorridorEnvProvider implements EnvironmentProvider {
    @Override
    public String name() {
        return CorridorEnv.NAME;
    }

    @Override
    public Environment create(Map<String, String> options) {
        return CorridorEnv.fromOptions(options);
    }
}
