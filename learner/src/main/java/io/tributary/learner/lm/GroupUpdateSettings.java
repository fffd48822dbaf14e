package io.tributary.learner.lm;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tributary.config.SettingsException;
import io.tributary.config.SettingsSupport;
import java.util.Locale;

/**
 * The group policy update's settings, the {@code tributary.learner.group} subtree (BRPO and GRPO share it;
 * only {@code reward-mode} differs between them).
 *
 * @param rewardMode    how a response's reward becomes its advantage
 * @param learningRate  Adam step size
 * @param clip          ratio clip ε
 * @param klCoef        weight of the k3 KL to the reference policy (0 = off)
 * @param maxGradNorm   global gradient-norm clip
 * @param epochs        passes over each batch
 * @param minibatchSize responses per gradient step
 * @param temperature   sampling temperature, at which new log-probs are computed
 */
public record GroupUpdateSettings(RewardMode rewardMode, double learningRate, double clip, double klCoef,
                                  double maxGradNorm, int epochs, int minibatchSize, double temperature) {
    /** Config path of this subtree. */
    public static final String PATH = "tributary.learner.group";

    /** Which algorithm's advantages the update receives; everything else in the update is the same code. */
    public enum RewardMode {
        /** BRPO: the advantage is R ∈ {+1, −1, 0} as given, no normalisation (other values are refused). */
        BRPO,
        /** GRPO: the advantage is the group-normalised scalar reward, (r − mean) / (std + eps). */
        GRPO
    }

    public GroupUpdateSettings {
        if (rewardMode == null) {
            throw new SettingsException(PATH + ".reward-mode", null, "must be one of brpo | grpo");
        }
        check("learning-rate", learningRate, learningRate > 0 && learningRate <= 1, "must be in (0, 1]");
        check("clip", clip, clip > 0 && clip <= 1, "must be in (0, 1]");
        check("kl-coef", klCoef, klCoef >= 0 && klCoef <= 100, "must be in [0, 100]");
        check("max-grad-norm", maxGradNorm, maxGradNorm > 0 && Double.isFinite(maxGradNorm), "must be > 0");
        check("epochs", epochs, epochs >= 1 && epochs <= 100, "must be in [1, 100]");
        check("minibatch-size", minibatchSize, minibatchSize >= 1 && minibatchSize <= 65536, "must be in [1, 65536]");
        check("temperature", temperature, temperature > 0 && temperature <= 100, "must be in (0, 100]");
    }

    /**
     * Reads and checks {@code tributary.learner.group} from a resolved configuration, for direct users of
     * {@link GroupPolicyUpdate} (tools, benchmarks): {@code reward-mode = auto} is BRPO here. A learner selected by
     * {@code tributary.learner.algorithm} uses {@link #forAlgorithm}.
     */
    public static GroupUpdateSettings fromConfig(Config config) {
        return read(config, RewardMode.BRPO, null);
    }

    /**
     * Reads and checks {@code tributary.learner.group} for the learner of algorithm {@code algorithm} (brpo or
     * grpo), whose reward mode is {@code mode}: {@code reward-mode} must be {@code auto} (the default) or name that
     * same mode, so a config cannot select one algorithm and train with the other's advantages.
     */
    public static GroupUpdateSettings forAlgorithm(Config config, String algorithm, RewardMode mode) {
        return read(config, mode, algorithm);
    }

    private static GroupUpdateSettings read(Config config, RewardMode auto, String algorithm) {
        String p = PATH + ".";
        String configured = SettingsSupport.oneOf(config, p + "reward-mode", "auto", "brpo", "grpo");
        RewardMode mode = configured.equals("auto") ? auto : RewardMode.valueOf(configured.toUpperCase(Locale.ROOT));
        if (algorithm != null && mode != auto) {
            throw new SettingsException(p + "reward-mode", configured, "must be auto or "
                    + auto.name().toLowerCase(Locale.ROOT) + " when tributary.learner.algorithm = " + algorithm);
        }
        return new GroupUpdateSettings(
                mode,
                SettingsSupport.doubleIn(config, p + "learning-rate", -Double.MAX_VALUE, Double.MAX_VALUE),
                SettingsSupport.doubleIn(config, p + "clip", -Double.MAX_VALUE, Double.MAX_VALUE),
                SettingsSupport.doubleIn(config, p + "kl-coef", -Double.MAX_VALUE, Double.MAX_VALUE),
                SettingsSupport.doubleIn(config, p + "max-grad-norm", -Double.MAX_VALUE, Double.MAX_VALUE),
                SettingsSupport.intIn(config, p + "epochs", Integer.MIN_VALUE, Integer.MAX_VALUE),
                SettingsSupport.intIn(config, p + "minibatch-size", Integer.MIN_VALUE, Integer.MAX_VALUE),
                SettingsSupport.doubleIn(config, p + "temperature", -Double.MAX_VALUE, Double.MAX_VALUE));
    }

    /** The reference defaults with {@code overrides} (HOCON text, full paths) on top. */
    public static GroupUpdateSettings defaults(String overrides) {
        return fromConfig(ConfigFactory.parseString(overrides).withFallback(ConfigFactory.defaultReference()).resolve());
    }

    private static void check(String key, Object value, boolean ok, String rule) {
        if (!ok) {
            throw new SettingsException(PATH + "." + key, value, rule);
        }
    }
}
