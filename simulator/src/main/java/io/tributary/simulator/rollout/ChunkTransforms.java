package io.tributary.simulator.rollout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The registry of chunk transforms by name: every {@link ChunkTransformProvider} listed in a
 * {@code META-INF/services} file on the classpath, discovered once with {@link ServiceLoader}. The name
 * {@value #NONE} means no transform.
 */
public final class ChunkTransforms {
    /** The setting value for "send chunks as they are". */
    public static final String NONE = "none";

    private static final Object LOCK = new Object();
    private static volatile Map<String, ChunkTransformProvider> registry;

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
        ChunkTransformProvider provider = registry().get(name);
        if (provider == null) {
            throw new IllegalArgumentException("unknown chunk transform: name=" + name + ", available=" + names()
                    + " (a provider must be listed in META-INF/services/" + ChunkTransformProvider.class.getName()
                    + " of a jar on the classpath)");
        }
        ChunkTransform t = provider.create();
        if (t == null) {
            throw new IllegalStateException("chunk transform provider returned null: name=" + name
                    + ", provider=" + provider.getClass().getName());
        }
        return t;
    }

    /** Registered transform names, sorted ({@value #NONE} not included). */
    public static List<String> names() {
        return List.copyOf(registry().keySet());
    }

    /** True for {@value #NONE} and for every registered name. */
    public static boolean isKnown(String name) {
        return NONE.equals(name) || registry().containsKey(name);
    }

    private static Map<String, ChunkTransformProvider> registry() {
        Map<String, ChunkTransformProvider> r = registry;
        if (r == null) {
            synchronized (LOCK) {
                r = registry;
                if (r == null) {
                    r = index(load());
                    registry = r;
                }
            }
        }
        return r;
    }

    private static List<ChunkTransformProvider> load() {
        ServiceLoader<ChunkTransformProvider> loader =
                ServiceLoader.load(ChunkTransformProvider.class, ChunkTransforms.class.getClassLoader());
        List<ChunkTransformProvider> providers = new ArrayList<>();
        try {
            for (ChunkTransformProvider p : loader) {
                providers.add(p);
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("cannot load a chunk transform provider listed in META-INF/services/"
                    + ChunkTransformProvider.class.getName() + ": " + e.getMessage(), e);
        }
        return providers;
    }

    private static Map<String, ChunkTransformProvider> index(List<ChunkTransformProvider> providers) {
        TreeMap<String, ChunkTransformProvider> byName = new TreeMap<>();
        for (ChunkTransformProvider p : providers) {
            String name = p.name();
            if (name == null || name.isBlank() || NONE.equals(name)) {
                throw new IllegalStateException("chunk transform provider has no usable name: name=" + name
                        + ", provider=" + p.getClass().getName());
            }
            ChunkTransformProvider previous = byName.putIfAbsent(name, p);
            if (previous != null) {
                throw new IllegalStateException("duplicate chunk transform name: name=" + name + ", providers=["
                        + previous.getClass().getName() + ", " + p.getClass().getName() + "]");
            }
        }
        return Collections.unmodifiableMap(byName);
    }
}
