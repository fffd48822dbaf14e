package io.tributary.actors.cli;

import io.tributary.actors.local.Chaos;
import io.tributary.config.SettingsException;
import io.tributary.report.JsonIo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tributary chaos --config <file>}: the three failure cases (rollout node killed, learner's node
 * killed, broker restarted), each on a fresh three-node local cluster training the config's full budget;
 * writes the accounts, eval return, longest stall and wall time per case to {@code docs/results/chaos.json}.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = "Kill a rollout node, kill the learner's node, restart the broker: each on a fresh 3-node local "
                + "cluster training the config's full budget; writes the accounts per case to docs/results/chaos.json.")
public final class ChaosCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "HOCON experiment file")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key for every case (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE", description = "Where the report goes (default docs/results/chaos.json)")
    Path out = Path.of("docs", "results", "chaos.json");

    @Option(names = "--run-prefix", paramLabel = "ID", description = "Run ids are <prefix>-<case> (default <config>-chaos-<timestamp>)")
    String runPrefix;

    @Option(names = "--fault-at", description = "Fraction of the env-step budget checkpointed before the fault (default 0.3)")
    double faultAt = 0.3;

    @Option(names = "--cases", split = ",", paramLabel = "CASE",
            description = "Cases to run (default all): rollout_node_kill, learner_kill, broker_restart")
    List<String> cases = new ArrayList<>();

    @Option(names = "--node-heap", description = "Heap of each node JVM (default 3g)")
    String nodeHeap = "3g";

    @Override
    public Integer call() throws InterruptedException {
        if (!Files.isRegularFile(config)) {
            throw new SettingsException("--config", config, "must be an existing config file");
        }
        if (!(faultAt > 0 && faultAt < 1)) {
            throw new SettingsException("--fault-at", faultAt, "must be in (0, 1)");
        }
        if (!nodeHeap.matches("[0-9]+[mMgG]")) {
            throw new SettingsException("--node-heap", nodeHeap, "must look like 3g or 512m");
        }
        List<Chaos.Case> chosen = new ArrayList<>();
        for (String name : cases) {
            chosen.add(java.util.Arrays.stream(Chaos.Case.values()).filter(c -> c.key().equals(name.trim())).findFirst()
                    .orElseThrow(() -> new SettingsException("--cases", name,
                            "must be rollout_node_kill, learner_kill or broker_restart")));
        }
        if (chosen.isEmpty()) {
            chosen.addAll(List.of(Chaos.Case.values()));
        }
        String prefix = runPrefix != null ? runPrefix : ClusterCommand.defaultRunId(config, "chaos");
        if (!prefix.matches("[A-Za-z0-9._-]+")) {
            throw new SettingsException("--run-prefix", prefix, "must be letters, digits, '.', '_' or '-'");
        }
        Chaos.Report report = Chaos.run(new Chaos.Spec(config, overrides, prefix, faultAt, nodeHeap, chosen, System.err));
        Chaos.write(report, out);
        System.out.println(JsonIo.writePretty(report));
        System.err.println("[chaos] wrote " + out);
        return 0;
    }
}
