package io.tributary.simulator.envs;

import io.tributary.simulator.model.StateValueOracle;
import io.tributary.simulator.model.StateValueOracleProvider;

/** Registers {@link PointMass2DValues} (dynamic programming) as the value oracle of {@code PointMass2D-v0}. */
public final class PointMass2DOracleProvider implements StateValueOracleProvider {
    @Override
    public String name() {
        return PointMass2DEnv.NAME;
    }

    @Override
    public StateValueOracle create(double gamma) {
        return PointMass2DValues.solve(gamma);
    }
}
