package io.tributary.actors;

import io.tributary.config.ProviderRegistry;
import java.util.Map;
import java.util.ServiceLoader;

/** Finds registered {@link Experiment}s through {@link ServiceLoader}. */
public final class Experiments {
    /** What an experiment name (and so its file stem) may contain. */
    public static final String NAME_PATTERN = "[A-Za-z0-9._-]+";

    private static final ProviderRegistry<Experiment> REGISTRY = new ProviderRegistry<>(
            Experiment.class, Experiment::name, "experiment", Experiments.class.getClassLoader())
            .withNamesMatching(NAME_PATTERN);

    private Experiments() {
    }

    /** Registered experiments by name, sorted; two with one name, or a bad name, is an error. */
    public static Map<String, Experiment> registered() {
        return REGISTRY.providers();
    }
}
