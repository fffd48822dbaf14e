package io.tributary.streams.codec;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One metric sample on a run's metrics topic (reward stream, latencies, losses), read by the monitor,
 * the dashboard and the Prometheus exporter.
 *
 * @param runId           run that produced it
 * @param name            metric name, e.g. {@code reward.mean}
 * @param step            step the value belongs to (learner update or environment step count)
 * @param value           sample value, finite
 * @param timestampMicros wall-clock time of the sample, epoch microseconds
 * @param tags            extra dimensions (worker, env, reward model); kept sorted by key so equal
 *                        events encode to equal bytes
 */
public record MetricEvent(String runId, String name, long step, double value, long timestampMicros,
                          Map<String, String> tags) {
    public MetricEvent {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tags, "tags (use an empty map)");
        if (runId.isEmpty()) {
            throw new IllegalArgumentException("runId must not be empty: name=" + name);
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name must not be empty: runId=" + runId);
        }
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0: name=" + name + ", step=" + step);
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value must be finite: name=" + name + ", value=" + value);
        }
        if (timestampMicros < 0) {
            throw new IllegalArgumentException("timestampMicros must be >= 0: name=" + name
                    + ", timestampMicros=" + timestampMicros);
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            String key = tag.getKey();
            if (key == null || key.isEmpty()) {
                throw new IllegalArgumentException("tag key must not be null or empty: name=" + name + ", key=" + key);
            }
            if (tag.getValue() == null) {
                throw new IllegalArgumentException("tag value must not be null: name=" + name + ", key=" + key);
            }
            sorted.put(key, tag.getValue());
        }
        tags = Collections.unmodifiableMap(sorted);
    }

    /** An event without tags. */
    public MetricEvent(String runId, String name, long step, double value, long timestampMicros) {
        this(runId, name, step, value, timestampMicros, Map.of());
    }
}
