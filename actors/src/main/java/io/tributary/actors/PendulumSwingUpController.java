package io.tributary.actors;

import io.tributary.simulator.Space;
import io.tributary.simulator.random.SplitMix64;

/**
 * A scripted Pendulum-v1 baseline and data source: pump energy until the pendulum nears the top, then hold it
 * with a PD law; plus Gaussian torque noise (std 0.3, seeded per episode) so a dataset collected with it
 * covers a band around the swing-up path, not one curve. Observation {@code [cos th, sin th, th_dot]}, th = 0
 * upright; Gymnasium's dynamics give {@code th_ddot = 15 sin th + 3 u}, so the energy
 * {@code E = th_dot^2 / 2 + 15 (cos th - 1)} (0 at rest upright) changes at {@code dE/dt = 3 u th_dot}.
 */
public final class PendulumSwingUpController implements Controller {
    /** Registered name. */
    public static final String NAME = "pendulum-swingup";
    private static final double MAX_TORQUE = 2.0;
    private static final double NOISE_STD = 0.3;
    /** Hand over to the PD law inside this angle of the top. */
    private static final double CATCH_ANGLE = 0.6;

    private final SplitMix64 noise = new SplitMix64(0);

    /** Registers {@code pendulum-swingup}. */
    public static final class Provider implements ControllerProvider {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public String description() {
            return "Pendulum-v1: energy pumping, then a PD hold at the top, with N(0, 0.3^2) torque noise";
        }

        @Override
        public Controller create(Target target) {
            if (!(target.actionSpace() instanceof Space.Box b) || b.flatSize() != 1
                    || target.observationSpace().flatSize() != 3) {
                throw new IllegalArgumentException(NAME + " drives Pendulum-style environments only: env="
                        + target.envName() + ", observationSpace=" + target.observationSpace()
                        + ", actionSpace=" + target.actionSpace());
            }
            return new PendulumSwingUpController();
        }
    }

    @Override
    public void reset(long seed) {
        noise.reseed(seed ^ 0x5DEECE66DL);
    }

    @Override
    public void act(float[] observation, double[] info, float[] actionOut) {
        double cos = observation[0];
        double sin = observation[1];
        double thDot = observation[2];
        double th = Math.atan2(sin, cos);
        double u;
        if (Math.abs(th) < CATCH_ANGLE) {
            u = -(10.0 * th + 2.0 * thDot);
        } else {
            double energy = 0.5 * thDot * thDot + 15.0 * (cos - 1.0);
            // Push along the motion while short of the upright energy (a push at rest starts the swing).
            double direction = thDot == 0.0 ? 1.0 : Math.signum(thDot);
            u = energy < 0 ? MAX_TORQUE * direction : -0.5 * thDot;
        }
        u += NOISE_STD * noise.nextGaussian();
        actionOut[0] = (float) Math.max(-MAX_TORQUE, Math.min(MAX_TORQUE, u));
    }
}
