package io.tributary.learner;

import io.tributary.config.SettingsException;
import io.tributary.simulator.Space;
import io.tributary.config.ProviderRegistry;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * The registry of learning algorithms by name: every {@link LearnerProvider} listed in a
 * {@code META-INF/services} file on the classpath, discovered once with {@link ServiceLoader}. Built in:
 * {@code ppo}, {@code sac} (SAC with a critic ensemble and the EDAC term: RAVL), and {@code brpo} / {@code grpo}
 * (the writing workload's group learner, {@code io.tributary.learner.lm.GroupLearner}).
 */
public final class Learners {
    private static final ProviderRegistry<LearnerProvider> REGISTRY = new ProviderRegistry<>(
            LearnerProvider.class, LearnerProvider::algorithm, "algorithm", Learners.class.getClassLoader())
            .withNameKey("algorithm");

    private Learners() {
    }

    /** A learner for {@code context.settings().algorithm()}. */
    public static Learner create(LearnerContext context) {
        Learner learner = provider(context.settings().algorithm()).create(context);
        if (learner == null) {
            throw new IllegalStateException("learner provider returned null: algorithm=" + context.settings().algorithm());
        }
        return learner;
    }

    /** The architecture of the policies the configured algorithm publishes. */
    public static PolicySpec policySpec(LearnerContext context) {
        return provider(context.settings().algorithm()).policySpec(context);
    }

    /** The per-version production quota the configured algorithm declares. */
    public static ProductionQuota quota(LearnerContext context) {
        return Objects.requireNonNull(provider(context.settings().algorithm()).quota(context),
                () -> "learner provider returned no quota: algorithm=" + context.settings().algorithm());
    }

    /**
     * Checks everything the configured algorithm reads at start-up without building a learner (no
     * native engine is touched): its settings, its policy architecture and its quota.
     *
     * @throws SettingsException naming the path, the value and the rule of the first bad value
     */
    public static void check(LearnerContext context) {
        policySpec(context);
        quota(context);
    }

    /**
     * The provider registered as {@code algorithm}.
     *
     * @throws SettingsException naming {@code tributary.learner.algorithm} and the registered names
     */
    public static LearnerProvider provider(String algorithm) {
        return REGISTRY.get(algorithm, LearnerSettings.PATH + ".algorithm");
    }

    /** True if a provider is registered as {@code algorithm}. */
    public static boolean isRegistered(String algorithm) {
        return REGISTRY.isRegistered(algorithm);
    }

    /** Registered algorithm names, sorted. */
    public static List<String> names() {
        return REGISTRY.names();
    }

    /** The rule a bad {@code tributary.learner.algorithm} breaks, listing the registered names. */
    static String registeredRule() {
        return REGISTRY.registeredRule();
    }

    /**
     * The policy the configured {@code tributary.learner.policy} describes for the context's spaces (by
     * default an MLP; a categorical head for a {@link Space.Discrete} action space, a Gaussian one with the
     * box's bounds for a {@link Space.Box}); hidden widths left empty there are {@code defaultHiddenSizes},
     * the algorithm's own.
     *
     * @throws SettingsException if {@code tributary.learner.policy.fields} names a field the observation lacks
     * @throws IllegalArgumentException for an action space no head fits
     */
    public static PolicySpec policySpec(LearnerContext context, int[] defaultHiddenSizes) {
        PolicySettings policy = context.settings().policy();
        List<String> unknown = policy.unknownFields(context.observationSpace());
        if (!unknown.isEmpty()) {
            throw new SettingsException(PolicySettings.FIELDS_PATH, unknown,
                    "names fields the environment's observation does not have");
        }
        try {
            return PolicySpec.forSpaces(policy, context.observationSpace(), context.actionSpace(), defaultHiddenSizes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + ": algorithm=" + context.settings().algorithm(), e);
        }
    }

    /** Indexes providers by algorithm name, rejecting blank and duplicate names. Package-private for tests. */
    static Map<String, LearnerProvider> index(Iterable<? extends LearnerProvider> providers) {
        return REGISTRY.index(providers);
    }
}
