package io.tributary.streams.codec;

import static io.tributary.streams.codec.TrajectoryChunkCodec.ACTION_SIZE;
import static io.tributary.streams.codec.TrajectoryChunkCodec.CHUNK_INDEX;
import static io.tributary.streams.codec.TrajectoryChunkCodec.CREATED_AT;
import static io.tributary.streams.codec.TrajectoryChunkCodec.ENV_INDEX;
import static io.tributary.streams.codec.TrajectoryChunkCodec.EPISODE_ID;
import static io.tributary.streams.codec.TrajectoryChunkCodec.FIXED_HEADER_LENGTH;
import static io.tributary.streams.codec.TrajectoryChunkCodec.INCARNATION_LSB;
import static io.tributary.streams.codec.TrajectoryChunkCodec.INCARNATION_MSB;
import static io.tributary.streams.codec.TrajectoryChunkCodec.OBSERVATION_SIZE;
import static io.tributary.streams.codec.TrajectoryChunkCodec.POLICY_VERSION;
import static io.tributary.streams.codec.TrajectoryChunkCodec.RESERVED;
import static io.tributary.streams.codec.TrajectoryChunkCodec.SEQUENCE;
import static io.tributary.streams.codec.TrajectoryChunkCodec.STEPS;

import io.tributary.simulator.rollout.ChunkId;
import io.tributary.simulator.rollout.TrajectoryChunk;
import java.util.Objects;
import java.util.UUID;
import org.agrona.DirectBuffer;

/**
 * Allocation-free, reusable view of an encoded {@link TrajectoryChunk}. {@link #wrap} validates the
 * whole record once, with the same rules as the record's constructor, so the accessors can then read
 * without further checks than the index range; {@link #toRecord()} materialises it when needed. Not
 * thread-safe: one per consuming thread. After a failed {@code wrap} the view must not be read.
 */
public final class TrajectoryChunkFlyweight extends RecordFlyweight {
    private final WireReader reader = new WireReader();
    private int steps;
    private int observationSize;
    private int actionSize;
    private int observations;
    private int actions;
    private int logProbs;
    private int values;
    private int rewards;
    private int bootstrapObservation;
    private int signals;
    private int signalCount;
    private int signalNames;
    private int segmentOffsets;
    private int segmentOffsetCount;
    private int context;
    private int contextLength;
    private int depth;
    private int depthLength;
    private int terminated;
    private int truncated;
    private int runId;
    private int runIdLength;
    private int envName;
    private int envNameLength;

    /** Wraps bytes that did not come from a topic: errors report topic=null, partition=-1, offset=-1. */
    public TrajectoryChunkFlyweight wrap(DirectBuffer buffer, int index, int length) {
        return wrap(buffer, index, length, null, -1, -1L);
    }

