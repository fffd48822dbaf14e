package io.tributary.simulator.envs;

import io.tributary.simulator.Environment;
import io.tributary.simulator.Space;
import io.tributary.simulator.StateResettable;
import io.tributary.simulator.StepResult;
import io.tributary.simulator.random.SplitMix64;
import java.util.Map;
import java.util.Set;

/**
 * Gymnasium's {@code CartPole-v1}: same constants, Euler integration, thresholds, reward and 500-step
 * limit, so returns are comparable with published CartPole results. State is kept in double precision
 * (as Gymnasium's float64 state); observations are written as floats.
 */
public final class CartPoleEnv implements Environment, StateResettable {
    /** Registered name. */
    public static final String NAME = "CartPole-v1";
    /** Gymnasium's step limit for v1. */
    public static final int DEFAULT_MAX_EPISODE_STEPS = 500;

    static final double GRAVITY = 9.8;
    static final double MASS_CART = 1.0;
    static final double MASS_POLE = 0.1;
    static final double TOTAL_MASS = MASS_POLE + MASS_CART;
    /** Half the pole's length, as in Gymnasium. */
    static final double LENGTH = 0.5;
    static final double POLE_MASS_LENGTH = MASS_POLE * LENGTH;
    static final double FORCE_MAG = 10.0;
    static final double TAU = 0.02;
    static final double THETA_THRESHOLD_RADIANS = 12 * 2 * Math.PI / 360;
    static final double X_THRESHOLD = 2.4;
    static final double RESET_BOUND = 0.05;

    private static final Set<String> OPTION_KEYS = Set.of(EnvOptions.MAX_EPISODE_STEPS);
    // Gymnasium bounds the observation at twice the termination thresholds and float32 max for velocities.
    private static final Space.Box OBSERVATION_SPACE = new Space.Box(
            new float[] {(float) (-X_THRESHOLD * 2), -Float.MAX_VALUE, (float) (-THETA_THRESHOLD_RADIANS * 2), -Float.MAX_VALUE},
            new float[] {(float) (X_THRESHOLD * 2), Float.MAX_VALUE, (float) (THETA_THRESHOLD_RADIANS * 2), Float.MAX_VALUE});
    private static final Space.Discrete ACTION_SPACE = new Space.Discrete(2);

    private final int maxEpisodeSteps;
    private final SplitMix64 random = new SplitMix64(0L);
    private double x;
    private double xDot;
    private double theta;
    private double thetaDot;
    private int elapsedSteps;
    private boolean started;
    private boolean terminated;
    private boolean truncated;

    /** A CartPole with Gymnasium's 500-step limit. */
    public CartPoleEnv() {
        this(DEFAULT_MAX_EPISODE_STEPS);
    }

    /** A CartPole truncated after {@code maxEpisodeSteps} steps. */
    public CartPoleEnv(int maxEpisodeSteps) {
        if (maxEpisodeSteps < 1) {
            throw new IllegalArgumentException("maxEpisodeSteps must be >= 1: maxEpisodeSteps=" + maxEpisodeSteps);
        }
        this.maxEpisodeSteps = maxEpisodeSteps;
    }

