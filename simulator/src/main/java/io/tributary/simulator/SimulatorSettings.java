package io.tributary.simulator;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.tributary.config.SettingsException;
import io.tributary.config.SettingsSupport;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The simulator module's settings ({@code tributary.simulator} in reference.conf): which environment
 * to run and its options.
 *
 * @param envName    registered environment name
 * @param envOptions options passed to the environment's provider, sorted by key
 */
public record SimulatorSettings(String envName, Map<String, String> envOptions) {
    /** Root of this module's subtree. */
    public static final String ROOT = "tributary.simulator";
    /** Path of the environment name. */
    public static final String ENV_NAME_PATH = ROOT + ".env.name";
    /** Path of the free-form environment options. */
    public static final String ENV_OPTIONS_PATH = ROOT + ".env.options";

    public SimulatorSettings {
        Objects.requireNonNull(envName, "envName");
        Objects.requireNonNull(envOptions, "envOptions");
        if (envName.isBlank()) {
            throw new IllegalArgumentException("envName must not be blank: envName=\"" + envName + "\"");
        }
        TreeMap<String, String> copy = new TreeMap<>();
        for (Map.Entry<String, String> e : envOptions.entrySet()) {
            copy.put(Objects.requireNonNull(e.getKey(), "envOptions key"),
                    Objects.requireNonNull(e.getValue(), () -> "envOptions value: key=" + e.getKey()));
        }
        envOptions = Collections.unmodifiableMap(copy);
    }

    /**
     * Reads and checks {@code tributary.simulator} from a resolved configuration (the user's file over
     * reference.conf).
     *
     * @throws SettingsException naming the path, the value and the rule of the first bad value
     */
    public static SimulatorSettings fromConfig(Config config) {
        SettingsSupport.rejectUnknownKeys(config, ConfigFactory.defaultReference(SimulatorSettings.class.getClassLoader()),
                ROOT, Set.of(ENV_OPTIONS_PATH));
        String registered = "must be a registered environment name, one of " + String.join(" | ", Environments.names());
        if (!config.hasPath(ENV_NAME_PATH)) {
            throw new SettingsException(ENV_NAME_PATH, null, registered);
        }
        String name;
        try {
            name = config.getString(ENV_NAME_PATH);
        } catch (ConfigException.WrongType e) {
            throw new SettingsException(ENV_NAME_PATH, config.getValue(ENV_NAME_PATH).unwrapped(), registered);
        }
        if (!Environments.isRegistered(name)) {
            throw new SettingsException(ENV_NAME_PATH, name, registered);
        }
        return new SimulatorSettings(name, readOptions(config));
    }

    /** Creates a new instance of the configured environment. */
    public Environment createEnvironment() {
        return Environments.create(envName, envOptions);
    }

    private static Map<String, String> readOptions(Config config) {
        Map<String, String> options = new TreeMap<>();
        if (!config.hasPath(ENV_OPTIONS_PATH)) {
            return options;
        }
        ConfigValue raw = config.getValue(ENV_OPTIONS_PATH);
        if (raw.valueType() != ConfigValueType.OBJECT) {
            throw new SettingsException(ENV_OPTIONS_PATH, raw.unwrapped(), "must be an object of string values");
        }
        ConfigObject object = (ConfigObject) raw;
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            ConfigValue v = e.getValue();
            String path = ENV_OPTIONS_PATH + "." + ConfigUtil.joinPath(e.getKey());
            switch (v.valueType()) {
                case STRING -> options.put(e.getKey(), (String) v.unwrapped());
                // Numbers keep the text the user wrote (300 stays "300", not "300.0").
                case NUMBER, BOOLEAN -> options.put(e.getKey(), object.toConfig().getString(ConfigUtil.joinPath(e.getKey())));
                default -> throw new SettingsException(path, v.unwrapped(),
                        "must be a string, number or boolean (options are passed to the environment as strings)");
            }
        }
        return options;
    }
}
