package io.tributary.actors.dashboard;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tributary.report.JsonIo;
import io.tributary.streams.codec.MetricEvent;
import io.tributary.streams.port.DeadLetterRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a monitor knows about one run, built from its metric events and dead letters: the latest
 * figures (for the terminal table), the Prometheus registry behind {@code /metrics}, and the events as
 * JSON lines for {@code /events} (a bounded history replayed to each new page, then live). Thread-safe:
 * one follower thread feeds it, HTTP handlers and the terminal read it.
 */
public final class MetricsHub {
    /** Name of the event that the end of a run publishes after its final {@code final.<key>} figures. */
    public static final String RUN_FINISHED = "run_finished";
    /** Prefix of the final figures (one event per numeric key of summary.json). */
    public static final String FINAL_PREFIX = "final.";

    /** Receives the hub's events as JSON text; returns false once it is closed, so the hub forgets it. */
    public interface Listener {
        /** Offers one event; may drop it when the listener is slow. */
        boolean offer(String json);
    }

    /** A listener's start: the history to send first; every later event goes to the listener. */
    public record Subscription(List<String> backlog) {
    }

    /**
     * The latest figures of a run.
     *
     * @param values       latest value of each untagged metric, by name (final figures included)
     * @param episodes     episodes seen
     * @param deadLetters  dead-letter records seen
     * @param lastReason   reason of the newest dead letter, or null
     * @param finished     true once the run's {@value #RUN_FINISHED} event arrived
     * @param events       events seen in all
     */
    public record Figures(Map<String, Double> values, long episodes, long deadLetters, String lastReason,
                          boolean finished, long events) {
        /** The value of {@code name}, or NaN. */
        public double get(String name) {
            Double v = values.get(name);
            return v == null ? Double.NaN : v;
        }

        /** The final figures (summary.json keys without the prefix). */
        public Map<String, Double> finals() {
            Map<String, Double> out = new TreeMap<>();
            for (Map.Entry<String, Double> e : values.entrySet()) {
                if (e.getKey().startsWith(FINAL_PREFIX)) {
                    out.put(e.getKey().substring(FINAL_PREFIX.length()), e.getValue());
                }
            }
            return out;
        }
    }

    /** Cumulative figures that Prometheus sees as counters: event name -> meter name and role. */
    private static final Map<String, String[]> COUNTERS = Map.of(
            "env_steps_produced", new String[] {"tributary.env.steps.produced", "worker"},
            "env_steps_trained", new String[] {"tributary.env.steps.trained", "learner"},
            "episodes", new String[] {"tributary.episodes", "worker"},
            "chunks_produced", new String[] {"tributary.chunks.produced", "worker"},
            "chunks_trained", new String[] {"tributary.chunks.trained", "learner"},
            "chunks_dropped_stale", new String[] {"tributary.chunks.dropped", "learner"});
    /** Figures that Prometheus sees as gauges. */
    private static final Map<String, String[]> GAUGES = Map.of(
            "episode_return", new String[] {"tributary.episode.return", "worker", ""},
            "mean_return_100", new String[] {"tributary.return.mean100", "worker", ""},
            "policy_version", new String[] {"tributary.policy.version", "learner", ""},
            "env_steps_per_second", new String[] {"tributary.env.steps.per.second", "worker", ""},
            "lag_p50", new String[] {"tributary.policy.lag", "learner", "0.5"},
            "lag_p99", new String[] {"tributary.policy.lag", "learner", "0.99"});
    /** Latency percentiles (ms) that Prometheus sees as time gauges. */
    private static final Map<String, String> LATENCIES = Map.of("e2e_ms_p50", "0.5", "e2e_ms_p99", "0.99");

    private final String runId;
    private final int historyLimit;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, double[]> cells = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLetterCounters = new ConcurrentHashMap<>();
    private final Timer eventDelay;
    private final Counter eventsCounter;
    private final ArrayDeque<String> history = new ArrayDeque<>();
    private final List<Listener> listeners = new ArrayList<>();
    private final Map<String, Double> latest = new LinkedHashMap<>();
    private final AtomicLong events = new AtomicLong();
    private long episodes;
    private long deadLetters;
    private String lastReason;
    private boolean finished;
    private long chunksProduced = -1;

