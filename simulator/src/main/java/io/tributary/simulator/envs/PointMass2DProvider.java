package io.tributary.simulator.envs;

import io.tributary.simulator.Environment;
import io.tributary.simulator.EnvironmentProvider;
import java.util.Map;

/** Registers {@link PointMass2DEnv} as {@code PointMass2D-v0}. */
public final class PointMass2DProvider implements EnvironmentProvider {
    @Override
    public String name() {
        return PointMass2DEnv.NAME;
    }

    @Override
    public Environment create(Map<String, String> options) {
        return PointMass2DEnv.fromOptions(options);
    }
}
