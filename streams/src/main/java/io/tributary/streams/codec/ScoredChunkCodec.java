package io.tributary.streams.codec;

import io.tributary.rewards.ScoredChunk;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Binary codec for {@link ScoredChunk}, the record on the scored topic: a 24-byte header, the chunk's
 * complete {@link TrajectoryChunkCodec} encoding (so a learner reads it with the same flyweight), the
 * model's per-step rewards and the reward-model id. For hot-path reads use {@link ScoredChunkFlyweight}.
 * Its schema version follows the embedded chunk's: version 2 embeds a version-2 chunk (with signals);
 * version 1 is refused.
 */
public final class ScoredChunkCodec {
    /** Schema version of scored chunks: 2 since the embedded trajectory chunk carries signals. */
    public static final int SCHEMA_VERSION = 2;
    static final int VERSION = 0;
    static final int TYPE = 1;
    static final int RESERVED = 2;
    static final int CHUNK_LENGTH = 4;
    static final int REWARD_MODEL_VERSION = 8;
    static final int SCORED_AT = 16;
    /** Bytes before the embedded chunk; a multiple of 8 so the chunk's arrays keep their alignment. */
    public static final int FIXED_HEADER_LENGTH = 24;

    private ScoredChunkCodec() {
    }

    /** Exact number of bytes {@link #encode(ScoredChunk, MutableDirectBuffer, int)} writes for {@code scored}. */
    public static int encodedLength(ScoredChunk scored) {
        long length = FIXED_HEADER_LENGTH + (long) TrajectoryChunkCodec.encodedLength(scored.chunk())
                + 4L + 4L * scored.rewards().length + 4L + Wire.utf8Length(scored.rewardModelId(), "rewardModelId");
        return Wire.checkedLength(length, "scored chunk");
    }

    /** Writes {@code scored} at {@code index} and returns the bytes written; allocates nothing when the buffer is large enough. */
    public static int encode(ScoredChunk scored, MutableDirectBuffer buffer, int index) {
        int length = encodedLength(scored);
        Wire.ensureCapacity(buffer, index, length);
        buffer.putByte(index + VERSION, (byte) SCHEMA_VERSION);
        buffer.putByte(index + TYPE, (byte) RecordType.SCORED_CHUNK.tag());
        buffer.putShort(index + RESERVED, (short) 0, Wire.LE);
        buffer.putLong(index + REWARD_MODEL_VERSION, scored.rewardModelVersion(), Wire.LE);
        buffer.putLong(index + SCORED_AT, scored.scoredAtMicros(), Wire.LE);
        int chunkLength = TrajectoryChunkCodec.encode(scored.chunk(), buffer, index + FIXED_HEADER_LENGTH);
        buffer.putInt(index + CHUNK_LENGTH, chunkLength, Wire.LE);
        int p = index + FIXED_HEADER_LENGTH + chunkLength;
        p = Wire.putFloatArray(buffer, p, scored.rewards());
        p = Wire.putString(buffer, p, scored.rewardModelId(),
                (int) Wire.utf8Length(scored.rewardModelId(), "rewardModelId"));
        return p - index;
    }

    /** Encodes {@code scored} into a new array of exactly {@link #encodedLength} bytes. */
    public static byte[] encode(ScoredChunk scored) {
        byte[] bytes = new byte[encodedLength(scored)];
        encode(scored, new UnsafeBuffer(bytes), 0);
        return bytes;
    }

    /** Decodes the {@code length} bytes at {@code index}; any defect becomes a {@link MalformedRecordException}. */
    public static ScoredChunk decode(DirectBuffer buffer, int index, int length, String topic, int partition,
                                     long offset) {
        return new ScoredChunkFlyweight().wrap(buffer, index, length, topic, partition, offset).toRecord();
    }

    /** Decodes a whole array, e.g. a Kafka record value; a {@code null} value is malformed. */
    public static ScoredChunk decode(byte[] bytes, String topic, int partition, long offset) {
        if (bytes == null) {
            throw new MalformedRecordException(topic, partition, offset, "null record value");
        }
        return decode(new UnsafeBuffer(bytes), 0, bytes.length, topic, partition, offset);
    }
}
