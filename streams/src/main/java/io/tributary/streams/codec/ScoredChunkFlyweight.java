package io.tributary.streams.codec;

import static io.tributary.streams.codec.ScoredChunkCodec.CHUNK_LENGTH;
import static io.tributary.streams.codec.ScoredChunkCodec.FIXED_HEADER_LENGTH;
import static io.tributary.streams.codec.ScoredChunkCodec.RESERVED;
import static io.tributary.streams.codec.ScoredChunkCodec.REWARD_MODEL_VERSION;
import static io.tributary.streams.codec.ScoredChunkCodec.SCORED_AT;

import io.tributary.rewards.ScoredChunk;
import io.tributary.simulator.rollout.TrajectoryChunk;
import java.util.Objects;
import org.agrona.DirectBuffer;

/**
 * Allocation-free, reusable view of an encoded {@link ScoredChunk}; the embedded chunk is read through
 * {@link #chunk()}. {@link #wrap} validates everything the record constructors would. Not thread-safe.
 * After a failed {@code wrap} the view must not be read.
 */
public final class ScoredChunkFlyweight extends RecordFlyweight {
    private final WireReader reader = new WireReader();
    private final TrajectoryChunkFlyweight chunk = new TrajectoryChunkFlyweight();
    private int rewards;
    private int steps;
    private int rewardModelId;
    private int rewardModelIdLength;

    /** Wraps bytes that did not come from a topic: errors report topic=null, partition=-1, offset=-1. */
    public ScoredChunkFlyweight wrap(DirectBuffer buffer, int index, int length) {
        return wrap(buffer, index, length, null, -1, -1L);
    }

    /** Validates the {@code length} bytes at {@code index} and points this view at them; allocates nothing unless malformed. */
    public ScoredChunkFlyweight wrap(DirectBuffer buffer, int index, int length, String topic, int partition,
                                     long offset) {
        this.buffer = null;
        WireReader r = reader;
        r.reset(buffer, index, length, topic, partition, offset);
        r.header(RecordType.SCORED_CHUNK, FIXED_HEADER_LENGTH, ScoredChunkCodec.SCHEMA_VERSION);
        if ((r.u8(RESERVED) | r.u8(RESERVED + 1)) != 0) {
            throw r.fail("reserved header bytes are not zero");
        }
        long rewardModelVersion = r.i64(REWARD_MODEL_VERSION);
        if (rewardModelVersion < 0) {
            throw r.fail("rewardModelVersion must be >= 0: rewardModelVersion=" + rewardModelVersion);
        }
        int chunkLength = r.i32(CHUNK_LENGTH);
        int chunkStart = r.nested("chunk", chunkLength);
        chunk.wrap(buffer, chunkStart, chunkLength, topic, partition, offset);
        steps = chunk.steps();
        rewards = r.array("rewards", 4, steps);
        rewardModelId = r.string("rewardModelId");
        rewardModelIdLength = r.lastLength();
        r.finish();
        for (int i = 0; i < steps; i++) {
            float reward = buffer.getFloat(rewards + (i << 2), Wire.LE);
            if (!Float.isFinite(reward)) {
                throw r.fail("reward is not finite: step=" + i + ", reward=" + reward);
            }
        }
        this.start = index;
        this.length = length;
        this.buffer = buffer;
        return this;
    }

    /** View of the embedded chunk; valid until the next {@code wrap}. */
    public TrajectoryChunkFlyweight chunk() {
        return chunk;
    }

    /** Number of steps (and model rewards). */
    public int steps() {
        return steps;
    }

    /** Reward-model reward of {@code step}. */
    public float rewardAt(int step) {
        Objects.checkIndex(step, steps);
        return buffer.getFloat(rewards + (step << 2), Wire.LE);
    }

    /** Copies the reward-model rewards into {@code dst} at {@code dstIndex} (bulk, no allocation). */
    public void copyRewards(float[] dst, int dstIndex) {
        Wire.getFloats(buffer, rewards, dst, dstIndex, steps);
    }

    /** Reward-model name, decoded into a new String (allocates). */
    public String rewardModelId() {
        return buffer.getStringWithoutLengthUtf8(rewardModelId, rewardModelIdLength);
    }

    /** Reward-model version. */
    public long rewardModelVersion() {
        return buffer.getLong(start + REWARD_MODEL_VERSION, Wire.LE);
    }

    /** Wall-clock scoring time, epoch microseconds. */
    public long scoredAtMicros() {
        return buffer.getLong(start + SCORED_AT, Wire.LE);
    }

    /** Materialises the record (allocates); constructor rejections become {@link MalformedRecordException}. */
    public ScoredChunk toRecord() {
        TrajectoryChunk c = chunk.toRecord();
        try {
            return new ScoredChunk(c, Wire.floats(buffer, rewards, steps), rewardModelId(), rewardModelVersion(),
                    scoredAtMicros());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw reader.rejected(e);
        }
    }
}
