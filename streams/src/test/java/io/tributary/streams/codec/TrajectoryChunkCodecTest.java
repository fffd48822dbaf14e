package io.tributary.streams.codec;

import static io.tributary.streams.codec.RecordAssertions.assertRecordEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.rollout.ChunkId;
import io.tributary.simulator.rollout.TrajectoryChunk;
import java.nio.ByteBuffer;
import java.util.UUID;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class TrajectoryChunkCodecTest {
    private static final String TOPIC = "run-1.rollouts";

    private static TrajectoryChunk roundTrip(TrajectoryChunk chunk) {
        byte[] bytes = TrajectoryChunkCodec.encode(chunk);
        assertEquals(TrajectoryChunkCodec.encodedLength(chunk), bytes.length);
        assertEquals(TrajectoryChunkCodec.SCHEMA_VERSION, bytes[0]);
        assertEquals(RecordType.TRAJECTORY_CHUNK.tag(), bytes[1]);
        TrajectoryChunk decoded = TrajectoryChunkCodec.decode(bytes, TOPIC, 0, 0L);
        assertRecordEquals(chunk, decoded);
        assertFlyweightMatches(chunk, new TrajectoryChunkFlyweight().wrap(new UnsafeBuffer(bytes), 0, bytes.length));
        return decoded;
    }

    static void assertFlyweightMatches(TrajectoryChunk c, TrajectoryChunkFlyweight f) {
        assertEquals(c.id().runId(), f.runId());
        assertEquals(c.id().workerIncarnation(), new UUID(f.workerIncarnationMostSigBits(), f.workerIncarnationLeastSigBits()));
        assertEquals(c.id().sequence(), f.sequence());
        assertEquals(c.envName(), f.envName());
        assertEquals(c.envIndex(), f.envIndex());
        assertEquals(c.episodeId(), f.episodeId());
        assertEquals(c.chunkIndex(), f.chunkIndex());
        assertEquals(c.policyVersion(), f.policyVersion());
        assertEquals(c.createdAtMicros(), f.createdAtMicros());
        assertEquals(c.steps(), f.steps());
        assertEquals(c.observationSize(), f.observationSize());
        assertEquals(c.actionSize(), f.actionSize());
        assertEquals(c.endsEpisode(), f.endsEpisode());
        assertEquals(c.segmentCount(), f.segmentCount());
        for (int t = 0; t < c.steps(); t++) {
            for (int j = 0; j < c.observationSize(); j++) {
                assertBits(c.observations()[t * c.observationSize() + j], f.observationAt(t, j));
            }
            for (int j = 0; j < c.actionSize(); j++) {
                assertBits(c.actions()[t * c.actionSize() + j], f.actionAt(t, j));
            }
            assertBits(c.logProbs()[t], f.logProbAt(t));
            assertBits(c.values()[t], f.valueAt(t));
            assertBits(c.rewards()[t], f.rewardAt(t));
            assertEquals(c.terminated()[t], f.terminatedAt(t));
            assertEquals(c.truncated()[t], f.truncatedAt(t));
        }
        for (int j = 0; j < c.observationSize(); j++) {
            assertBits(c.bootstrapObservation()[j], f.bootstrapObservationAt(j));
        }
        assertEquals(c.segmentOffsets().length, f.segmentOffsetCount());
        for (int i = 0; i < c.segmentOffsets().length; i++) {
            assertEquals(c.segmentOffsets()[i], f.segmentOffsetAt(i));
        }
        assertEquals(c.context().length, f.contextLength());
        for (int i = 0; i < c.context().length; i++) {
            assertEquals(c.context()[i], f.contextAt(i));
        }
        assertEquals(c.depth().length != 0, f.hasDepth());
        for (int i = 0; i < c.depth().length; i++) {
            assertEquals(c.depth()[i], f.depthAt(i));
        }
        float[] observations = new float[c.observations().length + 3];
        f.copyObservations(observations, 3);
        for (int i = 0; i < c.observations().length; i++) {
            assertBits(c.observations()[i], observations[i + 3]);
        }
        float[] rewards = new float[c.steps()];
        f.copyRewards(rewards, 0);
        assertArrayEquals(c.rewards(), rewards);
        assertEquals(c.signalNames().length, f.signalCount());
        for (int k = 0; k < c.signalNames().length; k++) {
            assertEquals(c.signalNames()[k], f.signalName(k));
            assertEquals(k, f.signalIndex(c.signalNames()[k]));
            for (int t = 0; t < c.steps(); t++) {
                assertBits(c.signal(t, k), f.signalAt(t, k));
            }
        }
        assertEquals(-1, f.signalIndex("no-such-signal"));
        float[] signals = new float[c.signals().length + 1];
        f.copySignals(signals, 1);
        for (int i = 0; i < c.signals().length; i++) {
            assertBits(c.signals()[i], signals[i + 1]);
        }
        assertRecordEquals(c, f.toRecord());
    }

    private static void assertBits(float expected, float actual) {
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual));
    }

    @Test
    void cartPoleChunkRoundTrips() {
        TrajectoryChunk chunk = Fixtures.cartPole(128, 1L);
        roundTrip(chunk);
        // Header + 15 count prefixes + 128*(4 obs + 1 action + 3 per-step floats) + 4 bootstrap floats
        // + 2*16 bit bytes + the two names (no signals: the signal-name count is 0).
        int expected = 72 + 15 * 4 + 4 * (128 * 8 + 4) + 2 * 16 + "cartpole-run".length() + "CartPole-v1".length();
        assertEquals(expected, TrajectoryChunkCodec.encodedLength(chunk));
    }

    @Test
    void fusedObservationChunkRoundTrips() {
        TrajectoryChunk chunk = Fixtures.fused(64, 2L);
        assertEquals(234, chunk.observationSize());
        TrajectoryChunk decoded = roundTrip(chunk);
        assertEquals(chunk.observations()[63 * 234 + 233], decoded.observations()[63 * 234 + 233]);
    }

    @Test
    void tokenGroupWithSegmentsAndContextRoundTrips() {
        TrajectoryChunk chunk = Fixtures.tokenGroup(3L);
        TrajectoryChunk decoded = roundTrip(chunk);
        assertArrayEquals(new int[] {0, 5, 12, 30}, decoded.segmentOffsets());
        assertEquals(3, decoded.segmentCount());
        assertEquals(17, decoded.context().length);
        assertTrue(decoded.terminated()[4] && decoded.terminated()[11] && decoded.terminated()[29]);
    }

    @Test
    void modelRolloutWithDepthRoundTrips() {
        TrajectoryChunk decoded = roundTrip(Fixtures.modelRollout(50, 4L));
        assertEquals(5, decoded.depth()[4]);
        assertFalse(decoded.endsEpisode());
    }

    @Test
    void cornersRoundTripBitExactly() {
        roundTrip(Fixtures.corners());
        for (int steps : new int[] {1, 7, 8, 9, 15, 16, 17}) {
            roundTrip(Fixtures.cartPole(steps, steps));
        }
    }

    @Test
    void encodesIntoReusedBufferAtAnOffsetWithoutTouchingNeighbours() {
        TrajectoryChunk chunk = Fixtures.fused(16, 5L);
        int length = TrajectoryChunkCodec.encodedLength(chunk);
        byte[] backing = new byte[length + 100];
        java.util.Arrays.fill(backing, (byte) 0x5A);
        UnsafeBuffer buffer = new UnsafeBuffer(backing);
        assertEquals(length, TrajectoryChunkCodec.encode(chunk, buffer, 37));
        for (int i = 0; i < 37; i++) {
            assertEquals(0x5A, backing[i]);
        }
        for (int i = 37 + length; i < backing.length; i++) {
            assertEquals(0x5A, backing[i]);
        }
        assertRecordEquals(chunk, TrajectoryChunkCodec.decode(buffer, 37, length, TOPIC, 1, 2L));
        TrajectoryChunkFlyweight view = new TrajectoryChunkFlyweight().wrap(buffer, 37, length);
        assertEquals(37, view.index());
        assertEquals(length, view.encodedLength());
        assertEquals(buffer, view.buffer());
        // Reuse: a second, smaller record over the first.
        TrajectoryChunk small = Fixtures.cartPole(3, 6L);
        int smallLength = TrajectoryChunkCodec.encode(small, buffer, 37);
        assertRecordEquals(small, TrajectoryChunkCodec.decode(buffer, 37, smallLength, TOPIC, 1, 3L));
    }

    @Test
    void encodesIntoDirectAndExpandableBuffers() {
        TrajectoryChunk chunk = Fixtures.modelRollout(20, 7L);
        UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(TrajectoryChunkCodec.encodedLength(chunk) + 8));
        int length = TrajectoryChunkCodec.encode(chunk, direct, 8);
        assertRecordEquals(chunk, TrajectoryChunkCodec.decode(direct, 8, length, TOPIC, 0, 0L));
        ExpandableArrayBuffer expandable = new ExpandableArrayBuffer(16);
        length = TrajectoryChunkCodec.encode(chunk, expandable, 4);
        assertRecordEquals(chunk, TrajectoryChunkCodec.decode(expandable, 4, length, TOPIC, 0, 0L));
    }

    @Test
    void tooSmallBufferIsRefusedBeforeWriting() {
        TrajectoryChunk chunk = Fixtures.cartPole(8, 8L);
        byte[] backing = new byte[TrajectoryChunkCodec.encodedLength(chunk) - 1];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrajectoryChunkCodec.encode(chunk, new UnsafeBuffer(backing), 0));
        assertTrue(e.getMessage().startsWith("buffer too small"), e.getMessage());
        for (byte b : backing) {
            assertEquals(0, b);
        }
    }

    @Test
    void unpairedSurrogateInANameIsRefusedOnEncode() {
        TrajectoryChunk c = Fixtures.cartPole(2, 9L);
        TrajectoryChunk bad = new TrajectoryChunk(c.id(), "env\ud800", c.envIndex(), c.episodeId(), c.chunkIndex(),
                c.policyVersion(), c.steps(), c.observationSize(), c.observations(), c.actionSize(), c.actions(),
                c.logProbs(), c.values(), c.rewards(), c.terminated(), c.truncated(), c.bootstrapObservation(),
                c.segmentOffsets(), c.context(), c.depth(), c.createdAtMicros());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrajectoryChunkCodec.encode(bad));
        assertTrue(e.getMessage().contains("envName is not valid UTF-16"), e.getMessage());
    }

    @Test
    void flyweightIsReusableAcrossRecords() {
        TrajectoryChunkFlyweight flyweight = new TrajectoryChunkFlyweight();
        for (TrajectoryChunk chunk : new TrajectoryChunk[] {Fixtures.fused(4, 1L), Fixtures.tokenGroup(2L),
                Fixtures.cartPole(128, 3L), Fixtures.modelRollout(9, 4L)}) {
            byte[] bytes = TrajectoryChunkCodec.encode(chunk);
            assertFlyweightMatches(chunk, flyweight.wrap(new UnsafeBuffer(bytes), 0, bytes.length, TOPIC, 0, 1L));
        }
        byte[] bytes = TrajectoryChunkCodec.encode(Fixtures.cartPole(4, 1L));
        flyweight.wrap(new UnsafeBuffer(bytes), 0, bytes.length);
        assertThrows(IndexOutOfBoundsException.class, () -> flyweight.rewardAt(4));
        assertThrows(IndexOutOfBoundsException.class, () -> flyweight.observationAt(0, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> flyweight.depthAt(0));
    }

    @Test
    void lengthsThatDisagreeWithTheHeaderAreMalformed() {
        byte[] bytes = TrajectoryChunkCodec.encode(Fixtures.cartPole(8, 10L));
        UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        // observations count: 8 * 4 = 32; claim 31.
        buffer.putInt(TrajectoryChunkCodec.FIXED_HEADER_LENGTH, 31, WireFormat.BYTE_ORDER);
        assertReason(bytes, "observations length mismatch: length=31, expected=32");
        buffer.putInt(TrajectoryChunkCodec.FIXED_HEADER_LENGTH, 32, WireFormat.BYTE_ORDER);
        buffer.putInt(TrajectoryChunkCodec.STEPS, 9, WireFormat.BYTE_ORDER);
        assertReason(bytes, "observations length mismatch: length=32, expected=36");
        buffer.putInt(TrajectoryChunkCodec.STEPS, -1, WireFormat.BYTE_ORDER);
        assertReason(bytes, "steps out of range: steps=-1");
        buffer.putInt(TrajectoryChunkCodec.STEPS, 8, WireFormat.BYTE_ORDER);
        buffer.putInt(TrajectoryChunkCodec.OBSERVATION_SIZE, Integer.MAX_VALUE, WireFormat.BYTE_ORDER);
        assertReason(bytes, "observations length mismatch");
        assertRecordEquals(Fixtures.cartPole(8, 10L), decodeAfterRestoring(bytes));
    }

    private static TrajectoryChunk decodeAfterRestoring(byte[] bytes) {
        new UnsafeBuffer(bytes).putInt(TrajectoryChunkCodec.OBSERVATION_SIZE, 4, WireFormat.BYTE_ORDER);
        return TrajectoryChunkCodec.decode(bytes, TOPIC, 0, 0L);
    }

    @Test
    void negativeAndOversizedCountsAreMalformedWithoutAllocating() {
        TrajectoryChunk chunk = Fixtures.tokenGroup(11L);
        byte[] bytes = TrajectoryChunkCodec.encode(chunk);
        int contextCount = contextCountIndex(chunk);
        UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        assertEquals(17, buffer.getInt(contextCount, WireFormat.BYTE_ORDER));
        buffer.putInt(contextCount, -5, WireFormat.BYTE_ORDER);
        assertReason(bytes, "context length is negative: length=-5");
        buffer.putInt(contextCount, Integer.MAX_VALUE, WireFormat.BYTE_ORDER);
        assertReason(bytes, "context length exceeds the remaining bytes: length=2147483647");
    }

    private static int contextCountIndex(TrajectoryChunk c) {
        int floats = c.observations().length + c.actions().length + 3 * c.steps() + c.bootstrapObservation().length;
        return TrajectoryChunkCodec.FIXED_HEADER_LENGTH + 7 * 4 + 4 * floats + 4 + 4 * c.segmentOffsets().length;
    }

    @Test
    void invalidUtf8IsMalformed() {
        TrajectoryChunk chunk = Fixtures.cartPole(2, 12L);
        byte[] bytes = TrajectoryChunkCodec.encode(chunk);
        // The env name comes right before the (empty) signal names: overwrite its first byte with a lone continuation byte,
        // then with the start of an overlong encoding and a UTF-16 surrogate.
        int envName = bytes.length - 4 - chunk.envName().length();
        for (byte[] bad : new byte[][] {{(byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}}) {
            byte[] copy = bytes.clone();
            System.arraycopy(bad, 0, copy, envName, bad.length);
            assertReason(copy, "envName is not valid UTF-8: byteIndex=");
        }
    }

    @Test
    void constructorRulesAreEnforcedOnTheWire() {
        TrajectoryChunk chunk = Fixtures.cartPole(8, 13L);
        byte[] bytes = TrajectoryChunkCodec.encode(chunk);
        int terminatedBits = bytes.length - 4 - 8 - chunk.id().runId().length() - chunk.envName().length() - 2 * (4 + 1);
        assertEquals(0x80, bytes[terminatedBits + 4] & 0xFF);
        bytes[terminatedBits + 4] |= 0x01;
        assertReason(bytes, "only the last step of a chunk may end an episode: step=0, steps=8");
    }

    @Test
    void wrongTypeAndVersionAreMalformed() {
        byte[] bytes = TrajectoryChunkCodec.encode(Fixtures.cartPole(4, 14L));
        bytes[1] = (byte) RecordType.SCORED_CHUNK.tag();
        assertReason(bytes, "wrong record type: type=2 (SCORED_CHUNK), expected=1 (TRAJECTORY_CHUNK)");
        bytes[1] = (byte) 99;
        assertReason(bytes, "wrong record type: type=99 (unknown)");
        bytes[0] = 1;
        assertReason(bytes, "unsupported schema version: version=1, supported=2");
    }

    @Test
    void laneChunkWithSignalsAndDepthRoundTrips() {
        TrajectoryChunk chunk = Fixtures.fused(12, 20L);
        TrajectoryChunk decoded = roundTrip(chunk);
        assertEquals(java.util.List.of(Fixtures.LANE_SIGNALS), java.util.List.of(decoded.signalNames()));
        assertEquals(12 * Fixtures.LANE_SIGNALS.length, decoded.signals().length);
        assertEquals(chunk.signal(11, 3), decoded.signal(11, decoded.signalIndex("cap\u00e9_rad")));
        assertEquals(111, decoded.depth()[11]);
        // Signals add a float section and the names: 4 per value, 4 + UTF-8 bytes per name.
        TrajectoryChunk bare = new TrajectoryChunk(chunk.id(), chunk.envName(), chunk.envIndex(), chunk.episodeId(),
                chunk.chunkIndex(), chunk.policyVersion(), chunk.steps(), chunk.observationSize(), chunk.observations(),
                chunk.actionSize(), chunk.actions(), chunk.logProbs(), chunk.values(), chunk.rewards(), chunk.terminated(),
                chunk.truncated(), chunk.bootstrapObservation(), chunk.segmentOffsets(), chunk.context(), chunk.depth(),
                chunk.createdAtMicros());
        int names = 0;
        for (String n : Fixtures.LANE_SIGNALS) {
            names += 4 + n.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        assertEquals(TrajectoryChunkCodec.encodedLength(bare) + 4 * chunk.signals().length + names,
                TrajectoryChunkCodec.encodedLength(chunk));
        assertEquals(0, bare.signalNames().length);
        assertEquals(0, bare.signals().length);
        assertEquals(-1, bare.signalIndex("speed_mps"));
    }

    @Test
    void signalRulesAreEnforcedInTheConstructorAndOnTheWire() {
        TrajectoryChunk c = Fixtures.fused(3, 21L);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> withSignals(c,
                new String[] {"a", "b"}, new float[5]));
        assertEquals("signals length mismatch: length=5, expected=6, steps=3, signalNames=2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> withSignals(c, new String[] {"a", "a"}, new float[6]));
        assertEquals("signal names must be distinct: index=1, name=a, firstIndex=0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> withSignals(c, new String[] {""}, new float[3]));
        assertTrue(e.getMessage().startsWith("signal name must not be null or empty: index=0"), e.getMessage());
        assertThrows(NullPointerException.class, () -> withSignals(c, null, new float[0]));
        assertThrows(IndexOutOfBoundsException.class, () -> c.signal(3, 0));

        // The same rules on the wire: names "ab","cd" encoded, then the second renamed to "ab".
        TrajectoryChunk two = withSignals(c, new String[] {"ab", "cd"}, new float[6]);
        byte[] bytes = TrajectoryChunkCodec.encode(two);
        bytes[bytes.length - 2] = 'a';
        bytes[bytes.length - 1] = 'b';
        assertReason(bytes, "signal names must be distinct: index=1, name=ab, firstIndex=0");
        // The signal-name count disagrees with the signal values.
        byte[] miscounted = TrajectoryChunkCodec.encode(two);
        new UnsafeBuffer(miscounted).putInt(miscounted.length - 2 * (4 + 2) - 4, 3, WireFormat.BYTE_ORDER);
        assertReason(miscounted, "signals length mismatch: length=6, expected=9, steps=3, signalNames=3");
        // An empty name.
        TrajectoryChunk one = withSignals(c, new String[] {"x"}, new float[3]);
        byte[] empty = TrajectoryChunkCodec.encode(one);
        new UnsafeBuffer(empty).putInt(empty.length - 5, 0, WireFormat.BYTE_ORDER);
        byte[] cut = java.util.Arrays.copyOf(empty, empty.length - 1);
        assertReason(cut, "signal name must not be null or empty: index=0");
    }

    private static TrajectoryChunk withSignals(TrajectoryChunk c, String[] names, float[] signals) {
        return new TrajectoryChunk(c.id(), c.envName(), c.envIndex(), c.episodeId(), c.chunkIndex(), c.policyVersion(),
                c.steps(), c.observationSize(), c.observations(), c.actionSize(), c.actions(), c.logProbs(), c.values(),
                c.rewards(), c.terminated(), c.truncated(), c.bootstrapObservation(), c.segmentOffsets(), c.context(),
                c.depth(), c.createdAtMicros(), names, signals);
    }

    @Test
    void withIdKeepsEverythingButTheId() {
        TrajectoryChunk c = Fixtures.fused(5, 22L);
        ChunkId other = new ChunkId(c.id().runId(), c.id().workerIncarnation(), c.id().sequence() + 1);
        TrajectoryChunk copy = c.withId(other);
        assertEquals(other, copy.id());
        byte[] a = TrajectoryChunkCodec.encode(c);
        byte[] b = TrajectoryChunkCodec.encode(copy);
        assertEquals(c.id().sequence() + 1, new UnsafeBuffer(b).getLong(TrajectoryChunkCodec.SEQUENCE, WireFormat.BYTE_ORDER));
        new UnsafeBuffer(b).putLong(TrajectoryChunkCodec.SEQUENCE, c.id().sequence(), WireFormat.BYTE_ORDER);
        assertArrayEquals(a, b);
    }

    @Test
    void exceptionCarriesTopicPartitionAndOffset() {
        byte[] bytes = TrajectoryChunkCodec.encode(Fixtures.cartPole(4, 15L));
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 1);
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> TrajectoryChunkCodec.decode(truncated, "lk-7.rollouts", 3, 123_456_789_012L));
        assertEquals("lk-7.rollouts", e.topic());
        assertEquals(3, e.partition());
        assertEquals(123_456_789_012L, e.offset());
        assertTrue(e.getMessage().startsWith("malformed record: topic=lk-7.rollouts, partition=3, offset=123456789012, reason="),
                e.getMessage());
        assertEquals("malformed record: topic=lk-7.rollouts, partition=3, offset=123456789012, reason=" + e.reason(),
                e.getMessage());
        MalformedRecordException nullValue = assertThrows(MalformedRecordException.class,
                () -> TrajectoryChunkCodec.decode((byte[]) null, "t", 0, 5L));
        assertEquals("null record value", nullValue.reason());
        MalformedRecordException outside = assertThrows(MalformedRecordException.class,
                () -> TrajectoryChunkCodec.decode(new UnsafeBuffer(bytes), 10, bytes.length, "t", 0, 5L));
        assertTrue(outside.reason().startsWith("region outside the buffer"), outside.reason());
        MalformedRecordException fromFlyweight = assertThrows(MalformedRecordException.class,
                () -> new TrajectoryChunkFlyweight().wrap(new UnsafeBuffer(truncated), 0, truncated.length));
        assertEquals(null, fromFlyweight.topic());
        assertEquals(-1, fromFlyweight.partition());
        assertEquals(-1L, fromFlyweight.offset());
    }

    @Test
    void trailingBytesAreMalformed() {
        byte[] bytes = TrajectoryChunkCodec.encode(Fixtures.cartPole(4, 16L));
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 3);
        assertReason(longer, "trailing bytes after the last field: count=3");
    }

    @Test
    void chunkIdSurvivesWithItsUuid() {
        TrajectoryChunk chunk = Fixtures.cartPole(4, 17L);
        ChunkId id = TrajectoryChunkCodec.decode(TrajectoryChunkCodec.encode(chunk), TOPIC, 0, 0L).id();
        assertEquals(chunk.id(), id);
        assertEquals(chunk.id().key(), id.key());
    }

    static void assertReason(byte[] bytes, String reasonPrefix) {
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> TrajectoryChunkCodec.decode(bytes, TOPIC, 4, 99L));
        assertTrue(e.reason().startsWith(reasonPrefix), () -> "reason: " + e.reason());
        MalformedRecordException f = assertThrows(MalformedRecordException.class,
                () -> new TrajectoryChunkFlyweight().wrap(new UnsafeBuffer(bytes), 0, bytes.length, TOPIC, 4, 99L));
        assertEquals(e.reason(), f.reason());
    }
}
