package io.tributary.actors.cli;

import io.tributary.actors.ExperimentRunner;
import io.tributary.actors.TributaryConfig;
import io.tributary.config.SettingsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tributary experiment --name N --arm name=config ... --seeds 1,2,3}: runs arms × seeds, writes docs/results. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Run arms x training seeds one after another; write a Markdown table, JSON and SVG plots.")
final class ExperimentCommand implements Callable<Integer> {
    @Option(names = "--name", required = true, description = "Experiment name (file names under --out)")
    String name;

    @Option(names = "--arm", required = true, paramLabel = "NAME=CONFIG", description = "An arm (repeatable)")
    List<String> arms = new ArrayList<>();

    @Option(names = "--seeds", split = ",", defaultValue = "1,2,3", description = "Training seeds (default 1,2,3)")
    List<Long> seeds = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override applied to every arm (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", defaultValue = "docs/results", description = "Output folder (default docs/results)")
    Path out;

    @Override
    public Integer call() {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new SettingsException("--name", name, "must be letters, digits, '.', '_' or '-'");
        }
        List<ExperimentRunner.Arm> list = new ArrayList<>();
        for (String a : arms) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new SettingsException("--arm", a, "must be NAME=CONFIG");
            }
            list.add(new ExperimentRunner.Arm(a.substring(0, eq), TributaryConfig.load(Path.of(a.substring(eq + 1)), overrides)));
        }
        ExperimentRunner.run(name, list, seeds, out);
        return 0;
    }
}
