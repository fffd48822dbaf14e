package io.tributary.learner.lm;

/** Registers {@link GroupLearner} as {@code tributary.learner.algorithm = brpo} (pairwise-judge rewards, skew filter). */
public final class BrpoLearnerProvider extends GroupLearnerProvider {
    /** The algorithm name. */
    public static final String NAME = "brpo";

    /** The provider ServiceLoader instantiates. */
    public BrpoLearnerProvider() {
        super(NAME, GroupUpdateSettings.RewardMode.BRPO);
    }
}
