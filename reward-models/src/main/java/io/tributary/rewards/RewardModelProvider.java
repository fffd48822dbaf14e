package io.tributary.rewards;

import com.typesafe.config.Config;
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

    /**
     * Creates one reward model instance that may also read settings outside the free-form options (e.g.
     * {@code writing-judge} with {@code judge = http} reads {@code tributary.reward-models.judge.http}). The
     * default ignores {@code config}; {@link RewardSettings#fromConfig} validates through this method, so a
     * bad value there stops start-up.
     *
     * @param options as for {@link #create(Map)}
     * @param config  the run's resolved configuration (the module's reference.conf merged in)
     */
    default RewardModel create(Map<String, String> options, Config config) {
        return create(options);
    }
}
