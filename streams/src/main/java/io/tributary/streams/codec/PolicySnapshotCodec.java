package io.tributary.streams.codec;

import io.tributary.learner.ObservationField;
import io.tributary.learner.PolicySnapshot;
import io.tributary.learner.PolicySpec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Binary codec for {@link PolicySnapshot}, the record on the policy topic. Parameters go first and are
 * copied in bulk (one memcpy on little-endian hosts), because snapshots reach tens of megabytes. Workers
 * that keep their parameter array between versions read through {@link PolicySnapshotFlyweight} instead.
 *
 * <p>Layout (schema version {@value #SCHEMA_VERSION}, little-endian): a 40-byte fixed header (version,
 * type, head, architecture, observationSize, actionSize, fieldCount, policy version, createdAt,
 * activation, 7 reserved zero bytes), then the sections parameters, observationMean, observationVar,
 * hiddenSizes (MLP hidden / fusion trunk), actionLow, actionHigh, then per observation field
 * {@code info[5] = {kind, size, vocabSize, flags (bit 0 normalize, bit 1 enabled), embeddingDim}},
 * {@code hiddenSizes[]} and {@code name}, then runId and algorithm. Version 1 (an MLP-only header) is
 * refused.
 */
public final class PolicySnapshotCodec {
    /** Schema version of policy snapshots; moved past {@link WireFormat#SCHEMA_VERSION} when specs gained architectures. */
    public static final int SCHEMA_VERSION = 2;
    static final int VERSION = 0;
    static final int TYPE = 1;
    static final int HEAD = 2;
    static final int ARCHITECTURE = 3;
    static final int OBSERVATION_SIZE = 4;
    static final int ACTION_SIZE = 8;
    static final int FIELD_COUNT = 12;
    static final int POLICY_VERSION = 16;
    static final int CREATED_AT = 24;
    static final int ACTIVATION = 32;
    static final int RESERVED_BYTES = 33;
    static final int RESERVED_BYTE_COUNT = 7;
    /** Bytes before the first section. */
    public static final int FIXED_HEADER_LENGTH = 40;
    /** Wire value of {@link PolicySpec.Head#CATEGORICAL}; fixed here rather than taken from ordinal() so reordering the enum cannot change the format. */
    static final int HEAD_CATEGORICAL = 0;
    /** Wire value of {@link PolicySpec.Head#GAUSSIAN}. */
    static final int HEAD_GAUSSIAN = 1;
    /** Wire value of {@link PolicySpec.Head#TANH_GAUSSIAN}. */
    static final int HEAD_TANH_GAUSSIAN = 2;
    /** Wire value of {@link PolicySpec.Head#BOUNDED_GAUSSIAN}. */
    static final int HEAD_BOUNDED_GAUSSIAN = 3;
    static final int ARCH_MLP = 0;
    static final int ARCH_FUSION = 1;
    /** Wire value of {@link PolicySpec.Architecture#SEQUENCE} (the writing workload's GRU language model). */
    static final int ARCH_SEQUENCE = 2;
    static final int ACTIVATION_TANH = 0;
    static final int ACTIVATION_RELU = 1;
    static final int KIND_BOX = 0;
    static final int KIND_TOKENS = 1;
    static final int FLAG_NORMALIZE = 1;
    static final int FLAG_ENABLED = 2;
    /** Ints in a field's info section. */
    static final int FIELD_INFO_INTS = 5;

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
        for (ObservationField f : spec.fields()) {
            length += 4 + 4L * FIELD_INFO_INTS + 4 + 4L * f.hiddenLayerCount() + 4 + Wire.utf8Length(f.name(), "fieldName");
        }
        return Wire.checkedLength(length, "policy snapshot");
    }

    /** Writes {@code snapshot} at {@code index} and returns the bytes written; allocates nothing when the buffer is large enough. */
    public static int encode(PolicySnapshot snapshot, MutableDirectBuffer buffer, int index) {
        int length = encodedLength(snapshot);
        Wire.ensureCapacity(buffer, index, length);
        PolicySpec spec = snapshot.spec();
        buffer.putByte(index + VERSION, (byte) SCHEMA_VERSION);
        buffer.putByte(index + TYPE, (byte) RecordType.POLICY_SNAPSHOT.tag());
        buffer.putByte(index + HEAD, (byte) headCode(spec.head()));
        buffer.putByte(index + ARCHITECTURE, (byte) architectureCode(spec.architecture()));
        buffer.putInt(index + OBSERVATION_SIZE, spec.observationSize(), Wire.LE);
        buffer.putInt(index + ACTION_SIZE, spec.actionSize(), Wire.LE);
        buffer.putInt(index + FIELD_COUNT, spec.fields().size(), Wire.LE);
        buffer.putLong(index + POLICY_VERSION, snapshot.version(), Wire.LE);
        buffer.putLong(index + CREATED_AT, snapshot.createdAtMicros(), Wire.LE);
        buffer.putByte(index + ACTIVATION, (byte) (spec.activation() == PolicySpec.Activation.RELU ? ACTIVATION_RELU : ACTIVATION_TANH));
        for (int i = 0; i < RESERVED_BYTE_COUNT; i++) {
            buffer.putByte(index + RESERVED_BYTES + i, (byte) 0);
        }
        int p = index + FIXED_HEADER_LENGTH;
        p = Wire.putFloatArray(buffer, p, snapshot.parameters());
        p = Wire.putFloatArray(buffer, p, snapshot.observationMean());
        p = Wire.putFloatArray(buffer, p, snapshot.observationVar());
        // PolicySpec's accessors return its own arrays (it clones only on construction), so this reads without copying.
        p = Wire.putIntArray(buffer, p, spec.hiddenSizes());
        p = Wire.putFloatArray(buffer, p, spec.actionLow());
        p = Wire.putFloatArray(buffer, p, spec.actionHigh());
        for (ObservationField f : spec.fields()) {
            buffer.putInt(p, FIELD_INFO_INTS, Wire.LE);
            buffer.putInt(p + 4, f.kind() == ObservationField.Kind.TOKENS ? KIND_TOKENS : KIND_BOX, Wire.LE);
            buffer.putInt(p + 8, f.size(), Wire.LE);
            buffer.putInt(p + 12, f.vocabSize(), Wire.LE);
            buffer.putInt(p + 16, (f.normalize() ? FLAG_NORMALIZE : 0) | (f.enabled() ? FLAG_ENABLED : 0), Wire.LE);
            buffer.putInt(p + 20, f.embeddingDim(), Wire.LE);
            p += 4 + 4 * FIELD_INFO_INTS;
            buffer.putInt(p, f.hiddenLayerCount(), Wire.LE);
            p += 4;
            for (int i = 0; i < f.hiddenLayerCount(); i++) {
                buffer.putInt(p, f.hiddenSizeAt(i), Wire.LE);
                p += 4;
            }
            p = Wire.putString(buffer, p, f.name(), (int) Wire.utf8Length(f.name(), "fieldName"));
        }
        p = Wire.putString(buffer, p, snapshot.runId(), (int) Wire.utf8Length(snapshot.runId(), "runId"));
        p = Wire.putString(buffer, p, snapshot.algorithm(), (int) Wire.utf8Length(snapshot.algorithm(), "algorithm"));
        return p - index;
    }

    static int architectureCode(PolicySpec.Architecture architecture) {
        switch (architecture) {
            case FUSION:
                return ARCH_FUSION;
            case SEQUENCE:
                return ARCH_SEQUENCE;
            default:
                return ARCH_MLP;
        }
    }

    static int headCode(PolicySpec.Head head) {
        switch (head) {
            case GAUSSIAN:
                return HEAD_GAUSSIAN;
            case TANH_GAUSSIAN:
                return HEAD_TANH_GAUSSIAN;
            case BOUNDED_GAUSSIAN:
                return HEAD_BOUNDED_GAUSSIAN;
            case CATEGORICAL:
                return HEAD_CATEGORICAL;
            default:
                // a head added to the enum without a wire value must not be published as another one
                throw new IllegalArgumentException("no wire value for policy head: head=" + head);
        }
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
