package io.tributary.simulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The registry of environments by name: every {@link EnvironmentProvider} listed in a
 * {@code META-INF/services} file on the classpath, discovered once with {@link ServiceLoader}.
 */
public final class Environments {
    private static final Object LOCK = new Object();
    private static volatile Map<String, EnvironmentProvider> registry;

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
        EnvironmentProvider provider = registry().get(name);
        if (provider == null) {
            throw new IllegalArgumentException("unknown environment: name=" + name + ", available=" + names()
                    + " (a provider must be listed in META-INF/services/" + EnvironmentProvider.class.getName()
                    + " of a jar on the classpath)");
        }
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
        return List.copyOf(registry().keySet());
    }

    /** True if a provider is registered as {@code name}. */
    public static boolean isRegistered(String name) {
        return registry().containsKey(name);
    }

    private static Map<String, EnvironmentProvider> registry() {
        Map<String, EnvironmentProvider> r = registry;
        if (r == null) {
            synchronized (LOCK) {
                r = registry;
                if (r == null) {
                    // Not cached on failure: the error is reported again on every call instead of turning
                    // into a NoClassDefFoundError later, as a failing static initialiser would.
                    r = index(load());
                    registry = r;
                }
            }
        }
        return r;
    }

    private static List<EnvironmentProvider> load() {
        // The registry's own class loader, not the calling thread's context loader, so the set of
        // environments does not depend on which thread happens to ask first.
        ServiceLoader<EnvironmentProvider> loader =
                ServiceLoader.load(EnvironmentProvider.class, Environments.class.getClassLoader());
        List<EnvironmentProvider> providers = new ArrayList<>();
        try {
            for (EnvironmentProvider p : loader) {
                providers.add(p);
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("cannot load an environment provider listed in META-INF/services/"
                    + EnvironmentProvider.class.getName() + ": " + e.getMessage(), e);
        }
        return providers;
    }

    /** Indexes providers by name, rejecting blank and duplicate names. Package-private for tests. */
    static Map<String, EnvironmentProvider> index(Iterable<? extends EnvironmentProvider> providers) {
        TreeMap<String, EnvironmentProvider> byName = new TreeMap<>();
        for (EnvironmentProvider p : providers) {
            String name = p.name();
            if (name == null || name.isBlank()) {
                throw new IllegalStateException("environment provider has no name: provider=" + p.getClass().getName());
            }
            EnvironmentProvider previous = byName.putIfAbsent(name, p);
            if (previous != null) {
                throw new IllegalStateException("duplicate environment name: name=" + name + ", providers=["
                        + previous.getClass().getName() + ", " + p.getClass().getName()
                        + "] (each name must be registered once; remove one of them from the classpath)");
            }
        }
        return Collections.unmodifiableMap(byName);
    }
}
