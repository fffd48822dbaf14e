package io.tributary.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The providers of one SPI by name, found once with {@link ServiceLoader}: the shared core of every
 * plug-in registry ({@code Environments}, {@code Learners}, ...), so all of them load, check and report
 * names the same way.
 *
 * @param <P> the SPI type
 */
public final class ProviderRegistry<P> {
    private final Class<P> spi;
    private final Function<? super P, String> nameOf;
    private final String noun;
    private final String nameKey;
    private final ClassLoader loader;
    private final Set<String> reserved;
    private final String namePattern;
    private final Object lock = new Object();
    private volatile Map<String, P> registry;

    /**
     * A registry of the providers of {@code spi}.
     *
     * @param nameOf the name a provider is registered under
     * @param noun   what a provider provides, for messages ({@code "environment"})
     * @param loader where to look; pass the registry class's own loader, so the set of providers does not
     *               depend on which thread happens to ask first
     */
    public ProviderRegistry(Class<P> spi, Function<? super P, String> nameOf, String noun, ClassLoader loader) {
        this(spi, nameOf, noun, "name", loader, Set.of(), null);
    }

    private ProviderRegistry(Class<P> spi, Function<? super P, String> nameOf, String noun, String nameKey,
                             ClassLoader loader, Set<String> reserved, String namePattern) {
        this.spi = Objects.requireNonNull(spi, "spi");
        this.nameOf = Objects.requireNonNull(nameOf, "nameOf");
        this.noun = Objects.requireNonNull(noun, "noun");
        this.nameKey = Objects.requireNonNull(nameKey, "nameKey");
        this.loader = loader;
        this.reserved = Set.copyOf(reserved);
        this.namePattern = namePattern;
    }

    /** This registry with names reported as {@code key=...} instead of {@code name=...} (e.g. {@code algorithm}). */
    public ProviderRegistry<P> withNameKey(String key) {
        return new ProviderRegistry<>(spi, nameOf, noun, key, loader, reserved, namePattern);
    }

    /** This registry refusing providers named {@code names}, which the caller gives a meaning of its own. */
    public ProviderRegistry<P> reserving(String... names) {
        return new ProviderRegistry<>(spi, nameOf, noun, nameKey, loader, Set.of(names), namePattern);
    }

    /** This registry refusing provider names that do not match the regular expression {@code pattern}. */
    public ProviderRegistry<P> withNamesMatching(String pattern) {
        return new ProviderRegistry<>(spi, nameOf, noun, nameKey, loader, reserved, pattern);
    }

    /** Registered providers by name, sorted and unmodifiable. */
    public Map<String, P> providers() {
        Map<String, P> r = registry;
        if (r == null) {
            synchronized (lock) {
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

    /** Registered names, sorted. */
    public List<String> names() {
        return List.copyOf(providers().keySet());
    }

    /** True if a provider is registered as {@code name}. */
    public boolean isRegistered(String name) {
        return providers().containsKey(name);
    }

    /**
     * The provider registered as {@code name}.
     *
     * @throws IllegalArgumentException if there is none; the message lists the registered names
     */
    public P get(String name) {
        P p = providers().get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown " + noun + ": " + nameKey + "=" + name + ", available=" + names()
                    + " (a provider must be listed in META-INF/services/" + spi.getName() + " of a jar on the classpath)");
        }
        return p;
    }

    /**
     * The provider registered as {@code name}, a value read from the setting {@code path}.
     *
     * @throws SettingsException naming {@code path}, the value and {@link #registeredRule()}
     */
    public P get(String name, String path) {
        P p = providers().get(name);
        if (p == null) {
            throw new SettingsException(path, name, registeredRule());
        }
        return p;
    }

    /** The rule a setting naming a provider breaks when it names none, listing the registered names. */
    public String registeredRule() {
        return "must be a registered " + noun + ", one of " + String.join(" | ", names())
                + " (a provider must be listed in META-INF/services/" + spi.getName() + " of a jar on the classpath)";
    }

    /**
     * Indexes {@code providers} by name, sorted, rejecting blank, reserved, ill-formed and duplicate names.
     *
     * @throws IllegalStateException naming the offending provider classes
     */
    public Map<String, P> index(Iterable<? extends P> providers) {
        TreeMap<String, P> byName = new TreeMap<>();
        for (P p : providers) {
            String name = nameOf.apply(p);
            if (name == null || name.isBlank()) {
                throw new IllegalStateException(noun + " provider has no name: provider=" + p.getClass().getName());
            }
            if (reserved.contains(name)) {
                throw new IllegalStateException(noun + " provider has no usable name: " + nameKey + "=" + name
                        + ", provider=" + p.getClass().getName() + " (the name is reserved)");
            }
            if (namePattern != null && !name.matches(namePattern)) {
                throw new IllegalStateException(noun + " provider has no usable name: " + nameKey + "=" + name
                        + ", provider=" + p.getClass().getName() + " (a name must match " + namePattern + ")");
            }
            P previous = byName.putIfAbsent(name, p);
            if (previous != null) {
                throw new IllegalStateException("duplicate " + noun + " name: " + nameKey + "=" + name + ", providers=["
                        + previous.getClass().getName() + ", " + p.getClass().getName()
                        + "] (each name must be registered once; remove one of them from the classpath)");
            }
        }
        return Collections.unmodifiableMap(byName);
    }

    private List<P> load() {
        List<P> providers = new ArrayList<>();
        try {
            for (P p : ServiceLoader.load(spi, loader)) {
                providers.add(p);
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("cannot load " + article(noun) + " " + noun
                    + " provider listed in META-INF/services/" + spi.getName() + ": " + e.getMessage(), e);
        }
        return providers;
    }

    private static String article(String word) {
        return "aeiou".indexOf(Character.toLowerCase(word.charAt(0))) >= 0 ? "an" : "a";
    }
}
