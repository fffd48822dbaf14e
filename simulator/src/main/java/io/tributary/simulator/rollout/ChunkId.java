package io.tributary.simulator.rollout;

import java.util.Objects;
import java.util.UUID;

/**
 * Identity of a trajectory chunk: (run, worker incarnation, sequence). A restarted worker gets a new
 * incarnation UUID, so ids never repeat across restarts; the ledger and the accounts count these.
 */
public record ChunkId(String runId, UUID workerIncarnation, long sequence) {
    public ChunkId {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(workerIncarnation, "workerIncarnation");
        if (runId.isEmpty()) {
            throw new IllegalArgumentException("runId must not be empty");
        }
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must be >= 0: sequence=" + sequence);
        }
    }

    /** Compact text form {@code <incarnation>/<sequence>} used as the Kafka record key and in the ledger. */
    public String key() {
        return workerIncarnation + "/" + sequence;
    }

    @Override
    public String toString() {
        return runId + "/" + key();
    }
}
