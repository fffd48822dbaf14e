package io.tributary.streams.port;

import io.tributary.simulator.rollout.TrajectoryChunk;
import java.util.function.Consumer;

/** Where rollout workers send trajectory chunks (the run's rollouts topic); thread-safe, shared by the workers. */
public interface RolloutSink {
    /**
     * Sends {@code chunk} without waiting for the broker; a delivery that fails later calls
     * {@code onFailure} on a client thread (hand it to the caller's own thread, do not block there).
     */
    void send(TrajectoryChunk chunk, Consumer<Throwable> onFailure);

    /** Blocks until every chunk sent so far is delivered or has failed. */
    void flush();
}
