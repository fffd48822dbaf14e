package io.tributary.actors.testenv;

import io.tributary.simulator.rollout.ChunkTransform;
import io.tributary.simulator.rollout.ChunkTransformProvider;
import io.tributary.simulator.rollout.TrajectoryChunk;
import java.util.List;

/**
 * A chunk transform with a bug: passes chunks through and throws on each instance's fifth chunk. It makes a
 * rollout worker die of an unexpected exception (not an environment failure), to test that the run fails
 * at once and names the role and the cause.
 */
public final class ExplodingTransform implements ChunkTransform {
    /** Registers {@code explode-test}. */
    public static final class Provider implements ChunkTransformProvider {
        @Override
        public String name() {
            return "explode-test";
        }

        @Override
        public ChunkTransform create() {
            return new ExplodingTransform();
        }
    }

    private int applied;

    @Override
    public List<TrajectoryChunk> apply(TrajectoryChunk c) {
        if (++applied == 5) {
            throw new IllegalStateException("simulated transform bug: chunk=" + c.id().key());
        }
        return List.of(c);
    }
}
