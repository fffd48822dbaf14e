package io.tributary.simulator.lane;

import io.tributary.simulator.Environment;
import io.tributary.simulator.EnvironmentProvider;
import java.util.Map;

/** Registers {@link LaneKeepingEnv} as {@code LaneKeeping-v0}. */
public final class LaneKeepingProvider implements EnvironmentProvider {
    @Override
    public String name() {
        return LaneKeepingEnv.NAME;
    }

    @Override
    public Environment create(Map<String, String> options) {
        return LaneKeepingEnv.fromOptions(options);
    }
}
