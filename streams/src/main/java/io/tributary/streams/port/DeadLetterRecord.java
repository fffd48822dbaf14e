package io.tributary.streams.port;

import java.util.Objects;

/**
 * One record of a run's dead-letter topic as a monitor shows it: the stage that rejected it, why, and
 * where it came from (the original bytes stay in the topic).
 *
 * @param stage           stage that rejected the record (for example {@code decode}, {@code train})
 * @param reason          human-readable reason
 * @param sourceTopic     topic the record was read from
 * @param sourceOffset    offset it had there, or -1 when unknown
 * @param timestampMillis time the dead-letter record was written, epoch ms
 */
public record DeadLetterRecord(String stage, String reason, String sourceTopic, long sourceOffset, long timestampMillis) {
    public DeadLetterRecord {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(sourceTopic, "sourceTopic");
        if (timestampMillis < 0) {
            throw new IllegalArgumentException("timestampMillis must be >= 0: stage=" + stage
                    + ", timestampMillis=" + timestampMillis);
        }
    }
}
