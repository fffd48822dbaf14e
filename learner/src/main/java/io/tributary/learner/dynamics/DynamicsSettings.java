package io.tributary.learner.dynamics;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tributary.config.SettingsException;
import io.tributary.config.SettingsSupport;
import java.util.Arrays;

/**
 * Hyper-parameters of a dynamics-ensemble fit, the {@code tributary.learner.dynamics} subtree. Every rule is
 * checked in the constructor, so values built in code are held to the same rules as values read from a file.
 *
 * @param members              ensemble size
 * @param elites               members kept for prediction (best by validation MSE)
 * @param hiddenSizes          hidden widths of every member (SiLU)
 * @param learningRate         Adam step size
 * @param batchSize            transitions per member per gradient step
 * @param validationFraction   fraction of the dataset held out
 * @param patience             epochs without an improvement before stopping
 * @param improvementThreshold relative validation-MSE gain that counts as an improvement
 * @param maxEpochs            hard cap on epochs
 * @param logvarBoundCoef      weight of the log-variance bound regulariser
 */
public record DynamicsSettings(int members, int elites, int[] hiddenSizes, double learningRate, int batchSize,
                               double validationFraction, int patience, double improvementThreshold, int maxEpochs,
                               double logvarBoundCoef) {

    /** Config path of this subtree. */
    public static final String PATH = "tributary.learner.dynamics";

    public DynamicsSettings {
        check("members", members, members >= 1 && members <= 64, "must be in [1, 64]");
        check("elites", elites, elites >= 1 && elites <= members, "must be in [1, members=" + members + "]");
        if (hiddenSizes == null || hiddenSizes.length == 0 || hiddenSizes.length > 16) {
            throw new SettingsException(PATH + ".hidden-sizes", hiddenSizes == null ? null : Arrays.toString(hiddenSizes),
                    "must list 1 to 16 widths");
        }
        for (int h : hiddenSizes) {
            check("hidden-sizes", Arrays.toString(hiddenSizes), h >= 1 && h <= 4096, "every width must be in [1, 4096]");
        }
        hiddenSizes = hiddenSizes.clone();
        check("learning-rate", learningRate, learningRate > 0 && learningRate <= 1, "must be in (0, 1]");
        check("batch-size", batchSize, batchSize >= 1 && batchSize <= (1 << 20), "must be in [1, 1048576]");
        check("validation-fraction", validationFraction, validationFraction > 0 && validationFraction < 1,
                "must be in (0, 1)");
        check("patience", patience, patience >= 1 && patience <= 1000, "must be in [1, 1000]");
        check("improvement-threshold", improvementThreshold, improvementThreshold >= 0 && improvementThreshold < 1,
                "must be in [0, 1)");
        check("max-epochs", maxEpochs, maxEpochs >= 1 && maxEpochs <= 100_000, "must be in [1, 100000]");
        check("logvar-bound-coef", logvarBoundCoef, logvarBoundCoef >= 0 && logvarBoundCoef <= 10, "must be in [0, 10]");
    }

    /** Reads and checks {@code tributary.learner.dynamics} from a resolved configuration. */
    public static DynamicsSettings fromConfig(Config config) {
        String p = PATH + ".";
        return new DynamicsSettings(
                integer(config, p + "members"),
                integer(config, p + "elites"),
                SettingsSupport.positiveInts(config, p + "hidden-sizes"),
                number(config, p + "learning-rate"),
                integer(config, p + "batch-size"),
                number(config, p + "validation-fraction"),
                integer(config, p + "patience"),
                number(config, p + "improvement-threshold"),
                integer(config, p + "max-epochs"),
                number(config, p + "logvar-bound-coef"));
    }

    /** The reference defaults with {@code overrides} (HOCON text, full paths) on top. */
    public static DynamicsSettings defaults(String overrides) {
        return fromConfig(ConfigFactory.parseString(overrides).withFallback(ConfigFactory.defaultReference()).resolve());
    }

    /** Hidden widths (a copy). */
    @Override
    public int[] hiddenSizes() {
        return hiddenSizes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DynamicsSettings d && members == d.members && elites == d.elites
                && Arrays.equals(hiddenSizes, d.hiddenSizes) && learningRate == d.learningRate
                && batchSize == d.batchSize && validationFraction == d.validationFraction && patience == d.patience
                && improvementThreshold == d.improvementThreshold && maxEpochs == d.maxEpochs
                && logvarBoundCoef == d.logvarBoundCoef;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(hiddenSizes) + Double.hashCode(learningRate) + members * 7 + batchSize;
    }

    @Override
    public String toString() {
        return "DynamicsSettings[members=" + members + ", elites=" + elites + ", hiddenSizes="
                + Arrays.toString(hiddenSizes) + ", learningRate=" + learningRate + ", batchSize=" + batchSize
                + ", validationFraction=" + validationFraction + ", patience=" + patience + ", improvementThreshold="
                + improvementThreshold + ", maxEpochs=" + maxEpochs + ", logvarBoundCoef=" + logvarBoundCoef + "]";
    }

    private static int integer(Config c, String path) {
        return SettingsSupport.intIn(c, path, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    private static double number(Config c, String path) {
        return SettingsSupport.doubleIn(c, path, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    private static void check(String key, Object value, boolean ok, String rule) {
        if (!ok) {
            throw new SettingsException(PATH + "." + key, value, rule);
        }
    }
}
