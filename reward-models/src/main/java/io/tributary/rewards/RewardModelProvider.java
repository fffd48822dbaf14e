package io.tributary.rewards;

import java.util.Map;

/**
 * Service-provider interface that makes a reward model available by name. List the implementing class
 * in {@code META-INF/services/io.tributary.rewards.RewardModelProvider} of a jar on the classpath and
 * {@code tributary.reward-models.model = <name>} selects it without any change to Tributary's code
 * ({@code docs/add-reward-model.md} walks through an example). One provider instance serves the whole
 * JVM, so {@link #create} may be called from several threads at once (one model per scorer).
 */
public interface RewardModelProvider {

    /** The name configs use to select this reward model, e.g. {@code env}. */
    String name();

    /**
     * Creates one reward model instance.
     *
     * @param options reward-model options from the config ({@code tributary.reward-models.options}), as
     *                strings; unknown keys and bad values must be rejected with
     *                {@link IllegalArgumentException} naming the key ({@link RewardOptions} does both)
     */
    RewardModel create(Map<String, String> options);
}
