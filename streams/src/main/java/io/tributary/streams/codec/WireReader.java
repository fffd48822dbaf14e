package io.tributary.streams.codec;

import org.agrona.DirectBuffer;

/**
 * Validating cursor over one encoded record. Every length is checked against the bytes that remain
 * before anything trusts it, so corrupt input ends as a {@link MalformedRecordException} and never as
 * an out-of-bounds read or a huge allocation. Reused by a flyweight across records: nothing is
 * allocated unless the record is malformed.
 */
final class WireReader {
    private DirectBuffer buffer;
    private int start;
    private int end;
    private int pos;
    private int lastLength;
    private String topic;
    private int partition;
    private long offset;

    /** Starts reading {@code length} bytes at {@code index}, remembering where they came from for error reports. */
    void reset(DirectBuffer buffer, int index, int length, String topic, int partition, long offset) {
        this.buffer = null;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        if (buffer == null) {
            throw fail("null buffer");
        }
        if (index < 0 || length < 0 || (long) index + length > buffer.capacity()) {
            throw fail("region outside the buffer: index=" + index + ", length=" + length
                    + ", capacity=" + buffer.capacity());
        }
        this.buffer = buffer;
        this.start = index;
        this.end = index + length;
        this.pos = index;
    }

    /**
     * Checks the schema version, then the type tag, then that the fixed header is present. The version
     * comes first so a record from a newer writer is reported as such, not as a garbled one.
     */
    void header(RecordType expected, int fixedLength) {
        header(expected, fixedLength, WireFormat.SCHEMA_VERSION);
    }

    /**
     * As {@link #header(RecordType, int)}, for a record type whose own schema version has moved past
     * {@link WireFormat#SCHEMA_VERSION}: only {@code supportedVersion} is accepted.
     */
    void header(RecordType expected, int fixedLength, int supportedVersion) {
        int length = end - start;
        if (length < 1) {
            throw fail("empty record");
        }
        int version = buffer.getByte(start + WireFormat.VERSION_OFFSET) & 0xFF;
        if (version != supportedVersion) {
            throw fail("unsupported schema version: version=" + version + ", supported=" + supportedVersion);
        }
        if (length < 2) {
            throw fail("truncated: field=type, needed=2, length=" + length);
        }
        int tag = buffer.getByte(start + WireFormat.TYPE_OFFSET) & 0xFF;
        if (tag != expected.tag()) {
            RecordType actual = RecordType.fromTag(tag);
            throw fail("wrong record type: type=" + tag + (actual == null ? " (unknown)" : " (" + actual + ")")
                    + ", expected=" + expected.tag() + " (" + expected + ")");
        }
        if (length < fixedLength) {
            throw fail("truncated: field=header, needed=" + fixedLength + ", length=" + length);
        }
        pos = start + fixedLength;
    }

    /** Absolute index of the record's first byte. */
    int start() {
        return start;
    }

    /** Byte at {@code rel} inside the already checked fixed header. */
    int u8(int rel) {
        return buffer.getByte(start + rel) & 0xFF;
    }

    /** int32 at {@code rel} inside the already checked fixed header. */
    int i32(int rel) {
        return buffer.getInt(start + rel, Wire.LE);
    }

    /** int64 at {@code rel} inside the already checked fixed header. */
    long i64(int rel) {
        return buffer.getLong(start + rel, Wire.LE);
    }

    /** float64 at {@code rel} inside the already checked fixed header. */
    double f64(int rel) {
        return buffer.getDouble(start + rel, Wire.LE);
    }

    /**
     * Reads an int32 count and checks it: not negative, equal to {@code expected} unless that is -1,
     * and its elements within the remaining bytes. Returns the index of the first element and leaves
     * the count in {@link #lastLength()}.
     */
    int array(String field, int elementBytes, long expected) {
        int count = count(field);
        if (expected >= 0 && count != expected) {
            throw fail(field + " length mismatch: length=" + count + ", expected=" + expected);
        }
        return elements(field, count, (long) count * elementBytes);
    }

    /** Reads a packed boolean section of {@code expected} flags and checks its unused high bits are zero. */
    int bits(String field, long expected) {
        int count = count(field);
        if (count != expected) {
            throw fail(field + " length mismatch: length=" + count + ", expected=" + expected);
        }
        int first = elements(field, count, Wire.bitBytes(count));
        int used = count & 7;
        if (used != 0) {
            int last = buffer.getByte(first + (count >>> 3)) & 0xFF;
            if ((last >>> used) != 0) {
                throw fail(field + " has bits set past its length: length=" + count);
            }
        }
        return first;
    }

    /** Reads an int32 byte length + UTF-8 string and checks the bytes are well-formed; returns the first byte's index. */
    int string(String field) {
        int count = count(field);
        int first = elements(field, count, count);
        int bad = Wire.invalidUtf8Index(buffer, first, count);
        if (bad >= 0) {
            throw fail(field + " is not valid UTF-8: byteIndex=" + bad + ", length=" + count);
        }
        return first;
    }

    /** Skips a nested record of {@code length} bytes after checking it is present; returns its first byte's index. */
    int nested(String field, int length) {
        if (length < 0) {
            throw fail(field + " length is negative: length=" + length);
        }
        return elements(field, length, length);
    }

    /** Count read by the last {@link #array}, {@link #bits} or {@link #string}. */
    int lastLength() {
        return lastLength;
    }

    /** Checks that the record ends exactly where its last section ends. */
    void finish() {
        if (pos != end) {
            throw fail("trailing bytes after the last field: count=" + (end - pos));
        }
    }

    /** An exception naming this record's source; the caller throws it. */
    MalformedRecordException fail(String reason) {
        return new MalformedRecordException(topic, partition, offset, reason);
    }

    /** Turns a record constructor's rejection into a malformed-record report. */
    MalformedRecordException rejected(RuntimeException e) {
        return new MalformedRecordException(topic, partition, offset, "record rejected: " + e.getMessage(), e);
    }

    /** Index of the next unread byte. */
    int position() {
        return pos;
    }

    /** Reads an int32 count (not negative, and at least 4 bytes must remain for it). */
    int count(String field) {
        if (end - pos < 4) {
            throw fail("truncated: field=" + field + ", needed=4, remaining=" + (end - pos));
        }
        int count = buffer.getInt(pos, Wire.LE);
        if (count < 0) {
            throw fail(field + " length is negative: length=" + count);
        }
        pos += 4;
        return count;
    }

    private int elements(String field, int count, long bytes) {
        int remaining = end - pos;
        if (bytes > remaining) {
            throw fail(field + " length exceeds the remaining bytes: length=" + count + ", bytes=" + bytes
                    + ", remaining=" + remaining);
        }
        int first = pos;
        pos += (int) bytes;
        lastLength = count;
        return first;
    }
}
