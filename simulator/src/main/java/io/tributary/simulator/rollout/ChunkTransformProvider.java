package io.tributary.simulator.rollout;

/**
 * Service-provider interface that makes a {@link ChunkTransform} available by name (setting
 * {@code tributary.actors.chunk-transform}). List the implementing class in
 * {@code META-INF/services/io.tributary.simulator.rollout.ChunkTransformProvider} of a jar on the
 * classpath; {@link ChunkTransforms#create} finds it. One provider serves the whole JVM.
 */
public interface ChunkTransformProvider {
    /** The name configs use to select this transform; {@code none} is reserved. */
    String name();

    /** A new transform instance (one per rollout worker). */
    ChunkTransform create();
}
