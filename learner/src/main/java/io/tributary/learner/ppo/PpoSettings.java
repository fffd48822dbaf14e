package io.tributary.learner.ppo;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueType;
import io.tributary.config.SettingsException;
import io.tributary.config.SettingsSupport;
import java.util.Arrays;
import java.util.List;

/**
 * PPO hyper-parameters, the {@code tributary.learner.ppo} subtree. Every rule is checked in the
 * constructor, so values built in code are held to the same rules as values read from a file.
 *
 * @param learningRate          Adam step size (initial one when annealing)
 * @param annealLr              decay the step size linearly to 0 over {@code totalEnvSteps}
 * @param batchSteps            steps buffered before an update
 * @param epochs                passes over each batch
 * @param minibatchSize         samples per gradient step
 * @param gamma                 discount
 * @param gaeLambda             GAE lambda
 * @param clip                  surrogate clip range epsilon
 * @param dualClip              dual-clip bound c (> 1) on the surrogate of negative advantages, 0 = off
 * @param valueClip             value clip range around the old value, 0 = off
 * @param entropyCoef           entropy bonus weight
 * @param boundLossCoef         weight of the action-bound loss on a Gaussian mean outside the widened action bounds
 *                              ({@code bound-loss-coef}, 0 = off; see {@link PpoLoss})
 * @param valueCoef             value loss weight
 * @param maxGradNorm           global gradient-norm clip
 * @param targetKl              stop an update when a minibatch's approx KL exceeds 1.5x this, 0 = off
 * @param hiddenSizes           hidden widths of actor and critic
 * @param normalizeObservations keep running observation statistics and normalise with them
 * @param normalizeRewards      divide rewards by the running std of the discounted return
 * @param pooledNormalizationFields observation fields whose elements share one mean and variance, pooled over the
 *                              field ({@code pooled-normalization-fields}; empty = every element its own)
 * @param initialLogStd         starting values of a Gaussian head's state-independent log std ({@code initial-log-std},
 *                              SB3's {@code log_std_init}; 0 = std 1 in action units): one value for every action
 *                              dimension, or one per dimension
 * @param totalEnvSteps         env steps the learning-rate schedule spans ({@code total-env-steps}; when unset,
 *                              the run's {@code max-env-steps})
 */
