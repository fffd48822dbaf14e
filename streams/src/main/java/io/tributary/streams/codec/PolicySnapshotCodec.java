package io.tributary.streams.codec;

import io.tributary.learner.PolicySnapshot;
import io.tributary.learner.PolicySpec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Binary codec for {@link PolicySnapshot}, the record on the policy topic. Parameters go first and are
 * copied in bulk (one memcpy on little-endian hosts), because snapshots reach tens of megabytes. Workers
 * that keep their parameter array between versions read through {@link PolicySnapshotFlyweight} instead.
 */
public final class PolicySnapshotCodec {
    static final int VERSION = 0;
    static final int TYPE = 1;
    static final int HEAD = 2;
    static final int RESERVED_BYTE = 3;
    static final int OBSERVATION_SIZE = 4;
    static final int ACTION_SIZE = 8;
    static final int RESERVED_INT = 12;
    static final int POLICY_VERSION = 16;
    static final int CREATED_AT = 24;
    /** Bytes before the first section. */
    public static final int FIXED_HEADER_LENGTH = 32;
    /** Wire value of {@link PolicySpec.Head#CATEGORICAL}; fixed here rather than taken from ordinal() so reordering the enum cannot change the format. */
    static final int HEAD_CATEGORICAL = 0;
    /** Wire value of {@link PolicySpec.Head#GAUSSIAN}. */
    static final int HEAD_GAUSSIAN = 1;

    private PolicySnapshotCodec() {
    }

    /** Exact number of bytes {@link #encode(PolicySnapshot, MutableDirectBuffer, int)} writes for {@code snapshot}. */
    public static int encodedLength(PolicySnapshot snapshot) {
        PolicySpec spec = snapshot.spec();
        long elements = (long) snapshot.parameters().length + snapshot.observationMean().length
                + snapshot.observationVar().length + spec.hiddenSizes().length + spec.actionLow().length
                + spec.actionHigh().length;
        long length = FIXED_HEADER_LENGTH + 8L * 4 + 4L * elements + Wire.utf8Length(snapshot.runId(), "runId")
                + Wire.utf8Length(snapshot.algorithm(), "algorithm");
        return Wire.checkedLength(length, "policy snapshot");
    }

    /** Writes {@code snapshot} at {@code index} and returns the bytes written; allocates nothing when the buffer is large enough. */
    public static int encode(PolicySnapshot snapshot, MutableDirectBuffer buffer, int index) {
        int length = encodedLength(snapshot);
        Wire.ensureCapacity(buffer, index, length);
        PolicySpec spec = snapshot.spec();
        buffer.putByte(index + VERSION, (byte) WireFormat.SCHEMA_VERSION);
        buffer.putByte(index + TYPE, (byte) RecordType.POLICY_SNAPSHOT.tag());
        buffer.putByte(index + HEAD, (byte) (spec.head() == PolicySpec.Head.GAUSSIAN ? HEAD_GAUSSIAN : HEAD_CATEGORICAL));
        buffer.putByte(index + RESERVED_BYTE, (byte) 0);
        buffer.putInt(index + OBSERVATION_SIZE, spec.observationSize(), Wire.LE);
        buffer.putInt(index + ACTION_SIZE, spec.actionSize(), Wire.LE);
        buffer.putInt(index + RESERVED_INT, 0, Wire.LE);
        buffer.putLong(index + POLICY_VERSION, snapshot.version(), Wire.LE);
        buffer.putLong(index + CREATED_AT, snapshot.createdAtMicros(), Wire.LE);
        int p = index + FIXED_HEADER_LENGTH;
        p = Wire.putFloatArray(buffer, p, snapshot.parameters());
        p = Wire.putFloatArray(buffer, p, snapshot.observationMean());
        p = Wire.putFloatArray(buffer, p, snapshot.observationVar());
        // PolicySpec's accessors return its own arrays (it clones only on construction), so this reads without copying.
        p = Wire.putIntArray(buffer, p, spec.hiddenSizes());
        p = Wire.putFloatArray(buffer, p, spec.actionLow());
        p = Wire.putFloatArray(buffer, p, spec.actionHigh());
        p = Wire.putString(buffer, p, snapshot.runId(), (int) Wire.utf8Length(snapshot.runId(), "runId"));
        p = Wire.putString(buffer, p, snapshot.algorithm(), (int) Wire.utf8Length(snapshot.algorithm(), "algorithm"));
        return p - index;
    }

    /** Encodes {@code snapshot} into a new array of exactly {@link #encodedLength} bytes. */
    public static byte[] encode(PolicySnapshot snapshot) {
        byte[] bytes = new byte[encodedLength(snapshot)];
        encode(snapshot, new UnsafeBuffer(bytes), 0);
        return bytes;
    }

    /** Decodes the {@code length} bytes at {@code index}; any defect becomes a {@link MalformedRecordException}. */
    public static PolicySnapshot decode(DirectBuffer buffer, int index, int length, String topic, int partition,
                                        long offset) {
        return new PolicySnapshotFlyweight().wrap(buffer, index, length, topic, partition, offset).toRecord();
    }

    /** Decodes a whole array, e.g. a Kafka record value; a {@code null} value is malformed. */
    public static PolicySnapshot decode(byte[] bytes, String topic, int partition, long offset) {
        if (bytes == null) {
            throw new MalformedRecordException(topic, partition, offset, "null record value");
        }
        return decode(new UnsafeBuffer(bytes), 0, bytes.length, topic, partition, offset);
    }
}