    /**
     * Validates the {@code length} bytes at {@code index} and points this view at them; allocates
     * nothing unless the record is malformed, which throws {@link MalformedRecordException}.
     */
    public TrajectoryChunkFlyweight wrap(DirectBuffer buffer, int index, int length, String topic, int partition,
                                         long offset) {
        this.buffer = null;
        WireReader r = reader;
        r.reset(buffer, index, length, topic, partition, offset);
        r.header(RecordType.TRAJECTORY_CHUNK, FIXED_HEADER_LENGTH, TrajectoryChunkCodec.SCHEMA_VERSION);
        int reserved = r.u8(RESERVED) | r.u8(RESERVED + 1);
        if (reserved != 0) {
            throw r.fail("reserved header bytes are not zero");
        }
        int steps = r.i32(STEPS);
        int observationSize = r.i32(OBSERVATION_SIZE);
        int actionSize = r.i32(ACTION_SIZE);
        // Checked before the sizes are multiplied below, and mirroring TrajectoryChunk's constructor so
        // a view that wraps is always a record that decodes.
        if (steps < 1 || steps > TrajectoryChunk.MAX_STEPS) {
            throw r.fail("steps out of range: steps=" + steps + ", max=" + TrajectoryChunk.MAX_STEPS);
        }
        if (observationSize < 0) {
            throw r.fail("observationSize must be >= 0: observationSize=" + observationSize);
        }
        if (actionSize < 1) {
            throw r.fail("actionSize must be >= 1: actionSize=" + actionSize);
        }
        nonNegative(r, "envIndex", r.i32(ENV_INDEX));
        nonNegative(r, "chunkIndex", r.i32(CHUNK_INDEX));
        nonNegative(r, "sequence", r.i64(SEQUENCE));
        nonNegative(r, "policyVersion", r.i64(POLICY_VERSION));

        observations = r.array("observations", 4, (long) steps * observationSize);
        actions = r.array("actions", 4, (long) steps * actionSize);
        logProbs = r.array("logProbs", 4, steps);
        values = r.array("values", 4, steps);
        rewards = r.array("rewards", 4, steps);
        bootstrapObservation = r.array("bootstrapObservation", 4, observationSize);
        signals = r.array("signals", 4, -1);
        int signalValues = r.lastLength();
        segmentOffsets = r.array("segmentOffsets", 4, -1);
        segmentOffsetCount = r.lastLength();
        context = r.array("context", 4, -1);
        contextLength = r.lastLength();
        depth = r.array("depth", 4, -1);
        depthLength = r.lastLength();
        if (depthLength != 0 && depthLength != steps) {
            throw r.fail("depth must be empty or one per step: depth.length=" + depthLength + ", steps=" + steps);
        }
        terminated = r.bits("terminated", steps);
        truncated = r.bits("truncated", steps);
        runId = r.string("runId");
        runIdLength = r.lastLength();
        if (runIdLength == 0) {
            throw r.fail("runId must not be empty");
        }
        envName = r.string("envName");
        envNameLength = r.lastLength();
        int names = r.count("signalNames");
        if (names > TrajectoryChunk.MAX_SIGNALS) {
            throw r.fail("too many signals: signalNames=" + names + ", max=" + TrajectoryChunk.MAX_SIGNALS);
        }
        if ((long) signalValues != (long) steps * names) {
            throw r.fail("signals length mismatch: length=" + signalValues + ", expected=" + (long) steps * names
                    + ", steps=" + steps + ", signalNames=" + names);
        }
        signalNames = r.position();
        for (int k = 0; k < names; k++) {
            int first = r.string("signalName");
            int len = r.lastLength();
            if (len == 0) {
                throw r.fail("signal name must not be null or empty: index=" + k + ", name=");
            }
            int j = indexOfName(buffer, signalNames, k, first, len);
            if (j >= 0) {
                throw r.fail("signal names must be distinct: index=" + k + ", name="
                        + buffer.getStringWithoutLengthUtf8(first, len) + ", firstIndex=" + j);
            }
        }
        r.finish();

        if (segmentOffsetCount > 0) {
            checkSegments(r, buffer, steps);
        } else {
            int ended = firstFlagBefore(buffer, terminated, steps - 1);
            if (ended < 0) {
                ended = firstFlagBefore(buffer, truncated, steps - 1);
            }
            if (ended >= 0) {
                throw r.fail("only the last step of a chunk may end an episode: step=" + ended + ", steps=" + steps);
            }
        }
        this.start = index;
        this.length = length;
        this.signalCount = names;
        this.steps = steps;
        this.observationSize = observationSize;
        this.actionSize = actionSize;
        this.buffer = buffer;
        return this;
    }

    /** Index among the first {@code count} names (starting at {@code names}) of one equal to the bytes at {@code first}, or -1. */
    private static int indexOfName(DirectBuffer buffer, int names, int count, int first, int len) {
        int p = names;
        for (int j = 0; j < count; j++) {
            int l = buffer.getInt(p, Wire.LE);
            if (l == len && sameBytes(buffer, p + 4, first, len)) {
                return j;
            }
            p += 4 + l;
        }
        return -1;
    }

