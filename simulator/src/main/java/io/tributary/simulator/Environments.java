package io.tributary.simulator;

import io.tributary.config.ProviderRegistry;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * The registry of environments by name: every {@link EnvironmentProvider} listed in a
 * {@code META-INF/services} file on the classpath, discovered once with {@link ServiceLoader}.
 */
public final class Environments {
    private static final ProviderRegistry<EnvironmentProvider> REGISTRY = new ProviderRegistry<>(
            EnvironmentProvider.class, EnvironmentProvider::name, "environment", Environments.class.getClassLoader());

    private Environments() {
    }

    /**
     * Creates a new instance of the environment registered as {@code name}.
     *
     * @throws IllegalArgumentException if no provider has that name (the message lists those that do),
     *                                  or the provider rejects {@code options}
     */
    public static Environment create(String name, Map<String, String> options) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
        EnvironmentProvider provider = REGISTRY.get(name);
        Environment env;
        try {
            env = provider.create(options);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot create environment: name=" + name + ", options=" + options
                    + ": " + e.getMessage(), e);
        }
        if (env == null) {
            throw new IllegalStateException("environment provider returned null: name=" + name
                    + ", provider=" + provider.getClass().getName());
        }
        if (!name.equals(env.name())) {
            // A mismatch would tag every chunk with the wrong env name downstream.
            String actual = env.name();
            env.close();
            throw new IllegalStateException("environment provider created an environment with another name: name="
                    + name + ", created=" + actual + ", provider=" + provider.getClass().getName());
        }
        return env;
    }

    /** Registered environment names, sorted. */
    public static List<String> names() {
        return REGISTRY.names();
    }

    /** True if a provider is registered as {@code name}. */
    public static boolean isRegistered(String name) {
        return REGISTRY.isRegistered(name);
    }

    /** Indexes providers by name, rejecting blank and duplicate names. Package-private for tests. */
    static Map<String, EnvironmentProvider> index(Iterable<? extends EnvironmentProvider> providers) {
        return REGISTRY.index(providers);
    }
}
