package io.tributary.actors.cli;

import io.tributary.actors.PipelineBench;
import io.tributary.actors.TributaryConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tributary bench pipeline [--chunk-steps N] [--obs-size K] ...}: the end-to-end pipeline benchmark. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks. 'pipeline': chunks through the real broker (workers -> scorers -> learner-side reader).")
final class BenchCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "WHAT", description = "pipeline")
    String what;

    @Option(names = "--config", defaultValue = "configs/cartpole-ppo.conf", description = "Config for Kafka and run folder")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--chunk-steps", defaultValue = "128", description = "Steps per chunk (default 128)")
    int chunkSteps;

    @Option(names = "--obs-size", defaultValue = "4", description = "Floats per observation (default 4)")
    int obsSize;

    @Option(names = "--workers", defaultValue = "1", description = "Producer threads (default 1)")
    int workers;

    @Option(names = "--scorers", defaultValue = "1", description = "Transactional scorer loops (default 1)")
    int scorers;

    @Option(names = "--seconds", defaultValue = "20", description = "Measured seconds (default 20)")
    int seconds;

    @Option(names = "--rate", defaultValue = "0", description = "Chunks/s per producer; 0 = unlimited (default). "
            + "Latency is only meaningful below saturation.")
    double rate;

    @Option(names = "--raw", description = "Baseline: same-size opaque records producer -> consumer (no codec, scorer, transaction)")
    boolean raw;

    @Option(names = "--warmup", defaultValue = "5", description = "Warm-up seconds (default 5)")
    int warmup;

    @Override
    public Integer call() {
        if (!"pipeline".equals(what)) {
            throw new io.tributary.config.SettingsException("bench", what, "must be: pipeline");
        }
        if (chunkSteps < 1 || obsSize < 0 || workers < 1 || scorers < 1 || seconds < 1 || warmup < 0) {
            throw new io.tributary.config.SettingsException("bench arguments", chunkSteps + "/" + obsSize + "/" + workers
                    + "/" + scorers + "/" + seconds, "chunk-steps, workers, scorers, seconds >= 1; obs-size, warmup >= 0");
        }
        TributaryConfig c = TributaryConfig.load(config, overrides);
        PipelineBench.run(c, new PipelineBench.Params(chunkSteps, obsSize, workers, scorers, seconds, warmup, rate, raw));
        return 0;
    }
}
