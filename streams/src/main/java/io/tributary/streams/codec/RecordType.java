package io.tributary.streams.codec;

import io.tributary.learner.PolicySnapshot;
import io.tributary.rewards.ScoredChunk;
import io.tributary.simulator.rollout.TrajectoryChunk;

/** The record types on the wire, with the tag each encoding carries in its second byte. */
public enum RecordType {
    /** A {@link TrajectoryChunk} on the rollouts topic. */
    TRAJECTORY_CHUNK(1, TrajectoryChunk.class),
    /** A {@link ScoredChunk} on the scored topic. */
    SCORED_CHUNK(2, ScoredChunk.class),
    /** A {@link PolicySnapshot} on the policy topic. */
    POLICY_SNAPSHOT(3, PolicySnapshot.class),
    /** A {@link MetricEvent} on the metrics topic. */
    METRIC_EVENT(4, MetricEvent.class),
    /** A {@link LedgerPart} (one checkpoint's ledger entry, or a part of it) on the ledger topic. */
    LEDGER_ENTRY(5, LedgerPart.class);

    private final int tag;
    private final Class<? extends Record> recordClass;

    RecordType(int tag, Class<? extends Record> recordClass) {
        this.tag = tag;
        this.recordClass = recordClass;
    }

    /** The byte written after the schema version (0..255). */
    public int tag() {
        return tag;
    }

    /** The Java record this type encodes. */
    public Class<? extends Record> recordClass() {
        return recordClass;
    }

    /**
     * The type with this tag, or {@code null} if no type has it. Returns null rather than throwing so
     * the decoders can report an unknown tag with the record's topic and offset.
     */
    public static RecordType fromTag(int tag) {
        switch (tag) {
            case 1:
                return TRAJECTORY_CHUNK;
            case 2:
                return SCORED_CHUNK;
            case 3:
                return POLICY_SNAPSHOT;
            case 4:
                return METRIC_EVENT;
            case 5:
                return LEDGER_ENTRY;
            default:
                return null;
        }
    }
}
