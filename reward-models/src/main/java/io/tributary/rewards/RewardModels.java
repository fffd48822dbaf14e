package io.tributary.rewards;

import com.typesafe.config.Config;
import io.tributary.config.ProviderRegistry;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * The registry of reward models by name: every {@link RewardModelProvider} listed in a
 * {@code META-INF/services} file on the classpath, discovered once with {@link ServiceLoader}. Built in:
 * {@code env}, {@code hybrid-lane}, {@code writing-judge}, {@code writing-scalar}.
 */
public final class RewardModels {
    private static final ProviderRegistry<RewardModelProvider> REGISTRY = new ProviderRegistry<>(
            RewardModelProvider.class, RewardModelProvider::name, "reward model", RewardModels.class.getClassLoader());

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
        RewardModelProvider provider = REGISTRY.get(name);
        RewardModel model = provider.create(Map.copyOf(options));
        if (model == null) {
            throw new IllegalStateException("reward model provider returned null: name=" + name
                    + ", provider=" + provider.getClass().getName());
        }
        return model;
    }

    /**
     * Creates a new instance of the reward model registered as {@code name}, giving the provider the run's
     * configuration ({@link RewardModelProvider#create(Map, Config)}); errors as {@link #create(String, Map)}.
     */
    public static RewardModel create(String name, Map<String, String> options, Config config) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(config, "config");
        RewardModelProvider provider = REGISTRY.get(name);
        RewardModel model = provider.create(Map.copyOf(options), config);
        if (model == null) {
            throw new IllegalStateException("reward model provider returned null: name=" + name
                    + ", provider=" + provider.getClass().getName());
        }
        return model;
    }

    /** Registered reward model names, sorted. */
    public static List<String> names() {
        return REGISTRY.names();
    }

    /** True if a provider is registered as {@code name}. */
    public static boolean isRegistered(String name) {
        return REGISTRY.isRegistered(name);
    }

    /** Indexes providers by name, rejecting blank and duplicate names. Package-private for tests. */
    static Map<String, RewardModelProvider> index(Iterable<? extends RewardModelProvider> providers) {
        return REGISTRY.index(providers);
    }
}
