package io.tributary.actors;

import io.tributary.simulator.Space;
import io.tributary.simulator.envs.PointMass2DEnv;
import io.tributary.simulator.random.SplitMix64;

/**
 * The edge-of-reach experiment's data policy on {@code PointMass2D-v0}: a = clip(0.5 u + N(0, 0.4² I), -1, 1),
 * u the unit vector from the position towards the reward bump (0.5, 0.5) (zero at the bump itself). The noise
 * is seeded per episode, so a dataset collected with a fixed seed is reproducible.
 */
public final class PointMass2DDataController implements Controller {
    /** Registered name. */
    public static final String NAME = "pointmass2d-data";
    /** Scale of the pull towards the bump. */
    public static final double PULL = 0.5;
    /** Standard deviation of the Gaussian action noise. */
    public static final double NOISE_STD = 0.4;
    // Decorrelates the controller's noise from the environment's start draw, which uses the same seed.
    private static final long SEED_MIX = 0x6A09E667F3BCC909L;

    private final SplitMix64 random = new SplitMix64(0L);

    /** Registers {@code pointmass2d-data}. */
    public static final class Provider implements ControllerProvider {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public String description() {
            return "PointMass2D-v0: edge-of-reach data policy a = clip(0.5 u + N(0, 0.4^2 I), -1, 1), u towards the bump";
        }

        @Override
        public Controller create(Target target) {
            if (!PointMass2DEnv.NAME.equals(target.envName()) || target.actionSpace().flatSize() != 2
                    || !(target.actionSpace() instanceof Space.Box)) {
                throw new IllegalArgumentException(NAME + " drives PointMass2D-v0 only: env=" + target.envName());
            }
            return new PointMass2DDataController();
        }
    }

    @Override
    public void reset(long seed) {
        random.reseed(seed ^ SEED_MIX);
    }

    @Override
    public void act(float[] observation, double[] info, float[] actionOut) {
        double dx = PointMass2DEnv.GOAL - observation[0];
        double dy = PointMass2DEnv.GOAL - observation[1];
        double norm = Math.sqrt(dx * dx + dy * dy);
        double ux = norm > 0 ? dx / norm : 0;
        double uy = norm > 0 ? dy / norm : 0;
        actionOut[0] = (float) clip(PULL * ux + NOISE_STD * random.nextGaussian());
        actionOut[1] = (float) clip(PULL * uy + NOISE_STD * random.nextGaussian());
    }

    private static double clip(double v) {
        return Math.max(-1.0, Math.min(1.0, v));
    }
}
