package io.tributary.learner.sac;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tributary.config.SettingsException;
import io.tributary.config.SettingsSupport;
import java.util.Arrays;

/**
 * SAC / RAVL hyper-parameters, the {@code tributary.learner.sac} subtree. Base SAC is {@code critics = 2,
 * eta = 0}; RAVL is {@code critics = 10, eta = 1}. Rules are checked in the constructor.
 *
 * @param critics           ensemble size N (at least 2: the target takes a minimum over critics)
 * @param eta               weight of the EDAC diversity term (0 = plain SAC critic loss)
 * @param gamma             discount
 * @param tau               soft target update rate
 * @param learningRate      Adam step size of actor, critics and alpha
 * @param batchSize         transitions per gradient step
 * @param hiddenSizes       hidden widths of the actor and of every critic (ReLU)
 * @param initialAlpha      entropy temperature before tuning
 * @param targetEntropy     alpha's entropy target; NaN = -|A| (the action dimension)
 * @param updatesPerEnvStep gradient steps owed per env step received
 * @param gradientSteps     gradient steps per learner update (one policy version)
 * @param bufferCapacity    transitions the replay buffer keeps (oldest overwritten)
 * @param realRatio         share of each batch drawn from the offline dataset (when one is given)
 * @param dataset           offline dataset file for the real transitions, or empty
 * @param oracle            environment whose exact values patch depth-k targets, or empty
 * @param rolloutLength     k: transitions with depth == k are edge-of-reach (oracle patch, Q-std statistics)
 * @param probeStates       fixed states over which q_max is measured
 * @param probeEvery        gradient steps between measurements of q_max and the ensemble statistics
 * @param probeEnv          environment in which the deterministic policy is evaluated at every probe, or empty
 * @param probeEpisodes     episodes of that evaluation (seeds probe-seed-base onwards, the same every time)
 * @param edgeRadius        edge_state_fraction: a depth-k state counts when farther than this from every dataset
 *                          state and every shallower state; 0 = not measured
 * @param edgeDims          leading observation values the distance uses (0 = all)
 */
