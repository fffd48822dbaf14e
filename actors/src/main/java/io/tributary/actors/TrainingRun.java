package io.tributary.actors;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.actors.dashboard.Dashboard;
import io.tributary.actors.dashboard.DashboardSettings;
import io.tributary.actors.dashboard.FinalFigures;
import io.tributary.learner.PolicySnapshot;
import io.tributary.report.JsonIo;
import io.tributary.report.SvgChart;
import io.tributary.streams.kafka.Accounts;
import io.tributary.streams.kafka.EmbeddedKafkaBroker;
import io.tributary.streams.kafka.KafkaClients;
import io.tributary.streams.kafka.KafkaRunStreams;
import io.tributary.streams.kafka.KafkaSettings;
import io.tributary.streams.kafka.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * One training run from start to finish in this JVM: run folder, Kafka (embedded broker unless an
 * external cluster is configured), the actor system with all roles, then evaluation of the final policy,
 * accounts computed from the topics, and the run's files ({@code config.conf}, {@code metrics.jsonl},
 * {@code summary.json}, {@code learning-curve.svg}, {@code checkpoints/}).
 */
public final class TrainingRun {
    /** What a finished run produced. */
    public record Outcome(String runId, Path runDir, RunSummary summary) {
        /** Evaluation mean return. */
        public double evalReturnMean() {
            return summary.evalReturnMean();
        }
    }

    /** A hook that may act on the running system (tests use it to stop a worker mid-run). */
    public interface Hook {
        /** Called once the actor system is up. */
        void started(ActorSystem<TrainingGuardian.Command> system, RunContext ctx);

        /** Called before {@link #started} when the run serves a dashboard ({@code tributary.actors.dashboard.enabled}). */
        default void dashboardStarted(Dashboard dashboard) {
        }
    }

    /** The first run in a JVM counts its wall time from JVM start; later ones (experiments) from their own start. */
    private static final java.util.concurrent.atomic.AtomicBoolean FIRST_RUN = new java.util.concurrent.atomic.AtomicBoolean(true);

    private TrainingRun() {
    }

    /** Runs training then evaluation, as {@code ./tributary train} does. */
    public static Outcome run(TributaryConfig config, Path resumeDir, Hook hook) {
        long jvmStart = FIRST_RUN.getAndSet(false) ? ManagementFactory.getRuntimeMXBean().getStartTime()
                : System.currentTimeMillis();
        boolean resume = resumeDir != null;
        String runId;
        Path runDir;
        if (resume) {
            runDir = resumeDir.toAbsolutePath().normalize();
            runId = runDir.getFileName().toString();
            if (!Files.isDirectory(runDir)) {
                throw new io.tributary.config.SettingsException("cannot resume: run folder not found: path=" + resumeDir);
            }
        } else {
            runId = config.run().id().isEmpty() ? defaultRunId(config) : config.run().id();
            runDir = runDir(config, runId);
        }
        Path checkpointDir = checkpointDir(config, runDir, runId);
        writeConfig(config, runDir, resume ? "config.resumed.conf" : "config.conf");
        System.err.println("[tributary] run " + runId + " -> " + runDir + (resume ? " (resuming)" : ""));
        EmbeddedKafkaBroker broker = null;
        Thread hookThread = null;
        KafkaSettings ks = config.kafka();
        try {
            if (ks.embedded()) {
                broker = EmbeddedKafkaBroker.start(runDir.resolve("kafka"), ks.embeddedPort(), ks.maxMessageBytes());
                ks = ks.withBootstrapServers(broker.bootstrapServers());
                EmbeddedKafkaBroker b = broker;
                hookThread = new Thread(b::close, "tributary-broker-shutdown");
                Runtime.getRuntime().addShutdownHook(hookThread);
            }
            KafkaClients clients = new KafkaClients(ks);
            Topics topics = new Topics(runId);
            clients.ensureTopics(topics);
            System.err.println("[tributary] kafka " + ks.bootstrapServers() + (config.kafka().embedded() ? " (embedded)" : "")
                    + ", env " + config.simulator().envName() + ", learner " + config.learner().algorithm()
                    + ", learner.device=" + config.learner().device());
            try (KafkaRunStreams streams = new KafkaRunStreams(clients, topics, "tributary-" + runId)) {
                RunContext ctx = new RunContext(config, runId, runDir, checkpointDir, topics, streams,
                        RunContext.policySpecFor(config), resume, jvmStart);
                TrainingGuardian.Result result = train(ctx, hook);
                return finish(ctx, streams, result);
            }
        } finally {
            if (broker != null) {
                broker.close();
                try {
                    Runtime.getRuntime().removeShutdownHook(hookThread);
                } catch (IllegalStateException e) {
                    // Already shutting down: the hook closes the broker, which is idempotent.
                }
            }
        }
    }

