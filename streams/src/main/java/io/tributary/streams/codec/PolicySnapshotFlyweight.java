package io.tributary.streams.codec;

import static io.tributary.streams.codec.PolicySnapshotCodec.ACTION_SIZE;
import static io.tributary.streams.codec.PolicySnapshotCodec.ACTIVATION;
import static io.tributary.streams.codec.PolicySnapshotCodec.ACTIVATION_RELU;
import static io.tributary.streams.codec.PolicySnapshotCodec.ACTIVATION_TANH;
import static io.tributary.streams.codec.PolicySnapshotCodec.ARCHITECTURE;
import static io.tributary.streams.codec.PolicySnapshotCodec.ARCH_FUSION;
import static io.tributary.streams.codec.PolicySnapshotCodec.ARCH_MLP;
import static io.tributary.streams.codec.PolicySnapshotCodec.ARCH_SEQUENCE;
import static io.tributary.streams.codec.PolicySnapshotCodec.CREATED_AT;
import static io.tributary.streams.codec.PolicySnapshotCodec.FIELD_COUNT;
import static io.tributary.streams.codec.PolicySnapshotCodec.FIELD_INFO_INTS;
import static io.tributary.streams.codec.PolicySnapshotCodec.FIXED_HEADER_LENGTH;
import static io.tributary.streams.codec.PolicySnapshotCodec.FLAG_ENABLED;
import static io.tributary.streams.codec.PolicySnapshotCodec.FLAG_NORMALIZE;
import static io.tributary.streams.codec.PolicySnapshotCodec.HEAD;
import static io.tributary.streams.codec.PolicySnapshotCodec.HEAD_CATEGORICAL;
import static io.tributary.streams.codec.PolicySnapshotCodec.HEAD_BOUNDED_GAUSSIAN;
import static io.tributary.streams.codec.PolicySnapshotCodec.HEAD_GAUSSIAN;
import static io.tributary.streams.codec.PolicySnapshotCodec.HEAD_TANH_GAUSSIAN;
import static io.tributary.streams.codec.PolicySnapshotCodec.KIND_BOX;
import static io.tributary.streams.codec.PolicySnapshotCodec.KIND_TOKENS;
import static io.tributary.streams.codec.PolicySnapshotCodec.OBSERVATION_SIZE;
import static io.tributary.streams.codec.PolicySnapshotCodec.POLICY_VERSION;
import static io.tributary.streams.codec.PolicySnapshotCodec.RESERVED_BYTES;
import static io.tributary.streams.codec.PolicySnapshotCodec.RESERVED_BYTE_COUNT;
import static io.tributary.streams.codec.PolicySnapshotCodec.SCHEMA_VERSION;

import io.tributary.learner.ObservationField;
import io.tributary.learner.PolicySnapshot;
import io.tributary.learner.PolicySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.agrona.DirectBuffer;

/**
 * Allocation-free, reusable view of an encoded {@link PolicySnapshot}: lets a rollout worker copy a new
 * version's parameters into the array it already holds instead of allocating megabytes per version.
 * {@link #wrap} validates everything the record constructors would. Not thread-safe. After a failed
 * {@code wrap} the view must not be read.
 */
public final class PolicySnapshotFlyweight extends RecordFlyweight {
    private final WireReader reader = new WireReader();
    private int observationSize;
    private int actionSize;
    private int parameters;
    private int parameterCount;
    private int observationMean;
    private int observationVar;
    private int hiddenSizes;
    private int hiddenLayerCount;
    private int actionLow;
    private int actionLowLength;
    private int actionHigh;
    private int actionHighLength;
    private int runId;
    private int runIdLength;
    private int algorithm;
    private int algorithmLength;
    private int fieldCount;
    /** Per field: index of its info section, hidden sizes, name and name length (grown on demand, reused). */
    private int[] fieldInfo = new int[4];
    private int[] fieldHidden = new int[4];
    private int[] fieldHiddenCount = new int[4];
    private int[] fieldName = new int[4];
    private int[] fieldNameLength = new int[4];

    /** Wraps bytes that did not come from a topic: errors report topic=null, partition=-1, offset=-1. */
    public PolicySnapshotFlyweight wrap(DirectBuffer buffer, int index, int length) {
        return wrap(buffer, index, length, null, -1, -1L);
    }

