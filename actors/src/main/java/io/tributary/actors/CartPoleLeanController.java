package io.tributary.actors;

import io.tributary.simulator.Space;

/**
 * A scripted CartPole baseline: push the cart toward where the pole is falling, judged by its angle plus
 * half its angular velocity (observation {@code [x, x_dot, theta, theta_dot]}; action 1 pushes right).
 * It balances for hundreds of steps, far above a random policy's ~22, without any learning.
 */
public final class CartPoleLeanController implements Controller {
    /** Registers {@code cartpole-lean}. */
    public static final class Provider implements ControllerProvider {
        @Override
        public String name() {
            return "cartpole-lean";
        }

        @Override
        public String description() {
            return "CartPole-v1: push toward the pole's lean (theta + 0.5 theta_dot)";
        }

        @Override
        public Controller create(Target target) {
            if (!(target.actionSpace() instanceof Space.Discrete d) || d.n() != 2
                    || target.observationSpace().flatSize() != 4) {
                throw new IllegalArgumentException("cartpole-lean drives CartPole-style environments only: env="
                        + target.envName() + ", observationSpace=" + target.observationSpace()
                        + ", actionSpace=" + target.actionSpace());
            }
            return new CartPoleLeanController();
        }
    }

    @Override
    public void reset(long seed) {
    }

    @Override
    public void act(float[] observation, double[] info, float[] actionOut) {
        actionOut[0] = observation[2] + 0.5f * observation[3] > 0f ? 1f : 0f;
    }
}
