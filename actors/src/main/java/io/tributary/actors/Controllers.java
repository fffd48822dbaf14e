package io.tributary.actors;

import io.tributary.config.SettingsException;
import io.tributary.simulator.Environment;
import io.tributary.simulator.SimulatorSettings;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Finds scripted controllers by name through {@link ServiceLoader}. */
public final class Controllers {
    private Controllers() {
    }

    /** Registered providers by name, sorted. */
    public static Map<String, ControllerProvider> registered() {
        Map<String, ControllerProvider> out = new TreeMap<>();
        for (ControllerProvider p : ServiceLoader.load(ControllerProvider.class)) {
            ControllerProvider old = out.put(p.name(), p);
            if (old != null) {
                throw new IllegalStateException("two controllers registered under one name: name=" + p.name()
                        + ", classes=" + old.getClass().getName() + "," + p.getClass().getName());
            }
        }
        return out;
    }

    /** Creates the controller {@code name} for the environment {@code sim} configures. */
    public static Controller create(String name, SimulatorSettings sim) {
        ControllerProvider p = registered().get(name);
        if (p == null) {
            throw new SettingsException("--controller", name, "must be a registered controller: " + registered().keySet());
        }
        try (Environment env = sim.createEnvironment()) {
            return p.create(new ControllerProvider.Target(env.name(), env.observationSpace(), env.actionSpace(),
                    env.infoKeys()));
        }
    }
}
