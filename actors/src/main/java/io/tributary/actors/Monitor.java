package io.tributary.actors;

import io.tributary.report.JsonIo;
import io.tributary.streams.codec.MetricEvent;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Watches a run: collects finished episodes from workers and update reports from the learner, prints
 * the live progress line (env steps/s, episodes, mean return, policy version, lag p50/p99), appends a
 * row to {@code metrics.jsonl} each interval and each update, and streams the same figures as metric
 * events to the run's metrics topic (the reward stream other tools watch).
 */
public final class Monitor extends AbstractBehavior<Monitor.Command> {
    /** Messages of the monitor. */
    public interface Command {
    }

    /**
     * A worker finished an episode.
     *
     * @param node the worker's node ({@code host:port} in a cluster, {@code local} in one process), so the
     *             dashboard's pool health is per node
     */
    public record EpisodeFinished(int worker, double episodeReturn, int length, String node)
            implements Command, io.tributary.actors.cluster.JsonSerializable {
    }

    /** The learner applied or skipped an update. */
    public record UpdateDone(long version, boolean applied, long envSteps, long chunksTrained, long chunksDroppedStale,
                             double lagP50, double lagP99, double e2eMsP50, double e2eMsP99,
                             Map<String, Double> stats)
            implements Command, io.tributary.actors.cluster.JsonSerializable {
    }

    /** A named event worth a row of its own (quarantined seed, restarted worker, ...). */
    public record Note(String kind, Map<String, Object> fields)
            implements Command, io.tributary.actors.cluster.JsonSerializable {
    }

    /** A judge scorer scored a writing group (its figures feed the run's judge-quality metrics). */
    public record JudgeGroupScored(int scorer, io.tributary.rewards.writing.WritingGroupFigures figures) implements Command {
    }

    private enum Tick implements Command { INSTANCE }

    private final RunContext ctx;
    private final BufferedWriter jsonl;
    private final long startMillis = System.currentTimeMillis();
    private final ArrayDeque<Double> recentReturns = new ArrayDeque<>();
    private long episodes;
    private long envStepsProduced;
    private UpdateDone last;
    private final JudgeFigures judge = new JudgeFigures();
    private long lastTickSteps;
    private long lastTickMillis = startMillis;
    private final boolean tty = System.console() != null;

    /** Creates the monitor for a run. */
    public static Behavior<Command> create(RunContext ctx) {
        return Behaviors.setup(c -> Behaviors.withTimers(t -> {
            t.startTimerWithFixedDelay(Tick.INSTANCE, Duration.ofMillis(ctx.config().run().progressIntervalMs()));
            return new Monitor(c, ctx);
        }));
    }

