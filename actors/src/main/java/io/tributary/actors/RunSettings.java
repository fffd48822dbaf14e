package io.tributary.actors;

import static io.tributary.config.SettingsSupport.intIn;
import static io.tributary.config.SettingsSupport.longIn;

import com.typesafe.config.Config;
import io.tributary.config.SettingsException;

/**
 * Settings of one run ({@code tributary.run}): id, folder, budget, evaluation and checkpoints.
 *
 * @param id                      run id, empty for a generated one
 * @param folder                  folder of run folders
 * @param seed                    run seed
 * @param maxEnvSteps             training budget in environment steps
 * @param maxWallSeconds          training budget in seconds
 * @param evalEpisodes            evaluation episodes
 * @param evalSeedBase            first evaluation seed
 * @param checkpointDir           checkpoint folder, empty for the run folder's
 * @param checkpointEveryUpdates  checkpoint interval in updates
 * @param keepCheckpoints         checkpoints kept
 * @param progressIntervalMs      progress line interval
 */
public record RunSettings(String id, String folder, long seed, long maxEnvSteps, long maxWallSeconds, int evalEpisodes,
                          long evalSeedBase, String checkpointDir, int checkpointEveryUpdates, int keepCheckpoints,
                          int progressIntervalMs) {

    /** Training seeds start here, far above any evaluation seed, so the two sets never meet. */
    public static final long TRAINING_SEED_BASE = 1L << 40;

    /** Reads and checks {@code tributary.run}. */
    public static RunSettings fromConfig(Config c) {
        String p = "tributary.run.";
        String id = c.getString(p + "id");
        if (!id.isEmpty() && !id.matches("[A-Za-z0-9._-]{1,120}")) {
            throw new SettingsException(p + "id", id, "must be 1-120 of [A-Za-z0-9._-]");
        }
        long evalSeedBase = longIn(c, p + "eval-seed-base", 0, TRAINING_SEED_BASE - 1_000_000);
        return new RunSettings(id, c.getString(p + "folder"),
                longIn(c, p + "seed", 0, Integer.MAX_VALUE),
                longIn(c, p + "max-env-steps", 1, Long.MAX_VALUE / 4),
                longIn(c, p + "max-wall-seconds", 1, 30L * 24 * 3600),
                intIn(c, p + "eval-episodes", 0, 100_000),
                evalSeedBase,
                c.getString(p + "checkpoint-dir"),
                intIn(c, p + "checkpoint-every-updates", 1, 1_000_000),
                intIn(c, p + "keep-checkpoints", 1, 1000),
                intIn(c, p + "progress-interval-ms", 100, 3_600_000));
    }
}
