package io.tributary.actors.testenv;

import io.tributary.simulator.rollout.ChunkTransform;
import io.tributary.simulator.rollout.ChunkTransformProvider;
import io.tributary.simulator.rollout.TrajectoryChunk;
import java.util.List;

/**
 * The worked example of a chunk transform: sends each chunk and a mirrored copy whose observations
 * (and bootstrap observation) are negated, the way lane keeping mirrors a road left to right.
 */
public final class MirrorTransform implements ChunkTransform {
    /** Registers {@code mirror-test}. */
    public static final class Provider implements ChunkTransformProvider {
        @Override
        public String name() {
            return "mirror-test";
        }

        @Override
        public ChunkTransform create() {
            return new MirrorTransform();
        }
    }

    @Override
    public List<TrajectoryChunk> apply(TrajectoryChunk c) {
        TrajectoryChunk mirrored = new TrajectoryChunk(c.id(), c.envName(), c.envIndex(), c.episodeId(), c.chunkIndex(),
                c.policyVersion(), c.steps(), c.observationSize(), negated(c.observations()), c.actionSize(), c.actions(),
                c.logProbs(), c.values(), c.rewards(), c.terminated(), c.truncated(), negated(c.bootstrapObservation()),
                c.segmentOffsets(), c.context(), c.depth(), c.createdAtMicros(), c.signalNames(), c.signals());
        return List.of(c, mirrored);
    }

    private static float[] negated(float[] a) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = -a[i];
        }
        return out;
    }
}