    /** Validates the {@code length} bytes at {@code index} and points this view at them; allocates nothing unless malformed. */
    public PolicySnapshotFlyweight wrap(DirectBuffer buffer, int index, int length, String topic, int partition,
                                        long offset) {
        this.buffer = null;
        WireReader r = reader;
        r.reset(buffer, index, length, topic, partition, offset);
        if (length >= 1 && (buffer.getByte(index + WireFormat.VERSION_OFFSET) & 0xFF) == 1) {
            throw r.fail("unsupported schema version: version=1, supported=" + SCHEMA_VERSION
                    + " (a version-1 policy snapshot has no architecture or observation fields; republish it)");
        }
        r.header(RecordType.POLICY_SNAPSHOT, FIXED_HEADER_LENGTH, SCHEMA_VERSION);
        for (int i = 0; i < RESERVED_BYTE_COUNT; i++) {
            if (r.u8(RESERVED_BYTES + i) != 0) {
                throw r.fail("reserved header bytes are not zero");
            }
        }
        int head = r.u8(HEAD);
        if (head != HEAD_CATEGORICAL && head != HEAD_GAUSSIAN && head != HEAD_TANH_GAUSSIAN
                && head != HEAD_BOUNDED_GAUSSIAN) {
            throw r.fail("unknown policy head: head=" + head);
        }
        int architecture = r.u8(ARCHITECTURE);
        if (architecture != ARCH_MLP && architecture != ARCH_FUSION && architecture != ARCH_SEQUENCE) {
            throw r.fail("unknown policy architecture: architecture=" + architecture);
        }
        int activation = r.u8(ACTIVATION);
        if (activation != ACTIVATION_TANH && activation != ACTIVATION_RELU) {
            throw r.fail("unknown activation: activation=" + activation);
        }
        int observationSize = r.i32(OBSERVATION_SIZE);
        int actionSize = r.i32(ACTION_SIZE);
        int fields = r.i32(FIELD_COUNT);
        if (observationSize < 1) {
            throw r.fail("observationSize must be >= 1: observationSize=" + observationSize);
        }
        if (actionSize < 1) {
            throw r.fail("actionSize must be >= 1: actionSize=" + actionSize);
        }
        if (fields < 1) {
            throw r.fail("fieldCount must be >= 1: fieldCount=" + fields);
        }
        long version = r.i64(POLICY_VERSION);
        if (version < 0) {
            throw r.fail("version must be >= 0: version=" + version);
        }
        parameters = r.array("parameters", 4, -1);
        parameterCount = r.lastLength();
        observationMean = r.array("observationMean", 4, observationSize);
        observationVar = r.array("observationVar", 4, observationSize);
        hiddenSizes = r.array("hiddenSizes", 4, -1);
        hiddenLayerCount = r.lastLength();
        boolean bounded = head != HEAD_CATEGORICAL;
        actionLow = r.array("actionLow", 4, bounded ? actionSize : -1);
        actionLowLength = r.lastLength();
        actionHigh = r.array("actionHigh", 4, bounded ? actionSize : -1);
        actionHighLength = r.lastLength();
        // each field takes at least 36 bytes, so a huge count fails as truncated after a bounded loop
        for (int i = 0; i < fields; i++) {
            if (i == fieldInfo.length) {
                grow();
            }
            fieldInfo[i] = r.array("fieldInfo", 4, FIELD_INFO_INTS);
            fieldHidden[i] = r.array("fieldHiddenSizes", 4, -1);
            fieldHiddenCount[i] = r.lastLength();
            fieldName[i] = r.string("fieldName");
            fieldNameLength[i] = r.lastLength();
        }
        runId = r.string("runId");
        runIdLength = r.lastLength();
        algorithm = r.string("algorithm");
        algorithmLength = r.lastLength();
        r.finish();
        for (int i = 0; i < hiddenLayerCount; i++) {
            int width = buffer.getInt(hiddenSizes + (i << 2), Wire.LE);
            if (width < 1) {
                throw r.fail("hidden sizes must be >= 1: layer=" + i + ", size=" + width);
            }
        }
        if (head == HEAD_TANH_GAUSSIAN || head == HEAD_BOUNDED_GAUSSIAN) {
            for (int i = 0; i < actionSize; i++) {
                float lo = buffer.getFloat(actionLow + (i << 2), Wire.LE);
                float hi = buffer.getFloat(actionHigh + (i << 2), Wire.LE);
                if (!(Float.isFinite(lo) && Float.isFinite(hi) && lo < hi)) {
                    throw r.fail((head == HEAD_TANH_GAUSSIAN ? "tanh-Gaussian" : "bounded-Gaussian") + " head needs finite bounds with low < high: index=" + i + ", low=" + lo
                            + ", high=" + hi);
                }
            }
        }
        checkFields(r, buffer, fields, observationSize, architecture == ARCH_FUSION);
        this.start = index;
        this.length = length;
        this.observationSize = observationSize;
        this.actionSize = actionSize;
        this.fieldCount = fields;
        this.buffer = buffer;
        return this;
    }

