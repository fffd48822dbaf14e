package io.tributary.actors.cli;

import io.tributary.actors.TributaryConfig;
import io.tributary.actors.TrainingRun;
import io.tributary.config.SettingsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code tributary} command line: train, eval, experiment, bench, soak, dataset, dynamics, rescore, monitor,
 * kafka, node, cluster, chaos and pretrain-lm.
 */
@Command(name = "tributary", mixinStandardHelpOptions = true, version = "tributary 0.1.0",
        description = "Streaming reinforcement learning: Pekko rollout actors, Kafka, a DJL learner.",
        subcommands = {Main.Train.class, Main.Eval.class, ExperimentCommand.class, BenchCommand.class, SoakCommand.class,
                DatasetCommand.class, DynamicsCommand.class, RescoreCommand.class, MonitorCommand.class,
                KafkaCommand.class, ClusterCommand.class, NodeCommand.class, ChaosCommand.class,
                PretrainLmCommand.class})
public final class Main implements Callable<Integer> {

    /** Exit code for a bad configuration or bad arguments. */
    public static final int EXIT_BAD_CONFIG = 2;

    @Override
    public Integer call() {
        CommandLine.usage(this, System.err);
        return EXIT_BAD_CONFIG;
    }

    /** Entry point. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (tests call this). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            Throwable root = ex;
            while (!(root instanceof SettingsException) && root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (root instanceof SettingsException) {
                System.err.println("tributary: " + root.getMessage());
                return EXIT_BAD_CONFIG;
            }
            System.err.println("tributary: failed: " + ex);
            ex.printStackTrace(System.err);
            return 1;
        });
        return cl.execute(args);
    }

    /** {@code tributary train <config> [--set k=v ...] [--resume runs/<id>]}. */
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train with the given experiment config; writes runs/<run-id>/.")
    static final class Train implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "CONFIG", description = "HOCON experiment file, e.g. configs/cartpole-ppo.conf")
        Path config;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable); "
                + "keys may omit the leading 'tributary.'")
        List<String> overrides = new ArrayList<>();

        @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue the run in this folder from its "
                + "latest checkpoint, training no chunk twice")
        Path resume;

        @Option(names = "--dashboard", description = "Serve the live dashboard (/, /events, /metrics) during training "
                + "on tributary.actors.dashboard.{host,port} (127.0.0.1, a free port by default)")
        boolean dashboard;

        @Override
        public Integer call() {
            if (dashboard) {
                overrides.add("actors.dashboard.enabled=true");
            }
            TributaryConfig c = TributaryConfig.load(config, overrides);
            TrainingRun.run(c, resume, null);
            return 0;
        }
    }

    /** {@code tributary eval <config> (--checkpoint <path> | --controller <name>)}. */
    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = "Evaluate a checkpoint's policy (deterministic actions) or a registered scripted controller "
                    + "on the evaluation seeds; prints returns, episode lengths and signal aggregates as JSON.")
    static final class Eval implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "CONFIG")
        Path config;

        @Option(names = "--checkpoint", paramLabel = "PATH",
                description = "A run folder, its checkpoints folder, or one ckpt-N folder")
        Path checkpoint;

        @Option(names = "--controller", paramLabel = "NAME",
                description = "A registered scripted controller instead of a checkpoint (e.g. cartpole-lean)")
        String controller;

        @Option(names = "--set", paramLabel = "KEY=VALUE")
        List<String> overrides = new ArrayList<>();

        @Option(names = "--episodes", description = "Episodes (default: tributary.run.eval-episodes)")
        Integer episodes;

        @Option(names = "--trace-terminations", paramLabel = "STEPS", defaultValue = "0",
                description = "Also print the last STEPS steps (action, every step signal) of each episode that "
                        + "ended before its step limit, under \"terminations\" (default: 0, none)")
        int traceSteps;

        @Override
        public Integer call() {
            if ((checkpoint == null) == (controller == null)) {
                throw new SettingsException("eval", "checkpoint=" + checkpoint + ", controller=" + controller,
                        "give exactly one of --checkpoint or --controller");
            }
            if (traceSteps < 0 || traceSteps > 100_000) {
                throw new SettingsException("eval --trace-terminations", traceSteps, "must be in [0, 100000]");
            }
            TributaryConfig c = TributaryConfig.load(config, overrides);
            System.out.println(controller != null ? EvalCommand.evaluateController(c, controller, episodes, traceSteps)
                    : EvalCommand.evaluate(c, checkpoint, episodes, traceSteps));
            return 0;
        }
    }
}
