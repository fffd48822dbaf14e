package io.tributary.simulator.envs;

import io.tributary.simulator.Environment;
import io.tributary.simulator.Space;
import io.tributary.simulator.StateResettable;
import io.tributary.simulator.StepResult;
import io.tributary.simulator.random.SplitMix64;
import java.util.Map;
import java.util.Set;

/**
 * Gymnasium's {@code Pendulum-v1}: same constants, dynamics, cost and 200-step limit, so returns are
 * comparable with published Pendulum results. Never terminates; every episode is truncated. State is
 * kept in double precision; observations {@code (cos th, sin th, thdot)} are written as floats.
 */
public final class PendulumEnv implements Environment, StateResettable {
    /** Registered name. */
    public static final String NAME = "Pendulum-v1";
    /** Gymnasium's step limit for v1. */
    public static final int DEFAULT_MAX_EPISODE_STEPS = 200;

    static final double MAX_SPEED = 8.0;
    static final double MAX_TORQUE = 2.0;
    static final double DT = 0.05;
    static final double G = 10.0;
    static final double M = 1.0;
    static final double L = 1.0;
    static final double RESET_THETA_BOUND = Math.PI;
    static final double RESET_THETA_DOT_BOUND = 1.0;
    private static final double TWO_PI = 2 * Math.PI;

    private static final Set<String> OPTION_KEYS = Set.of(EnvOptions.MAX_EPISODE_STEPS);
    private static final Space.Box OBSERVATION_SPACE = new Space.Box(
            new float[] {-1f, -1f, (float) -MAX_SPEED}, new float[] {1f, 1f, (float) MAX_SPEED});
    private static final Space.Box ACTION_SPACE = Space.Box.uniform(1, (float) -MAX_TORQUE, (float) MAX_TORQUE);

    private final int maxEpisodeSteps;
    private final SplitMix64 random = new SplitMix64(0L);
    private double theta;
    private double thetaDot;
    private int elapsedSteps;
    private boolean started;
    private boolean truncated;

    /** A pendulum with Gymnasium's 200-step limit. */
    public PendulumEnv() {
        this(DEFAULT_MAX_EPISODE_STEPS);
    }

    /** A pendulum truncated after {@code maxEpisodeSteps} steps. */
    public PendulumEnv(int maxEpisodeSteps) {
        if (maxEpisodeSteps < 1) {
            throw new IllegalArgumentException("maxEpisodeSteps must be >= 1: maxEpisodeSteps=" + maxEpisodeSteps);
        }
        this.maxEpisodeSteps = maxEpisodeSteps;
    }

    /** Builds from provider options; accepts only {@code max-episode-steps}. */
    public static PendulumEnv fromOptions(Map<String, String> options) {
        EnvOptions.requireKnownKeys(NAME, options, OPTION_KEYS);
        return new PendulumEnv(EnvOptions.positiveInt(NAME, options, EnvOptions.MAX_EPISODE_STEPS,
                DEFAULT_MAX_EPISODE_STEPS));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Space observationSpace() {
        return OBSERVATION_SPACE;
    }

    @Override
    public Space actionSpace() {
        return ACTION_SPACE;
    }

    @Override
    public int maxEpisodeSteps() {
        return maxEpisodeSteps;
    }

    @Override
    public void reset(long seed, StepResult out) {
        checkResult(out);
        random.reseed(seed);
        theta = random.uniform(-RESET_THETA_BOUND, RESET_THETA_BOUND);
        thetaDot = random.uniform(-RESET_THETA_DOT_BOUND, RESET_THETA_DOT_BOUND);
        elapsedSteps = 0;
        started = true;
        truncated = false;
        out.clear();
        writeObservation(out);
    }

    /**
     * Starts an episode at the state the observation {@code (cos th, sin th, thdot)} describes: th =
     * atan2(sin, cos), so the angle is recovered to float precision; the step count starts at 0 (the
     * observation carries no time).
     */
    @Override
    public void resetTo(float[] observation, long seed, StepResult out) {
        checkResult(out);
        StateChecks.requireObservationLength(NAME, observation, 3);
        double c = observation[0];
        double s = observation[1];
        double w = observation[2];
        double norm = Math.hypot(c, s);
        if (!(Math.abs(norm - 1.0) < 1e-3) || !(Math.abs(w) <= MAX_SPEED)) {
            throw new IllegalArgumentException("observation describes no pendulum state: env=" + NAME + ", cos="
                    + c + ", sin=" + s + ", thdot=" + w + " (needs cos^2+sin^2=1 and |thdot|<=" + MAX_SPEED + ")");
        }
        random.reseed(seed);
        theta = Math.atan2(s, c);
        thetaDot = w;
        elapsedSteps = 0;
        started = true;
        truncated = false;
        out.clear();
        writeObservation(out);
    }

    @Override
    public void step(float[] action, StepResult out) {
        checkRunning();
        checkResult(out);
        ActionChecks.requireLength(action, 1);
        ActionChecks.requireNoNaN(action);
        double u = Math.max(-MAX_TORQUE, Math.min(MAX_TORQUE, action[0]));
        // The cost uses the state before the update, as Gymnasium does.
        double normalized = angleNormalize(theta);
        double cost = normalized * normalized + 0.1 * (thetaDot * thetaDot) + 0.001 * (u * u);
        double newThetaDot = thetaDot + (3 * G / (2 * L) * Math.sin(theta) + 3.0 / (M * L * L) * u) * DT;
        newThetaDot = Math.max(-MAX_SPEED, Math.min(MAX_SPEED, newThetaDot));
        // Semi-implicit: the angle advances with the new (clipped) velocity.
        theta = theta + newThetaDot * DT;
        thetaDot = newThetaDot;
        elapsedSteps++;
        truncated = elapsedSteps >= maxEpisodeSteps;
        out.clear();
        writeObservation(out);
        out.reward = (float) -cost;
        out.terminated = false;
        out.truncated = truncated;
    }

    /** Steps taken in the current episode. */
    public int elapsedSteps() {
        return elapsedSteps;
    }

    /**
     * Replaces the state of the running episode (th, thdot) without touching the step count. For tests
     * and tools that need a known state; call {@link #reset} first.
     */
    public void setState(double theta, double thetaDot) {
        checkRunning();
        this.theta = theta;
        this.thetaDot = thetaDot;
    }

    /** A copy of the double-precision state (th, thdot); for tests and tools, it allocates. */
    public double[] state() {
        return new double[] {theta, thetaDot};
    }

    /**
     * Gymnasium's {@code angle_normalize}: {@code ((x + pi) mod 2 pi) - pi} with Python's floored modulo
     * (C's fmod shifted into the divisor's sign, as CPython does it), so the result lies in [-pi, pi].
     */
    static double angleNormalize(double x) {
        double r = (x + Math.PI) % TWO_PI;
        if (r < 0) {
            r += TWO_PI;
        }
        return r - Math.PI;
    }

    private void writeObservation(StepResult out) {
        out.observation[0] = (float) Math.cos(theta);
        out.observation[1] = (float) Math.sin(theta);
        out.observation[2] = (float) thetaDot;
    }

    private void checkRunning() {
        if (!started) {
            throw new IllegalStateException("step before reset: env=" + NAME + " (call reset first)");
        }
        if (truncated) {
            throw new IllegalStateException("episode is over: env=" + NAME + ", steps=" + elapsedSteps
                    + ", truncated=true (call reset before stepping again)");
        }
    }

    private static void checkResult(StepResult out) {
        StateChecks.requireObservationSlot(out, 3);
    }
}
