package io.tributary.learner.lm;

/**
 * What one {@link GroupPolicyUpdate#update} did. Loss terms are token-weighted means over the minibatch
 * steps taken (all 0 when nothing was trained).
 *
 * @param skipped        true when the update was abandoned (weights and optimiser state put back)
 * @param skipReason     why, or "" when applied
 * @param loss           total loss: surrogate + kl-coef × KL
 * @param surrogateLoss  −(clipped surrogate), token-level mean
 * @param kl             k3 estimate of KL(new ‖ reference), token-level mean (0 when kl-coef is 0)
 * @param clipFraction   share of response tokens whose ratio left [1 − ε, 1 + ε]
 * @param gradNorm       mean global gradient norm before clipping
 * @param tokens         response tokens trained on per epoch (groups used only)
 * @param groupsUsed     groups that contributed gradient
 * @param groupsFiltered groups flagged filtered (counted as trained, no gradient)
 * @param minibatchSteps gradient steps taken
 * @param millis         wall time of the update
 */
public record GroupUpdateResult(boolean skipped, String skipReason, double loss, double surrogateLoss, double kl,
                                double clipFraction, double gradNorm, long tokens, int groupsUsed, int groupsFiltered,
                                int minibatchSteps, double millis) {
    public GroupUpdateResult {
        java.util.Objects.requireNonNull(skipReason, "skipReason");
        if (tokens < 0 || groupsUsed < 0 || groupsFiltered < 0 || minibatchSteps < 0) {
            throw new IllegalArgumentException("counts must be >= 0: tokens=" + tokens + ", groupsUsed=" + groupsUsed
                    + ", groupsFiltered=" + groupsFiltered + ", minibatchSteps=" + minibatchSteps);
        }
    }
}
