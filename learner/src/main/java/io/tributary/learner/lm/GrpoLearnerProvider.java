package io.tributary.learner.lm;

/** Registers {@link GroupLearner} as {@code tributary.learner.algorithm = grpo} (group-normalised scalar rewards). */
public final class GrpoLearnerProvider extends GroupLearnerProvider {
    /** The algorithm name. */
    public static final String NAME = "grpo";

    /** The provider ServiceLoader instantiates. */
    public GrpoLearnerProvider() {
        super(NAME, GroupUpdateSettings.RewardMode.GRPO);
    }
}
