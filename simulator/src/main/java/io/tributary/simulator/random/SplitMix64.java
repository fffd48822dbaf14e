package io.tributary.simulator.random;

/**
 * The project's one small pseudo-random generator (SplitMix64, Steele et al. 2014): its whole state is one
 * {@code long}, so learners can checkpoint and restore it exactly, and environments reseed it in place
 * without allocating, giving the same start states on every JVM. Not thread-safe.
 */
public final class SplitMix64 {
    private long state;

    /** A generator started from {@code seed}. */
    public SplitMix64(long seed) {
        this.state = seed;
    }

    /** Restarts the sequence from {@code seed} (same as a new generator with that seed). */
    public void reseed(long seed) {
        this.state = seed;
    }

    /** The full state, for checkpoints. */
    public long state() {
        return state;
    }

    /** Sets the full state read back from a checkpoint. */
    public void setState(long state) {
        this.state = state;
    }

    /** Next 64 random bits. */
    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [low, high), as numpy's {@code uniform(low, high)}. */
    public double uniform(double low, double high) {
        return low + (high - low) * nextDouble();
    }

    /** Uniform in [0, bound), without modulo bias. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be > 0: bound=" + bound);
        }
        long limit = Long.MAX_VALUE - (Long.MAX_VALUE % bound) - 1;
        while (true) {
            long r = nextLong() >>> 1;
            if (r <= limit) {
                return (int) (r % bound);
            }
        }
    }

    /** Standard normal (Box-Muller; one draw per call, so the state stays a single long). */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // (0, 1]
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** Shuffles {@code a[0..n)} in place (Fisher-Yates). */
    public void shuffle(int[] a, int n) {
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
