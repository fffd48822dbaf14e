package io.tributary.streams.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tributary.learner.PolicySpec;
import io.tributary.rewards.ScoredChunk;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Feeds every decoder random bytes, every truncation of valid encodings and corrupted valid encodings:
 * each input must decode or give {@link MalformedRecordException}, nothing else; and a flyweight must
 * accept exactly what the full decoder accepts.
 */
class CodecFuzzTest {
    private static final String TOPIC = "fuzz";
    private static final int[] EXTREME_INTS = {-1, Integer.MIN_VALUE, Integer.MAX_VALUE, 1 << 20, (1 << 20) + 1,
            1 << 30, 0, 1, 65_535};

    private final TrajectoryChunkFlyweight chunkView = new TrajectoryChunkFlyweight();
    private final ScoredChunkFlyweight scoredView = new ScoredChunkFlyweight();
    private final PolicySnapshotFlyweight snapshotView = new PolicySnapshotFlyweight();
    private int accepted;
    private int rejected;

    private static List<byte[]> validEncodings() {
        List<byte[]> valid = new ArrayList<>();
        valid.add(TrajectoryChunkCodec.encode(Fixtures.cartPole(9, 1L)));
        valid.add(TrajectoryChunkCodec.encode(Fixtures.fused(1, 2L)));
        valid.add(TrajectoryChunkCodec.encode(Fixtures.fused(3, 12L)));
        valid.add(TrajectoryChunkCodec.encode(Fixtures.tokenGroup(3L)));
        valid.add(TrajectoryChunkCodec.encode(Fixtures.modelRollout(6, 4L)));
        valid.add(TrajectoryChunkCodec.encode(Fixtures.corners()));
        ScoredChunk scored = Fixtures.scored(Fixtures.tokenGroup(5L), 5L);
        valid.add(ScoredChunkCodec.encode(scored));
        valid.add(ScoredChunkCodec.encode(Fixtures.scored(Fixtures.cartPole(3, 6L), 6L)));
        valid.add(ScoredChunkCodec.encode(Fixtures.scored(Fixtures.fused(2, 13L), 13L)));
        valid.add(ScoredChunkCodec.encode(Fixtures.scored(Fixtures.corners(), 14L)));
        valid.add(PolicySnapshotCodec.encode(Fixtures.snapshot(40, PolicySpec.Head.GAUSSIAN, 7L)));
        valid.add(PolicySnapshotCodec.encode(Fixtures.snapshot(5, PolicySpec.Head.CATEGORICAL, 8L)));
        valid.add(PolicySnapshotCodec.encode(Fixtures.fusionSnapshot(12, PolicySpec.Head.TANH_GAUSSIAN, 9L)));
        valid.add(PolicySnapshotCodec.encode(Fixtures.fusionSnapshot(3, PolicySpec.Head.CATEGORICAL, 10L)));
        valid.add(MetricEventCodec.encode(Fixtures.metric()));
        valid.add(MetricEventCodec.encode(new MetricEvent("r", "m", 3, 0.5, 4, Map.of("a", "b", "c", "d"))));
        valid.add(LedgerPartCodec.encode(Fixtures.ledgerPart()));
        valid.add(LedgerPartCodec.encode(new LedgerPart(0, 0, 1, List.of(), List.of(), List.of())));
        return valid;
    }

