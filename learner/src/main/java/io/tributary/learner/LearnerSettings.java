package io.tributary.learner;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tributary.config.SettingsException;
import io.tributary.config.SettingsSupport;
import io.tributary.learner.ppo.PpoSettings;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of the learner module, the {@code tributary.learner} subtree; {@link #fromConfig} is the only
 * code in this module that reads {@link Config}.
 *
 * @param algorithm learning algorithm, one of {@link Learners#ALGORITHMS} (checked by {@link Learners#create})
 * @param device    {@code auto} (a GPU if the engine sees one, else the CPU), {@code cpu} or {@code gpu}
 * @param seed      seed of weight initialisation and minibatch shuffling
 * @param ppo       PPO hyper-parameters
 * @param policy    policy network shape ({@code tributary.learner.policy})
 */
public record LearnerSettings(String algorithm, String device, long seed, PpoSettings ppo, PolicySettings policy) {

    /** Config path of this subtree. */
    public static final String PATH = "tributary.learner";

    public LearnerSettings {
        Objects.requireNonNull(ppo, "ppo");
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
     * reference configuration). Unknown keys under the subtree are rejected.
     */
    public static LearnerSettings fromConfig(Config config) {
        SettingsSupport.rejectUnknownKeys(config, ConfigFactory.defaultReference(), PATH, Set.of(PolicySettings.FIELDS_PATH));
        String algorithm = SettingsSupport.oneOf(config, PATH + ".algorithm", Learners.ALGORITHMS.toArray(new String[0]));
        String device = SettingsSupport.oneOf(config, PATH + ".device", "auto", "cpu", "gpu");
        long seed = SettingsSupport.longIn(config, PATH + ".seed", Long.MIN_VALUE, Long.MAX_VALUE);
        return new LearnerSettings(algorithm, device, seed, PpoSettings.fromConfig(config), PolicySettings.fromConfig(config));
    }

    /** The reference defaults, with {@code overrides} (HOCON text, full paths) on top. */
    public static LearnerSettings defaults(String overrides) {
        return fromConfig(ConfigFactory.parseString(overrides).withFallback(ConfigFactory.defaultReference()).resolve());
    }
}