    private static boolean sameBytes(DirectBuffer buffer, int a, int b, int len) {
        for (int i = 0; i < len; i++) {
            if (buffer.getByte(a + i) != buffer.getByte(b + i)) {
                return false;
            }
        }
        return true;
    }

    private static void nonNegative(WireReader r, String field, long value) {
        if (value < 0) {
            throw r.fail(field + " must be >= 0: " + field + "=" + value);
        }
    }

    private void checkSegments(WireReader r, DirectBuffer buffer, int steps) {
        int n = segmentOffsetCount;
        int first = buffer.getInt(segmentOffsets, Wire.LE);
        int last = buffer.getInt(segmentOffsets + ((n - 1) << 2), Wire.LE);
        if (n < 2 || first != 0 || last != steps) {
            throw r.fail("segmentOffsets must run from 0 to steps: count=" + n + ", first=" + first + ", last=" + last
                    + ", steps=" + steps);
        }
        int previous = first;
        for (int i = 1; i < n; i++) {
            int value = buffer.getInt(segmentOffsets + (i << 2), Wire.LE);
            if (value <= previous) {
                throw r.fail("segmentOffsets must increase: index=" + i + ", previous=" + previous + ", value=" + value);
            }
            previous = value;
        }
    }

    /** First set flag among the first {@code count} flags, or -1; scans whole bytes because flags are rare. */
    private static int firstFlagBefore(DirectBuffer buffer, int bits, int count) {
        int fullBytes = count >>> 3;
        for (int b = 0; b < fullBytes; b++) {
            int v = buffer.getByte(bits + b) & 0xFF;
            if (v != 0) {
                return (b << 3) + Integer.numberOfTrailingZeros(v);
            }
        }
        int rest = count & 7;
        if (rest != 0) {
            int v = buffer.getByte(bits + fullBytes) & ((1 << rest) - 1);
            if (v != 0) {
                return (fullBytes << 3) + Integer.numberOfTrailingZeros(v);
            }
        }
        return -1;
    }

    /** Run id, decoded into a new String (allocates). */
    public String runId() {
        return buffer.getStringWithoutLengthUtf8(runId, runIdLength);
    }

    /** Most significant bits of the worker incarnation UUID. */
    public long workerIncarnationMostSigBits() {
        return buffer.getLong(start + INCARNATION_MSB, Wire.LE);
    }

    /** Least significant bits of the worker incarnation UUID. */
    public long workerIncarnationLeastSigBits() {
        return buffer.getLong(start + INCARNATION_LSB, Wire.LE);
    }

    /** Sequence number of the chunk within its worker incarnation. */
    public long sequence() {
        return buffer.getLong(start + SEQUENCE, Wire.LE);
    }

    /** Environment name, decoded into a new String (allocates). */
    public String envName() {
        return buffer.getStringWithoutLengthUtf8(envName, envNameLength);
    }

    /** Index of the environment instance inside its worker. */
    public int envIndex() {
        return buffer.getInt(start + ENV_INDEX, Wire.LE);
    }

    /** Episode number. */
    public long episodeId() {
        return buffer.getLong(start + EPISODE_ID, Wire.LE);
    }

    /** Index of the chunk inside its episode. */
    public int chunkIndex() {
        return buffer.getInt(start + CHUNK_INDEX, Wire.LE);
    }

    /** Version of the policy that chose the actions. */
    public long policyVersion() {
        return buffer.getLong(start + POLICY_VERSION, Wire.LE);
    }

    /** Wall-clock completion time, epoch microseconds. */
    public long createdAtMicros() {
        return buffer.getLong(start + CREATED_AT, Wire.LE);
    }

    /** Number of steps. */
    public int steps() {
        return steps;
    }

    /** Floats per observation. */
    public int observationSize() {
        return observationSize;
    }

    /** Floats per action. */
    public int actionSize() {
        return actionSize;
    }

    /** Element {@code j} of the observation before step {@code step}. */
    public float observationAt(int step, int j) {
        Objects.checkIndex(step, steps);
        Objects.checkIndex(j, observationSize);
        return buffer.getFloat(observations + ((step * observationSize + j) << 2), Wire.LE);
    }

