package io.tributary.simulator.envs;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks and parses the string options an {@link io.tributary.simulator.EnvironmentProvider} receives,
 * so every environment rejects a bad option the same way: environment, key, value and rule.
 */
public final class EnvOptions {
    /** Option that overrides an environment's default step limit (a positive int). */
    public static final String MAX_EPISODE_STEPS = "max-episode-steps";

    private EnvOptions() {
    }

    /**
     * Rejects any key of {@code options} not in {@code allowed}, so a misspelt option fails at start-up
     * instead of silently running with the default.
     */
    public static void requireKnownKeys(String envName, Map<String, String> options, Set<String> allowed) {
        Objects.requireNonNull(options, "options");
        for (String key : options.keySet()) {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("unknown environment option: env=" + envName + ", key=" + key
                        + ", allowed=" + new TreeSet<>(allowed));
            }
        }
    }

    /** The positive int at {@code key}, or {@code defaultValue} when the key is absent. */
    public static int positiveInt(String envName, Map<String, String> options, String key, int defaultValue) {
        String raw = options.get(key);
        if (raw == null) {
            return defaultValue;
        }
        int value;
        try {
            value = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("environment option must be a positive integer: env=" + envName
                    + ", key=" + key + ", value=" + raw, e);
        }
        if (value < 1) {
            throw new IllegalArgumentException("environment option must be a positive integer: env=" + envName
                    + ", key=" + key + ", value=" + raw);
        }
        return value;
    }

    /** The boolean at {@code key} ({@code true} or {@code false}, case-insensitive), or {@code defaultValue} when absent. */
    public static boolean bool(String envName, Map<String, String> options, String key, boolean defaultValue) {
        String raw = options.get(key);
        if (raw == null) {
            return defaultValue;
        }
        String v = raw.trim();
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("environment option must be true or false: env=" + envName + ", key="
                + key + ", value=" + raw);
    }
}
