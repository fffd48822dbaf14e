package io.tributary.actors;

import io.tributary.config.ProviderRegistry;
import io.tributary.simulator.Environment;
import io.tributary.simulator.SimulatorSettings;
import java.util.Map;
import java.util.ServiceLoader;

/** Finds scripted controllers by name through {@link ServiceLoader}. */
public final class Controllers {
    private static final ProviderRegistry<ControllerProvider> REGISTRY = new ProviderRegistry<>(
            ControllerProvider.class, ControllerProvider::name, "controller", Controllers.class.getClassLoader());

    private Controllers() {
    }

    /** Registered providers by name, sorted. */
    public static Map<String, ControllerProvider> registered() {
        return REGISTRY.providers();
    }

    /** Creates the controller {@code name} for the environment {@code sim} configures. */
    public static Controller create(String name, SimulatorSettings sim) {
        ControllerProvider p = REGISTRY.get(name, "--controller");
        try (Environment env = sim.createEnvironment()) {
            return p.create(new ControllerProvider.Target(env.name(), env.observationSpace(), env.actionSpace(),
                    env.infoKeys()));
        }
    }
}
