package io.tributary.rewards;

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
import java.util.function.Supplier;

/**
 * Reward-model settings ({@code tributary.reward-models}): which registered model scorers apply, and its
 * free-form options.
 *
 * @param model   registered reward model name (see {@link RewardModels#names()})
 * @param options options passed to the model's provider, sorted by key
 */
public record RewardSettings(String model, Map<String, String> options) {
    /** Root of this module's subtree. */
    public static final String ROOT = "tributary.reward-models";
    /** Path of the model name. */
    public static final String MODEL_PATH = ROOT + ".model";
    /** Path of the free-form options. */
    public static final String OPTIONS_PATH = ROOT + ".options";

    public RewardSettings {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(options, "options");
        TreeMap<String, String> copy = new TreeMap<>();
        for (Map.Entry<String, String> e : options.entrySet()) {
            copy.put(Objects.requireNonNull(e.getKey(), "options key"),
                    Objects.requireNonNull(e.getValue(), () -> "options value: key=" + e.getKey()));
        }
        options = Collections.unmodifiableMap(copy);
    }

    /** The settings of a model with no options. */
    public RewardSettings(String model) {
        this(model, Map.of());
    }

    /**
     * Reads and checks {@code tributary.reward-models}: the model must be registered, and it is created
     * once (then closed) so a bad option stops start-up here, naming
     * {@code tributary.reward-models.options.<key>}.
     *
     * @throws SettingsException naming the path, the value and the rule of the first bad value
     */
    public static RewardSettings fromConfig(Config c) {
        SettingsSupport.rejectUnknownKeys(c, ConfigFactory.defaultReference(RewardSettings.class.getClassLoader()),
                ROOT, Set.of(OPTIONS_PATH));
        String registered = "must be a registered reward model, one of " + String.join(" | ", RewardModels.names())
                + " (a provider must be listed in META-INF/services/" + RewardModelProvider.class.getName()
                + " of a jar on the classpath)";
        String model;
        try {
            model = c.getString(MODEL_PATH);
        } catch (ConfigException.Missing | ConfigException.WrongType e) {
            throw new SettingsException(MODEL_PATH, c.hasPath(MODEL_PATH) ? c.getValue(MODEL_PATH).unwrapped() : null, registered);
        }
        if (!RewardModels.isRegistered(model)) {
            throw new SettingsException(MODEL_PATH, model, registered);
        }
        RewardSettings s = new RewardSettings(model, readOptions(c));
        s.create(c).close();
        return s;
    }

    /**
     * A new instance of the configured reward model.
     *
     * @throws SettingsException if the model's provider rejects an option (path
     *                           {@code tributary.reward-models.options.<key>} when it names the key)
     */
    public RewardModel create() {
        return checked(() -> RewardModels.create(model, options));
    }

    /**
     * A new instance of the configured reward model that may read settings outside its options from
     * {@code config} (the run's resolved configuration), e.g. {@code writing-judge}'s HTTP judge settings.
     *
     * @throws SettingsException as {@link #create()}, or naming a bad value the model read from {@code config}
     */
    public RewardModel create(Config config) {
        Objects.requireNonNull(config, "config");
        return checked(() -> RewardModels.create(model, options, config));
    }

    private RewardModel checked(Supplier<RewardModel> factory) {
        try {
            return factory.get();
        } catch (RewardOptions.BadOption e) {
            throw new SettingsException(OPTIONS_PATH + "." + ConfigUtil.joinPath(e.key()), e.value(), e.rule());
        } catch (IllegalArgumentException e) {
            for (String key : options.keySet()) {
                if (e.getMessage() != null && e.getMessage().contains("key=" + key)) {
                    throw new SettingsException(OPTIONS_PATH + "." + ConfigUtil.joinPath(key), options.get(key), e.getMessage());
                }
            }
            throw new SettingsException(OPTIONS_PATH, options, "rejected by reward model " + model + ": " + e.getMessage());
        }
    }

    private static Map<String, String> readOptions(Config config) {
        Map<String, String> options = new TreeMap<>();
        if (!config.hasPath(OPTIONS_PATH)) {
            return options;
        }
        ConfigValue raw = config.getValue(OPTIONS_PATH);
        if (raw.valueType() != ConfigValueType.OBJECT) {
            throw new SettingsException(OPTIONS_PATH, raw.unwrapped(), "must be an object of string values");
        }
        ConfigObject object = (ConfigObject) raw;
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            ConfigValue v = e.getValue();
            String path = OPTIONS_PATH + "." + ConfigUtil.joinPath(e.getKey());
            switch (v.valueType()) {
                case STRING -> options.put(e.getKey(), (String) v.unwrapped());
                // Numbers keep the text the user wrote (0.5 stays "0.5").
                case NUMBER, BOOLEAN -> options.put(e.getKey(), object.toConfig().getString(ConfigUtil.joinPath(e.getKey())));
                default -> throw new SettingsException(path, v.unwrapped(),
                        "must be a string, number or boolean (options are passed to the reward model as strings)");
            }
        }
        return options;
    }
}
