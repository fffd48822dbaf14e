package io.tributary.simulator.envs;

/**
 * Seeded SplitMix64 generator for episode resets. Reseeding in place keeps {@code reset} free of
 * allocation, and the same seed always gives the same start state on every JVM.
 */
final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final double DOUBLE_UNIT = 0x1.0p-53;

    private long state;

    SplitMix64(long seed) {
        this.state = seed;
    }

    /** Restarts the sequence from {@code seed}. */
    void reseed(long seed) {
        state = seed;
    }

    long nextLong() {
        state += GOLDEN_GAMMA;
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1). */
    double nextDouble() {
        return (nextLong() >>> 11) * DOUBLE_UNIT;
    }

    /** Uniform in [low, high), as numpy's {@code uniform(low, high)}. */
    double uniform(double low, double high) {
        return low + (high - low) * nextDouble();
    }
}
