package io.tributary.actors.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.report.JsonIo;
import io.tributary.streams.codec.MetricEvent;
import io.tributary.streams.port.MetricsSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The end of a run on its metrics topic: one {@code final.<key>} event per numeric key of its
 * summary.json, then {@value MetricsHub#RUN_FINISHED}, so a monitor that replays a finished run shows
 * the figures the run wrote.
 */
public final class FinalFigures {
    private FinalFigures() {
    }

    /** The events for run {@code runId}'s {@code summary.json}. */
    public static List<MetricEvent> events(String runId, Path summaryJson) {
        JsonNode s = JsonIo.readObject(summaryJson);
        long now = System.currentTimeMillis() * 1000L;
        long step = Math.max(0, s.path("env_steps").asLong());
        List<MetricEvent> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getValue().isNumber() && Double.isFinite(f.getValue().asDouble())) {
                out.add(new MetricEvent(runId, MetricsHub.FINAL_PREFIX + f.getKey(), step, f.getValue().asDouble(), now));
            }
        }
        out.add(new MetricEvent(runId, MetricsHub.RUN_FINISHED, step, 1.0, now));
        return out;
    }

    /**
     * Publishes the events of {@code summaryJson}; a failed delivery is reported on stderr (the run's
     * files hold the same figures, so the run itself does not fail for it).
     */
    public static void publish(MetricsSink sink, String runId, Path summaryJson) {
        AtomicReference<Throwable> failed = new AtomicReference<>();
        for (MetricEvent e : events(runId, summaryJson)) {
            sink.publish(e, ex -> {
                if (failed.compareAndSet(null, ex)) {
                    System.err.println("[tributary] final figures not delivered to the metrics topic: " + ex);
                }
            });
        }
    }
}
