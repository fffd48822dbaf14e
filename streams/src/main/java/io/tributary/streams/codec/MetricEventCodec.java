package io.tributary.streams.codec;

import java.util.Map;
import java.util.TreeMap;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Binary codec for {@link MetricEvent}: a 32-byte header (tag count, step, value, timestamp), then
 * runId, name and the tags as UTF-8 key/value pairs in ascending key order. Decoding insists on that
 * order, which also rules out duplicate keys. Metric events are low-rate, so there is no flyweight;
 * encoding a tagged event may allocate the tag map's iterator.
 */
public final class MetricEventCodec {
    static final int VERSION = 0;
    static final int TYPE = 1;
    static final int RESERVED = 2;
    static final int TAG_COUNT = 4;
    static final int STEP = 8;
    static final int VALUE = 16;
    static final int TIMESTAMP = 24;
    /** Bytes before the first string. */
    public static final int FIXED_HEADER_LENGTH = 32;

    private MetricEventCodec() {
    }

    /** Exact number of bytes {@link #encode(MetricEvent, MutableDirectBuffer, int)} writes for {@code event}. */
    public static int encodedLength(MetricEvent event) {
        long length = FIXED_HEADER_LENGTH + 8L + Wire.utf8Length(event.runId(), "runId")
                + Wire.utf8Length(event.name(), "name");
        for (Map.Entry<String, String> tag : event.tags().entrySet()) {
            length += 8L + Wire.utf8Length(tag.getKey(), "tag key") + Wire.utf8Length(tag.getValue(), "tag value");
        }
        return Wire.checkedLength(length, "metric event");
    }

    /** Writes {@code event} at {@code index} and returns the bytes written. */
    public static int encode(MetricEvent event, MutableDirectBuffer buffer, int index) {
        int length = encodedLength(event);
        Wire.ensureCapacity(buffer, index, length);
        buffer.putByte(index + VERSION, (byte) WireFormat.SCHEMA_VERSION);
        buffer.putByte(index + TYPE, (byte) RecordType.METRIC_EVENT.tag());
        buffer.putShort(index + RESERVED, (short) 0, Wire.LE);
        buffer.putInt(index + TAG_COUNT, event.tags().size(), Wire.LE);
        buffer.putLong(index + STEP, event.step(), Wire.LE);
        buffer.putDouble(index + VALUE, event.value(), Wire.LE);
        buffer.putLong(index + TIMESTAMP, event.timestampMicros(), Wire.LE);
        int p = index + FIXED_HEADER_LENGTH;
        p = Wire.putString(buffer, p, event.runId(), (int) Wire.utf8Length(event.runId(), "runId"));
        p = Wire.putString(buffer, p, event.name(), (int) Wire.utf8Length(event.name(), "name"));
        for (Map.Entry<String, String> tag : event.tags().entrySet()) {
            p = Wire.putString(buffer, p, tag.getKey(), (int) Wire.utf8Length(tag.getKey(), "tag key"));
            p = Wire.putString(buffer, p, tag.getValue(), (int) Wire.utf8Length(tag.getValue(), "tag value"));
        }
        return p - index;
    }

    /** Encodes {@code event} into a new array of exactly {@link #encodedLength} bytes. */
    public static byte[] encode(MetricEvent event) {
        byte[] bytes = new byte[encodedLength(event)];
        encode(event, new UnsafeBuffer(bytes), 0);
        return bytes;
    }

    /** Decodes the {@code length} bytes at {@code index}; any defect becomes a {@link MalformedRecordException}. */
    public static MetricEvent decode(DirectBuffer buffer, int index, int length, String topic, int partition,
                                     long offset) {
        WireReader r = new WireReader();
        r.reset(buffer, index, length, topic, partition, offset);
        r.header(RecordType.METRIC_EVENT, FIXED_HEADER_LENGTH);
        if ((r.u8(RESERVED) | r.u8(RESERVED + 1)) != 0) {
            throw r.fail("reserved header bytes are not zero");
        }
        int tagCount = r.i32(TAG_COUNT);
        int remaining = length - FIXED_HEADER_LENGTH;
        // Each tag needs at least its two length prefixes; checking that first bounds the loop below.
        if (tagCount < 0 || (long) tagCount * 8 > remaining) {
            throw r.fail("tag count out of range: tagCount=" + tagCount + ", remaining=" + remaining);
        }
        String runId = string(r, buffer, "runId");
        String name = string(r, buffer, "name");
        TreeMap<String, String> tags = new TreeMap<>();
        String previous = null;
        for (int i = 0; i < tagCount; i++) {
            String key = string(r, buffer, "tag key");
            String value = string(r, buffer, "tag value");
            if (previous != null && previous.compareTo(key) >= 0) {
                throw r.fail("tag keys must be strictly ascending: index=" + i + ", previous=" + previous + ", key=" + key);
            }
            tags.put(key, value);
            previous = key;
        }
        r.finish();
        try {
            return new MetricEvent(runId, name, r.i64(STEP), r.f64(VALUE), r.i64(TIMESTAMP), tags);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw r.rejected(e);
        }
    }

    /** Decodes a whole array, e.g. a Kafka record value; a {@code null} value is malformed. */
    public static MetricEvent decode(byte[] bytes, String topic, int partition, long offset) {
        if (bytes == null) {
            throw new MalformedRecordException(topic, partition, offset, "null record value");
        }
        return decode(new UnsafeBuffer(bytes), 0, bytes.length, topic, partition, offset);
    }

    private static String string(WireReader r, DirectBuffer buffer, String field) {
        int first = r.string(field);
        return buffer.getStringWithoutLengthUtf8(first, r.lastLength());
    }
}