    /** Element {@code j} of the action taken at {@code step}. */
    public float actionAt(int step, int j) {
        Objects.checkIndex(step, steps);
        Objects.checkIndex(j, actionSize);
        return buffer.getFloat(actions + ((step * actionSize + j) << 2), Wire.LE);
    }

    /** Behaviour-policy log-probability of the action at {@code step}. */
    public float logProbAt(int step) {
        Objects.checkIndex(step, steps);
        return buffer.getFloat(logProbs + (step << 2), Wire.LE);
    }

    /** Behaviour-policy value estimate at {@code step}. */
    public float valueAt(int step) {
        Objects.checkIndex(step, steps);
        return buffer.getFloat(values + (step << 2), Wire.LE);
    }

    /** Environment reward of {@code step}. */
    public float rewardAt(int step) {
        Objects.checkIndex(step, steps);
        return buffer.getFloat(rewards + (step << 2), Wire.LE);
    }

    /** Whether {@code step} reached a terminal state. */
    public boolean terminatedAt(int step) {
        Objects.checkIndex(step, steps);
        return Wire.bit(buffer, terminated, step);
    }

    /** Whether {@code step} was cut by a time limit. */
    public boolean truncatedAt(int step) {
        Objects.checkIndex(step, steps);
        return Wire.bit(buffer, truncated, step);
    }

    /** True if the last step ended the episode. */
    public boolean endsEpisode() {
        return Wire.bit(buffer, terminated, steps - 1) || Wire.bit(buffer, truncated, steps - 1);
    }

    /** Element {@code j} of the observation after the last step. */
    public float bootstrapObservationAt(int j) {
        Objects.checkIndex(j, observationSize);
        return buffer.getFloat(bootstrapObservation + (j << 2), Wire.LE);
    }

    /** Number of entries in segmentOffsets (0 when the chunk is not segmented). */
    public int segmentOffsetCount() {
        return segmentOffsetCount;
    }

    /** Segment boundary {@code i}. */
    public int segmentOffsetAt(int i) {
        Objects.checkIndex(i, segmentOffsetCount);
        return buffer.getInt(segmentOffsets + (i << 2), Wire.LE);
    }

    /** Number of segments, or 1 when the chunk is not segmented. */
    public int segmentCount() {
        return segmentOffsetCount == 0 ? 1 : segmentOffsetCount - 1;
    }

    /** Number of context token ids. */
    public int contextLength() {
        return contextLength;
    }

    /** Context token id {@code i}. */
    public int contextAt(int i) {
        Objects.checkIndex(i, contextLength);
        return buffer.getInt(context + (i << 2), Wire.LE);
    }

    /** Whether the chunk carries a per-step rollout depth. */
    public boolean hasDepth() {
        return depthLength != 0;
    }

    /** Rollout depth of {@code step}; only when {@link #hasDepth()}. */
    public int depthAt(int step) {
        Objects.checkIndex(step, depthLength);
        return buffer.getInt(depth + (step << 2), Wire.LE);
    }

    /** Number of named signals per step (0 when the chunk carries none). */
    public int signalCount() {
        return signalCount;
    }

    /** Signal {@code k} at {@code step}. */
    public float signalAt(int step, int k) {
        Objects.checkIndex(step, steps);
        Objects.checkIndex(k, signalCount);
        return buffer.getFloat(signals + ((step * signalCount + k) << 2), Wire.LE);
    }

    /** Name of signal {@code k}, decoded into a new String (allocates). */
    public String signalName(int k) {
        Objects.checkIndex(k, signalCount);
        int p = namePosition(k);
        return buffer.getStringWithoutLengthUtf8(p + 4, buffer.getInt(p, Wire.LE));
    }

    /** Index of the signal called {@code name} (ASCII or UTF-8; compared without allocating), or -1. */
    public int signalIndex(String name) {
        int p = signalNames;
        for (int k = 0; k < signalCount; k++) {
            int l = buffer.getInt(p, Wire.LE);
            if (equalsUtf8(p + 4, l, name)) {
                return k;
            }
            p += 4 + l;
        }
        return -1;
    }