    @Test
    void decodersNeverThrowAnythingButMalformedRecordException() {
        long startNanos = System.nanoTime();
        Random random = new Random(20_240_611L);
        List<byte[]> valid = validEncodings();
        for (byte[] bytes : valid) {
            assertEquals(Boolean.TRUE, decodeAll(bytes), "valid encoding rejected");
        }

        // Every truncation of every valid encoding: never a record, because every prefix misses bytes
        // that the header or a count promises.
        for (byte[] bytes : valid) {
            for (int length = 0; length < bytes.length; length++) {
                byte[] prefix = java.util.Arrays.copyOf(bytes, length);
                assertEquals(Boolean.FALSE, decodeAll(prefix), () -> "truncation decoded: " + hex(prefix));
            }
        }

        int iterations = 20_000;
        for (int i = 0; i < iterations; i++) {
            byte[] input;
            int kind = random.nextInt(4);
            if (kind == 0) {
                // Random bytes, half of them behind a valid version and type so they reach the sections.
                input = new byte[random.nextInt(400)];
                random.nextBytes(input);
                if (input.length >= 2 && random.nextBoolean()) {
                    RecordType type = RecordType.fromTag(1 + random.nextInt(RecordType.values().length));
                    input[0] = (byte) Codecs.supportedVersion(type);
                    input[1] = (byte) type.tag();
                }
            } else if (kind == 1) {
                // One byte of a valid encoding replaced.
                input = valid.get(random.nextInt(valid.size())).clone();
                input[random.nextInt(input.length)] ^= (byte) (1 + random.nextInt(255));
            } else if (kind == 2) {
                // An extreme int written at any position: negative, huge and off-by-one counts and sizes.
                input = valid.get(random.nextInt(valid.size())).clone();
                int at = random.nextInt(input.length - 3);
                new UnsafeBuffer(input).putInt(at, EXTREME_INTS[random.nextInt(EXTREME_INTS.length)]
                        + (random.nextBoolean() ? 0 : random.nextInt(3) - 1), WireFormat.BYTE_ORDER);
            } else {
                // A few bytes flipped, and sometimes a cut or some garbage appended.
                input = valid.get(random.nextInt(valid.size())).clone();
                for (int k = 0; k < 1 + random.nextInt(4); k++) {
                    input[random.nextInt(input.length)] = (byte) random.nextInt(256);
                }
                if (random.nextBoolean()) {
                    input = java.util.Arrays.copyOf(input, random.nextInt(input.length + 8));
                }
            }
            decodeAll(input);
        }
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        System.out.printf("fuzz: %d inputs decoded, %d rejected as malformed, %d ms%n", accepted, rejected, millis);
        assertTrue(rejected > iterations / 2, "too few rejections: " + rejected);
        assertTrue(accepted > valid.size(), "corruption never produced a valid record: " + accepted);
    }

    /**
     * Runs every decoder over {@code bytes}; returns whether the one for its type tag accepted it.
     * Decoders for other types must reject it.
     */
    private Boolean decodeAll(byte[] bytes) {
        Boolean chunk = attempt(bytes, () -> TrajectoryChunkCodec.decode(bytes, TOPIC, 1, 2L));
        Boolean chunkFlyweight = attempt(bytes, () -> chunkView.wrap(new UnsafeBuffer(bytes), 0, bytes.length, TOPIC, 1, 2L));
        Boolean scored = attempt(bytes, () -> ScoredChunkCodec.decode(bytes, TOPIC, 1, 2L));
        Boolean scoredFlyweight = attempt(bytes, () -> scoredView.wrap(new UnsafeBuffer(bytes), 0, bytes.length));
        Boolean snapshot = attempt(bytes, () -> PolicySnapshotCodec.decode(bytes, TOPIC, 1, 2L));
        Boolean snapshotFlyweight = attempt(bytes, () -> snapshotView.wrap(new UnsafeBuffer(bytes), 0, bytes.length));
        Boolean metric = attempt(bytes, () -> MetricEventCodec.decode(bytes, TOPIC, 1, 2L));
        Boolean ledger = attempt(bytes, () -> LedgerPartCodec.decode(bytes, TOPIC, 1, 2L));
        Boolean any = attempt(bytes, () -> Codecs.decode(bytes, TOPIC, 1, 2L));
        if (!chunk.equals(chunkFlyweight) || !scored.equals(scoredFlyweight) || !snapshot.equals(snapshotFlyweight)) {
            fail("flyweight and decoder disagree: chunk=" + chunk + "/" + chunkFlyweight + ", scored=" + scored + "/"
                    + scoredFlyweight + ", snapshot=" + snapshot + "/" + snapshotFlyweight + ", input=" + hex(bytes));
        }
        int accepting = (chunk ? 1 : 0) + (scored ? 1 : 0) + (snapshot ? 1 : 0) + (metric ? 1 : 0) + (ledger ? 1 : 0);
        if (accepting > 1 || any != (accepting == 1)) {
            fail("type dispatch inconsistent: accepting=" + accepting + ", any=" + any + ", input=" + hex(bytes));
        }
        if (any) {
            accepted++;
            // A record decoded from corrupted bytes must still be a valid record: it encodes again.
            Codecs.encode(Codecs.decode(bytes, TOPIC, 1, 2L));
        } else {
            rejected++;
        }
        return any;
    }

    private static Boolean attempt(byte[] bytes, Runnable decode) {
        try {
            decode.run();
            return Boolean.TRUE;
        } catch (MalformedRecordException e) {
            assertEquals(TOPIC, e.topic() == null ? TOPIC : e.topic());
            return Boolean.FALSE;
        } catch (Throwable t) {
            throw new AssertionError("decoder threw " + t + " for input " + hex(bytes), t);
        }
    }

    private static String hex(byte[] bytes) {
        return "(" + bytes.length + " bytes) " + HexFormat.of().formatHex(bytes);
    }
}