    private static boolean sameBytes(DirectBuffer buffer, int a, int aLength, int b, int bLength) {
        if (aLength != bLength) {
            return false;
        }
        for (int k = 0; k < aLength; k++) {
            if (buffer.getByte(a + k) != buffer.getByte(b + k)) {
                return false;
            }
        }
        return true;
    }

    private void grow() {
        int n = fieldInfo.length * 2;
        fieldInfo = Arrays.copyOf(fieldInfo, n);
        fieldHidden = Arrays.copyOf(fieldHidden, n);
        fieldHiddenCount = Arrays.copyOf(fieldHiddenCount, n);
        fieldName = Arrays.copyOf(fieldName, n);
        fieldNameLength = Arrays.copyOf(fieldNameLength, n);
    }

    /** What {@link ObservationField} and {@link PolicySpec} check, without allocating. */
    private void checkFields(WireReader r, DirectBuffer buffer, int fields, int observationSize, boolean fusion) {
        long total = 0;
        int enabled = 0;
        for (int i = 0; i < fields; i++) {
            int info = fieldInfo[i];
            int kind = buffer.getInt(info, Wire.LE);
            int size = buffer.getInt(info + 4, Wire.LE);
            int vocab = buffer.getInt(info + 8, Wire.LE);
            int flags = buffer.getInt(info + 12, Wire.LE);
            int dim = buffer.getInt(info + 16, Wire.LE);
            if (kind != KIND_BOX && kind != KIND_TOKENS) {
                throw r.fail("unknown field kind: field=" + i + ", kind=" + kind);
            }
            if (size < 1) {
                throw r.fail("field size must be >= 1: field=" + i + ", size=" + size);
            }
            if ((flags & ~(FLAG_NORMALIZE | FLAG_ENABLED)) != 0) {
                throw r.fail("unknown field flags: field=" + i + ", flags=" + flags);
            }
            if (kind == KIND_TOKENS) {
                if (vocab < 1 || vocab > (1 << 24) || dim < 1 || (flags & FLAG_NORMALIZE) != 0) {
                    throw r.fail("bad token field: field=" + i + ", vocabSize=" + vocab + ", embeddingDim=" + dim
                            + ", flags=" + flags + " (needs 1 <= vocabSize <= 2^24, embeddingDim >= 1, no normalize)");
                }
            } else if (vocab != 0 || dim != 0) {
                throw r.fail("box field has no vocabulary or embedding: field=" + i + ", vocabSize=" + vocab
                        + ", embeddingDim=" + dim);
            }
            for (int k = 0; k < fieldHiddenCount[i]; k++) {
                int width = buffer.getInt(fieldHidden[i] + (k << 2), Wire.LE);
                if (width < 1) {
                    throw r.fail("hidden sizes must be >= 1: field=" + i + ", layer=" + k + ", size=" + width);
                }
            }
            if (fieldNameLength[i] == 0) {
                throw r.fail("field name must not be empty: field=" + i);
            }
            for (int j = 0; j < i; j++) {
                if (sameBytes(buffer, fieldName[j], fieldNameLength[j], fieldName[i], fieldNameLength[i])) {
                    throw r.fail("duplicate field name: field=" + i);
                }
            }
            total += size;
            enabled += (flags & FLAG_ENABLED) != 0 ? 1 : 0;
        }
        if (total != observationSize) {
            throw r.fail("field sizes do not add up to observationSize: sum=" + total + ", observationSize="
                    + observationSize);
        }
        if (fusion && enabled == 0) {
            throw r.fail("a fusion policy needs at least one enabled field");
        }
    }

    /** Run id, decoded into a new String (allocates). */
    public String runId() {
        return buffer.getStringWithoutLengthUtf8(runId, runIdLength);
    }

    /** Algorithm name, decoded into a new String (allocates). */
    public String algorithm() {
        return buffer.getStringWithoutLengthUtf8(algorithm, algorithmLength);
    }

    /** Policy version. */
    public long version() {
        return buffer.getLong(start + POLICY_VERSION, Wire.LE);
    }

    /** Wall-clock publication time, epoch microseconds. */
    public long createdAtMicros() {
        return buffer.getLong(start + CREATED_AT, Wire.LE);
    }

    /** Action distribution of the policy head. */
    public PolicySpec.Head head() {
        switch (buffer.getByte(start + HEAD) & 0xFF) {
            case HEAD_GAUSSIAN:
                return PolicySpec.Head.GAUSSIAN;
            case HEAD_TANH_GAUSSIAN:
                return PolicySpec.Head.TANH_GAUSSIAN;
            case HEAD_BOUNDED_GAUSSIAN:
                return PolicySpec.Head.BOUNDED_GAUSSIAN;
            default:
                return PolicySpec.Head.CATEGORICAL;
        }
    }