    /** The folder of run {@code runId}: {@code <tributary.run.folder>/<runId>}, absolute. */
    public static Path runDir(TributaryConfig config, String runId) {
        return Path.of(config.run().folder()).resolve(runId).toAbsolutePath();
    }

    /** The checkpoint folder of a run: {@code <runDir>/checkpoints}, or {@code <tributary.run.checkpoint-dir>/<runId>}. */
    public static Path checkpointDir(TributaryConfig config, Path runDir, String runId) {
        return config.run().checkpointDir().isEmpty()
                ? runDir.resolve("checkpoints") : Path.of(config.run().checkpointDir()).resolve(runId).toAbsolutePath();
    }

    /** Creates the run folder and writes the configuration in use into it as {@code fileName}. */
    public static void writeConfig(TributaryConfig config, Path runDir, String fileName) {
        try {
            Files.createDirectories(runDir);
            Files.writeString(runDir.resolve(fileName), config.renderTributary(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run folder " + runDir, e);
        }
    }

    /**
     * The end of a run once its training phase is over (here, or on the node that hosts a cluster's learner):
     * accounts from the topics, evaluation of the final policy, summary.json and learning-curve.svg, the final
     * figures on the metrics topic, and the {@code [tributary] done:} line.
     */
    public static Outcome finish(RunContext ctx, KafkaRunStreams streams, TrainingGuardian.Result result) {
        TributaryConfig config = ctx.config();
        Path runDir = ctx.runDir();
        Accounts accounts = streams.accounts(ctx.checkpointDir());
        Learner.Finished lf = result.learner();
        PolicySnapshot policy = lf.policy();
        Evaluator.Result eval = evaluate(config, policy);
        writeFinalPolicy(runDir, policy);
        RunSummary summary = summary(ctx, result, accounts, eval);
        writeOutputs(runDir, summary);
        // The end of the run on its metrics topic, so a monitor replaying it shows the same figures.
        FinalFigures.publish(streams.metrics(), ctx.runId(), runDir.resolve("summary.json"));
        System.err.println();
        System.err.printf("[tributary] done: eval_return_mean=%.1f (std %.1f, %d episodes), env_steps=%d, "
                        + "wall=%.0fs, lost=%d, duplicated=%d -> %s%n", eval.mean(), eval.std(),
                eval.returns().length, lf.envSteps(), summary.wallSeconds(), accounts.lost(),
                accounts.duplicated(), runDir.resolve("summary.json"));
        return new Outcome(ctx.runId(), runDir, summary);
    }

    private static TrainingGuardian.Result train(RunContext ctx, Hook hook) {
        DashboardSettings dashboardSettings = DashboardSettings.fromConfig(ctx.config().config());
        CompletableFuture<TrainingGuardian.Result> future = new CompletableFuture<>();
        ActorSystem<TrainingGuardian.Command> system =
                ActorSystem.create(TrainingGuardian.createGated(ctx, future), "tributary", ctx.config().config());
        Dashboard dashboard = null;
        try {
            // The dashboard binds before the guardian starts any role, so it sees the run from its first step
            // and a short run cannot end (and stop the system) before the server is up.
            if (dashboardSettings.enabled()) {
                dashboard = Dashboard.start(system, ctx.streams(), ctx.runId(), dashboardSettings);
                if (hook != null) {
                    hook.dashboardStarted(dashboard);
                }
            }
            system.tell(TrainingGuardian.Begin.INSTANCE);
            if (hook != null) {
                hook.started(system, ctx);
            }
            long bound = ctx.config().run().maxWallSeconds() * 1000L + 6L * ctx.config().actors().waitTimeoutMs();
            return future.get(bound, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while training run " + ctx.runId(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("run " + ctx.runId() + " did not finish within its wall budget plus "
                    + "shutdown allowance", e);
        } finally {
            if (dashboard != null) {
                dashboard.close();
            }
            terminate(system);
        }
    }

    /** Terminates {@code system} (coordinated shutdown) and waits up to 60 s for it; a slow end is reported, not thrown. */
    public static void terminate(ActorSystem<?> system) {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            System.err.println("[tributary] actor system did not terminate cleanly: " + e);
        }
    }

    /** Name of the file a run with a sequence (language-model) policy leaves its final policy in. */
    public static final String FINAL_POLICY_FILE = "policy-final.bin";

    /**
     * The run's evaluation episodes. A writing run ({@code Writing-v0}) has no episodes to play: its policy is a
     * language model sampled by the text rollout role, evaluated by the writing experiment on held-out prompts, so
     * its summary reports no episodes (eval_return_mean NaN, controller saying why).
     */
    private static Evaluator.Result evaluate(TributaryConfig config, PolicySnapshot policy) {
        if (io.tributary.simulator.writing.WritingGroups.ENV_NAME.equals(config.simulator().envName())) {
            return new Evaluator.Result("none (writing runs are evaluated by experiment writing)", Double.NaN, Double.NaN,
                    new double[0], config.run().evalSeedBase(), new int[0], List.of(), 0);
        }
        return Evaluator.evaluate(config.simulator(), policy, config.run().evalEpisodes(), config.run().evalSeedBase());
    }

    /**
     * A sequence policy's final weights go to {@value #FINAL_POLICY_FILE} in the run folder (the policy topic's
     * encoding), so a run in a child JVM hands its trained language model to the experiment that evaluates it.
     */
    private static void writeFinalPolicy(Path runDir, PolicySnapshot policy) {
        if (policy == null || policy.spec().architecture() != io.tributary.learner.PolicySpec.Architecture.SEQUENCE) {
            return;
        }
        try {
            Files.write(runDir.resolve(FINAL_POLICY_FILE), io.tributary.streams.codec.PolicySnapshotCodec.encode(policy));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the final policy into " + runDir, e);
        }
    }

    /** Reads a run's {@value #FINAL_POLICY_FILE}. */
    public static PolicySnapshot readFinalPolicy(Path runDir) {
        Path f = runDir.resolve(FINAL_POLICY_FILE);
        try {
            return io.tributary.streams.codec.PolicySnapshotCodec.decode(Files.readAllBytes(f), f.toString(), 0, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the final policy " + f, e);
        }
    }

    private static RunSummary summary(RunContext ctx, TrainingGuardian.Result r, Accounts a, Evaluator.Result eval) {
        Learner.Finished lf = r.learner();
        double wall = (System.currentTimeMillis() - ctx.jvmStartMillis()) / 1000.0;
        List<Double> rets = new ArrayList<>();
        for (double x : eval.returns()) {
            rets.add(x);
        }
        Histogram lag = lf.lagHistogram();
        Histogram e2e = lf.e2eMicros();
        return new RunSummary(
                ctx.runId(),
                ctx.config().simulator().envName(),
                ctx.config().learner().algorithm(),
                ctx.config().run().seed(),
                lf.envSteps(),
                lf.updates(),
                lf.skippedUpdates(),
                lf.version(),
                lf.reason(),
                eval.mean(),
                eval.std(),
                eval.returns().length,
                eval.firstSeed(),
                rets,
                a.produced(),
                a.trained(),
                a.droppedStale(),
                a.unusedAtEnd(),
                a.rejected(),
                a.deadLettered(),
                a.duplicated(),
                a.lost(),
                a.malformed(),
                r.stepsProducedByWorkers(),
                r.environmentFailures(),
                r.workersStoppedEarly(),
                new ArrayList<>(new java.util.TreeSet<>(r.quarantinedSeeds())),
                wall,
                r.stepsProducedByWorkers() / Math.max(1e-9, wall),
                lf.envSteps() / Math.max(1e-9, wall),
                lag.getValueAtPercentile(50),
                lag.getValueAtPercentile(99),
                lag.getMaxValue(),
                e2e.getValueAtPercentile(50) / 1000.0,
                e2e.getValueAtPercentile(90) / 1000.0,
                e2e.getValueAtPercentile(99) / 1000.0,
                e2e.getMaxValue() / 1000.0,
                "chunk completed by a worker -> taken by the learner, through rollouts, scorer transaction and scored topic",
                lf.device(),
                ctx.config().kafka().embedded() ? "embedded" : ctx.config().kafka().bootstrapServers(),
                eval.lengthMean(),
                eval.controller(),
                a.checked(),
                a.mismatch(),
                a.phantom(),
                eval.failed(),
                lf.latencyClamped(),
                eval.signalSummaryKeys());
    }

    /**
     * Rewrites summary.json with {@code summary} (tools that add figures to a finished run's summary, such as
     * soak, pass a record that unwraps the run's {@link RunSummary} and adds keys).
     */
    public static void writeSummary(Path runDir, Object summary) {
        JsonIo.writePrettyFile(runDir.resolve("summary.json"), summary);
    }

    /** Writes summary.json and learning-curve.svg into the run folder. */
    static void writeOutputs(Path runDir, RunSummary summary) {
        try {
            writeSummary(runDir, summary);
            double[][] curve = learningCurve(runDir.resolve("metrics.jsonl"));
            double[] x = curve[0];
            double[] y = curve[1];
            SvgChart chart = new SvgChart("Learning curve: " + summary.env() + " (" + summary.runId() + ")")
                    .xLabel("environment steps trained").yLabel("mean training return (last 100 episodes)")
                    .addSeries("training return", x, y);
            double ev = summary.evalReturnMean();
            if (Double.isFinite(ev)) {
                chart.targetLine(ev, String.format("final eval %.1f", ev));
            }
            chart.write(runDir.resolve("learning-curve.svg"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write run outputs in " + runDir, e);
        }
    }

    /**
     * The learning curve in a run's metrics.jsonl: {@code [envSteps[], meanReturn100[]]}, one point per
     * update row that has a mean return.
     */
    static double[][] learningCurve(Path metrics) throws IOException {
        List<double[]> pts = new ArrayList<>();
        if (Files.exists(metrics)) {
            for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode row = JsonIo.parseObject(line);
                JsonNode y = row.path("mean_return_100");
                if ("update".equals(row.path("kind").asText()) && y.isNumber()) {
                    pts.add(new double[] {row.path("env_steps").asDouble(), y.asDouble()});
                }
            }
        }
        double[][] out = new double[2][pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            out[0][i] = pts.get(i)[0];
            out[1][i] = pts.get(i)[1];
        }
        return out;
    }

    private static String defaultRunId(TributaryConfig config) {
        String base = config.source() == null ? "run" : config.source().getFileName().toString().replaceAll("\\.conf$", "");
        return base.replaceAll("[^A-Za-z0-9._-]", "_") + "-s" + config.run().seed() + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    }

}