public record PpoSettings(double learningRate, boolean annealLr, int batchSteps, int epochs, int minibatchSize,
                          double gamma, double gaeLambda, double clip, double dualClip, double valueClip, double entropyCoef,
                          double boundLossCoef, double valueCoef, double maxGradNorm, double targetKl, int[] hiddenSizes,
                          boolean normalizeObservations, boolean normalizeRewards, List<String> pooledNormalizationFields,
                          double[] initialLogStd, long totalEnvSteps) {

    /** Config path of this subtree. */
    public static final String PATH = "tributary.learner.ppo";

    public PpoSettings {
        check("learning-rate", learningRate, learningRate > 0 && learningRate <= 1, "must be in (0, 1]");
        check("batch-steps", batchSteps, batchSteps >= 1 && batchSteps <= (1 << 24), "must be in [1, 16777216]");
        check("epochs", epochs, epochs >= 1 && epochs <= 1000, "must be in [1, 1000]");
        check("minibatch-size", minibatchSize, minibatchSize >= 2 && minibatchSize <= batchSteps,
                "must be in [2, batch-steps=" + batchSteps + "]");
        check("gamma", gamma, gamma >= 0 && gamma <= 1, "must be in [0, 1]");
        check("gae-lambda", gaeLambda, gaeLambda >= 0 && gaeLambda <= 1, "must be in [0, 1]");
        check("clip", clip, clip > 0 && clip <= 1, "must be in (0, 1]");
        check("dual-clip", dualClip, dualClip == 0 || (dualClip > 1 && dualClip <= 1e6),
                "must be 0 (off) or in (1, 1e6]: the floor c * A of a negative advantage's surrogate");
        check("value-clip", valueClip, valueClip >= 0 && Double.isFinite(valueClip), "must be >= 0 (0 = off)");
        check("entropy-coef", entropyCoef, entropyCoef >= 0 && entropyCoef <= 1, "must be in [0, 1]");
        check("bound-loss-coef", boundLossCoef, boundLossCoef >= 0 && boundLossCoef <= 100, "must be in [0, 100] (0 = off)");
        check("value-coef", valueCoef, valueCoef >= 0 && valueCoef <= 100, "must be in [0, 100]");
        check("max-grad-norm", maxGradNorm, maxGradNorm > 0 && Double.isFinite(maxGradNorm), "must be > 0");
        check("target-kl", targetKl, targetKl >= 0 && Double.isFinite(targetKl), "must be >= 0 (0 = off)");
        if (hiddenSizes == null || hiddenSizes.length == 0 || hiddenSizes.length > 16) {
            throw new SettingsException(PATH + ".hidden-sizes", hiddenSizes == null ? null : Arrays.toString(hiddenSizes),
                    "must list 1 to 16 widths");
        }
        for (int h : hiddenSizes) {
            check("hidden-sizes", Arrays.toString(hiddenSizes), h >= 1 && h <= 8192, "every width must be in [1, 8192]");
        }
        hiddenSizes = hiddenSizes.clone();
        check("total-env-steps", totalEnvSteps, totalEnvSteps >= 1, "must be >= 1");
        check("pooled-normalization-fields", pooledNormalizationFields, pooledNormalizationFields != null
                && pooledNormalizationFields.stream().distinct().count() == pooledNormalizationFields.size(),
                "must be a list of distinct field names");
        pooledNormalizationFields = List.copyOf(pooledNormalizationFields);
        if (initialLogStd == null || initialLogStd.length == 0) {
            throw new SettingsException(PATH + ".initial-log-std", initialLogStd == null ? null : "[]",
                    "must be a number or a non-empty list of numbers (one per action dimension)");
        }
        for (double v : initialLogStd) {
            check("initial-log-std", Arrays.toString(initialLogStd), v >= -5 && v <= 2,
                    "every value must be in [-5, 2] (std exp(-5) = 0.0067 to exp(2) = 7.4 action units)");
        }
        initialLogStd = initialLogStd.clone();
    }

    /**
     * Reads and checks {@code tributary.learner.ppo} from a resolved configuration.
     *
     * @param maxEnvSteps the run's env-step budget: the annealing horizon when {@code total-env-steps} is unset (null)
     */
    public static PpoSettings fromConfig(Config config, long maxEnvSteps) {
        String p = PATH + ".";
        String horizon = p + "total-env-steps";
        long totalEnvSteps = config.hasPath(horizon)
                ? SettingsSupport.longIn(config, horizon, Long.MIN_VALUE, Long.MAX_VALUE) : maxEnvSteps;
        return new PpoSettings(
                number(config, p + "learning-rate"),
                SettingsSupport.bool(config, p + "anneal-lr"),
                SettingsSupport.intIn(config, p + "batch-steps", Integer.MIN_VALUE, Integer.MAX_VALUE),
                SettingsSupport.intIn(config, p + "epochs", Integer.MIN_VALUE, Integer.MAX_VALUE),
                SettingsSupport.intIn(config, p + "minibatch-size", Integer.MIN_VALUE, Integer.MAX_VALUE),
                number(config, p + "gamma"),
                number(config, p + "gae-lambda"),
                number(config, p + "clip"),
                number(config, p + "dual-clip"),
                number(config, p + "value-clip"),
                number(config, p + "entropy-coef"),
                number(config, p + "bound-loss-coef"),
                number(config, p + "value-coef"),
                number(config, p + "max-grad-norm"),
                number(config, p + "target-kl"),
                SettingsSupport.positiveInts(config, p + "hidden-sizes"),
                SettingsSupport.bool(config, p + "normalize-observations"),
                SettingsSupport.bool(config, p + "normalize-rewards"),
                strings(config, p + "pooled-normalization-fields"),
                numbers(config, p + "initial-log-std"),
                totalEnvSteps);
    }

    /**
     * The reference defaults with {@code overrides} (HOCON text, full paths) on top, for code and tests
     * outside a run; {@code maxEnvSteps} stands in for the run's budget.
     */
    public static PpoSettings defaults(String overrides, long maxEnvSteps) {
        return fromConfig(ConfigFactory.parseString(overrides).withFallback(ConfigFactory.defaultReference()).resolve(),
                maxEnvSteps);
    }

    /** Starting log std values as configured (a copy): one for all action dimensions, or one per dimension. */
    @Override
    public double[] initialLogStd() {
        return initialLogStd.clone();
    }

    /**
     * The starting log std of each of {@code actionSize} dimensions: the single configured value repeated, or the
     * configured list when it has exactly {@code actionSize} values.
     *
     * @throws SettingsException when the list has another length
     */
    public double[] initialLogStd(int actionSize) {
        if (initialLogStd.length == 1) {
            double[] out = new double[actionSize];
            Arrays.fill(out, initialLogStd[0]);
            return out;
        }
        if (initialLogStd.length != actionSize) {
            throw new SettingsException(PATH + ".initial-log-std", Arrays.toString(initialLogStd),
                    "must be one number or one per action dimension (the action has " + actionSize + ")");
        }
        return initialLogStd.clone();
    }

    /** Hidden widths (a copy). */
    @Override
    public int[] hiddenSizes() {
        return hiddenSizes.clone();
    }

    @Override
    public String toString() {
        return "PpoSettings[learningRate=" + learningRate + ", annealLr=" + annealLr + ", batchSteps=" + batchSteps
                + ", epochs=" + epochs + ", minibatchSize=" + minibatchSize + ", gamma=" + gamma + ", gaeLambda="
                + gaeLambda + ", clip=" + clip + ", dualClip=" + dualClip + ", valueClip=" + valueClip + ", entropyCoef=" + entropyCoef
                + ", boundLossCoef=" + boundLossCoef + ", valueCoef=" + valueCoef + ", maxGradNorm=" + maxGradNorm + ", targetKl=" + targetKl
                + ", hiddenSizes=" + Arrays.toString(hiddenSizes) + ", normalizeObservations=" + normalizeObservations
                + ", normalizeRewards=" + normalizeRewards + ", pooledNormalizationFields=" + pooledNormalizationFields
                + ", initialLogStd=" + Arrays.toString(initialLogStd) + ", totalEnvSteps=" + totalEnvSteps + "]";
    }

    private static double[] numbers(Config c, String path) {
        if (!c.hasPath(path)) {
            throw new SettingsException(path, null, "must be set");
        }
        try {
            if (c.getValue(path).valueType() == ConfigValueType.LIST) {
                return c.getDoubleList(path).stream().mapToDouble(Double::doubleValue).toArray();
            }
            return new double[] {c.getDouble(path)};
        } catch (ConfigException e) {
            throw new SettingsException(path, c.getValue(path).unwrapped(),
                    "must be a number or a non-empty list of numbers (one per action dimension)");
        }
    }

    private static List<String> strings(Config c, String path) {
        try {
            return c.getStringList(path);
        } catch (ConfigException e) {
            throw new SettingsException(path, c.hasPath(path) ? c.getValue(path).unwrapped() : null,
                    "must be a list of observation field names, e.g. [lidar]");
        }
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