    private Monitor(ActorContext<Command> c, RunContext ctx) {
        super(c);
        this.ctx = ctx;
        try {
            this.jsonl = Files.newBufferedWriter(ctx.runDir().resolve("metrics.jsonl"), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open metrics.jsonl in " + ctx.runDir(), e);
        }
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(EpisodeFinished.class, this::onEpisode)
                .onMessage(UpdateDone.class, this::onUpdate)
                .onMessage(Note.class, this::onNote)
                .onMessage(JudgeGroupScored.class, this::onJudgeGroup)
                .onMessageEquals(Tick.INSTANCE, this::onTick)
                .onSignal(org.apache.pekko.actor.typed.PostStop.class, s -> {
                    closeQuietly();
                    return this;
                })
                .build();
    }

    private Behavior<Command> onEpisode(EpisodeFinished e) {
        episodes++;
        envStepsProduced += e.length();
        recentReturns.addLast(e.episodeReturn());
        if (recentReturns.size() > 100) {
            recentReturns.removeFirst();
        }
        publish("episode_return", episodes, e.episodeReturn(), Map.of("worker", Integer.toString(e.worker()),
                "length", Integer.toString(e.length()), "env", ctx.config().simulator().envName(), "node", e.node()));
        return this;
    }

    private Behavior<Command> onUpdate(UpdateDone u) {
        last = u;
        Map<String, Object> row = baseRow("update");
        row.put("applied", u.applied());
        for (Map.Entry<String, Double> s : u.stats().entrySet()) {
            row.put(s.getKey(), s.getValue());
        }
        write(row);
        publish("policy_version", u.envSteps(), u.version(), Map.of());
        publish("mean_return_100", u.envSteps(), meanReturn(), Map.of());
        // The learner's figures for monitors and dashboards (the Prometheus counters and gauges).
        publish("env_steps_trained", u.envSteps(), u.envSteps(), Map.of());
        publish("chunks_trained", u.envSteps(), u.chunksTrained(), Map.of());
        publish("chunks_dropped_stale", u.envSteps(), u.chunksDroppedStale(), Map.of());
        publish("lag_p50", u.envSteps(), u.lagP50(), Map.of());
        publish("lag_p99", u.envSteps(), u.lagP99(), Map.of());
        publish("e2e_ms_p50", u.envSteps(), u.e2eMsP50(), Map.of());
        publish("e2e_ms_p99", u.envSteps(), u.e2eMsP99(), Map.of());
        return this;
    }

    /**
     * One judged group: a {@code judge} row in metrics.jsonl and the running figures on the metrics topic
     * (step = groups scored), so monitors see the judge's swap consistency, the reward–length correlation
     * and the filtered fraction while the run trains.
     */
    private Behavior<Command> onJudgeGroup(JudgeGroupScored j) {
        judge.add(j.figures());
        Map<String, Object> row = baseRow("judge");
        row.put("scorer", j.scorer());
        row.put("sampled_policy_version", j.figures().policyVersion());
        row.put("group_filtered", j.figures().filtered());
        write(row);
        long step = judge.groups();
        Map<String, String> tags = Map.of("model", j.figures().model());
        publish("judge_swap_consistency", step, judge.swapConsistency(), tags);
        publish("judge_reward_length_corr", step, judge.rewardLengthCorrelation(), tags);
        publish("judge_groups_filtered_frac", step, judge.groupsFilteredFraction(), tags);
        publish("judge_mean_length", step, j.figures().meanLength(), tags);
        publish("judge_explanation_tokens", step, j.figures().meanExplanationTokens(), tags);
        return this;
    }

    private Behavior<Command> onNote(Note n) {
        Map<String, Object> row = baseRow(n.kind());
        row.putAll(n.fields());
        write(row);
        System.err.println("[tributary] " + n.kind() + " " + JsonIo.write(n.fields()));
        // Notes feed the dashboard's pool-health panel: the kind and the fields as tags.
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("kind", n.kind());
        for (Map.Entry<String, Object> f : n.fields().entrySet()) {
            String v = String.valueOf(f.getValue()).replace('\n', ' ');
            tags.put(f.getKey(), v.length() > 300 ? v.substring(0, 300) : v);
        }
        publish("note", episodes, 1.0, tags);
        return this;
    }

    private Behavior<Command> onTick() {
        long now = System.currentTimeMillis();
        long trained = last == null ? 0 : last.envSteps();
        double sps = (envStepsProduced - lastTickSteps) * 1000.0 / Math.max(1, now - lastTickMillis);
        lastTickSteps = envStepsProduced;
        lastTickMillis = now;
        String line = String.format("[%s] %6.0fs | steps %,d (trained %,d) | %,.0f steps/s | episodes %,d | "
                        + "return(100) %.1f | policy v%d | lag p50/p99 %.0f/%.0f | e2e ms p50/p99 %.1f/%.1f",
                ctx.runId(), (now - startMillis) / 1000.0, envStepsProduced, trained, sps, episodes, meanReturn(),
                last == null ? 0 : last.version(), last == null ? 0 : last.lagP50(), last == null ? 0 : last.lagP99(),
                last == null ? 0 : last.e2eMsP50(), last == null ? 0 : last.e2eMsP99());
        if (tty) {
            System.err.print("\r" + line + "   ");
        } else {
            System.err.println(line);
        }
        publish("env_steps_per_second", envStepsProduced, sps, Map.of());
        publish("env_steps_produced", envStepsProduced, envStepsProduced, Map.of());
        publish("episodes", envStepsProduced, episodes, Map.of());
        Map<String, Object> row = baseRow("progress");
        row.put("env_steps_per_second", sps);
        write(row);
        return this;
    }

    private Map<String, Object> baseRow(String kind) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("kind", kind);
        row.put("wall_seconds", (System.currentTimeMillis() - ctx.jvmStartMillis()) / 1000.0);
        row.put("env_steps_produced", envStepsProduced);
        row.put("env_steps", last == null ? 0 : last.envSteps());
        row.put("episodes", episodes);
        row.put("mean_return_100", recentReturns.isEmpty() ? null : meanReturn());
        row.put("policy_version", last == null ? 0 : last.version());
        if (last != null) {
            row.put("chunks_trained", last.chunksTrained());
            row.put("chunks_dropped_stale", last.chunksDroppedStale());
            row.put("lag_p50", last.lagP50());
            row.put("lag_p99", last.lagP99());
            row.put("e2e_latency_ms_p50", last.e2eMsP50());
            row.put("e2e_latency_ms_p99", last.e2eMsP99());
        }
        // Runs scored by a judge carry its running figures on every row (empty before the first judged group).
        row.putAll(judge.fields());
        return row;
    }

    private double meanReturn() {
        if (recentReturns.isEmpty()) {
            return Double.NaN;
        }
        double s = 0;
        for (double r : recentReturns) {
            s += r;
        }
        return s / recentReturns.size();
    }

    private void write(Map<String, Object> row) {
        try {
            jsonl.write(JsonIo.write(row));
            jsonl.write('\n');
            jsonl.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics.jsonl in " + ctx.runDir(), e);
        }
    }

    private void publish(String name, long step, double value, Map<String, String> tags) {
        if (!Double.isFinite(value)) {
            return;
        }
        MetricEvent ev = new MetricEvent(ctx.runId(), name, step, value, System.currentTimeMillis() * 1000L, tags);
        ctx.streams().metrics().publish(ev, ex ->
                getContext().getLog().warn("metric event not delivered: name={}, cause={}", name, ex.toString()));
    }

    private void closeQuietly() {
        try {
            jsonl.close();
        } catch (IOException e) {
            getContext().getLog().warn("cannot close metrics.jsonl: {}", e.toString());
        }
    }
}
