package io.tributary.learner;

/**
 * Service-provider interface that makes a learning algorithm available by name. List the implementing
 * class in {@code META-INF/services/io.tributary.learner.LearnerProvider} of a jar on the classpath, put
 * the algorithm's settings under {@code tributary.learner.<algorithm>} in that jar's
 * {@code reference.conf} (every key with a comment; the start-up check then accepts them and rejects
 * typos), and {@code tributary.learner.algorithm = <algorithm>} selects it without any change to
 * Tributary's code ({@code docs/add-algorithm.md} walks through an example). One provider instance serves
 * the whole JVM; its methods may be called several times for one run (checks at start-up, workers,
 * learner), so they must not keep state.
 */
public interface LearnerProvider {

    /** The name configs use to select this algorithm ({@code tributary.learner.algorithm}), e.g. {@code ppo}. */
    String algorithm();

    /**
     * The architecture of the policies this algorithm publishes for the context's spaces; workers run it
     * with {@link PolicyInference}.
     *
     * @throws io.tributary.config.SettingsException if the algorithm's settings are bad (path, value, rule)
     * @throws IllegalArgumentException              if the algorithm cannot act in these spaces
     */
    PolicySpec policySpec(LearnerContext context);

    /**
     * How much data the learner wants per policy version; rollout workers share it.
     *
     * @throws io.tributary.config.SettingsException if the algorithm's settings are bad (path, value, rule)
     */
    ProductionQuota quota(LearnerContext context);

    /**
     * A new learner. The provider reads and checks its own settings subtree from
     * {@link LearnerContext#config()}.
     *
     * @throws io.tributary.config.SettingsException if a setting is bad or cannot be honoured (e.g. no GPU)
     */
    Learner create(LearnerContext context);
}
