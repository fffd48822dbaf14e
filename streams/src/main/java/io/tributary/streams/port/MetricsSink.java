package io.tributary.streams.port;

import io.tributary.streams.codec.MetricEvent;
import java.util.function.Consumer;

/** Streams metric events to a run's metrics topic; thread-safe. */
public interface MetricsSink {
    /** Sends {@code event} without waiting; a delivery that fails later calls {@code onFailure} on a client thread. */
    void publish(MetricEvent event, Consumer<Throwable> onFailure);
}