    /** Network shape. */
    public PolicySpec.Architecture architecture() {
        int code = buffer.getByte(start + ARCHITECTURE) & 0xFF;
        return code == ARCH_FUSION ? PolicySpec.Architecture.FUSION
                : code == ARCH_SEQUENCE ? PolicySpec.Architecture.SEQUENCE : PolicySpec.Architecture.MLP;
    }

    /** Hidden-layer nonlinearity. */
    public PolicySpec.Activation activation() {
        return (buffer.getByte(start + ACTIVATION) & 0xFF) == ACTIVATION_RELU ? PolicySpec.Activation.RELU
                : PolicySpec.Activation.TANH;
    }

    /** Number of observation fields. */
    public int fieldCount() {
        return fieldCount;
    }

    /** Observation field {@code i}, materialised (allocates). */
    public ObservationField field(int i) {
        Objects.checkIndex(i, fieldCount);
        int info = fieldInfo[i];
        int flags = buffer.getInt(info + 12, Wire.LE);
        return new ObservationField(buffer.getStringWithoutLengthUtf8(fieldName[i], fieldNameLength[i]),
                buffer.getInt(info, Wire.LE) == KIND_TOKENS ? ObservationField.Kind.TOKENS : ObservationField.Kind.BOX,
                buffer.getInt(info + 4, Wire.LE), buffer.getInt(info + 8, Wire.LE), (flags & FLAG_NORMALIZE) != 0,
                (flags & FLAG_ENABLED) != 0, Wire.ints(buffer, fieldHidden[i], fieldHiddenCount[i]),
                buffer.getInt(info + 16, Wire.LE));
    }

    /** Floats per observation. */
    public int observationSize() {
        return observationSize;
    }

    /** Number of choices (categorical) or action dimensions (Gaussian heads). */
    public int actionSize() {
        return actionSize;
    }

    /** Number of hidden layers (MLP) or trunk layers (fusion). */
    public int hiddenLayerCount() {
        return hiddenLayerCount;
    }

    /** Width of hidden layer {@code i}. */
    public int hiddenSizeAt(int i) {
        Objects.checkIndex(i, hiddenLayerCount);
        return buffer.getInt(hiddenSizes + (i << 2), Wire.LE);
    }

    /** Number of parameters. */
    public int parameterCount() {
        return parameterCount;
    }

    /** Parameter {@code i}. */
    public float parameterAt(int i) {
        Objects.checkIndex(i, parameterCount);
        return buffer.getFloat(parameters + (i << 2), Wire.LE);
    }

    /** Copies all parameters into {@code dst} at {@code dstIndex} (bulk, no allocation). */
    public void copyParameters(float[] dst, int dstIndex) {
        Wire.getFloats(buffer, parameters, dst, dstIndex, parameterCount);
    }

    /** Observation-normalisation mean {@code j}. */
    public float observationMeanAt(int j) {
        Objects.checkIndex(j, observationSize);
        return buffer.getFloat(observationMean + (j << 2), Wire.LE);
    }

    /** Observation-normalisation variance {@code j}. */
    public float observationVarAt(int j) {
        Objects.checkIndex(j, observationSize);
        return buffer.getFloat(observationVar + (j << 2), Wire.LE);
    }

    /** Number of lower action bounds (actionSize for Gaussian heads). */
    public int actionLowLength() {
        return actionLowLength;
    }

    /** Lower action bound {@code j}. */
    public float actionLowAt(int j) {
        Objects.checkIndex(j, actionLowLength);
        return buffer.getFloat(actionLow + (j << 2), Wire.LE);
    }

    /** Number of upper action bounds (actionSize for Gaussian heads). */
    public int actionHighLength() {
        return actionHighLength;
    }

    /** Upper action bound {@code j}. */
    public float actionHighAt(int j) {
        Objects.checkIndex(j, actionHighLength);
        return buffer.getFloat(actionHigh + (j << 2), Wire.LE);
    }

    /** Materialises the record (allocates); constructor rejections become {@link MalformedRecordException}. */
    public PolicySnapshot toRecord() {
        DirectBuffer b = buffer;
        try {
            List<ObservationField> fields = new ArrayList<>(fieldCount);
            for (int i = 0; i < fieldCount; i++) {
                fields.add(field(i));
            }
            PolicySpec spec = new PolicySpec(architecture(), activation(), fields, Wire.ints(b, hiddenSizes, hiddenLayerCount),
                    head(), actionSize, Wire.floats(b, actionLow, actionLowLength), Wire.floats(b, actionHigh, actionHighLength));
            return new PolicySnapshot(runId(), version(), algorithm(), spec, Wire.floats(b, parameters, parameterCount),
                    Wire.floats(b, observationMean, observationSize), Wire.floats(b, observationVar, observationSize),
                    createdAtMicros());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw reader.rejected(e);
        }
    }
}
