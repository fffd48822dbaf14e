package io.tributary.actors;

import io.tributary.report.JsonIo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs training runs as child JVMs ({@code tributary train CONFIG --set ...}), at most {@code parallel} at
 * a time, and collects their outcomes from the run folders they write. An experiment whose arms each
 * train with DJL uses it because DJL allows one gradient collector per process: separate JVMs can train at
 * the same time, one per core. A child runs with this JVM's java binary, class path and JVM options
 * (debug agents left out); its output goes to {@code <runFolder>/<runId>.log}. A child that fails fails
 * the whole call with the tail of its log; children still running when this JVM exits are destroyed.
 */
public final class SeparateJvmRuns {
    /**
     * One run: its config file and overrides (full paths), run id and the folder its run folder goes in;
     * {@code before}, when not empty, is a {@code tributary} command line run first in the same slot (e.g.
     * {@code dynamics fit ...} making the model file the run needs), whose failure fails the job.
     */
    public record Job(String name, Path config, List<String> overrides, String runId, Path runFolder, List<String> before) {
        public Job {
            overrides = List.copyOf(overrides);
            before = List.copyOf(before);
        }

        /** A job with nothing to run before the training run. */
        public Job(String name, Path config, List<String> overrides, String runId, Path runFolder) {
            this(name, config, overrides, runId, runFolder, List.of());
        }
    }

    private SeparateJvmRuns() {
    }

    /** Runs every job, {@code parallel} at a time, and returns their outcomes in job order. */
    public static List<TrainingRun.Outcome> run(List<Job> jobs, int parallel) {
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be >= 1: parallel=" + parallel);
        }
        List<Process> live = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread reaper = new Thread(() -> live.forEach(Process::destroyForcibly), "separate-jvm-runs-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<TrainingRun.Outcome>> futures = new ArrayList<>();
            for (Job j : jobs) {
                futures.add(pool.submit(() -> runOne(j, live)));
            }
            List<TrainingRun.Outcome> out = new ArrayList<>();
            for (Future<TrainingRun.Outcome> f : futures) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    live.forEach(Process::destroyForcibly);
                    Throwable c = e.getCause();
                    throw c instanceof RuntimeException r ? r : new IllegalStateException(c.toString(), c);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    live.forEach(Process::destroyForcibly);
                    throw new IllegalStateException("interrupted while waiting for child runs", e);
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException shuttingDown) {
                // the hook itself destroys what is left
            }
        }
    }

    /**
     * Runs one {@code tributary} command line ({@code args}, e.g. {@code pretrain-lm ...}) in a child JVM, output to
     * {@code log}; a non-zero exit throws with the log's tail.
     */
    public static void runCommand(String name, List<String> args, Path log) {
        List<String> cmd = new ArrayList<>(command());
        cmd.addAll(args);
        System.err.printf("[separate-jvm] %s: %s (log %s)%n", name, String.join(" ", args), log);
        Process p = null;
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            int rc = p.waitFor();
            if (rc != 0) {
                throw new IllegalStateException("child command " + name + " failed: exit=" + rc + ", log=" + log + "\n"
                        + tail(log, 40));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run child command " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IllegalStateException("interrupted while waiting for child command " + name, e);
        }
    }

    private static TrainingRun.Outcome runOne(Job j, List<Process> live) throws IOException, InterruptedException {
        Files.createDirectories(j.runFolder());
        Path log = j.runFolder().resolve(j.runId() + ".log");
        if (!j.before().isEmpty()) {
            Path beforeLog = j.runFolder().resolve(j.runId() + ".before.log");
            List<String> pre = new ArrayList<>(command());
            pre.addAll(j.before());
            System.err.printf("[separate-jvm] %s: %s (log %s)%n", j.name(), String.join(" ", j.before()), beforeLog);
            Process b = new ProcessBuilder(pre).redirectErrorStream(true).redirectOutput(beforeLog.toFile()).start();
            live.add(b);
            int rc = b.waitFor();
            live.remove(b);
            if (rc != 0) {
                throw new IllegalStateException("child command before run " + j.name() + " failed: exit=" + rc + ", log="
                        + beforeLog + "\n" + tail(beforeLog, 40));
            }
        }
        List<String> cmd = new ArrayList<>(command());
        cmd.add("train");
        cmd.add(j.config().toString());
        for (String o : j.overrides()) {
            cmd.add("--set");
            cmd.add(o);
        }
        cmd.add("--set");
        cmd.add("tributary.run.folder=\"" + j.runFolder() + "\"");
        cmd.add("--set");
        cmd.add("tributary.run.id=\"" + j.runId() + "\"");
        System.err.printf("[separate-jvm] start %s (log %s)%n", j.name(), log);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        live.add(p);
        int rc = p.waitFor();
        live.remove(p);
        Path runDir = j.runFolder().resolve(j.runId());
        Path summary = runDir.resolve("summary.json");
        if (rc != 0 || !Files.exists(summary)) {
            throw new IllegalStateException("child run " + j.name() + " failed: exit=" + rc + ", log=" + log + "\n"
                    + tail(log, 40));
        }
        System.err.printf("[separate-jvm] done %s%n", j.name());
        return new TrainingRun.Outcome(j.runId(), runDir,
                JsonIo.read(Files.readString(summary, StandardCharsets.UTF_8), RunSummary.class));
    }

    /** java, this JVM's options and heap (no debug agents), the flags every Tributary JVM needs, class path, main class. */
    static List<String> command() {
        return io.tributary.actors.local.ChildJvm.commandWithInheritedHeap(List.of());
    }

    private static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }
}
