package io.tributary.learner.ppo;

import io.tributary.learner.Learner;
import io.tributary.learner.LearnerContext;
import io.tributary.learner.LearnerProvider;
import io.tributary.learner.Learners;
import io.tributary.learner.PolicySpec;
import io.tributary.learner.ProductionQuota;

/**
 * Registers PPO as {@code tributary.learner.algorithm = ppo}: settings from {@code tributary.learner.ppo}
 * ({@link PpoSettings}, annealing horizon defaulting to the run's {@code max-env-steps}), an MLP policy of
 * {@code hidden-sizes}, and a quota of {@code batch-steps} env steps per policy version.
 */
public final class PpoLearnerProvider implements LearnerProvider {

    @Override
    public String algorithm() {
        return "ppo";
    }

    @Override
    public PolicySpec policySpec(LearnerContext context) {
        return Learners.policySpec(context, settings(context).hiddenSizes());
    }

    @Override
    public ProductionQuota quota(LearnerContext context) {
        return ProductionQuota.steps(settings(context).batchSteps());
    }

    @Override
    public Learner create(LearnerContext context) {
        PpoSettings ppo = settings(context);
        return new PpoLearner(context.settings(), ppo, Learners.policySpec(context, ppo.hiddenSizes()), context.runId());
    }

    /** PPO's settings for this context. */
    public static PpoSettings settings(LearnerContext context) {
        return PpoSettings.fromConfig(context.config(), context.maxEnvSteps());
    }
}
