package io.tributary.actors.cli;

import io.tributary.actors.Rescore;
import io.tributary.report.JsonIo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tributary rescore --run runs/<id> --set <key=value ...> [--name NAME]}: re-scores a finished run's
 * rollouts with other reward-model settings into {@code tributary.<run>.scored.<NAME>} and prints the mean
 * episode return under the run's settings and under the new ones (JSON on stdout, also written to
 * {@code <run>/rescore-<NAME>.json}).
 */
@Command(name = "rescore", mixinStandardHelpOptions = true,
        description = "Re-score a finished run's rollouts from its Kafka log with other reward-model settings, through "
                + "the transactional scoring loop, into tributary.<run>.scored.<name>; print the mean episode return "
                + "under the original and the new settings.")
final class RescoreCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, paramLabel = "RUN_DIR", description = "The finished run's folder, e.g. runs/<id>")
    Path run;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A reward-model setting (reward-models.model, "
            + "reward-models.options.<key>) or Kafka connection setting to change (repeatable); keys may omit 'tributary.'")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--name", paramLabel = "NAME", description = "Suffix of the new topic (letters, digits, '_', '-'; "
            + "default rescore-<date>-<time>); an existing name continues only with the same settings")
    String name;

    @Override
    public Integer call() {
        Rescore.Result r = Rescore.run(run, overrides, name);
        for (String line : Rescore.summaryLines(r)) {
            System.err.println("[tributary] " + line);
        }
        System.out.println(JsonIo.writePretty(r.report()));
        return 0;
    }
}
