package io.tributary.streams.kafka;

/**
 * One record of a run's policy topic: the version it names and the time its publisher stamped on it
 * (the record's create time), for measuring how steadily a run applied updates (e.g. stalls while a
 * learner moved between nodes).
 *
 * @param offset      offset in the policy topic
 * @param version     policy version (the record's key)
 * @param timestampMs the record's timestamp, epoch milliseconds
 */
public record PolicyPublication(long offset, long version, long timestampMs) {
    /** Checks the fields. */
    public PolicyPublication {
        if (offset < 0 || version < 0 || timestampMs < 0) {
            throw new IllegalArgumentException("policy publication fields must be >= 0: offset=" + offset + ", version="
                    + version + ", timestampMs=" + timestampMs);
        }
    }
}
