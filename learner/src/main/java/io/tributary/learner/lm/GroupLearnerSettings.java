package io.tributary.learner.lm;

import com.typesafe.config.Config;
import io.tributary.config.SettingsException;
import io.tributary.config.SettingsSupport;
import java.util.Objects;

/**
 * What the {@code brpo} and {@code grpo} learners ({@link GroupLearner}) read from the
 * {@code tributary.learner.group} subtree besides the update itself.
 *
 * @param update           the group policy update's settings, its reward mode the algorithm's
 * @param groupsPerVersion groups of G responses per policy version (the production quota, in groups)
 * @param skewThreshold    BRPO's skew filter threshold in [0, 1]
 * @param initFrom         the pre-trained model file (initial weights and KL reference), never empty
 * @param maxUpdates       updates after which the learner asks the run to stop; 0 = no limit
 */
public record GroupLearnerSettings(GroupUpdateSettings update, int groupsPerVersion, double skewThreshold,
                                   String initFrom, long maxUpdates) {
    /** Config path of the subtree (shared with {@link GroupUpdateSettings}). */
    public static final String PATH = GroupUpdateSettings.PATH;

    public GroupLearnerSettings {
        Objects.requireNonNull(update, "update");
        Objects.requireNonNull(initFrom, "initFrom");
        if (groupsPerVersion < 1 || groupsPerVersion > (1 << 20)) {
            throw new SettingsException(PATH + ".groups-per-version", groupsPerVersion, "must be in [1, 1048576]");
        }
        if (!(skewThreshold >= 0 && skewThreshold <= 1)) {
            throw new SettingsException(PATH + ".skew-threshold", skewThreshold, "must be in [0, 1]");
        }
        if (initFrom.isBlank()) {
            throw new SettingsException(PATH + ".init-from", initFrom, "must name a pre-trained model file (make one "
                    + "with ./tributary pretrain-lm --out <file>); random initial weights are refused: a random policy "
                    + "writes no text and would be its own KL reference");
        }
        if (maxUpdates < 0) {
            throw new SettingsException(PATH + ".max-updates", maxUpdates, "must be >= 0 (0 = no limit)");
        }
    }

    /**
     * Reads and checks the subtree for algorithm {@code algorithm} with reward mode {@code mode}
     * ({@link GroupUpdateSettings#forAlgorithm}).
     */
    public static GroupLearnerSettings fromConfig(Config config, String algorithm, GroupUpdateSettings.RewardMode mode) {
        String p = PATH + ".";
        GroupUpdateSettings update = GroupUpdateSettings.forAlgorithm(config, algorithm, mode);
        return new GroupLearnerSettings(update,
                SettingsSupport.intIn(config, p + "groups-per-version", Integer.MIN_VALUE, Integer.MAX_VALUE),
                SettingsSupport.doubleIn(config, p + "skew-threshold", -Double.MAX_VALUE, Double.MAX_VALUE),
                config.getString(p + "init-from"),
                SettingsSupport.longIn(config, p + "max-updates", Long.MIN_VALUE, Long.MAX_VALUE));
    }
}
