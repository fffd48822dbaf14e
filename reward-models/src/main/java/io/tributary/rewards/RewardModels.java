package io.tributary.rewards;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The registry of reward models by name: every {@link RewardModelProvider} listed in a
 * {@code META-INF/services} file on the classpath, discovered once with {@link ServiceLoader}. Built in:
 * {@code env}.
 */
public final class RewardModels {
    private static final Object LOCK = new Object();
    private static volatile Map<String, RewardModelProvider> registry;

    private RewardModels() {
    }

    /**
     * Creates a new instance of the reward model registered as {@code name}.
     *
     * @throws IllegalArgumentException if no provider has that name (the message lists those that do), or
     *                                  the provider rejects {@code options} (a {@link RewardOptions.BadOption}
     *                                  passes through unchanged, so its key is kept)
     */
    public static RewardModel create(String name, Map<String, String> options) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
        RewardModelProvider provider = registry().get(name);
        if (provider == null) {
            throw new IllegalArgumentException("unknown reward model: name=" + name + ", available=" + names()
                    + " (a provider must be listed in META-INF/services/" + RewardModelProvider.class.getName()
                    + " of a jar on the classpath)");
        }
        RewardModel model = provider.create(Map.copyOf(options));
        if (model == null) {
            throw new IllegalStateException("reward model provider returned null: name=" + name
                    + ", provider=" + provider.getClass().getName());
        }
        return model;
    }

    /** Registered reward model names, sorted. */
    public static List<String> names() {
        return List.copyOf(registry().keySet());
    }

    /** True if a provider is registered as {@code name}. */
    public static boolean isRegistered(String name) {
        return registry().containsKey(name);
    }

    private static Map<String, RewardModelProvider> registry() {
        Map<String, RewardModelProvider> r = registry;
        if (r == null) {
            synchronized (LOCK) {
                r = registry;
                if (r == null) {
                    // Not cached on failure, so a broken services file is reported on every call.
                    r = index(load());
                    registry = r;
                }
            }
        }
        return r;
    }

    private static List<RewardModelProvider> load() {
        // The registry's own class loader, so the set of models does not depend on the asking thread.
        ServiceLoader<RewardModelProvider> loader =
                ServiceLoader.load(RewardModelProvider.class, RewardModels.class.getClassLoader());
        List<RewardModelProvider> providers = new ArrayList<>();
        try {
            for (RewardModelProvider p : loader) {
                providers.add(p);
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("cannot load a reward model provider listed in META-INF/services/"
                    + RewardModelProvider.class.getName() + ": " + e.getMessage(), e);
        }
        return providers;
    }

    /** Indexes providers by name, rejecting blank and duplicate names. Package-private for tests. */
    static Map<String, RewardModelProvider> index(Iterable<? extends RewardModelProvider> providers) {
        TreeMap<String, RewardModelProvider> byName = new TreeMap<>();
        for (RewardModelProvider p : providers) {
            String name = p.name();
            if (name == null || name.isBlank()) {
                throw new IllegalStateException("reward model provider has no name: provider=" + p.getClass().getName());
            }
            RewardModelProvider previous = byName.putIfAbsent(name, p);
            if (previous != null) {
                throw new IllegalStateException("duplicate reward model name: name=" + name + ", providers=["
                        + previous.getClass().getName() + ", " + p.getClass().getName()
                        + "] (each name must be registered once; remove one of them from the classpath)");
            }
        }
        return Collections.unmodifiableMap(byName);
    }
}
