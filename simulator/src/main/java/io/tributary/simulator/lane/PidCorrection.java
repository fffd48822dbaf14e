package io.tributary.simulator.lane;

/**
 * The PID lane-centring correction of the released BLIP-FusePPO code, as an observation only (it is never
 * added to the steering): error {@code e = -d} (metres; steer back towards the centre, left positive),
 * integral of per-step errors clipped to +-1, derivative as the per-step difference, output
 * {@code Kp e + Ki I + Kd (e - e_prev)} clipped to +-0.8. Per-step (not per-second) integral and derivative,
 * as a controller stepped once per control tick is written; the gains are PAPERS.md's, applied in metres.
 */
public final class PidCorrection {
    /** Proportional gain. */
    public static final double KP = 0.15;
    /** Integral gain. */
    public static final double KI = 0.02;
    /** Derivative gain. */
    public static final double KD = 0.08;
    /** Integral clip. */
    public static final double INTEGRAL_CLIP = 1.0;
    /** Output clip. */
    public static final double OUTPUT_CLIP = 0.8;

    private double integral;
    private double previous;
    private boolean first = true;

    /** Forgets the integral and the previous error (new episode). */
    public void reset() {
        integral = 0;
        previous = 0;
        first = true;
    }

    /** The correction for lateral offset {@code d} (metres, left positive); updates the state. */
    public double update(double d) {
        double e = -d;
        integral = Math.max(-INTEGRAL_CLIP, Math.min(INTEGRAL_CLIP, integral + e));
        // No derivative kick on the first sample of an episode.
        double derivative = first ? 0 : e - previous;
        previous = e;
        first = false;
        double u = KP * e + KI * integral + KD * derivative;
        return Math.max(-OUTPUT_CLIP, Math.min(OUTPUT_CLIP, u));
    }
}
