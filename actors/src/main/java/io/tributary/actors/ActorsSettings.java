package io.tributary.actors;

import static io.tributary.config.SettingsSupport.intIn;

import com.typesafe.config.Config;
import io.tributary.config.SettingsException;
import io.tributary.simulator.rollout.ChunkTransforms;

/**
 * Settings of the actor pools ({@code tributary.actors}).
 *
 * @param workers                        rollout workers
 * @param envsPerWorker                  environments per worker
 * @param chunkSteps                     steps per chunk
 * @param scorers                        reward scorers
 * @param maxPolicyLag                   largest policy lag trained on
 * @param waitTimeoutMs                  bound on every wait
 * @param restartBackoffMinMs            first restart delay of a failed worker
 * @param restartBackoffMaxMs            largest restart delay
 * @param seedFailuresBeforeQuarantine   failures after which an environment seed is skipped
 * @param chunkTransform                 transform applied to each chunk before it is sent ({@code none}, or a
 *                                       name registered by a {@link io.tributary.simulator.rollout.ChunkTransformProvider})
 * @param judgeScorerMaxRecordsPerPoll   records one poll (one transaction) of a judge scorer takes at most
 */
public record ActorsSettings(int workers, int envsPerWorker, int chunkSteps, int scorers, int maxPolicyLag,
                             int waitTimeoutMs, int restartBackoffMinMs, int restartBackoffMaxMs,
                             int seedFailuresBeforeQuarantine, String chunkTransform,
                             int judgeScorerMaxRecordsPerPoll) {

    /** Reads and checks {@code tributary.actors}. */
    public static ActorsSettings fromConfig(Config c) {
        String p = "tributary.actors.";
        int min = intIn(c, p + "restart-backoff-min-ms", 1, 600_000);
        int max = intIn(c, p + "restart-backoff-max-ms", 1, 600_000);
        if (max < min) {
            throw new SettingsException(p + "restart-backoff-max-ms", max, "must be >= restart-backoff-min-ms (" + min + ")");
        }
        return new ActorsSettings(
                intIn(c, p + "workers", 1, 1024),
                intIn(c, p + "envs-per-worker", 1, 4096),
                intIn(c, p + "chunk-steps", 1, 65536),
                intIn(c, p + "scorers", 1, 256),
                intIn(c, p + "max-policy-lag", 0, 1_000_000),
                intIn(c, p + "wait-timeout-ms", 100, 86_400_000),
                min, max,
                intIn(c, p + "seed-failures-before-quarantine", 1, 1000),
                chunkTransform(c, p + "chunk-transform"),
                intIn(c, p + "judge-scorer-max-records-per-poll", 1, 500));
    }

    private static String chunkTransform(Config c, String path) {
        String name = c.getString(path).trim();
        if (!ChunkTransforms.isKnown(name)) {
            throw new SettingsException(path, name, "must be " + ChunkTransforms.NONE + " or a registered chunk transform "
                    + ChunkTransforms.names());
        }
        return name;
    }
}
