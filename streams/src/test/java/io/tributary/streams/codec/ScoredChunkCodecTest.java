package io.tributary.streams.codec;

import static io.tributary.streams.codec.RecordAssertions.assertRecordEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.rewards.ScoredChunk;
import io.tributary.simulator.rollout.TrajectoryChunk;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class ScoredChunkCodecTest {
    private static final String TOPIC = "run-1.scored";

    @Test
    void everyChunkShapeRoundTripsWhenScored() {
        ScoredChunkFlyweight flyweight = new ScoredChunkFlyweight();
        long seed = 1;
        for (TrajectoryChunk chunk : new TrajectoryChunk[] {Fixtures.cartPole(128, 1L), Fixtures.fused(32, 2L),
                Fixtures.tokenGroup(3L), Fixtures.modelRollout(25, 4L), Fixtures.corners()}) {
            ScoredChunk scored = Fixtures.scored(chunk, seed++);
            byte[] bytes = ScoredChunkCodec.encode(scored);
            assertEquals(ScoredChunkCodec.encodedLength(scored), bytes.length);
            assertRecordEquals(scored, ScoredChunkCodec.decode(bytes, TOPIC, 2, 10L));

            flyweight.wrap(new UnsafeBuffer(bytes), 0, bytes.length, TOPIC, 2, 10L);
            assertEquals(scored.rewardModelId(), flyweight.rewardModelId());
            assertEquals(scored.rewardModelVersion(), flyweight.rewardModelVersion());
            assertEquals(scored.scoredAtMicros(), flyweight.scoredAtMicros());
            assertEquals(chunk.steps(), flyweight.steps());
            for (int t = 0; t < chunk.steps(); t++) {
                assertEquals(scored.rewards()[t], flyweight.rewardAt(t));
            }
            TrajectoryChunkCodecTest.assertFlyweightMatches(chunk, flyweight.chunk());
            assertRecordEquals(scored, flyweight.toRecord());
        }
    }

    @Test
    void embeddedChunkIsTheChunkEncodingVerbatim() {
        ScoredChunk scored = Fixtures.scored(Fixtures.fused(4, 5L), 5L);
        byte[] bytes = ScoredChunkCodec.encode(scored);
        byte[] chunk = TrajectoryChunkCodec.encode(scored.chunk());
        assertEquals(chunk.length, new UnsafeBuffer(bytes).getInt(4, WireFormat.BYTE_ORDER));
        for (int i = 0; i < chunk.length; i++) {
            assertEquals(chunk[i], bytes[ScoredChunkCodec.FIXED_HEADER_LENGTH + i]);
        }
    }

    @Test
    void nonFiniteModelRewardIsMalformed() {
        ScoredChunk scored = Fixtures.scored(Fixtures.cartPole(4, 6L), 6L);
        byte[] bytes = ScoredChunkCodec.encode(scored);
        int rewards = ScoredChunkCodec.FIXED_HEADER_LENGTH + TrajectoryChunkCodec.encodedLength(scored.chunk()) + 4;
        new UnsafeBuffer(bytes).putFloat(rewards + 8, Float.NaN, WireFormat.BYTE_ORDER);
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> ScoredChunkCodec.decode(bytes, TOPIC, 0, 1L));
        assertEquals("reward is not finite: step=2, reward=NaN", e.reason());
    }

    @Test
    void embeddedChunkLengthBeyondTheRecordIsMalformed() {
        byte[] bytes = ScoredChunkCodec.encode(Fixtures.scored(Fixtures.cartPole(4, 7L), 7L));
        UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        buffer.putInt(4, bytes.length, WireFormat.BYTE_ORDER);
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> ScoredChunkCodec.decode(bytes, TOPIC, 0, 1L));
        assertTrue(e.reason().startsWith("chunk length exceeds the remaining bytes"), e.reason());
        buffer.putInt(4, -1, WireFormat.BYTE_ORDER);
        e = assertThrows(MalformedRecordException.class, () -> ScoredChunkCodec.decode(bytes, TOPIC, 0, 1L));
        assertEquals("chunk length is negative: length=-1", e.reason());
    }

    @Test
    void unsupportedVersionIsNamed() {
        byte[] bytes = ScoredChunkCodec.encode(Fixtures.scored(Fixtures.cartPole(4, 8L), 8L));
        assertEquals(2, bytes[0], "scored chunks are at schema version 2 (the embedded chunk carries signals)");
        bytes[0] = 1;
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> ScoredChunkCodec.decode(bytes, TOPIC, 1, 2L));
        assertEquals("unsupported schema version: version=1, supported=2", e.reason());
        bytes[0] = 2;
        // A version-1 chunk inside a version-2 record is refused as well.
        bytes[ScoredChunkCodec.FIXED_HEADER_LENGTH] = 1;
        e = assertThrows(MalformedRecordException.class, () -> ScoredChunkCodec.decode(bytes, TOPIC, 1, 2L));
        assertEquals("unsupported schema version: version=1, supported=2", e.reason());
    }

    @Test
    void signalsSurviveScoring() {
        ScoredChunk scored = Fixtures.scored(Fixtures.fused(6, 9L), 9L);
        ScoredChunk decoded = ScoredChunkCodec.decode(ScoredChunkCodec.encode(scored), TOPIC, 0, 0L);
        assertEquals(java.util.List.of(Fixtures.LANE_SIGNALS), java.util.List.of(decoded.chunk().signalNames()));
        assertEquals(scored.chunk().signal(5, 2), decoded.chunk().signal(5, 2));
    }
}
