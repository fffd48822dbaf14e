package io.tributary.actors.cli;

import io.tributary.actors.Controller;
import io.tributary.actors.ControllerProvider;
import io.tributary.actors.Controllers;
import io.tributary.actors.DatasetCollector;
import io.tributary.actors.PolicyController;
import io.tributary.actors.RandomController;
import io.tributary.actors.TributaryConfig;
import io.tributary.config.SettingsException;
import io.tributary.learner.PolicySnapshot;
import io.tributary.report.JsonIo;
import io.tributary.simulator.Environment;
import io.tributary.simulator.Environments;
import io.tributary.simulator.data.DatasetFiles;
import io.tributary.simulator.data.OfflineDataset;
import io.tributary.simulator.data.OfflineDatasets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tributary dataset collect <env> --policy <checkpoint|random|scripted> --episodes N --seed S --out FILE}
 * collects an offline dataset file; {@code tributary dataset export-csv FILE --out CSV} writes one as CSV (an
 * HDF5 file in D4RL/Minari layout is read too, so public datasets can be converted).
 */
@Command(name = "dataset", mixinStandardHelpOptions = true,
        description = "Collect an offline dataset from an environment, or export one as CSV.",
        subcommands = {DatasetCommand.Collect.class, DatasetCommand.ExportCsv.class})
