package io.tributary.actors.lane;

import static io.tributary.config.SettingsSupport.doubleIn;
import static io.tributary.config.SettingsSupport.intIn;
import static io.tributary.config.SettingsSupport.longIn;

import com.typesafe.config.Config;

/**
 * Settings of the registered experiment {@code lane-keeping} ({@code tributary.actors.lane-keeping} in
 * reference.conf).
 *
 * @param budgetScale      factor on every config's {@code run.max-env-steps}
 * @param testSeedBase     first test seed
 * @param testEpisodes     test episodes per agent
 * @param pidGridSeedBase  first seed of the PID gain grid search
 * @param pidGridEpisodes  episodes per grid candidate
 */
public record LaneKeepingSettings(double budgetScale, long testSeedBase, int testEpisodes, long pidGridSeedBase,
                                  int pidGridEpisodes) {
    /** Root of the subtree. */
    public static final String PATH = "tributary.actors.lane-keeping";

    /** Reads and checks {@code tributary.actors.lane-keeping}. */
    public static LaneKeepingSettings fromConfig(Config c) {
        String p = PATH + ".";
        return new LaneKeepingSettings(doubleIn(c, p + "budget-scale", 1e-6, 100.0),
                longIn(c, p + "test-seed-base", 0, Long.MAX_VALUE / 2),
                intIn(c, p + "test-episodes", 1, 100_000),
                longIn(c, p + "pid-grid-seed-base", 0, Long.MAX_VALUE / 2),
                intIn(c, p + "pid-grid-episodes", 1, 100_000));
    }
}
