package io.tributary.streams.codec;

import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Binary codec for {@link LedgerPart}: a 32-byte header (schema version, type, reserved, part, parts,
 * the three list lengths, checkpoint), then the trained, dropped and rejected ids as length-prefixed
 * UTF-8 strings in that order. Ledger records are written once per checkpoint, so there is no flyweight.
 */
public final class LedgerPartCodec {
    static final int VERSION = 0;
    static final int TYPE = 1;
    static final int RESERVED = 2;
    static final int PART = 4;
    static final int PARTS = 8;
    static final int TRAINED_COUNT = 12;
    static final int DROPPED_COUNT = 16;
    static final int REJECTED_COUNT = 20;
    static final int CHECKPOINT = 24;
    /** Bytes before the first string. */
    public static final int FIXED_HEADER_LENGTH = 32;

    private LedgerPartCodec() {
    }

    /** Exact number of bytes {@link #encode(LedgerPart, MutableDirectBuffer, int)} writes for {@code part}. */
    public static int encodedLength(LedgerPart part) {
        return Wire.checkedLength(FIXED_HEADER_LENGTH + listLength(part.trained(), "trained id")
                + listLength(part.droppedStale(), "dropped id") + listLength(part.rejected(), "rejected id"), "ledger part");
    }

    /** Bytes one id adds to an encoding (its length prefix and UTF-8 bytes). */
    public static long idLength(String id) {
        return 4L + Wire.utf8Length(id, "id");
    }

    private static long listLength(List<String> ids, String field) {
        long n = 0;
        for (String s : ids) {
            n += 4L + Wire.utf8Length(s, field);
        }
        return n;
    }

    /** Writes {@code part} at {@code index} and returns the bytes written. */
    public static int encode(LedgerPart part, MutableDirectBuffer buffer, int index) {
        int length = encodedLength(part);
        Wire.ensureCapacity(buffer, index, length);
        buffer.putByte(index + VERSION, (byte) WireFormat.SCHEMA_VERSION);
        buffer.putByte(index + TYPE, (byte) RecordType.LEDGER_ENTRY.tag());
        buffer.putShort(index + RESERVED, (short) 0, Wire.LE);
        buffer.putInt(index + PART, part.part(), Wire.LE);
        buffer.putInt(index + PARTS, part.parts(), Wire.LE);
        buffer.putInt(index + TRAINED_COUNT, part.trained().size(), Wire.LE);
        buffer.putInt(index + DROPPED_COUNT, part.droppedStale().size(), Wire.LE);
        buffer.putInt(index + REJECTED_COUNT, part.rejected().size(), Wire.LE);
        buffer.putLong(index + CHECKPOINT, part.checkpoint(), Wire.LE);
        int p = index + FIXED_HEADER_LENGTH;
        for (List<String> ids : List.of(part.trained(), part.droppedStale(), part.rejected())) {
            for (String s : ids) {
                p = Wire.putString(buffer, p, s, (int) Wire.utf8Length(s, "id"));
            }
        }
        return p - index;
    }

    /** Encodes {@code part} into a new array of exactly {@link #encodedLength} bytes. */
    public static byte[] encode(LedgerPart part) {
        byte[] bytes = new byte[encodedLength(part)];
        encode(part, new UnsafeBuffer(bytes), 0);
        return bytes;
    }

    /** Decodes the {@code length} bytes at {@code index}; any defect becomes a {@link MalformedRecordException}. */
    public static LedgerPart decode(DirectBuffer buffer, int index, int length, String topic, int partition,
                                    long offset) {
        WireReader r = new WireReader();
        r.reset(buffer, index, length, topic, partition, offset);
        r.header(RecordType.LEDGER_ENTRY, FIXED_HEADER_LENGTH);
        if ((r.u8(RESERVED) | r.u8(RESERVED + 1)) != 0) {
            throw r.fail("reserved header bytes are not zero");
        }
        int remaining = length - FIXED_HEADER_LENGTH;
        int[] counts = {r.i32(TRAINED_COUNT), r.i32(DROPPED_COUNT), r.i32(REJECTED_COUNT)};
        // Each id needs at least its length prefix; checking that first bounds the loops below.
        long total = 0;
        for (int c : counts) {
            if (c < 0) {
                throw r.fail("id count is negative: trained=" + counts[0] + ", dropped=" + counts[1] + ", rejected=" + counts[2]);
            }
            total += c;
        }
        if (total * 4 > remaining) {
            throw r.fail("id counts exceed the record: trained=" + counts[0] + ", dropped=" + counts[1] + ", rejected="
                    + counts[2] + ", remaining=" + remaining);
        }
        List<List<String>> lists = new ArrayList<>(3);
        String[] fields = {"trained id", "dropped id", "rejected id"};
        for (int k = 0; k < 3; k++) {
            List<String> ids = new ArrayList<>(counts[k]);
            for (int i = 0; i < counts[k]; i++) {
                int first = r.string(fields[k]);
                ids.add(buffer.getStringWithoutLengthUtf8(first, r.lastLength()));
            }
            lists.add(ids);
        }
        r.finish();
        try {
            return new LedgerPart(r.i64(CHECKPOINT), r.i32(PART), r.i32(PARTS), lists.get(0), lists.get(1), lists.get(2));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw r.rejected(e);
        }
    }

    /** Decodes a whole array, e.g. a Kafka record value; a {@code null} value is malformed. */
    public static LedgerPart decode(byte[] bytes, String topic, int partition, long offset) {
        if (bytes == null) {
            throw new MalformedRecordException(topic, partition, offset, "null record value");
        }
        return decode(new UnsafeBuffer(bytes), 0, bytes.length, topic, partition, offset);
    }
}
