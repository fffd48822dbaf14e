package io.tributary.streams.port;

import io.tributary.learner.PolicySnapshot;

/** Publishes policy snapshots to a run's policy topic. */
public interface PolicySink {
    /** Publishes {@code snapshot} and returns once it is durable; a failure throws {@link StreamsException}. */
    void publish(PolicySnapshot snapshot);
}