final class DatasetCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new SettingsException("dataset", "", "give a subcommand: collect or export-csv");
    }

    /** {@code dataset collect}. */
    @Command(name = "collect", mixinStandardHelpOptions = true,
            description = "Run a policy in an environment and write the transitions as a dataset file (.tds).")
    static final class Collect implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ENV", description = "Registered environment, e.g. PointMass2D-v0")
        String env;

        @Option(names = "--policy", required = true, paramLabel = "POLICY", description = "random (uniform actions), "
                + "scripted (the one registered scripted controller that drives ENV), scripted:NAME, or a checkpoint "
                + "(a run folder, its checkpoints folder or a ckpt-N folder)")
        String policy;

        @Option(names = "--config", paramLabel = "CONFIG", description = "Config of the checkpoint's run (default: "
                + "the config.conf of the run folder the checkpoint lies in)")
        Path config;

        @Option(names = "--deterministic", description = "Act with the checkpoint policy's mean/arg-max instead of "
                + "sampling (default: sample, as rollout workers do)")
        boolean deterministic;

        @Option(names = "--env-option", paramLabel = "KEY=VALUE", description = "Environment option (repeatable)")
        List<String> envOptions = new ArrayList<>();

        @Option(names = "--episodes", required = true, description = "Episodes to collect")
        int episodes;

        @Option(names = "--seed", defaultValue = "1", description = "Episode i uses seed S + i (default 1)")
        long seed;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Dataset file to write (.tds)")
        Path out;

        @Override
        public Integer call() throws IOException {
            if (episodes < 1) {
                throw new SettingsException("--episodes", Integer.toString(episodes), "must be >= 1");
            }
            Map<String, String> options = new LinkedHashMap<>();
            for (String kv : envOptions) {
                int eq = kv.indexOf('=');
                if (eq < 1) {
                    throw new SettingsException("--env-option", kv, "must be KEY=VALUE");
                }
                options.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
            Map<String, Object> report = new LinkedHashMap<>();
            try (Environment environment = createEnv(options)) {
                Controller controller = controller(environment, report);
                DatasetCollector.Result r = DatasetCollector.collect(environment, controller, episodes, seed);
                DatasetFiles.write(r.dataset(), out);
                report.put("env", environment.name());
                report.put("episodes", episodes);
                report.put("seed", seed);
                report.put("transitions", r.dataset().size());
                report.put("return_mean", r.meanReturn());
                report.put("out", out.toString());
            }
            System.out.println(JsonIo.writePretty(report));
            return 0;
        }

        private Environment createEnv(Map<String, String> options) {
            if (!Environments.isRegistered(env)) {
                throw new SettingsException("ENV", env, "must be a registered environment: " + Environments.names());
            }
            try {
                return Environments.create(env, options);
            } catch (IllegalArgumentException e) {
                throw new SettingsException("--env-option", options.toString(), e.getMessage());
            }
        }

        private Controller controller(Environment environment, Map<String, Object> report) {
            ControllerProvider.Target target = new ControllerProvider.Target(environment.name(),
                    environment.observationSpace(), environment.actionSpace(), environment.infoKeys());
            if (policy.equals("random")) {
                report.put("policy", "random");
                return new RandomController(environment.actionSpace());
            }
            if (policy.equals("scripted") || policy.startsWith("scripted:")) {
                String name = policy.equals("scripted") ? soleScripted(target) : policy.substring("scripted:".length());
                ControllerProvider p = Controllers.registered().get(name);
                if (p == null) {
                    throw new SettingsException("--policy", policy, "must name a registered controller: "
                            + Controllers.registered().keySet());
                }
                report.put("policy", "scripted:" + name);
                try {
                    return p.create(target);
                } catch (IllegalArgumentException e) {
                    throw new SettingsException("--policy", policy, e.getMessage());
                }
            }
            Path ckpt = Path.of(policy);
            if (!Files.exists(ckpt)) {
                throw new SettingsException("--policy", policy,
                        "must be random, scripted, scripted:NAME or an existing checkpoint path");
            }
            Path conf = config != null ? config : findRunConfig(ckpt);
            TributaryConfig c = TributaryConfig.load(conf, List.of());
            EvalCommand.Restored restored = EvalCommand.restorePolicy(c, ckpt);
            PolicySnapshot snapshot = restored.policy();
            if (snapshot.spec().observationSize() != environment.observationSpace().flatSize()
                    || snapshot.spec().actionFloats() != environment.actionSpace().flatSize()) {
                throw new SettingsException("--policy", policy, "the checkpoint's policy does not fit " + env
                        + ": policy observation=" + snapshot.spec().observationSize() + ", action="
                        + snapshot.spec().actionFloats() + "; env observation="
                        + environment.observationSpace().flatSize() + ", action=" + environment.actionSpace().flatSize());
            }
            report.put("policy", "checkpoint");
            report.put("checkpoint", restored.learnerDir().getParent().toString());
            report.put("policy_version", restored.version());
            report.put("deterministic", deterministic);
            return new PolicyController(snapshot, deterministic);
        }

        /** The scripted controller for the environment, when exactly one registered controller accepts it. */
        private String soleScripted(ControllerProvider.Target target) {
            List<String> accepting = new ArrayList<>();
            List<String> refusals = new ArrayList<>();
            for (ControllerProvider p : Controllers.registered().values()) {
                try {
                    p.create(target);
                    accepting.add(p.name());
                } catch (IllegalArgumentException refused) {
                    // A refusal is how a controller says it does not drive this environment; its reason is
                    // reported below if no single controller is left.
                    refusals.add(p.name() + ": " + refused.getMessage());
                }
            }
            if (accepting.size() != 1) {
                throw new SettingsException("--policy", "scripted", "needs exactly one registered controller that drives "
                        + env + ", found " + accepting + " (name one with scripted:NAME); refused: " + refusals);
            }
            return accepting.get(0);
        }

        private static Path findRunConfig(Path ckpt) {
            Path p = ckpt.toAbsolutePath().normalize();
            for (int up = 0; up < 4 && p != null; up++, p = p.getParent()) {
                if (Files.isRegularFile(p.resolve("config.conf"))) {
                    return p.resolve("config.conf");
                }
            }
            throw new SettingsException("--config", "", "no config.conf found in or above the checkpoint " + ckpt
                    + "; give the run's config with --config");
        }
    }

    /** {@code dataset export-csv}. */
    @Command(name = "export-csv", mixinStandardHelpOptions = true,
            description = "Write a dataset file (.tds, or D4RL/Minari .hdf5) as CSV with a header row.")
    static final class ExportCsv implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "Dataset file (.tds, .hdf5 or .h5)")
        Path in;

        @Option(names = "--env", defaultValue = "unknown", description = "Environment name to record for HDF5 input")
        String envName;

        @Option(names = "--out", required = true, paramLabel = "CSV", description = "CSV file to write")
        Path out;

        @Override
        public Integer call() throws IOException {
            OfflineDataset d = OfflineDatasets.read(in, envName);
            DatasetFiles.exportCsv(d, out);
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("in", in.toString());
            report.put("env", d.environment());
            report.put("transitions", d.size());
            report.put("out", out.toString());
            System.out.println(JsonIo.writePretty(report));
            return 0;
        }
    }
}