    /** Copies all {@code steps * signalCount} signal values into {@code dst} at {@code dstIndex}. */
    public void copySignals(float[] dst, int dstIndex) {
        Wire.getFloats(buffer, signals, dst, dstIndex, steps * signalCount);
    }

    private int namePosition(int k) {
        int p = signalNames;
        for (int j = 0; j < k; j++) {
            p += 4 + buffer.getInt(p, Wire.LE);
        }
        return p;
    }

    /** Whether the {@code len} UTF-8 bytes at {@code p} spell {@code s}; ASCII compares byte by byte, anything else decodes. */
    private boolean equalsUtf8(int p, int len, String s) {
        int n = s.length();
        boolean ascii = true;
        for (int i = 0; i < n && ascii; i++) {
            ascii = s.charAt(i) < 0x80;
        }
        if (!ascii) {
            return buffer.getStringWithoutLengthUtf8(p, len).equals(s);
        }
        if (n != len) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (buffer.getByte(p + i) != (byte) s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Copies the observation before {@code step} into {@code dst} at {@code dstIndex} (bulk, no allocation). */
    public void copyObservation(int step, float[] dst, int dstIndex) {
        Objects.checkIndex(step, steps);
        Wire.getFloats(buffer, observations + ((step * observationSize) << 2), dst, dstIndex, observationSize);
    }

    /** Copies all {@code steps * observationSize} observations into {@code dst} at {@code dstIndex}. */
    public void copyObservations(float[] dst, int dstIndex) {
        Wire.getFloats(buffer, observations, dst, dstIndex, steps * observationSize);
    }

    /** Copies all {@code steps * actionSize} actions into {@code dst} at {@code dstIndex}. */
    public void copyActions(float[] dst, int dstIndex) {
        Wire.getFloats(buffer, actions, dst, dstIndex, steps * actionSize);
    }

    /** Copies the per-step log-probabilities into {@code dst} at {@code dstIndex}. */
    public void copyLogProbs(float[] dst, int dstIndex) {
        Wire.getFloats(buffer, logProbs, dst, dstIndex, steps);
    }

    /** Copies the per-step value estimates into {@code dst} at {@code dstIndex}. */
    public void copyValues(float[] dst, int dstIndex) {
        Wire.getFloats(buffer, values, dst, dstIndex, steps);
    }

    /** Copies the per-step rewards into {@code dst} at {@code dstIndex}. */
    public void copyRewards(float[] dst, int dstIndex) {
        Wire.getFloats(buffer, rewards, dst, dstIndex, steps);
    }

    private String[] signalNameArray() {
        String[] names = new String[signalCount];
        for (int k = 0; k < signalCount; k++) {
            names[k] = signalName(k);
        }
        return names;
    }

    /** Materialises the record (allocates its arrays); constructor rejections become {@link MalformedRecordException}. */
    public TrajectoryChunk toRecord() {
        DirectBuffer b = buffer;
        int n = steps;
        try {
            ChunkId id = new ChunkId(runId(), new UUID(workerIncarnationMostSigBits(), workerIncarnationLeastSigBits()),
                    sequence());
            return new TrajectoryChunk(id, envName(), envIndex(), episodeId(), chunkIndex(), policyVersion(), n,
                    observationSize, Wire.floats(b, observations, n * observationSize), actionSize,
                    Wire.floats(b, actions, n * actionSize), Wire.floats(b, logProbs, n), Wire.floats(b, values, n),
                    Wire.floats(b, rewards, n), Wire.bits(b, terminated, n), Wire.bits(b, truncated, n),
                    Wire.floats(b, bootstrapObservation, observationSize),
                    Wire.ints(b, segmentOffsets, segmentOffsetCount), Wire.ints(b, context, contextLength),
                    Wire.ints(b, depth, depthLength), createdAtMicros(), signalNameArray(),
                    Wire.floats(b, signals, n * signalCount));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw reader.rejected(e);
        }
    }
}
