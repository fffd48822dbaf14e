package io.tributary.streams.codec;

import static io.tributary.streams.codec.RecordAssertions.assertRecordEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class MetricEventCodecTest {
    private static final String TOPIC = "run-1.metrics";

    @Test
    void eventsRoundTrip() {
        for (MetricEvent event : List.of(Fixtures.metric(),
                new MetricEvent("r", "latency.p99.micros", 0L, 1.5e9, 0L),
                new MetricEvent("r", "loss", Long.MAX_VALUE, -Double.MAX_VALUE, Long.MAX_VALUE, Map.of("k", "")),
                new MetricEvent("r", "x", 1L, -0.0, 1L, Map.of("\ud83d\ude97", "\u8def")))) {
            byte[] bytes = MetricEventCodec.encode(event);
            assertEquals(MetricEventCodec.encodedLength(event), bytes.length);
            MetricEvent decoded = MetricEventCodec.decode(bytes, TOPIC, 0, 0L);
            assertRecordEquals(event, decoded);
            assertEquals(event, decoded);
        }
    }

    @Test
    void tagOrderDoesNotChangeTheBytes() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("worker", "w-1");
        a.put("env", "e");
        Map<String, String> b = new LinkedHashMap<>();
        b.put("env", "e");
        b.put("worker", "w-1");
        assertArrayEquals(MetricEventCodec.encode(new MetricEvent("r", "m", 1, 2.0, 3, a)),
                MetricEventCodec.encode(new MetricEvent("r", "m", 1, 2.0, 3, b)));
    }

    @Test
    void constructorValidatesWithKeyValueMessages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MetricEvent("r", "reward", 1, Double.NaN, 1));
        assertEquals("value must be finite: name=reward, value=NaN", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MetricEvent("r", "", 1, 1.0, 1));
        assertEquals("name must not be empty: runId=r", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MetricEvent("r", "m", -1, 1.0, 1));
        assertEquals("step must be >= 0: name=m, step=-1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MetricEvent("r", "m", 1, 1.0, 1, Map.of("", "v")));
        assertTrue(e.getMessage().startsWith("tag key must not be null or empty"), e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> Fixtures.metric().tags().put("a", "b"));
    }

    @Test
    void valueRejectedByTheConstructorIsMalformedOnTheWire() {
        byte[] bytes = MetricEventCodec.encode(Fixtures.metric());
        new UnsafeBuffer(bytes).putDouble(MetricEventCodec.VALUE, Double.POSITIVE_INFINITY, WireFormat.BYTE_ORDER);
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> MetricEventCodec.decode(bytes, TOPIC, 5, 6L));
        assertEquals("record rejected: value must be finite: name=reward.mean, value=Infinity", e.reason());
        assertTrue(e.getCause() instanceof IllegalArgumentException);
    }

    @Test
    void unsortedOrDuplicateTagsAndHugeTagCountsAreMalformed() {
        byte[] bytes = MetricEventCodec.encode(new MetricEvent("r", "m", 1, 1.0, 1, Map.of("a", "1", "b", "2")));
        // Swap the two one-character keys: "b" then "a".
        int firstKey = MetricEventCodec.FIXED_HEADER_LENGTH + 4 + 1 + 4 + 1 + 4;
        int secondKey = firstKey + 1 + 4 + 1 + 4;
        assertEquals('a', bytes[firstKey]);
        assertEquals('b', bytes[secondKey]);
        bytes[firstKey] = 'b';
        bytes[secondKey] = 'a';
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> MetricEventCodec.decode(bytes, TOPIC, 0, 0L));
        assertEquals("tag keys must be strictly ascending: index=1, previous=b, key=a", e.reason());
        bytes[secondKey] = 'b';
        e = assertThrows(MalformedRecordException.class, () -> MetricEventCodec.decode(bytes, TOPIC, 0, 0L));
        assertTrue(e.reason().startsWith("tag keys must be strictly ascending"), e.reason());
        new UnsafeBuffer(bytes).putInt(MetricEventCodec.TAG_COUNT, Integer.MAX_VALUE, WireFormat.BYTE_ORDER);
        e = assertThrows(MalformedRecordException.class, () -> MetricEventCodec.decode(bytes, TOPIC, 0, 0L));
        assertTrue(e.reason().startsWith("tag count out of range: tagCount=2147483647"), e.reason());
    }

    @Test
    void unsupportedVersionIsNamed() {
        byte[] bytes = MetricEventCodec.encode(Fixtures.metric());
        bytes[0] = 2;
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> MetricEventCodec.decode(bytes, TOPIC, 0, 0L));
        assertEquals("unsupported schema version: version=2, supported=1", e.reason());
    }
}
