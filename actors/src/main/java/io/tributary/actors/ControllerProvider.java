package io.tributary.actors;

import io.tributary.simulator.Space;
import java.util.List;

/**
 * A scripted controller registered by name ({@code META-INF/services/io.tributary.actors.ControllerProvider}),
 * used by {@code ./tributary eval <config> --controller <name>}.
 */
public interface ControllerProvider {
    /** What a controller may rely on about the environment it will drive. */
    record Target(String envName, Space observationSpace, Space actionSpace, List<String> infoKeys) {
        /** Validates and copies the info keys. */
        public Target {
            if (envName == null || observationSpace == null || actionSpace == null || infoKeys == null) {
                throw new IllegalArgumentException("controller target incomplete: envName=" + envName
                        + ", observationSpace=" + observationSpace + ", actionSpace=" + actionSpace + ", infoKeys=" + infoKeys);
            }
            infoKeys = List.copyOf(infoKeys);
        }
    }

    /** Registered name, e.g. {@code cartpole-lean}. */
    String name();

    /** One line saying what the controller does and for which environments. */
    String description();

    /** A controller for {@code target}; throws {@link IllegalArgumentException} naming the reason if it cannot drive it. */
    Controller create(Target target);
}
