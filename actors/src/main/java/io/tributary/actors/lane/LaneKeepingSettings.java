package io.tributary.actors.lane;

import static io.tributary.config.SettingsSupport.doubleIn;
import static io.tributary.config.SettingsSupport.intIn;
import static io.tributary.config.SettingsSupport.longIn;

import com.typesafe.config.Config;
import io.tributary.config.SettingsException;

/**
 * Settings of the registered experiment {@code lane-keeping} ({@code tributary.actors.lane-keeping} in
 * reference.conf).
 *
 * @param budgetScale      factor on every config's {@code run.max-env-steps}
 * @param testSeedBase     first test seed
 * @param testEpisodes     test episodes per agent
 * @param pidGridSeedBase  first seed of the PID gain grid search
 * @param pidGridEpisodes  episodes per grid candidate
 * @param validationSeedBase first seed of the validation episodes that choose each run's policy
 * @param validationEpisodes validation episodes per kept checkpoint; 0 = evaluate each run's final policy
 */
public record LaneKeepingSettings(double budgetScale, long testSeedBase, int testEpisodes, long pidGridSeedBase,
                                  int pidGridEpisodes, long validationSeedBase, int validationEpisodes) {
    /** Root of the subtree. */
    public static final String PATH = "tributary.actors.lane-keeping";

    /** Reads and checks {@code tributary.actors.lane-keeping}. */
    public static LaneKeepingSettings fromConfig(Config c) {
        String p = PATH + ".";
        LaneKeepingSettings s = new LaneKeepingSettings(doubleIn(c, p + "budget-scale", 1e-6, 100.0),
                longIn(c, p + "test-seed-base", 0, Long.MAX_VALUE / 2),
                intIn(c, p + "test-episodes", 1, 100_000),
                longIn(c, p + "pid-grid-seed-base", 0, Long.MAX_VALUE / 2),
                intIn(c, p + "pid-grid-episodes", 1, 100_000),
                longIn(c, p + "validation-seed-base", 0, Long.MAX_VALUE / 2),
                intIn(c, p + "validation-episodes", 0, 100_000));
        if (s.validationEpisodes() > 0 && overlap(s.validationSeedBase(), s.validationEpisodes(), s.testSeedBase(), s.testEpisodes())) {
            throw new SettingsException(p + "validation-seed-base", s.validationSeedBase(), "validation seeds "
                    + s.validationSeedBase() + "-" + (s.validationSeedBase() + s.validationEpisodes() - 1)
                    + " must not overlap the test seeds " + s.testSeedBase() + "-" + (s.testSeedBase() + s.testEpisodes() - 1)
                    + " (a policy chosen on test episodes would be tested on them)");
        }
        return s;
    }

    private static boolean overlap(long aBase, int aCount, long bBase, int bCount) {
        return aBase < bBase + bCount && bBase < aBase + aCount;
    }
}
