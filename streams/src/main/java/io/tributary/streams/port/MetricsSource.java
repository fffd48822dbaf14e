package io.tributary.streams.port;

import io.tributary.streams.codec.MetricEvent;
import java.util.List;

/**
 * Reads a run's metric events from the start of its metrics topic and then follows it (for monitors and
 * dashboards); one owner thread. Records that do not decode are dead-lettered and skipped.
 */
public interface MetricsSource extends AutoCloseable {
    /** Polls once; returns the events that arrived (possibly none, also when woken up). */
    List<MetricEvent> poll();

    /** Makes a blocked {@link #poll} return early; callable from any thread. */
    void wakeup();

    @Override
    void close();
}
