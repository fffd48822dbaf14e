package io.tributary.actors;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigResolveOptions;
import io.tributary.config.SettingsException;
import io.tributary.config.SettingsSupport;
import io.tributary.learner.LearnerContext;
import io.tributary.learner.LearnerSettings;
import io.tributary.learner.PolicySettings;
import io.tributary.learner.Learners;
import io.tributary.rewards.RewardSettings;
import io.tributary.simulator.Environment;
import io.tributary.simulator.SimulatorSettings;
import io.tributary.streams.kafka.KafkaSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * A loaded and checked experiment configuration: the user's HOCON file, with {@code --set} overrides on
 * top and every module's reference.conf below, resolved, checked for unknown keys, and turned into each
 * module's settings record. Any problem throws {@link SettingsException} naming the path, the value and
 * the rule, before anything starts.
 *
 * @param source     the config file (or null when built from text)
 * @param config     the full resolved configuration (including Pekko's)
 * @param run        run settings
 * @param actors     actor pool settings
 * @param simulator  environment settings
 * @param rewards    reward model settings
 * @param learner    learner settings
 * @param kafka      Kafka settings
 */
public record TributaryConfig(Path source, Config config, RunSettings run, ActorsSettings actors,
                              SimulatorSettings simulator, RewardSettings rewards, LearnerSettings learner,
                              KafkaSettings kafka) {

    /** Subtrees whose children are free-form and therefore not checked against reference.conf. */
    private static final Set<String> OPEN_PATHS = Set.of(SimulatorSettings.ENV_OPTIONS_PATH, RewardSettings.OPTIONS_PATH,
            PolicySettings.FIELDS_PATH);

    /** Loads {@code file} with {@code overrides} ({@code key=value}, HOCON values) on top. */
    public static TributaryConfig load(Path file, List<String> overrides) {
        return fromUserConfig(file, applyOverrides(parseFile(file), overrides));
    }

    /**
     * The resolved configuration of {@code file} (null = the reference settings alone) with {@code overrides} on
     * top, unknown keys rejected, but no module's settings built or checked: for tools that read one subtree and run
     * before a run could start, e.g. {@code pretrain-lm} on a writing config whose {@code learner.group.init-from}
     * is the very file it is about to write. The tool checks its own subtree.
     */
    public static Config resolveOnly(Path file, List<String> overrides) {
        Config user = applyOverrides(file == null ? ConfigFactory.empty() : parseFile(file), overrides);
        Config reference = ConfigFactory.defaultReference();
        try {
            Config resolved = user.withFallback(reference).resolve(ConfigResolveOptions.defaults());
            SettingsSupport.rejectUnknownKeys(resolved, reference, "tributary", OPEN_PATHS);
            return resolved;
        } catch (ConfigException e) {
            throw new SettingsException("bad config: " + e.getMessage());
        }
    }

    private static Config parseFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new SettingsException("config file not found: path=" + file);
        }
        Config user;
        try {
            user = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            throw new SettingsException("cannot parse config file: path=" + file + ", cause=" + e.getMessage());
        }
        return user;
    }

    /** Builds from HOCON text (tests, tools). */
    public static TributaryConfig parse(String hocon, List<String> overrides) {
        Config user;
        try {
            user = ConfigFactory.parseString(hocon);
        } catch (ConfigException e) {
            throw new SettingsException("cannot parse config: cause=" + e.getMessage());
        }
        return fromUserConfig(null, applyOverrides(user, overrides));
    }

    private static Config applyOverrides(Config user, List<String> overrides) {
        Config out = user;
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new SettingsException("bad --set: value=" + o + ", rule=must be key=value");
            }
            String key = o.substring(0, eq).trim();
            String value = o.substring(eq + 1).trim();
            if (!key.startsWith("tributary.") && !key.startsWith("pekko.")) {
                key = "tributary." + key;
            }
            try {
                out = ConfigFactory.parseString(key + " = " + (value.isEmpty() ? "\"\"" : value)).withFallback(out);
            } catch (ConfigException e) {
                // A bare word that HOCON cannot parse as a value is taken as a string.
                out = ConfigFactory.parseString(key + " = " + com.typesafe.config.ConfigUtil.quoteString(value))
                        .withFallback(out);
            }
        }
        return out;
    }

    private static TributaryConfig fromUserConfig(Path source, Config user) {
        Config reference = ConfigFactory.defaultReference();
        Config resolved;
        try {
            resolved = user.withFallback(reference).resolve(ConfigResolveOptions.defaults());
        } catch (ConfigException e) {
            throw new SettingsException("cannot resolve config: cause=" + e.getMessage());
        }
        try {
            // An algorithm whose jar is missing is named as such, before its settings are listed as unknown keys.
            LearnerSettings.algorithm(resolved);
            SettingsSupport.rejectUnknownKeys(resolved, reference, "tributary", OPEN_PATHS);
            TributaryConfig c = new TributaryConfig(source, resolved, RunSettings.fromConfig(resolved),
                    ActorsSettings.fromConfig(resolved), SimulatorSettings.fromConfig(resolved),
                    RewardSettings.fromConfig(resolved), LearnerSettings.fromConfig(resolved), KafkaSettings.fromConfig(resolved));
            // The algorithm reads its own subtree: check it now, so a bad value stops start-up (exit code 2).
            try {
                Learners.check(c.learnerContext("settings-check"));
            } catch (IllegalArgumentException e) {
                // e.g. an algorithm that cannot act in this environment's spaces
                throw new SettingsException(LearnerSettings.PATH + ".algorithm", c.learner().algorithm(), e.getMessage());
            }
            return c;
        } catch (ConfigException e) {
            throw new SettingsException("bad config: " + e.getMessage());
        }
    }

    /**
     * What the configured algorithm's {@link io.tributary.learner.LearnerProvider} gets: the learner
     * settings, this configuration, the environment's spaces (from a fresh instance), the run id and the
     * run's env-step budget.
     *
     * @throws SettingsException if the environment rejects its options
     */
    public LearnerContext learnerContext(String runId) {
        Environment env;
        try {
            env = simulator.createEnvironment();
        } catch (IllegalArgumentException e) {
            throw new SettingsException(SimulatorSettings.ENV_OPTIONS_PATH, simulator.envOptions(), e.getMessage());
        }
        try (env) {
            return new LearnerContext(learner, config, env.observationSpace(), env.actionSpace(), runId, run.maxEnvSteps());
        }
    }

    /** The {@code tributary} subtree rendered as HOCON, for {@code runs/<id>/config.conf}. */
    public String renderTributary() {
        // A root object renders without its braces, so "tributary " + render(subtree) put only the first key
        // under tributary: render the subtree at its key instead, which loads back as the same settings.
        return config.getConfig("tributary").atKey("tributary").root().render(
                ConfigRenderOptions.defaults().setOriginComments(false).setComments(false).setJson(false)) + "\n";
    }

    /** The same configuration with {@code overrides} applied on top (e.g. a different seed). */
    public TributaryConfig with(List<String> overrides) {
        Config user = applyOverrides(ConfigFactory.empty(), overrides).withFallback(config);
        return fromUserConfig(source, user);
    }
}
