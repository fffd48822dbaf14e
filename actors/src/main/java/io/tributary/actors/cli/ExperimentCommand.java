package io.tributary.actors.cli;

import io.tributary.actors.Experiment;
import io.tributary.actors.ExperimentContext;
import io.tributary.actors.ExperimentRunner;
import io.tributary.actors.Experiments;
import io.tributary.actors.TributaryConfig;
import io.tributary.config.SettingsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tributary experiment <name>} runs a registered experiment; {@code tributary experiment --name N
 * --arm name=config ... --seeds 1,2,3} runs arms x seeds with the generic runner; {@code --list} lists the
 * registered names. Results go to docs/results.
 */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Run a registered experiment by name, or arms x training seeds one after another (--name, --arm); "
                + "write a Markdown table, JSON and SVG plots.")
final class ExperimentCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "A registered experiment (see --list)")
    String registered;

    @Option(names = "--list", description = "List the registered experiments and exit")
    boolean list;

    @Option(names = "--name", description = "Generic form: experiment name (file names under --out)")
    String name;

    @Option(names = "--arm", paramLabel = "NAME=CONFIG", description = "Generic form: an arm (repeatable)")
    List<String> arms = new ArrayList<>();

    @Option(names = "--seeds", split = ",", description = "Training seeds (generic default 1,2,3; a registered "
            + "experiment has its own)")
    List<Long> seeds;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override applied to every config (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", defaultValue = "docs/results", description = "Output folder (default docs/results)")
    Path out;

    @Override
    public Integer call() {
        Map<String, Experiment> experiments = Experiments.registered();
        if (list) {
            for (Experiment e : experiments.values()) {
                System.out.println(e.name() + "\t" + e.description());
            }
            return 0;
        }
        if (seeds != null && seeds.isEmpty()) {
            throw new SettingsException("--seeds", "", "must name at least one seed");
        }
        if (registered != null) {
            if (name != null || !arms.isEmpty()) {
                throw new SettingsException("experiment", registered, "a registered experiment takes no --name or --arm");
            }
            Experiment e = experiments.get(registered);
            if (e == null) {
                throw new SettingsException("experiment", registered, "must be a registered experiment: "
                        + experiments.keySet() + " (or use the generic form --name N --arm NAME=CONFIG)");
            }
            e.run(new ExperimentContext(registered, out, seeds, overrides));
            return 0;
        }
        if (name == null || arms.isEmpty()) {
            throw new SettingsException("experiment", "name=" + name + ", arms=" + arms,
                    "give a registered experiment's name, or --name and at least one --arm");
        }
        if (!name.matches(Experiments.NAME_PATTERN)) {
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
        ExperimentRunner.run(name, list, seeds == null ? List.of(1L, 2L, 3L) : seeds, out);
        return 0;
    }
}
