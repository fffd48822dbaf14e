package io.tributary.streams.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds dead-letter records: the original bytes unchanged as the value, and where they came from and
 * why they failed in headers, so nothing is lost and a fixed reader can replay them.
 */
public final class DeadLetters {
    /** Header holding the human-readable reason. */
    public static final String REASON = "tributary.reason";
    /** Header holding the stage that rejected the record (decode, score, train). */
    public static final String STAGE = "tributary.stage";
    /** Header holding the source topic. */
    public static final String SOURCE_TOPIC = "tributary.source.topic";
    /** Header holding the source partition. */
    public static final String SOURCE_PARTITION = "tributary.source.partition";
    /** Header holding the source offset. */
    public static final String SOURCE_OFFSET = "tributary.source.offset";

    private DeadLetters() {
    }

    /** A dead-letter record for {@code value} read at topic/partition/offset, rejected at {@code stage}. */
    public static ProducerRecord<byte[], byte[]> record(String dlqTopic, String stage, String sourceTopic, int partition,
                                                        long offset, byte[] key, byte[] value, String reason) {
        RecordHeaders h = new RecordHeaders();
        h.add(REASON, utf8(reason == null ? "unknown" : reason));
        h.add(STAGE, utf8(stage));
        h.add(SOURCE_TOPIC, utf8(sourceTopic));
        h.add(SOURCE_PARTITION, utf8(Integer.toString(partition)));
        h.add(SOURCE_OFFSET, utf8(Long.toString(offset)));
        return new ProducerRecord<>(dlqTopic, null, key, value == null ? new byte[0] : value, h);
    }

    /** The text of header {@code name}, or null. */
    public static String header(Iterable<Header> headers, String name) {
        String v = null;
        for (Header h : headers) {
            if (h.key().equals(name)) {
                v = new String(h.value(), StandardCharsets.UTF_8);
            }
        }
        return v;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
