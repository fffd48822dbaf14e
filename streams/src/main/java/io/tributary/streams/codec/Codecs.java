package io.tributary.streams.codec;

import io.tributary.learner.PolicySnapshot;
import io.tributary.rewards.ScoredChunk;
import io.tributary.simulator.rollout.TrajectoryChunk;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Type-dispatching entry point for code that handles records of any type (dead-letter routing, replay,
 * topic dumps). Hot paths call the typed codecs directly.
 */
public final class Codecs {
    private Codecs() {
    }

    /**
     * Reads the schema version and type tag of an encoding without decoding the rest; an unknown tag, a
     * version other than the type's {@link #supportedVersion} or fewer than two bytes give
     * {@link MalformedRecordException}.
     */
    public static RecordType typeOf(DirectBuffer buffer, int index, int length, String topic, int partition,
                                    long offset) {
        if (buffer == null) {
            throw new MalformedRecordException(topic, partition, offset, "null buffer");
        }
        if (index < 0 || length < 0 || (long) index + length > buffer.capacity()) {
            throw new MalformedRecordException(topic, partition, offset, "region outside the buffer: index=" + index
                    + ", length=" + length + ", capacity=" + buffer.capacity());
        }
        if (length < 1) {
            throw new MalformedRecordException(topic, partition, offset, "empty record");
        }
        int version = buffer.getByte(index + WireFormat.VERSION_OFFSET) & 0xFF;
        if (length < 2) {
            if (version != WireFormat.SCHEMA_VERSION && version != TrajectoryChunkCodec.SCHEMA_VERSION
                    && version != PolicySnapshotCodec.SCHEMA_VERSION) {
                throw new MalformedRecordException(topic, partition, offset, "unsupported schema version: version="
                        + version + ", supported=" + WireFormat.SCHEMA_VERSION);
            }
            throw new MalformedRecordException(topic, partition, offset, "truncated: field=type, needed=2, length=" + length);
        }
        int tag = buffer.getByte(index + WireFormat.TYPE_OFFSET) & 0xFF;
        RecordType type = RecordType.fromTag(tag);
        if (type == null) {
            throw new MalformedRecordException(topic, partition, offset, "unknown record type: type=" + tag);
        }
        int supported = supportedVersion(type);
        if (version != supported) {
            throw new MalformedRecordException(topic, partition, offset, "unsupported schema version: version="
                    + version + ", supported=" + supported);
        }
        return type;
    }

    /**
     * The one schema version this code writes and reads for {@code type}: a type moves to a new version
     * on its own (trajectory and scored chunks are at 2 since they carry signals, policy snapshots at 2 since they carry the architecture), the rest stay at
     * {@link WireFormat#SCHEMA_VERSION}.
     */
    public static int supportedVersion(RecordType type) {
        switch (type) {
            case TRAJECTORY_CHUNK:
                return TrajectoryChunkCodec.SCHEMA_VERSION;
            case SCORED_CHUNK:
                return ScoredChunkCodec.SCHEMA_VERSION;
            case POLICY_SNAPSHOT:
                return PolicySnapshotCodec.SCHEMA_VERSION;
            default:
                return WireFormat.SCHEMA_VERSION;
        }
    }

    /** As {@link #typeOf(DirectBuffer, int, int, String, int, long)} for a whole array. */
    public static RecordType typeOf(byte[] bytes, String topic, int partition, long offset) {
        if (bytes == null) {
            throw new MalformedRecordException(topic, partition, offset, "null record value");
        }
        return typeOf(new UnsafeBuffer(bytes), 0, bytes.length, topic, partition, offset);
    }

    /** Encodes any supported record with its type's codec. */
    public static byte[] encode(Record record) {
        if (record instanceof TrajectoryChunk chunk) {
            return TrajectoryChunkCodec.encode(chunk);
        } else if (record instanceof ScoredChunk scored) {
            return ScoredChunkCodec.encode(scored);
        } else if (record instanceof PolicySnapshot snapshot) {
            return PolicySnapshotCodec.encode(snapshot);
        } else if (record instanceof MetricEvent event) {
            return MetricEventCodec.encode(event);
        } else if (record instanceof LedgerPart part) {
            return LedgerPartCodec.encode(part);
        }
        throw new IllegalArgumentException("no codec for record type: type="
                + (record == null ? "null" : record.getClass().getName()));
    }

    /** Decodes any supported record, choosing the codec from its type tag. */
    public static Record decode(byte[] bytes, String topic, int partition, long offset) {
        RecordType type = typeOf(bytes, topic, partition, offset);
        switch (type) {
            case TRAJECTORY_CHUNK:
                return TrajectoryChunkCodec.decode(bytes, topic, partition, offset);
            case SCORED_CHUNK:
                return ScoredChunkCodec.decode(bytes, topic, partition, offset);
            case POLICY_SNAPSHOT:
                return PolicySnapshotCodec.decode(bytes, topic, partition, offset);
            case METRIC_EVENT:
                return MetricEventCodec.decode(bytes, topic, partition, offset);
            case LEDGER_ENTRY:
                return LedgerPartCodec.decode(bytes, topic, partition, offset);
            default:
                throw new IllegalStateException("record type without a decoder: type=" + type);
        }
    }
}
