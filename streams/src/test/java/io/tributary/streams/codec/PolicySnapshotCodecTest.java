package io.tributary.streams.codec;

import static io.tributary.streams.codec.RecordAssertions.assertRecordEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.learner.PolicySnapshot;
import io.tributary.learner.PolicySpec;
import java.nio.ByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class PolicySnapshotCodecTest {
    private static final String TOPIC = "run-1.policy";
    private static final int SIXTEEN_MB_OF_FLOATS = 4 * 1024 * 1024;

    @Test
    void smallSnapshotsOfEveryHeadRoundTrip() {
        for (PolicySpec.Head head : PolicySpec.Head.values()) {
            PolicySnapshot snapshot = Fixtures.snapshot(1000, head, 1L);
            byte[] bytes = PolicySnapshotCodec.encode(snapshot);
            assertEquals(PolicySnapshotCodec.encodedLength(snapshot), bytes.length);
            assertRecordEquals(snapshot, PolicySnapshotCodec.decode(bytes, TOPIC, 0, 0L));

            PolicySnapshotFlyweight f = new PolicySnapshotFlyweight().wrap(new UnsafeBuffer(bytes), 0, bytes.length);
            assertEquals(snapshot.runId(), f.runId());
            assertEquals(snapshot.algorithm(), f.algorithm());
            assertEquals(snapshot.version(), f.version());
            assertEquals(snapshot.createdAtMicros(), f.createdAtMicros());
            assertEquals(head, f.head());
            assertEquals(snapshot.spec().observationSize(), f.observationSize());
            assertEquals(snapshot.spec().actionSize(), f.actionSize());
            assertEquals(snapshot.spec().hiddenSizes().length, f.hiddenLayerCount());
            assertEquals(snapshot.spec().hiddenSizes()[0], f.hiddenSizeAt(0));
            assertEquals(snapshot.spec().actionLow().length, f.actionLowLength());
            assertEquals(snapshot.parameters().length, f.parameterCount());
            assertEquals(snapshot.parameters()[999], f.parameterAt(999));
            assertEquals(snapshot.observationMean()[7], f.observationMeanAt(7));
            assertEquals(snapshot.observationVar()[7], f.observationVarAt(7));
            assertRecordEquals(snapshot, f.toRecord());
        }
    }

    @Test
    void sixteenMegabyteSnapshotRoundTripsQuickly() {
        PolicySnapshot snapshot = Fixtures.snapshot(SIXTEEN_MB_OF_FLOATS, PolicySpec.Head.GAUSSIAN, 2L);
        int length = PolicySnapshotCodec.encodedLength(snapshot);
        assertTrue(length > 16 * 1024 * 1024);
        UnsafeBuffer heap = new UnsafeBuffer(new byte[length]);
        UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(length));
        float[] reused = new float[SIXTEEN_MB_OF_FLOATS];
        PolicySnapshotFlyweight flyweight = new PolicySnapshotFlyweight();

        long bestEncode = Long.MAX_VALUE;
        long bestDecode = Long.MAX_VALUE;
        long bestCopy = Long.MAX_VALUE;
        PolicySnapshot decoded = null;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            assertEquals(length, PolicySnapshotCodec.encode(snapshot, heap, 0));
            long t1 = System.nanoTime();
            decoded = PolicySnapshotCodec.decode(heap, 0, length, TOPIC, 0, 1L);
            long t2 = System.nanoTime();
            flyweight.wrap(heap, 0, length).copyParameters(reused, 0);
            long t3 = System.nanoTime();
            bestEncode = Math.min(bestEncode, t1 - t0);
            bestDecode = Math.min(bestDecode, t2 - t1);
            bestCopy = Math.min(bestCopy, t3 - t2);
        }
        assertRecordEquals(snapshot, decoded);
        assertArrayEquals(snapshot.parameters(), reused);

        PolicySnapshotCodec.encode(snapshot, direct, 0);
        assertRecordEquals(snapshot, PolicySnapshotCodec.decode(direct, 0, length, TOPIC, 0, 1L));

        System.out.printf("16 MB policy snapshot: encode %.2f ms, decode %.2f ms, flyweight copy %.2f ms (best of 5)%n",
                bestEncode / 1e6, bestDecode / 1e6, bestCopy / 1e6);
        // Bulk copies take a few milliseconds; a per-element or per-byte regression takes far longer.
        assertTrue(bestEncode < 50_000_000L, "encode took " + bestEncode / 1e6 + " ms");
        assertTrue(bestDecode < 50_000_000L, "decode took " + bestDecode / 1e6 + " ms");
    }

    @Test
    void gaussianHeadWithoutBoundsIsMalformed() {
        PolicySnapshot snapshot = Fixtures.snapshot(10, PolicySpec.Head.CATEGORICAL, 3L);
        byte[] bytes = PolicySnapshotCodec.encode(snapshot);
        bytes[PolicySnapshotCodec.HEAD] = (byte) PolicySnapshotCodec.HEAD_GAUSSIAN;
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> PolicySnapshotCodec.decode(bytes, TOPIC, 0, 4L));
        assertEquals("actionLow length mismatch: length=0, expected=2", e.reason());
        bytes[PolicySnapshotCodec.HEAD] = 7;
        e = assertThrows(MalformedRecordException.class, () -> PolicySnapshotCodec.decode(bytes, TOPIC, 0, 4L));
        assertEquals("unknown policy head: head=7", e.reason());
    }

    @Test
    void oversizedParameterCountIsMalformedWithoutAllocating() {
        byte[] bytes = PolicySnapshotCodec.encode(Fixtures.snapshot(10, PolicySpec.Head.CATEGORICAL, 4L));
        new UnsafeBuffer(bytes).putInt(PolicySnapshotCodec.FIXED_HEADER_LENGTH, 1 << 30, WireFormat.BYTE_ORDER);
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> PolicySnapshotCodec.decode(bytes, TOPIC, 0, 4L));
        assertTrue(e.reason().startsWith("parameters length exceeds the remaining bytes: length=1073741824"), e.reason());
    }

    @Test
    void unsupportedVersionIsNamed() {
        byte[] bytes = PolicySnapshotCodec.encode(Fixtures.snapshot(10, PolicySpec.Head.CATEGORICAL, 5L));
        assertEquals(2, bytes[0]);
        bytes[0] = 3;
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> PolicySnapshotCodec.decode(bytes, TOPIC, 0, 4L));
        assertEquals("unsupported schema version: version=3, supported=2", e.reason());
        bytes[0] = 1;
        e = assertThrows(MalformedRecordException.class, () -> PolicySnapshotCodec.decode(bytes, TOPIC, 0, 4L));
        assertTrue(e.reason().startsWith("unsupported schema version: version=1, supported=2 (a version-1 policy snapshot"),
                e.reason());
    }

    @Test
    void sequenceSnapshotsRoundTripAsSequence() {
        PolicySpec spec = PolicySpec.sequence(50, 4, 8, 3);
        float[] params = new float[(int) io.tributary.learner.lm.GruLanguageModel.parameterCount(spec)];
        for (int i = 0; i < params.length; i++) {
            params[i] = i * 0.001f;
        }
        PolicySnapshot snapshot = new PolicySnapshot("run-lm", 2, "brpo", spec, params, new float[3],
                new float[] {1f, 1f, 1f}, 5L);
        byte[] bytes = PolicySnapshotCodec.encode(snapshot);
        PolicySnapshot decoded = PolicySnapshotCodec.decode(bytes, TOPIC, 0, 0L);
        assertRecordEquals(snapshot, decoded);
        assertEquals(spec, decoded.spec());
        assertEquals(PolicySpec.Architecture.SEQUENCE,
                new PolicySnapshotFlyweight().wrap(new UnsafeBuffer(bytes), 0, bytes.length).architecture());
    }

    @Test
    void fusionSnapshotsOfEveryHeadRoundTripWithTheirFields() {
        for (PolicySpec.Head head : PolicySpec.Head.values()) {
            PolicySnapshot snapshot = Fixtures.fusionSnapshot(300, head, 11L);
            byte[] bytes = PolicySnapshotCodec.encode(snapshot);
            assertEquals(PolicySnapshotCodec.encodedLength(snapshot), bytes.length);
            PolicySnapshot decoded = PolicySnapshotCodec.decode(bytes, TOPIC, 0, 0L);
            assertRecordEquals(snapshot, decoded);
            assertEquals(snapshot.spec(), decoded.spec());
            PolicySnapshotFlyweight f = new PolicySnapshotFlyweight().wrap(new UnsafeBuffer(bytes), 0, bytes.length);
            assertEquals(PolicySpec.Architecture.FUSION, f.architecture());
            assertEquals(PolicySpec.Activation.RELU, f.activation());
            assertEquals(head, f.head());
            assertEquals(4, f.fieldCount());
            for (int i = 0; i < 4; i++) {
                assertEquals(snapshot.spec().fields().get(i), f.field(i));
            }
        }
    }

    @Test
    void fieldDefectsAreMalformed() {
        PolicySnapshot snapshot = Fixtures.fusionSnapshot(3, PolicySpec.Head.CATEGORICAL, 12L);
        byte[] good = PolicySnapshotCodec.encode(snapshot);
        // the first field's info section follows parameters, statistics, trunk sizes and (empty) bounds
        int info = PolicySnapshotCodec.FIXED_HEADER_LENGTH + 4 + 4 * 3 + 2 * (4 + 4 * 14) + 4 + 4 * 2 + 4 + 4 + 4;
        UnsafeBuffer b = new UnsafeBuffer(good);
        assertEquals(6, b.getInt(info + 4, WireFormat.BYTE_ORDER), "lidar size where the test expects it");

        byte[] sizes = good.clone();
        new UnsafeBuffer(sizes).putInt(info + 4, 7, WireFormat.BYTE_ORDER);
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> PolicySnapshotCodec.decode(sizes, TOPIC, 0, 4L));
        assertEquals("field sizes do not add up to observationSize: sum=15, observationSize=14", e.reason());

        byte[] kind = good.clone();
        new UnsafeBuffer(kind).putInt(info, 9, WireFormat.BYTE_ORDER);
        e = assertThrows(MalformedRecordException.class, () -> PolicySnapshotCodec.decode(kind, TOPIC, 0, 4L));
        assertEquals("unknown field kind: field=0, kind=9", e.reason());

        byte[] flags = good.clone();
        new UnsafeBuffer(flags).putInt(info + 12, 4, WireFormat.BYTE_ORDER);
        e = assertThrows(MalformedRecordException.class, () -> PolicySnapshotCodec.decode(flags, TOPIC, 0, 4L));
        assertEquals("unknown field flags: field=0, flags=4", e.reason());

        byte[] arch = good.clone();
        arch[PolicySnapshotCodec.ARCHITECTURE] = 5;
        e = assertThrows(MalformedRecordException.class, () -> PolicySnapshotCodec.decode(arch, TOPIC, 0, 4L));
        assertEquals("unknown policy architecture: architecture=5", e.reason());

        byte[] act = good.clone();
        act[PolicySnapshotCodec.ACTIVATION] = 2;
        e = assertThrows(MalformedRecordException.class, () -> PolicySnapshotCodec.decode(act, TOPIC, 0, 4L));
        assertEquals("unknown activation: activation=2", e.reason());
    }
}
