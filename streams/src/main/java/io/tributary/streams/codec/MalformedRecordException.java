package io.tributary.streams.codec;

/**
 * A record read from a topic could not be decoded: the bytes are truncated, inconsistent, of another
 * type or schema version, or hold values the record's own validation rejects. Carries where the record
 * came from, so a consumer can route it to the dead-letter topic with the reason instead of crashing.
 */
public final class MalformedRecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final int partition;
    private final long offset;
    private final String reason;

    /**
     * Creates the exception for a record at (topic, partition, offset); use {@code null}, -1, -1 when
     * the bytes did not come from a topic.
     */
    public MalformedRecordException(String topic, int partition, long offset, String reason) {
        this(topic, partition, offset, reason, null);
    }

    /** As {@link #MalformedRecordException(String, int, long, String)}, keeping the exception that exposed the problem. */
    public MalformedRecordException(String topic, int partition, long offset, String reason, Throwable cause) {
        super("malformed record: topic=" + topic + ", partition=" + partition + ", offset=" + offset
                + ", reason=" + reason, cause);
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.reason = reason;
    }

    /** Topic the record was read from, or {@code null} if unknown. */
    public String topic() {
        return topic;
    }

    /** Partition the record was read from, or -1 if unknown. */
    public int partition() {
        return partition;
    }

    /** Offset of the record in its partition, or -1 if unknown. */
    public long offset() {
        return offset;
    }

    /** What is wrong with the bytes, as key=value text. */
    public String reason() {
        return reason;
    }
}
