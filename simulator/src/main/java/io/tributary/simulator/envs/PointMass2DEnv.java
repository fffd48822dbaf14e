package io.tributary.simulator.envs;

import io.tributary.simulator.Environment;
import io.tributary.simulator.Space;
import io.tributary.simulator.StateResettable;
import io.tributary.simulator.StepResult;
import io.tributary.simulator.random.SplitMix64;
import java.util.Map;
import java.util.Set;

/**
 * The edge-of-reach paper's 2-D point mass ({@code PointMass2D-v0}): position s in [-2, 2]², action a in
 * [-1, 1]² (clipped), s' = clip(s + 0.1 a, -2, 2), start uniform in [-1.1, -0.9]², reward
 * exp(-‖s' - (0.5, 0.5)‖² / 0.18) on the next state, horizon H = 30. The observation is
 * {@code (x, y, t/H)}: the time is part of the state and step H is terminal (not truncated), so true
 * values are bounded by (1 - γ^H)/(1 - γ) and a learner needs no time-limit bootstrapping.
 */
public final class PointMass2DEnv implements Environment, StateResettable {
    /** Registered name. */
    public static final String NAME = "PointMass2D-v0";
    /** Episode length; step H is terminal. */
    public static final int HORIZON = 30;
    /** Positions are clipped to [-BOUND, BOUND]. */
    public static final double BOUND = 2.0;
    /** Position change per unit action. */
    public static final double STEP_SCALE = 0.1;
    /** Centre of the reward bump. */
    public static final double GOAL = 0.5;
    /** Denominator of the bump's exponent: r = exp(-d² / BUMP_WIDTH). */
    public static final double BUMP_WIDTH = 0.18;
    /** Start box [START_LOW, START_HIGH]² (per coordinate). */
    public static final double START_LOW = -1.1;
    /** Upper end of the start box. */
    public static final double START_HIGH = -0.9;

    private static final Set<String> OPTION_KEYS = Set.of();
    private static final Space.Box OBSERVATION_SPACE = new Space.Box(
            new float[] {(float) -BOUND, (float) -BOUND, 0f}, new float[] {(float) BOUND, (float) BOUND, 1f});
    private static final Space.Box ACTION_SPACE = Space.Box.uniform(2, -1f, 1f);

    private final SplitMix64 random = new SplitMix64(0L);
    private double x;
    private double y;
    private int t;
    private boolean started;

    /** Builds from provider options; the MDP is fixed, so no option is accepted. */
    public static PointMass2DEnv fromOptions(Map<String, String> options) {
        EnvOptions.requireKnownKeys(NAME, options, OPTION_KEYS);
        return new PointMass2DEnv();
    }

    /** The bump reward of a next state (x, y). */
    public static double reward(double x, double y) {
        double dx = x - GOAL;
        double dy = y - GOAL;
        return Math.exp(-(dx * dx + dy * dy) / BUMP_WIDTH);
    }

    /** clip(v, -BOUND, BOUND). */
    public static double clipPosition(double v) {
        return Math.max(-BOUND, Math.min(BOUND, v));
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
        return HORIZON;
    }

    @Override
    public void reset(long seed, StepResult out) {
        checkResult(out);
        random.reseed(seed);
        x = random.uniform(START_LOW, START_HIGH);
        y = random.uniform(START_LOW, START_HIGH);
        t = 0;
        started = true;
        out.clear();
        writeObservation(out);
    }

    @Override
    public void resetTo(float[] observation, long seed, StepResult out) {
        checkResult(out);
        StateChecks.requireObservationLength(NAME, observation, 3);
        float ox = observation[0];
        float oy = observation[1];
        float tau = observation[2];
        if (!(Math.abs(ox) <= BOUND && Math.abs(oy) <= BOUND)) {
            throw new IllegalArgumentException("position outside the arena: env=" + NAME + ", x=" + ox + ", y=" + oy
                    + ", bound=" + BOUND);
        }
        double steps = tau * (double) HORIZON;
        long rounded = Math.round(steps);
        // t/H is written as a float, so a state's step index is recovered by rounding; anything not near a
        // whole step, or at/after the terminal step, is no state an episode can continue from.
        if (!(Math.abs(steps - rounded) < 1e-3) || rounded < 0 || rounded >= HORIZON) {
            throw new IllegalArgumentException("time feature must be t/H with whole t in [0, H): env=" + NAME
                    + ", t/H=" + tau + ", H=" + HORIZON);
        }
        random.reseed(seed);
        x = ox;
        y = oy;
        t = (int) rounded;
        started = true;
        out.clear();
        writeObservation(out);
    }

    @Override
    public void step(float[] action, StepResult out) {
        if (!started) {
            throw new IllegalStateException("step before reset: env=" + NAME + " (call reset first)");
        }
        if (t >= HORIZON) {
            throw new IllegalStateException("episode is over: env=" + NAME + ", steps=" + t
                    + ", terminated=true (call reset before stepping again)");
        }
        checkResult(out);
        ActionChecks.requireLength(action, 2);
        ActionChecks.requireNoNaN(action);
        double ax = Math.max(-1.0, Math.min(1.0, action[0]));
        double ay = Math.max(-1.0, Math.min(1.0, action[1]));
        x = clipPosition(x + STEP_SCALE * ax);
        y = clipPosition(y + STEP_SCALE * ay);
        t++;
        out.clear();
        writeObservation(out);
        out.reward = (float) reward(x, y);
        out.terminated = t >= HORIZON;
        out.truncated = false;
    }

    /** Steps taken in the current episode. */
    public int elapsedSteps() {
        return t;
    }

    private void writeObservation(StepResult out) {
        out.observation[0] = (float) x;
        out.observation[1] = (float) y;
        out.observation[2] = (float) t / HORIZON;
    }

    private static void checkResult(StepResult out) {
        StateChecks.requireObservationSlot(out, 3);
    }
}
