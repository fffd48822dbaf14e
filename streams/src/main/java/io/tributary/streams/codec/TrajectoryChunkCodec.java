package io.tributary.streams.codec;

import io.tributary.simulator.rollout.ChunkId;
import io.tributary.simulator.rollout.TrajectoryChunk;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Binary codec for {@link TrajectoryChunk}, the record on the rollouts topic. Encoding into a buffer
 * allocates nothing; for reads on the hot path use {@link TrajectoryChunkFlyweight}, which this
 * decoder also uses to validate.
 *
 * <p>Layout (little-endian), schema version {@value #SCHEMA_VERSION}: a 72-byte fixed header, then
 * int32-counted sections: observations, actions, logProbs, values, rewards, bootstrapObservation,
 * signals (float32), segmentOffsets, context, depth (int32), terminated, truncated (bit-packed, lowest
 * bit first), runId, envName (UTF-8), then the signal names (an int32 count, then each name as a
 * counted UTF-8 string). Arrays come before strings so every float section starts 4-byte aligned
 * relative to the record. Version 1 (before signals) is refused.
 */
public final class TrajectoryChunkCodec {
    /** Schema version of trajectory chunks: 2 added the per-step signals. */
    public static final int SCHEMA_VERSION = 2;
    static final int VERSION = 0;
    static final int TYPE = 1;
    static final int RESERVED = 2;
    static final int STEPS = 4;
    static final int OBSERVATION_SIZE = 8;
    static final int ACTION_SIZE = 12;
    static final int ENV_INDEX = 16;
    static final int CHUNK_INDEX = 20;
    static final int INCARNATION_MSB = 24;
    static final int INCARNATION_LSB = 32;
    static final int SEQUENCE = 40;
    static final int EPISODE_ID = 48;
    static final int POLICY_VERSION = 56;
    static final int CREATED_AT = 64;
    /** Bytes before the first section. */
    public static final int FIXED_HEADER_LENGTH = 72;
    /** Count prefixes: ten arrays, two bit sets, two strings, the signal-name count (plus one per name). */
    private static final int SECTION_PREFIXES = 15;

    private TrajectoryChunkCodec() {
    }

    /** Exact number of bytes {@link #encode(TrajectoryChunk, MutableDirectBuffer, int)} writes for {@code chunk}. */
    public static int encodedLength(TrajectoryChunk chunk) {
        return Wire.checkedLength(length(chunk), "trajectory chunk");
    }

    private static long length(TrajectoryChunk c) {
        long floats = (long) c.observations().length + c.actions().length + c.logProbs().length
                + c.values().length + c.rewards().length + c.bootstrapObservation().length + c.signals().length;
        long ints = (long) c.segmentOffsets().length + c.context().length + c.depth().length;
        return FIXED_HEADER_LENGTH + 4L * SECTION_PREFIXES + 4L * (floats + ints)
                + Wire.bitBytes(c.terminated().length) + Wire.bitBytes(c.truncated().length)
                + Wire.utf8Length(c.id().runId(), "runId") + Wire.utf8Length(c.envName(), "envName")
                + signalNamesLength(c.signalNames());
    }

    private static long signalNamesLength(String[] names) {
        long n = 4L * names.length;
        for (String name : names) {
            n += Wire.utf8Length(name, "signalName");
        }
        return n;
    }

    /**
     * Writes {@code chunk} at {@code index} and returns the bytes written. Allocates nothing when the
     * buffer is large enough; an expandable buffer grows, a fixed one that is too small gets an
     * {@link IllegalArgumentException} before anything is written.
     */
    public static int encode(TrajectoryChunk chunk, MutableDirectBuffer buffer, int index) {
        int length = encodedLength(chunk);
        Wire.ensureCapacity(buffer, index, length);
        ChunkId id = chunk.id();
        buffer.putByte(index + VERSION, (byte) SCHEMA_VERSION);
        buffer.putByte(index + TYPE, (byte) RecordType.TRAJECTORY_CHUNK.tag());
        buffer.putShort(index + RESERVED, (short) 0, Wire.LE);
        buffer.putInt(index + STEPS, chunk.steps(), Wire.LE);
        buffer.putInt(index + OBSERVATION_SIZE, chunk.observationSize(), Wire.LE);
        buffer.putInt(index + ACTION_SIZE, chunk.actionSize(), Wire.LE);
        buffer.putInt(index + ENV_INDEX, chunk.envIndex(), Wire.LE);
        buffer.putInt(index + CHUNK_INDEX, chunk.chunkIndex(), Wire.LE);
        buffer.putLong(index + INCARNATION_MSB, id.workerIncarnation().getMostSignificantBits(), Wire.LE);
        buffer.putLong(index + INCARNATION_LSB, id.workerIncarnation().getLeastSignificantBits(), Wire.LE);
        buffer.putLong(index + SEQUENCE, id.sequence(), Wire.LE);
        buffer.putLong(index + EPISODE_ID, chunk.episodeId(), Wire.LE);
        buffer.putLong(index + POLICY_VERSION, chunk.policyVersion(), Wire.LE);
        buffer.putLong(index + CREATED_AT, chunk.createdAtMicros(), Wire.LE);
        int p = index + FIXED_HEADER_LENGTH;
        p = Wire.putFloatArray(buffer, p, chunk.observations());
        p = Wire.putFloatArray(buffer, p, chunk.actions());
        p = Wire.putFloatArray(buffer, p, chunk.logProbs());
        p = Wire.putFloatArray(buffer, p, chunk.values());
        p = Wire.putFloatArray(buffer, p, chunk.rewards());
        p = Wire.putFloatArray(buffer, p, chunk.bootstrapObservation());
        p = Wire.putFloatArray(buffer, p, chunk.signals());
        p = Wire.putIntArray(buffer, p, chunk.segmentOffsets());
        p = Wire.putIntArray(buffer, p, chunk.context());
        p = Wire.putIntArray(buffer, p, chunk.depth());
        p = Wire.putBits(buffer, p, chunk.terminated());
        p = Wire.putBits(buffer, p, chunk.truncated());
        // Lengths were measured (and surrogates checked) by encodedLength; measure again only to get
        // each string's own byte count, which is cheap next to the arrays.
        p = Wire.putString(buffer, p, id.runId(), (int) Wire.utf8Length(id.runId(), "runId"));
        p = Wire.putString(buffer, p, chunk.envName(), (int) Wire.utf8Length(chunk.envName(), "envName"));
        String[] names = chunk.signalNames();
        buffer.putInt(p, names.length, Wire.LE);
        p += 4;
        for (String name : names) {
            p = Wire.putString(buffer, p, name, (int) Wire.utf8Length(name, "signalName"));
        }
        return p - index;
    }

    /** Encodes {@code chunk} into a new array of exactly {@link #encodedLength} bytes. */
    public static byte[] encode(TrajectoryChunk chunk) {
        byte[] bytes = new byte[encodedLength(chunk)];
        encode(chunk, new UnsafeBuffer(bytes), 0);
        return bytes;
    }

    /**
     * Decodes the {@code length} bytes at {@code index}; any defect, including values the record's
     * constructor rejects, becomes a {@link MalformedRecordException} naming topic, partition and offset.
     */
    public static TrajectoryChunk decode(DirectBuffer buffer, int index, int length, String topic, int partition,
                                         long offset) {
        return new TrajectoryChunkFlyweight().wrap(buffer, index, length, topic, partition, offset).toRecord();
    }

    /** Decodes a whole array, e.g. a Kafka record value; a {@code null} value is malformed. */
    public static TrajectoryChunk decode(byte[] bytes, String topic, int partition, long offset) {
        if (bytes == null) {
            throw new MalformedRecordException(topic, partition, offset, "null record value");
        }
        return decode(new UnsafeBuffer(bytes), 0, bytes.length, topic, partition, offset);
    }
}
