package io.tributary.actors.cli;

import io.tributary.actors.SoakSummary;
import io.tributary.actors.TrainingRun;
import io.tributary.actors.TributaryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tributary soak --minutes 30 --config configs/cartpole-ppo.conf}: trains continuously for the given
 * minutes and records resident memory (VmRSS) each minute into summary.json ({@code rss_mb_minute_N}).
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Train continuously for --minutes, recording resident memory each minute.")
final class SoakCommand implements Callable<Integer> {
    @Option(names = "--minutes", defaultValue = "30", description = "Duration in minutes (default 30)")
    double minutes;

    @Option(names = "--sample-seconds", defaultValue = "60", description = "Memory sampling interval (default 60 s: "
            + "keys rss_mb_minute_N; other intervals give rss_mb_at_Ns)")
    int sampleSeconds;

    @Option(names = "--config", required = true, description = "Experiment config")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() {
        if (!(minutes > 0) || sampleSeconds < 1) {
            throw new io.tributary.config.SettingsException("--minutes/--sample-seconds", minutes + "/" + sampleSeconds,
                    "minutes must be > 0 and sample-seconds >= 1");
        }
        long seconds = Math.round(minutes * 60);
        List<String> o = new ArrayList<>(overrides);
        o.add("tributary.run.max-env-steps=" + (Long.MAX_VALUE / 8));
        o.add("tributary.run.max-wall-seconds=" + seconds);
        o.add("tributary.learner.ppo.anneal-lr=false");
        TributaryConfig c = TributaryConfig.load(config, o);
        // Written by the sampler thread, read after it stopped.
        Map<String, Double> rss = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "soak-rss-sampler");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(() -> {
            int n = rss.size() + 1;
            double mb = residentMb();
            rss.put(sampleSeconds == 60 ? "rss_mb_minute_" + n : "rss_mb_at_" + (n * sampleSeconds) + "s", mb);
            System.err.printf("[soak] %d s: resident memory %.1f MB%n", n * sampleSeconds, mb);
        }, sampleSeconds, sampleSeconds, TimeUnit.SECONDS);
        TrainingRun.Outcome out;
        try {
            out = TrainingRun.run(c, null, null);
        } finally {
            sampler.shutdownNow();
        }
        try {
            // A sample being taken right now finishes before the samples are copied.
            sampler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the memory sampler", e);
        }
        Double m5 = rss.get("rss_mb_minute_5");
        Double mEnd = rss.get("rss_mb_minute_" + Math.round(minutes));
        Double growth = m5 != null && mEnd != null ? (mEnd - m5) / m5 * 100.0 : null;
        TrainingRun.writeSummary(out.runDir(), new SoakSummary(out.summary(), minutes, growth, rss.size(), rss));
        return 0;
    }

    /** Resident set size of this process from /proc/self/status, in MB. */
    static double residentMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
            return Double.NaN;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/status", e);
        }
    }
}
