package io.tributary.actors;

import io.tributary.simulator.Space;
import io.tributary.simulator.random.SplitMix64;

/**
 * Uniformly random actions over the action space (each box element in its bounds, or one discrete choice),
 * seeded per episode: the {@code random} data policy of {@code dataset collect}. Infinite box bounds are
 * refused, since no uniform distribution exists on them.
 */
public final class RandomController implements Controller {
    private static final long SEED_MIX = 0xBB67AE8584CAA73BL;
    private final Space space;
    private final SplitMix64 random = new SplitMix64(0L);

    /** Random actions in {@code actionSpace}. */
    public RandomController(Space actionSpace) {
        if (actionSpace instanceof Space.Box box) {
            for (int i = 0; i < box.flatSize(); i++) {
                if (!Float.isFinite(box.lowAt(i)) || !Float.isFinite(box.highAt(i))) {
                    throw new IllegalArgumentException("random actions need finite box bounds: index=" + i + ", low="
                            + box.lowAt(i) + ", high=" + box.highAt(i));
                }
            }
        } else if (!(actionSpace instanceof Space.Discrete)) {
            throw new IllegalArgumentException("random actions need a Box or Discrete action space: space=" + actionSpace);
        }
        this.space = actionSpace;
    }

    @Override
    public void reset(long seed) {
        random.reseed(seed ^ SEED_MIX);
    }

    @Override
    public void act(float[] observation, double[] info, float[] actionOut) {
        if (space instanceof Space.Box box) {
            for (int i = 0; i < box.flatSize(); i++) {
                actionOut[i] = (float) random.uniform(box.lowAt(i), box.highAt(i));
            }
        } else {
            actionOut[0] = random.nextInt(((Space.Discrete) space).n());
        }
    }
}
