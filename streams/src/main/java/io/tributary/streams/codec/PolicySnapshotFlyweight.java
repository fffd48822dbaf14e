package io.tributary.streams.codec;

import static io.tributary.streams.codec.PolicySnapshotCodec.ACTION_SIZE;
import static io.tributary.streams.codec.PolicySnapshotCodec.CREATED_AT;
import static io.tributary.streams.codec.PolicySnapshotCodec.FIXED_HEADER_LENGTH;
import static io.tributary.streams.codec.PolicySnapshotCodec.HEAD;
import static io.tributary.streams.codec.PolicySnapshotCodec.HEAD_CATEGORICAL;
import static io.tributary.streams.codec.PolicySnapshotCodec.HEAD_GAUSSIAN;
import static io.tributary.streams.codec.PolicySnapshotCodec.OBSERVATION_SIZE;
import static io.tributary.streams.codec.PolicySnapshotCodec.POLICY_VERSION;
import static io.tributary.streams.codec.PolicySnapshotCodec.RESERVED_BYTE;
import static io.tributary.streams.codec.PolicySnapshotCodec.RESERVED_INT;

import io.tributary.learner.PolicySnapshot;
import io.tributary.learner.PolicySpec;
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
        r.header(RecordType.POLICY_SNAPSHOT, FIXED_HEADER_LENGTH);
        if (r.u8(RESERVED_BYTE) != 0 || r.i32(RESERVED_INT) != 0) {
            throw r.fail("reserved header bytes are not zero");
        }
        int head = r.u8(HEAD);
        if (head != HEAD_CATEGORICAL && head != HEAD_GAUSSIAN) {
            throw r.fail("unknown policy head: head=" + head);
        }
        int observationSize = r.i32(OBSERVATION_SIZE);
        int actionSize = r.i32(ACTION_SIZE);
        if (observationSize < 1) {
            throw r.fail("observationSize must be >= 1: observationSize=" + observationSize);
        }
        if (actionSize < 1) {
            throw r.fail("actionSize must be >= 1: actionSize=" + actionSize);
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
        boolean gaussian = head == HEAD_GAUSSIAN;
        actionLow = r.array("actionLow", 4, gaussian ? actionSize : -1);
        actionLowLength = r.lastLength();
        actionHigh = r.array("actionHigh", 4, gaussian ? actionSize : -1);
        actionHighLength = r.lastLength();
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
        this.start = index;
        this.length = length;
        this.observationSize = observationSize;
        this.actionSize = actionSize;
        this.buffer = buffer;
        return this;
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
        return (buffer.getByte(start + HEAD) & 0xFF) == HEAD_GAUSSIAN ? PolicySpec.Head.GAUSSIAN
                : PolicySpec.Head.CATEGORICAL;
    }

    /** Floats per observation. */
    public int observationSize() {
        return observationSize;
    }

    /** Number of choices (categorical) or action dimensions (Gaussian). */
    public int actionSize() {
        return actionSize;
    }

    /** Number of hidden layers. */
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
            PolicySpec spec = new PolicySpec(observationSize, head(), actionSize,
                    Wire.ints(b, hiddenSizes, hiddenLayerCount), Wire.floats(b, actionLow, actionLowLength),
                    Wire.floats(b, actionHigh, actionHighLength));
            return new PolicySnapshot(runId(), version(), algorithm(), spec, Wire.floats(b, parameters, parameterCount),
                    Wire.floats(b, observationMean, observationSize), Wire.floats(b, observationVar, observationSize),
                    createdAtMicros());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw reader.rejected(e);
        }
    }
}
