package io.tributary.learner.lm;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tributary.config.SettingsException;
import io.tributary.config.SettingsSupport;

/**
 * Supervised pre-training of the policy language model, the {@code tributary.learner.lm-pretrain} subtree.
 *
 * @param learningRate       Adam step size
 * @param batchSize          pairs per gradient step
 * @param maxGradNorm        global gradient-norm clip
 * @param maxSteps           hard cap on gradient steps
 * @param checkEvery         gradient steps between stop-rule checks
 * @param checkSamples       responses sampled at each check
 * @param endBeforeCapTarget stop once this fraction of check samples ends before the length cap
 * @param pairs              pre-training pairs {@code pretrain-lm} draws over the training prompts
 */
public record PretrainSettings(double learningRate, int batchSize, double maxGradNorm, int maxSteps, int checkEvery,
                               int checkSamples, double endBeforeCapTarget, int pairs) {
    /** Config path of this subtree. */
    public static final String PATH = "tributary.learner.lm-pretrain";

    public PretrainSettings {
        check("learning-rate", learningRate, learningRate > 0 && learningRate <= 1, "must be in (0, 1]");
        check("batch-size", batchSize, batchSize >= 1 && batchSize <= 65536, "must be in [1, 65536]");
        check("max-grad-norm", maxGradNorm, maxGradNorm > 0 && Double.isFinite(maxGradNorm), "must be > 0");
        check("max-steps", maxSteps, maxSteps >= 1, "must be >= 1");
        check("check-every", checkEvery, checkEvery >= 1, "must be >= 1");
        check("check-samples", checkSamples, checkSamples >= 1 && checkSamples <= 65536, "must be in [1, 65536]");
        check("end-before-cap-target", endBeforeCapTarget, endBeforeCapTarget > 0 && endBeforeCapTarget <= 1,
                "must be in (0, 1]");
        check("pairs", pairs, pairs >= 1 && pairs <= 10_000_000, "must be in [1, 10000000]");
    }

    /** Reads and checks {@code tributary.learner.lm-pretrain} from a resolved configuration. */
    public static PretrainSettings fromConfig(Config config) {
        String p = PATH + ".";
        return new PretrainSettings(
                SettingsSupport.doubleIn(config, p + "learning-rate", -Double.MAX_VALUE, Double.MAX_VALUE),
                SettingsSupport.intIn(config, p + "batch-size", Integer.MIN_VALUE, Integer.MAX_VALUE),
                SettingsSupport.doubleIn(config, p + "max-grad-norm", -Double.MAX_VALUE, Double.MAX_VALUE),
                SettingsSupport.intIn(config, p + "max-steps", Integer.MIN_VALUE, Integer.MAX_VALUE),
                SettingsSupport.intIn(config, p + "check-every", Integer.MIN_VALUE, Integer.MAX_VALUE),
                SettingsSupport.intIn(config, p + "check-samples", Integer.MIN_VALUE, Integer.MAX_VALUE),
                SettingsSupport.doubleIn(config, p + "end-before-cap-target", -Double.MAX_VALUE, Double.MAX_VALUE),
                SettingsSupport.intIn(config, p + "pairs", Integer.MIN_VALUE, Integer.MAX_VALUE));
    }

    /** The reference defaults with {@code overrides} (HOCON text, full paths) on top. */
    public static PretrainSettings defaults(String overrides) {
        return fromConfig(ConfigFactory.parseString(overrides).withFallback(ConfigFactory.defaultReference()).resolve());
    }

    private static void check(String key, Object value, boolean ok, String rule) {
        if (!ok) {
            throw new SettingsException(PATH + "." + key, value, rule);
        }
    }
}
