package io.tributary.simulator.model;

/**
 * The true optimal value of an observation, where one can be computed exactly (dynamic programming on
 * a small environment). The edge-of-reach experiment's oracle arm substitutes it in the Bellman target
 * at edge-of-reach states.
 */
public interface StateValueOracle {

    /** V*(observation): the optimal expected discounted return from this observation onwards. */
    double value(float[] observation);
}
