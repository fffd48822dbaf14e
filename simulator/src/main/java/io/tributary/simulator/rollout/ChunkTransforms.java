package io.tributary.simulator.rollout;

import io.tributary.config.ProviderRegistry;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * The registry of chunk transforms by name: every {@link ChunkTransformProvider} listed in a
 * {@code META-INF/services} file on the classpath, discovered once with {@link ServiceLoader}. The name
 * {@value #NONE} means no transform.
 */
public final class ChunkTransforms {
    /** The setting value for "send chunks as they are". */
    public static final String NONE = "none";

    // NONE is reserved: a provider named so could never be chosen.
    private static final ProviderRegistry<ChunkTransformProvider> REGISTRY = new ProviderRegistry<>(
            ChunkTransformProvider.class, ChunkTransformProvider::name, "chunk transform",
            ChunkTransforms.class.getClassLoader()).reserving(NONE);

    private ChunkTransforms() {
    }

    /**
     * A new instance of the transform registered as {@code name}, or null for {@value #NONE}.
     *
     * @throws IllegalArgumentException if no provider has that name (the message lists those that do)
     */
    public static ChunkTransform create(String name) {
        Objects.requireNonNull(name, "name");
        if (NONE.equals(name)) {
            return null;
        }
        ChunkTransformProvider provider = REGISTRY.get(name);
        ChunkTransform t = provider.create();
        if (t == null) {
            throw new IllegalStateException("chunk transform provider returned null: name=" + name
                    + ", provider=" + provider.getClass().getName());
        }
        return t;
    }

    /** Registered transform names, sorted ({@value #NONE} not included). */
    public static List<String> names() {
        return REGISTRY.names();
    }

    /** True for {@value #NONE} and for every registered name. */
    public static boolean isKnown(String name) {
        return NONE.equals(name) || REGISTRY.isRegistered(name);
    }

}
