package io.tributary.actors.local;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.tributary.actors.RunSummary;
import io.tributary.actors.TributaryConfig;
import io.tributary.report.JsonIo;
import io.tributary.streams.kafka.Accounts;
import io.tributary.streams.kafka.CheckpointStore;
import io.tributary.streams.kafka.KafkaClients;
import io.tributary.streams.kafka.KafkaRunStreams;
import io.tributary.streams.kafka.PolicyPublication;
import io.tributary.streams.kafka.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The chaos cases of a training cluster, each on a fresh {@link LocalCluster} of three nodes training the
 * config's full budget: {@code rollout_node_kill} (SIGKILL a rollout node that does not host the learner),
 * {@code learner_kill} (SIGKILL the node hosting the learner singleton, found from the marker file it
 * writes) and {@code broker_restart} (SIGKILL the broker and start it again on the same port and data).
 * The fault is injected once the run's latest checkpoint holds {@code faultAt} of the env-step budget and
 * every node has seen all three as members.
 * Per case the accounts are computed from the topics after the run ({@link KafkaRunStreams#accounts}, the
 * broker still up), {@code stall_seconds} from the learner's update events on the metrics topic, the eval return from
 * the summary the learner's node wrote, and the wall time from cluster start to the last node's exit.
 */
public final class Chaos {
    /** The three cases, in the order they run. */
    public enum Case {
        ROLLOUT_NODE_KILL("rollout_node_kill"),
        LEARNER_KILL("learner_kill"),
        BROKER_RESTART("broker_restart");

        private final String key;

        Case(String key) {
            this.key = key;
        }

        /** The case's key in chaos.json. */
        public String key() {
            return key;
        }
    }

    /**
     * What to run.
     *
     * @param config    the experiment config
     * @param overrides config overrides applied to every case
     * @param runPrefix run ids are {@code <runPrefix>-<case>} (with '-' for '_')
     * @param faultAt   fraction of the env-step budget trained (per the latest checkpoint) before the fault
     * @param nodeHeap  heap of each node JVM
     * @param cases     which cases to run, in order
     * @param echo      where the cluster's output is echoed, or null
     */
    public record Spec(Path config, List<String> overrides, String runPrefix, double faultAt, String nodeHeap,
                       List<Case> cases, PrintStream echo) {
        public Spec {
            overrides = List.copyOf(overrides);
            cases = List.copyOf(cases);
            if (!(faultAt > 0 && faultAt < 1)) {
                throw new IllegalArgumentException("faultAt must be in (0, 1): faultAt=" + faultAt);
            }
            if (cases.isEmpty()) {
                throw new IllegalArgumentException("cases must not be empty");
            }
        }
    }

    /** One case's figures, written to chaos.json under its key (names and order as issue 11 gives them). */
    @JsonPropertyOrder({"produced", "trained", "dropped_stale", "rejected", "dead_lettered", "unused_at_end", "lost",
            "duplicated", "accounts_checked", "eval_return_mean", "stall_seconds", "wall_seconds"})
    public record CaseResult(@JsonProperty("produced") long produced, @JsonProperty("trained") long trained,
                             @JsonProperty("dropped_stale") long droppedStale, @JsonProperty("rejected") long rejected,
                             @JsonProperty("dead_lettered") long deadLettered,
                             @JsonProperty("unused_at_end") long unusedAtEnd, @JsonProperty("lost") long lost,
                             @JsonProperty("duplicated") long duplicated,
                             @JsonProperty("accounts_checked") boolean accountsChecked,
                             @JsonProperty("eval_return_mean") double evalReturnMean,
                             @JsonProperty("stall_seconds") double stallSeconds,
                             @JsonProperty("wall_seconds") double wallSeconds) {
        /** The figures of one case from its accounts, policy timeline, summary and wall time. */
        static CaseResult of(Accounts a, double stallSeconds, RunSummary s, double wallSeconds) {
            return new CaseResult(a.produced(), a.trained(), a.droppedStale(), a.rejected(), a.deadLettered(),
                    a.unusedAtEnd(), a.lost(), a.duplicated(), a.checked(), s.evalReturnMean(), stallSeconds, wallSeconds);
        }
    }

    /** chaos.json: {@code {"cases": {<case>: {...}}}}. */
    public record Report(@JsonProperty("cases") Map<String, CaseResult> cases) {
        public Report {
            cases = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(cases));
        }
    }

    private Chaos() {
    }

    /** Runs every case of {@code spec} in turn and returns the report (a failing case fails the call). */
    public static Report run(Spec spec) throws InterruptedException {
        Map<String, CaseResult> out = new LinkedHashMap<>();
        for (Case c : spec.cases()) {
            CaseResult r = runCase(spec, c);
            say(spec, c.key() + ": " + JsonIo.write(r));
            out.put(c.key(), r);
        }
        return new Report(out);
    }

    /** Writes the report as pretty JSON to {@code file} (folders created). */
    public static void write(Report report, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            JsonIo.writePrettyFile(file, report);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static CaseResult runCase(Spec spec, Case c) throws InterruptedException {
        String runId = spec.runPrefix() + "-" + c.key().replace('_', '-');
        TributaryConfig cfg = TributaryConfig.load(spec.config(), spec.overrides());
        long faultSteps = (long) Math.ceil(spec.faultAt() * cfg.run().maxEnvSteps());
        say(spec, "case " + c.key() + ": run " + runId + ", fault once a checkpoint holds " + faultSteps + " env steps");
        long t0 = System.currentTimeMillis();
        try (LocalCluster cluster = LocalCluster.start(new LocalCluster.Spec(3, spec.config(), spec.overrides(), runId, 0, 0,
                spec.nodeHeap(), spec.echo()))) {
            Path checkpoints = cfg.run().checkpointDir().isEmpty() ? cluster.runDir().resolve("checkpoints")
                    : Path.of(cfg.run().checkpointDir()).resolve(runId);
            AtomicReference<Throwable> faultFailure = new AtomicReference<>();
            AtomicReference<String> injected = new AtomicReference<>();
            Thread fault = new Thread(() -> {
                try {
                    injected.set(inject(cluster, c, checkpoints, faultSteps));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Throwable t) {
                    faultFailure.set(t);
                }
            }, "chaos-" + c.key());
            fault.setDaemon(true);
            fault.start();
            LocalCluster.Outcome outcome;
            try {
                outcome = cluster.awaitCompletion();
            } finally {
                fault.interrupt();
                fault.join(60_000);
            }
            double wall = (System.currentTimeMillis() - t0) / 1000.0;
            if (faultFailure.get() != null) {
                throw new IllegalStateException("chaos case " + c.key() + ": injecting the fault failed: " + faultFailure.get(),
                        faultFailure.get());
            }
            if (injected.get() == null) {
                throw new IllegalStateException("chaos case " + c.key() + ": the run finished before the fault was injected: "
                        + "faultSteps=" + faultSteps + ", runId=" + runId + " (lower --fault-at or raise the budget)");
            }
            say(spec, "case " + c.key() + ": " + injected.get());
            KafkaClients clients = new KafkaClients(cfg.kafka().withBootstrapServers(cluster.bootstrapServers()));
            try (KafkaRunStreams streams = new KafkaRunStreams(clients, new Topics(runId), "tributary-chaos-" + runId)) {
                Accounts a = streams.accounts(checkpoints);
                // The learner's update events, not the policy topic: a restored learner republishes its checkpoint
                // under a fresh version, which is a publication but not an update, and would split the real stall.
                List<Long> updates = updateTimesMs(streams, runId);
                double stall = updates.size() >= 2 ? stallSecondsBetweenUpdates(updates) : stallSeconds(streams.policyPublications());
                return CaseResult.of(a, stall, outcome.summary(), wall);
            }
        }
    }

    /** Waits until the run is far enough and injects the case's fault; returns what it did, or null if the run ended. */
    private static String inject(LocalCluster cluster, Case c, Path checkpoints, long faultSteps) throws InterruptedException {
        CheckpointStore store = new CheckpointStore(checkpoints, 1);
        while (trainedSteps(store) < faultSteps || !cluster.allMembersUp()) {
            if (cluster.liveNodes().isEmpty()) {
                return null;
            }
            Thread.sleep(200);
        }
        switch (c) {
            case ROLLOUT_NODE_KILL -> {
                Optional<LocalCluster.Node> learner = cluster.learnerNode();
                LocalCluster.Node victim = cluster.liveNodes().stream()
                        .filter(n -> n.roles().contains(LocalCluster.ROLLOUT))
                        .filter(n -> learner.isEmpty() || learner.get().index() != n.index())
                        // Prefer a node without the learner role: killing it leaves the learner alone entirely.
                        .sorted((x, y) -> Boolean.compare(x.roles().contains(LocalCluster.LEARNER), y.roles().contains(LocalCluster.LEARNER)))
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException("no live rollout node apart from the learner's: layout="
                                + cluster.layout()));
                int rc = cluster.killNode(victim.index());
                return "killed " + victim.name() + " (roles " + LocalCluster.rolesArg(victim.roles()) + ", exit " + rc + ")";
            }
            case LEARNER_KILL -> {
                long deadline = System.currentTimeMillis() + 60_000;
                Optional<LocalCluster.Node> learner = cluster.learnerNode();
                while (learner.isEmpty() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(200);
                    learner = cluster.learnerNode();
                }
                LocalCluster.Node victim = learner.orElseThrow(() -> new IllegalStateException(
                        "no live node named by the learner marker: marker=" + cluster.runDir().resolve(LocalCluster.LEARNER_MARKER)
                                + ", layout=" + cluster.layout()));
                int rc = cluster.killNode(victim.index());
                return "killed the learner's " + victim.name() + " (roles " + LocalCluster.rolesArg(victim.roles()) + ", exit "
                        + rc + ")";
            }
            case BROKER_RESTART -> {
                long t = System.currentTimeMillis();
                cluster.restartBroker();
                return String.format("killed and restarted the broker (down %.1f s)", (System.currentTimeMillis() - t) / 1000.0);
            }
            default -> throw new IllegalStateException("unknown case: " + c);
        }
    }

    /** Env steps the latest checkpoint holds; 0 while there is none or it is being replaced. */
    private static long trainedSteps(CheckpointStore store) {
        try {
            return store.latest().map(k -> k.meta().envSteps()).orElse(0L);
        } catch (RuntimeException e) {
            // The learner replaces LATEST and prunes old checkpoints while this polls; the next poll sees the new one.
            return 0;
        }
    }

    /**
     * The longest gap, in seconds, between two consecutive policy publications after the first update: the
     * first record (the initial policy) is not an update, so the gaps counted start at the second record.
     * 0 when fewer than three records exist. A learner restored from a checkpoint republishes its restored
     * weights under a fresh version; that record counts as a publication here.
     */
    public static double stallSeconds(List<PolicyPublication> publications) {
        List<PolicyPublication> sorted = new ArrayList<>(publications);
        sorted.sort(java.util.Comparator.comparingLong(PolicyPublication::offset));
        double longest = 0;
        for (int i = 2; i < sorted.size(); i++) {
            longest = Math.max(longest, (sorted.get(i).timestampMs() - sorted.get(i - 1).timestampMs()) / 1000.0);
        }
        return longest;
    }

    /**
     * Wall-clock times (ms) of the learner's updates, from the run's metrics topic: the monitor publishes one
     * {@code policy_version} event (untagged) per update the learner reports, and none when a restored learner
     * republishes its checkpoint. Reads the topic from its start up to the run's {@code run_finished} event (the
     * last one the learner's node writes), so no update is missed; at most 120 s.
     */
    static List<Long> updateTimesMs(KafkaRunStreams streams, String runId) {
        List<Long> out = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 120_000;
        try (io.tributary.streams.port.MetricsSource source = streams.metricsSource()) {
            boolean finished = false;
            while (!finished) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("metrics topic of run " + runId + " has no "
                            + io.tributary.actors.dashboard.MetricsHub.RUN_FINISHED + " event after 120 s of reading: "
                            + "updates read=" + out.size());
                }
                for (io.tributary.streams.codec.MetricEvent e : source.poll()) {
                    if ("policy_version".equals(e.name()) && e.tags().isEmpty()) {
                        out.add(e.timestampMicros() / 1000);
                    } else if (io.tributary.actors.dashboard.MetricsHub.RUN_FINISHED.equals(e.name())) {
                        finished = true;
                    }
                }
            }
        }
        return out;
    }

    /** The longest gap, in seconds, between two consecutive updates (times in ms, any order); 0 with fewer than two. */
    public static double stallSecondsBetweenUpdates(List<Long> updateTimesMs) {
        List<Long> sorted = new ArrayList<>(updateTimesMs);
        java.util.Collections.sort(sorted);
        double longest = 0;
        for (int i = 1; i < sorted.size(); i++) {
            longest = Math.max(longest, (sorted.get(i) - sorted.get(i - 1)) / 1000.0);
        }
        return longest;
    }

    private static void say(Spec spec, String line) {
        if (spec.echo() != null) {
            spec.echo().println("[chaos] " + line);
        }
    }
}