public record SacSettings(int critics, double eta, double gamma, double tau, double learningRate, int batchSize,
                          int[] hiddenSizes, double initialAlpha, double targetEntropy, double updatesPerEnvStep,
                          int gradientSteps, int bufferCapacity, double realRatio, String dataset, String oracle,
                          int rolloutLength, int probeStates, int probeEvery, String probeEnv, int probeEpisodes,
                          double edgeRadius, int edgeDims) {

    /** Config path of this subtree. */
    public static final String PATH = "tributary.learner.sac";

    public SacSettings {
        check("critics", critics, critics >= 2 && critics <= 64, "must be in [2, 64]");
        check("eta", eta, eta >= 0 && Double.isFinite(eta), "must be >= 0 (0 = no diversity term)");
        check("gamma", gamma, gamma >= 0 && gamma <= 1, "must be in [0, 1]");
        check("tau", tau, tau > 0 && tau <= 1, "must be in (0, 1]");
        check("learning-rate", learningRate, learningRate > 0 && learningRate <= 1, "must be in (0, 1]");
        check("batch-size", batchSize, batchSize >= 2 && batchSize <= (1 << 16), "must be in [2, 65536]");
        if (hiddenSizes == null || hiddenSizes.length == 0 || hiddenSizes.length > 16) {
            throw new SettingsException(PATH + ".hidden-sizes", hiddenSizes == null ? null : Arrays.toString(hiddenSizes),
                    "must list 1 to 16 widths");
        }
        for (int h : hiddenSizes) {
            check("hidden-sizes", Arrays.toString(hiddenSizes), h >= 1 && h <= 8192, "every width must be in [1, 8192]");
        }
        hiddenSizes = hiddenSizes.clone();
        check("initial-alpha", initialAlpha, initialAlpha > 0 && Double.isFinite(initialAlpha), "must be > 0");
        check("target-entropy", targetEntropy, Double.isNaN(targetEntropy) || Double.isFinite(targetEntropy),
                "must be a number or null (= -action dimension)");
        check("updates-per-env-step", updatesPerEnvStep, updatesPerEnvStep > 0 && updatesPerEnvStep <= 1000,
                "must be in (0, 1000]");
        check("gradient-steps", gradientSteps, gradientSteps >= 1 && gradientSteps <= 1_000_000, "must be in [1, 1000000]");
        check("buffer-capacity", bufferCapacity, bufferCapacity >= batchSize && bufferCapacity <= 50_000_000,
                "must be in [batch-size=" + batchSize + ", 50000000]");
        check("real-ratio", realRatio, realRatio >= 0 && realRatio < 1, "must be in [0, 1)");
        dataset = dataset == null ? "" : dataset;
        oracle = oracle == null ? "" : oracle;
        check("rollout-length", rolloutLength, rolloutLength >= 1 && rolloutLength <= 100_000, "must be in [1, 100000]");
        check("probe-states", probeStates, probeStates >= 1 && probeStates <= 100_000, "must be in [1, 100000]");
        check("probe-every", probeEvery, probeEvery >= 1, "must be >= 1");
        probeEnv = probeEnv == null ? "" : probeEnv;
        check("probe-episodes", probeEpisodes, probeEpisodes >= 1 && probeEpisodes <= 100_000, "must be in [1, 100000]");
        check("edge-radius", edgeRadius, edgeRadius >= 0 && Double.isFinite(edgeRadius), "must be >= 0 (0 = off)");
        check("edge-dims", edgeDims, edgeDims >= 0, "must be >= 0 (0 = all)");
    }

    /** First evaluation seed of the probe returns (far from training seeds). */
    public static final long PROBE_SEED_BASE = 900_000_000L;

    /** Reads and checks {@code tributary.learner.sac} from a resolved configuration. */
    public static SacSettings fromConfig(Config config) {
        String p = PATH + ".";
        return new SacSettings(
                SettingsSupport.intIn(config, p + "critics", Integer.MIN_VALUE, Integer.MAX_VALUE),
                number(config, p + "eta"),
                number(config, p + "gamma"),
                number(config, p + "tau"),
                number(config, p + "learning-rate"),
                SettingsSupport.intIn(config, p + "batch-size", Integer.MIN_VALUE, Integer.MAX_VALUE),
                SettingsSupport.positiveInts(config, p + "hidden-sizes"),
                number(config, p + "initial-alpha"),
                config.getIsNull(p + "target-entropy") ? Double.NaN : number(config, p + "target-entropy"),
                number(config, p + "updates-per-env-step"),
                SettingsSupport.intIn(config, p + "gradient-steps", Integer.MIN_VALUE, Integer.MAX_VALUE),
                SettingsSupport.intIn(config, p + "buffer-capacity", Integer.MIN_VALUE, Integer.MAX_VALUE),
                number(config, p + "real-ratio"),
                config.getIsNull(p + "dataset") ? "" : config.getString(p + "dataset"),
                config.getIsNull(p + "oracle") ? "" : config.getString(p + "oracle"),
                SettingsSupport.intIn(config, p + "rollout-length", Integer.MIN_VALUE, Integer.MAX_VALUE),
                SettingsSupport.intIn(config, p + "probe-states", Integer.MIN_VALUE, Integer.MAX_VALUE),
                SettingsSupport.intIn(config, p + "probe-every", Integer.MIN_VALUE, Integer.MAX_VALUE),
                config.getIsNull(p + "probe-env") ? "" : config.getString(p + "probe-env"),
                SettingsSupport.intIn(config, p + "probe-episodes", Integer.MIN_VALUE, Integer.MAX_VALUE),
                number(config, p + "edge-radius"),
                SettingsSupport.intIn(config, p + "edge-dims", Integer.MIN_VALUE, Integer.MAX_VALUE));
    }

    /** The reference defaults with {@code overrides} (HOCON text, full paths) on top. */
    public static SacSettings defaults(String overrides) {
        return fromConfig(ConfigFactory.parseString(overrides).withFallback(ConfigFactory.defaultReference()).resolve());
    }

    /** The entropy target: the setting, or -|A| when unset. */
    public double targetEntropy(int actionSize) {
        return Double.isNaN(targetEntropy) ? -actionSize : targetEntropy;
    }

    /**
     * Env steps one policy version should receive so that {@link #gradientSteps} steps are owed:
     * {@code ceil(gradientSteps / updatesPerEnvStep)} (the production quota).
     */
    public long envStepsPerVersion() {
        return Math.max(1L, (long) Math.ceil(gradientSteps / updatesPerEnvStep - 1e-9));
    }

    /** Transitions per batch drawn from the offline dataset when one is loaded. */
    public int realPerBatch() {
        return (int) Math.floor(batchSize * realRatio);
    }

    /** Hidden widths (a copy). */
    @Override
    public int[] hiddenSizes() {
        return hiddenSizes.clone();
    }

    @Override
    public String toString() {
        return "SacSettings[critics=" + critics + ", eta=" + eta + ", gamma=" + gamma + ", tau=" + tau + ", learningRate="
                + learningRate + ", batchSize=" + batchSize + ", hiddenSizes=" + Arrays.toString(hiddenSizes)
                + ", initialAlpha=" + initialAlpha + ", targetEntropy=" + targetEntropy + ", updatesPerEnvStep="
                + updatesPerEnvStep + ", gradientSteps=" + gradientSteps + ", bufferCapacity=" + bufferCapacity
                + ", realRatio=" + realRatio + ", dataset=" + dataset + ", oracle=" + oracle + ", rolloutLength="
                + rolloutLength + ", probeStates=" + probeStates + ", probeEvery=" + probeEvery + ", probeEnv=" + probeEnv
                + ", probeEpisodes=" + probeEpisodes + ", edgeRadius=" + edgeRadius + ", edgeDims=" + edgeDims + "]";
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
