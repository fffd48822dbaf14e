package io.tributary.actors;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Finds registered {@link Experiment}s through {@link ServiceLoader}. */
public final class Experiments {
    /** What an experiment name (and so its file stem) may contain. */
    public static final String NAME_PATTERN = "[A-Za-z0-9._-]+";

    private Experiments() {
    }

    /** Registered experiments by name, sorted; two with one name, or a bad name, is an error. */
    public static Map<String, Experiment> registered() {
        Map<String, Experiment> out = new TreeMap<>();
        for (Experiment e : ServiceLoader.load(Experiment.class)) {
            if (!e.name().matches(NAME_PATTERN)) {
                throw new IllegalStateException("experiment name must match " + NAME_PATTERN + ": name=" + e.name()
                        + ", class=" + e.getClass().getName());
            }
            Experiment old = out.put(e.name(), e);
            if (old != null) {
                throw new IllegalStateException("two experiments registered under one name: name=" + e.name()
                        + ", classes=" + old.getClass().getName() + "," + e.getClass().getName());
            }
        }
        return out;
    }
}
