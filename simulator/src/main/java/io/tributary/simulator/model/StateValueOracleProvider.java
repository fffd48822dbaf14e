package io.tributary.simulator.model;

/**
 * Provides the {@link StateValueOracle} of one environment by name (found by
 * {@link java.util.ServiceLoader}), so a learner can be told {@code oracle = PointMass2D-v0} in its settings
 * without depending on the environment's code.
 */
public interface StateValueOracleProvider {

    /** The environment whose exact values this oracle gives, e.g. {@code PointMass2D-v0}. */
    String name();

    /** Builds the oracle for discount {@code gamma} (may take seconds: it solves the environment). */
    StateValueOracle create(double gamma);
}