    /** A hub for run {@code runId} that keeps at most {@code historyLimit} events for late pages. */
    public MetricsHub(String runId, int historyLimit) {
        if (historyLimit < 1) {
            throw new IllegalArgumentException("historyLimit must be >= 1: runId=" + runId + ", historyLimit=" + historyLimit);
        }
        this.runId = runId;
        this.historyLimit = historyLimit;
        registry.config().commonTags("run", runId);
        for (Map.Entry<String, String[]> c : COUNTERS.entrySet()) {
            double[] cell = cell(c.getKey());
            cell[0] = 0;
            FunctionCounter.builder(c.getValue()[0], cell, x -> x[0]).tags(Tags.of("role", c.getValue()[1]))
                    .description("cumulative " + c.getKey().replace('_', ' ')).register(registry);
        }
        for (Map.Entry<String, String[]> g : GAUGES.entrySet()) {
            double[] cell = cell(g.getKey());
            Tags tags = Tags.of("role", g.getValue()[1]);
            if (!g.getValue()[2].isEmpty()) {
                tags = tags.and("quantile", g.getValue()[2]);
            }
            Gauge.builder(g.getValue()[0], cell, x -> x[0]).tags(tags).description("latest " + g.getKey().replace('_', ' '))
                    .register(registry);
        }
        for (Map.Entry<String, String> l : LATENCIES.entrySet()) {
            double[] cell = cell(l.getKey());
            TimeGauge.builder("tributary.chunk.e2e.latency", cell, TimeUnit.MILLISECONDS, x -> x[0])
                    .tags(Tags.of("role", "learner", "quantile", l.getValue()))
                    .description("chunk completed by a worker -> taken by the learner").register(registry);
        }
        eventDelay = Timer.builder("tributary.metric.event.delay").tags(Tags.of("role", "monitor"))
                .description("metric event produced -> received by this monitor").publishPercentiles(0.5, 0.99)
                .register(registry);
        eventsCounter = Counter.builder("tributary.metric.events").tags(Tags.of("role", "monitor"))
                .description("metric events received").register(registry);
    }

    private double[] cell(String name) {
        return cells.computeIfAbsent(name, k -> new double[] {Double.NaN});
    }

    /** The run this hub watches. */
    public String runId() {
        return runId;
    }

    /** Takes one metric event from the run's metrics topic. */
    public void accept(MetricEvent e) {
        long delayMicros = System.currentTimeMillis() * 1000L - e.timestampMicros();
        eventDelay.record(Math.max(0, delayMicros), TimeUnit.MICROSECONDS);
        eventsCounter.increment();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", "metric");
        json.put("name", e.name());
        json.put("step", e.step());
        json.put("value", e.value());
        json.put("ts", e.timestampMicros());
        json.put("tags", e.tags());
        synchronized (this) {
            if (e.name().equals("episode_return")) {
                episodes = Math.max(episodes + 1, e.step());
                cell("episodes")[0] = episodes;
            }
            double[] cell = cells.get(e.name());
            if (cell != null && (e.tags().isEmpty() || e.name().equals("episode_return"))) {
                cell[0] = COUNTERS.containsKey(e.name()) && Double.isFinite(cell[0]) ? Math.max(cell[0], e.value()) : e.value();
            }
            if (e.tags().isEmpty()) {
                latest.put(e.name(), e.value());
            }
            if (e.name().equals(RUN_FINISHED)) {
                finished = true;
            }
            publish(JsonIo.write(json));
        }
    }

    /** Takes one record of the run's dead-letter topic. */
    public void accept(DeadLetterRecord d) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", "dead_letter");
        json.put("stage", d.stage());
        json.put("reason", d.reason());
        json.put("source_topic", d.sourceTopic());
        json.put("source_offset", d.sourceOffset());
        json.put("ts", d.timestampMillis() * 1000L);
        deadLetterCounters.computeIfAbsent(d.stage(), s -> Counter.builder("tributary.chunks.dead.lettered")
                .tags(Tags.of("role", roleOfStage(s), "stage", s)).description("records sent to the dead-letter topic")
                .register(registry)).increment();
        synchronized (this) {
            deadLetters++;
            lastReason = d.reason();
            json.put("count", deadLetters);
            publish(JsonIo.write(json));
        }
    }

    /** Takes the count of records in the rollouts topic; publishes it as {@code chunks_produced} when it changed. */
    public void rolloutRecords(long records) {
        boolean changed;
        synchronized (this) {
            changed = records != chunksProduced;
            chunksProduced = records;
        }
        if (changed) {
            accept(new MetricEvent(runId, "chunks_produced", records, records, System.currentTimeMillis() * 1000L));
        }
    }

    private static String roleOfStage(String stage) {
        if (stage.contains("train")) {
            return "learner";
        }
        if (stage.contains("metrics")) {
            return "monitor";
        }
        return stage.contains("policy") ? "worker" : "scorer";
    }

    private void publish(String json) {
        events.incrementAndGet();
        history.addLast(json);
        if (history.size() > historyLimit) {
            history.removeFirst();
        }
        listeners.removeIf(l -> !l.offer(json));
    }

    /** Registers {@code l} for every later event; returns the history to send it first. */
    public synchronized Subscription subscribe(Listener l) {
        listeners.add(l);
        return new Subscription(new ArrayList<>(history));
    }

    /** Forgets {@code l}. */
    public synchronized void unsubscribe(Listener l) {
        listeners.remove(l);
    }

    /** Pages listening now. */
    public synchronized int listeners() {
        return listeners.size();
    }

    /** The latest figures. */
    public synchronized Figures figures() {
        return new Figures(new LinkedHashMap<>(latest), episodes, deadLetters, lastReason, finished, events.get());
    }

    /** The registry's content in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    /** The content type of {@link #scrape()}. */
    public static String scrapeContentType() {
        return "text/plain; version=0.0.4; charset=utf-8";
    }
}
