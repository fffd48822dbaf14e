package io.tributary.learner;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.tributary.config.SettingsException;
import io.tributary.config.SettingsSupport;
import java.util.Objects;
import java.util.Set;

/**
 * Settings every algorithm shares, from the {@code tributary.learner} subtree; {@link #fromConfig} is the
 * only code in this module that reads them. Each algorithm reads its own subtree
 * {@code tributary.learner.<algorithm>} in its {@link LearnerProvider} (PPO's is
 * {@link io.tributary.learner.ppo.PpoSettings}).
 *
 * @param algorithm learning algorithm, a name registered by a {@link LearnerProvider} (see {@link Learners#names()})
 * @param device    {@code auto} (a GPU if the engine sees one, else the CPU), {@code cpu} or {@code gpu}
 * @param seed      seed of weight initialisation and minibatch shuffling
 * @param policy    policy network shape ({@code tributary.learner.policy}), shared by every algorithm
 */
public record LearnerSettings(String algorithm, String device, long seed, PolicySettings policy) {

    /** Config path of this subtree. */
    public static final String PATH = "tributary.learner";

    public LearnerSettings {
        Objects.requireNonNull(policy, "policy");
        if (algorithm == null || algorithm.isBlank()) {
            throw new SettingsException(PATH + ".algorithm", algorithm, "must not be empty");
        }
        if (!"auto".equals(device) && !"cpu".equals(device) && !"gpu".equals(device)) {
            throw new SettingsException(PATH + ".device", device, "must be one of auto | cpu | gpu");
        }
    }

    /**
     * Reads and checks {@code tributary.learner} from a resolved configuration (a user file over the
     * reference configuration). The algorithm must be registered; unknown keys under the subtree are
     * rejected (an algorithm's own keys are known once its jar's reference.conf is on the classpath).
     */
    public static LearnerSettings fromConfig(Config config) {
        String algorithm = algorithm(config);
        SettingsSupport.rejectUnknownKeys(config, ConfigFactory.defaultReference(), PATH, Set.of(PolicySettings.FIELDS_PATH));
        String device = SettingsSupport.oneOf(config, PATH + ".device", "auto", "cpu", "gpu");
        long seed = SettingsSupport.longIn(config, PATH + ".seed", Long.MIN_VALUE, Long.MAX_VALUE);
        return new LearnerSettings(algorithm, device, seed, PolicySettings.fromConfig(config));
    }

    /**
     * The registered algorithm named at {@code tributary.learner.algorithm}. Checked before unknown keys,
     * so a run whose algorithm's jar is missing says so instead of listing its settings as unknown.
     */
    public static String algorithm(Config config) {
        String path = PATH + ".algorithm";
        String algorithm;
        try {
            algorithm = config.getString(path);
        } catch (ConfigException.Missing | ConfigException.WrongType e) {
            throw new SettingsException(path, config.hasPathOrNull(path) && !config.getIsNull(path)
                    ? config.getValue(path).unwrapped() : null, Learners.registeredRule());
        }
        if (!Learners.isRegistered(algorithm)) {
            throw new SettingsException(path, algorithm, Learners.registeredRule());
        }
        return algorithm;
    }

    /** The reference defaults, with {@code overrides} (HOCON text, full paths) on top. */
    public static LearnerSettings defaults(String overrides) {
        return fromConfig(ConfigFactory.parseString(overrides).withFallback(ConfigFactory.defaultReference()).resolve());
    }
}
