package io.tributary.learner;

import java.util.Map;

/**
 * Outcome of one {@link Learner#update()}.
 *
 * @param version     policy version after the update
 * @param applied     false if the update was skipped (non-finite loss or gradient)
 * @param skipReason  why it was skipped, empty if applied
 * @param samples     samples the update consumed
 * @param millis      wall time of the update
 * @param stats       named statistics (policy_loss, value_loss, entropy, approx_kl, grad_norm, ...)
 */
public record UpdateReport(long version, boolean applied, String skipReason, int samples, double millis,
                           Map<String, Double> stats) {
    public UpdateReport {
        stats = Map.copyOf(stats);
        skipReason = skipReason == null ? "" : skipReason;
    }
}
