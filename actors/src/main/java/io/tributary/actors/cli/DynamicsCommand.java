package io.tributary.actors.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.tributary.actors.TributaryConfig;
import io.tributary.config.SettingsException;
import io.tributary.learner.LearnerSettings;
import io.tributary.learner.dynamics.DynamicsFit;
import io.tributary.learner.dynamics.DynamicsFits;
import io.tributary.learner.dynamics.DynamicsSettings;
import io.tributary.learner.dynamics.EpochReport;
import io.tributary.simulator.data.OfflineDataset;
import io.tributary.simulator.data.OfflineDatasets;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tributary dynamics fit --dataset FILE --out FILE [--env ENV] [--seed S] [--config CONFIG] [--set key=value]}: fits
 * a learned dynamics ensemble ({@code tributary.learner.dynamics}) to an offline dataset file and writes it in
 * the {@code dynamics-ensemble} format that {@code ModelRollouts-v0} loads.
 */
@Command(name = "dynamics", mixinStandardHelpOptions = true,
        description = "Learned dynamics ensembles for model rollouts.",
        subcommands = {DynamicsCommand.Fit.class})
final class DynamicsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new SettingsException("dynamics", "", "give a subcommand: fit");
    }

    /** {@code dynamics fit}. */
    @Command(name = "fit", mixinStandardHelpOptions = true,
            description = "Fit a dynamics ensemble to a dataset file; prints each epoch (train NLL, validation MSE per "
                    + "member, elites) and the final validation MSE; writes the model only if the fit succeeds.")
    static final class Fit implements Callable<Integer> {
        @Option(names = "--dataset", required = true, paramLabel = "FILE", description = "Offline dataset file: "
                + "Tributary's (.tds) or a D4RL/Minari HDF5 file (.hdf5/.h5, which needs --env)")
        Path dataset;

        @Option(names = "--env", paramLabel = "ENV", description = "Environment an HDF5 dataset comes from (a .tds "
                + "file names its own)")
        String env;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Model file to write")
        Path out;

        @Option(names = "--seed", paramLabel = "S", description = "Seed of split, bootstrap, initialisation and order "
                + "(default: tributary.learner.seed)")
        Long seed;

        @Option(names = "--config", paramLabel = "CONFIG", description = "Experiment file whose "
                + "tributary.learner.dynamics and device settings apply (default: the reference settings)")
        Path config;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable), e.g. "
                + "learner.dynamics.hidden-sizes=[200,200,200,200]")
        List<String> overrides = new ArrayList<>();

        @Override
        public Integer call() throws IOException {
            TributaryConfig c = config != null ? TributaryConfig.load(config, overrides)
                    : TributaryConfig.parse("", overrides);
            DynamicsSettings settings = DynamicsSettings.fromConfig(c.config());
            long s = seed != null ? seed : c.learner().seed();
            if (!Files.isRegularFile(dataset)) {
                throw new SettingsException("--dataset", dataset.toString(), "must be an existing dataset file");
            }
            OfflineDataset data;
            try {
                data = OfflineDatasets.read(dataset, env);
            } catch (IllegalArgumentException e) {
                throw new SettingsException("--env", env, e.getMessage());
            }
            PrintStream o = System.out;
            o.printf(Locale.ROOT, "dynamics fit: %s (%s, %d transitions, observation %d, action %d), seed %d, %s%n",
                    dataset, data.environment(), data.size(), data.observationSize(), data.actionSize(), s, settings);
            long t0 = System.nanoTime();
            DynamicsFit fit = DynamicsFits.fitAndSave(data, settings, s, device(c.learner().device()), out,
                    r -> o.println(line(r)));
            double seconds = (System.nanoTime() - t0) / 1e9;
            o.printf(Locale.ROOT, "validation MSE %.6g (mean of elites %s) after %d epochs (%s), %.1f s; "
                            + "train %d, validation %d transitions; wrote %s%n", fit.validationMse(),
                    java.util.Arrays.toString(fit.parameters().elites()), fit.epochs(),
                    fit.stoppedEarly() ? "stopped early" : "reached max-epochs", seconds, fit.trainSize(),
                    fit.validationSize(), out);
            return 0;
        }

        private static String line(EpochReport r) {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "epoch %4d  train NLL %9.4f  validation MSE [", r.epoch(), r.trainNll()));
            double[] mse = r.validationMse();
            for (int i = 0; i < mse.length; i++) {
                b.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.4g", mse[i]));
            }
            b.append("]  elites ").append(java.util.Arrays.toString(r.elites()));
            b.append("  epochs without gain ").append(r.epochsSinceImprovement());
            return b.toString();
        }

        private static Device device(String setting) {
            int gpus = Engine.getInstance().getGpuCount();
            return switch (setting) {
                case "cpu" -> Device.cpu();
                case "gpu" -> {
                    if (gpus == 0) {
                        throw new SettingsException(LearnerSettings.PATH + ".device", setting,
                                "needs a GPU, but the engine sees none; use auto or cpu");
                    }
                    yield Device.gpu();
                }
                default -> gpus > 0 ? Device.gpu() : Device.cpu();
            };
        }
    }
}