    /** Builds from provider options; accepts only {@code max-episode-steps}. */
    public static CartPoleEnv fromOptions(Map<String, String> options) {
        EnvOptions.requireKnownKeys(NAME, options, OPTION_KEYS);
        return new CartPoleEnv(EnvOptions.positiveInt(NAME, options, EnvOptions.MAX_EPISODE_STEPS,
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
        x = random.uniform(-RESET_BOUND, RESET_BOUND);
        xDot = random.uniform(-RESET_BOUND, RESET_BOUND);
        theta = random.uniform(-RESET_BOUND, RESET_BOUND);
        thetaDot = random.uniform(-RESET_BOUND, RESET_BOUND);
        elapsedSteps = 0;
        started = true;
        terminated = false;
        truncated = false;
        out.clear();
        writeObservation(out);
    }

    /**
     * Starts an episode at the state {@code (x, x_dot, theta, theta_dot)} the observation holds (the
     * observation is the whole state, at float precision); the step count starts at 0. A state already past
     * the termination thresholds is refused: no episode continues from it.
     */
    @Override
    public void resetTo(float[] observation, long seed, StepResult out) {
        checkResult(out);
        StateChecks.requireObservationLength(NAME, observation, 4);
        for (int i = 0; i < 4; i++) {
            if (!Float.isFinite(observation[i])) {
                throw new IllegalArgumentException("observation must be finite: env=" + NAME + ", index=" + i
                        + ", value=" + observation[i]);
            }
        }
        if (Math.abs(observation[0]) > X_THRESHOLD || Math.abs(observation[2]) > THETA_THRESHOLD_RADIANS) {
            throw new IllegalArgumentException("observation is a terminal state: env=" + NAME + ", x=" + observation[0]
                    + ", theta=" + observation[2]);
        }
        random.reseed(seed);
        x = observation[0];
        xDot = observation[1];
        theta = observation[2];
        thetaDot = observation[3];
        elapsedSteps = 0;
        started = true;
        terminated = false;
        truncated = false;
        out.clear();
        writeObservation(out);
    }

    @Override
    public void step(float[] action, StepResult out) {
        checkRunning();
        checkResult(out);
        int a = ActionChecks.discreteIndex(action, ACTION_SPACE.n());
        double force = a == 1 ? FORCE_MAG : -FORCE_MAG;
        // Same operation order as Gymnasium (np.square grouped), so the rounding matches too.
        double cosTheta = Math.cos(theta);
        double sinTheta = Math.sin(theta);
        double temp = (force + POLE_MASS_LENGTH * (thetaDot * thetaDot) * sinTheta) / TOTAL_MASS;
        double thetaAcc = (GRAVITY * sinTheta - cosTheta * temp)
                / (LENGTH * (4.0 / 3.0 - MASS_POLE * (cosTheta * cosTheta) / TOTAL_MASS));
        double xAcc = temp - POLE_MASS_LENGTH * thetaAcc * cosTheta / TOTAL_MASS;
        // Gymnasium's default "euler" integrator: positions advance with the old velocities.
        x = x + TAU * xDot;
        xDot = xDot + TAU * xAcc;
        theta = theta + TAU * thetaDot;
        thetaDot = thetaDot + TAU * thetaAcc;
        elapsedSteps++;

        terminated = x < -X_THRESHOLD || x > X_THRESHOLD
                || theta < -THETA_THRESHOLD_RADIANS || theta > THETA_THRESHOLD_RADIANS;
        // Like Gymnasium's TimeLimit wrapper, the limit step is truncated even when it also terminates.
        truncated = elapsedSteps >= maxEpisodeSteps;
        out.clear();
        writeObservation(out);
        // Reward 1 for every step, the terminating one included (Gymnasium's default, not Sutton-Barto).
        out.reward = 1f;
        out.terminated = terminated;
        out.truncated = truncated;
    }

    /** Steps taken in the current episode. */
    public int elapsedSteps() {
        return elapsedSteps;
    }

    /**
     * Replaces the physical state of the running episode (x, x_dot, theta, theta_dot) without touching
     * the step count. For tests and tools that need a known state; call {@link #reset} first.
     */
    public void setState(double x, double xDot, double theta, double thetaDot) {
        checkRunning();
        this.x = x;
        this.xDot = xDot;
        this.theta = theta;
        this.thetaDot = thetaDot;
    }

    /** A copy of the double-precision state (x, x_dot, theta, theta_dot); for tests and tools, it allocates. */
    public double[] state() {
        return new double[] {x, xDot, theta, thetaDot};
    }

    private void writeObservation(StepResult out) {
        out.observation[0] = (float) x;
        out.observation[1] = (float) xDot;
        out.observation[2] = (float) theta;
        out.observation[3] = (float) thetaDot;
    }

    private void checkRunning() {
        if (!started) {
            throw new IllegalStateException("step before reset: env=" + NAME + " (call reset first)");
        }
        if (terminated || truncated) {
            throw new IllegalStateException("episode is over: env=" + NAME + ", steps=" + elapsedSteps
                    + ", terminated=" + terminated + ", truncated=" + truncated + " (call reset before stepping again)");
        }
    }

    private static void checkResult(StepResult out) {
        StateChecks.requireObservationSlot(out, 4);
    }
}
