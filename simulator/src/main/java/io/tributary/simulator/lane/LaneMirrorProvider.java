package io.tributary.simulator.lane;

import io.tributary.simulator.rollout.ChunkTransform;
import io.tributary.simulator.rollout.ChunkTransformProvider;

/** Registers {@link LaneMirror} as the chunk transform {@code lane-mirror}. */
public final class LaneMirrorProvider implements ChunkTransformProvider {
    @Override
    public String name() {
        return LaneMirror.NAME;
    }

    @Override
    public ChunkTransform create() {
        return new LaneMirror();
    }
}
