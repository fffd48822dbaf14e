package io.tributary.actors;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands out training-episode seeds per (worker, environment slot) and remembers failures across worker
 * restarts: a seed whose episode threw is retried by the restarted worker, and after
 * {@code failuresBeforeQuarantine} failures it is quarantined (never used again) and reported. Seeds
 * start at {@link RunSettings#TRAINING_SEED_BASE}, far from the evaluation seeds.
 */
public final class SeedSchedule {
    private final long runSeed;
    private final int failuresBeforeQuarantine;
    private final Map<Long, Integer> episodeCounters = new ConcurrentHashMap<>();
    private final Map<Long, Long> retry = new ConcurrentHashMap<>();
    private final Map<Long, Integer> failures = new ConcurrentHashMap<>();
    private final Set<Long> quarantined = ConcurrentHashMap.newKeySet();

    /** A schedule for a run. */
    public SeedSchedule(long runSeed, int failuresBeforeQuarantine) {
        this.runSeed = runSeed;
        this.failuresBeforeQuarantine = failuresBeforeQuarantine;
    }

    /** The seed of the next episode of {@code (worker, env)}: a seed to retry first, otherwise a fresh one. */
    public long next(int worker, int env) {
        long slot = slot(worker, env);
        Long again = retry.remove(slot);
        if (again != null && !quarantined.contains(again)) {
            return again;
        }
        while (true) {
            int n = episodeCounters.merge(slot, 1, Integer::sum) - 1;
            long seed = RunSettings.TRAINING_SEED_BASE + (runSeed << 32) + ((long) worker << 20) * 64 + ((long) env << 20) + n;
            if (!quarantined.contains(seed)) {
                return seed;
            }
        }
    }

    /**
     * Records that the episode with {@code seed} failed in slot {@code (worker, env)}.
     *
     * @return true if this failure quarantined the seed
     */
    public boolean failed(int worker, int env, long seed) {
        int n = failures.merge(seed, 1, Integer::sum);
        if (n >= failuresBeforeQuarantine) {
            quarantined.add(seed);
            return true;
        }
        retry.put(slot(worker, env), seed);
        return false;
    }

    /** Environment failures recorded so far (each one restarted a worker). */
    public long failures() {
        long n = 0;
        for (int f : failures.values()) {
            n += f;
        }
        return n;
    }

    /** Seeds quarantined so far. */
    public Set<Long> quarantined() {
        return Set.copyOf(quarantined);
    }

    private static long slot(int worker, int env) {
        return ((long) worker << 32) | (env & 0xffffffffL);
    }
}
