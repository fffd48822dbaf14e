package io.tributary.streams.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Ledger parts round-trip through their codec, carry a schema version and type tag, and defects are reported with their reason. */
class LedgerPartCodecTest {
    @Test
    void roundTrips() {
        LedgerPart p = Fixtures.ledgerPart();
        byte[] bytes = LedgerPartCodec.encode(p);
        assertEquals(LedgerPartCodec.encodedLength(p), bytes.length);
        assertEquals(WireFormat.SCHEMA_VERSION, bytes[0]);
        assertEquals(RecordType.LEDGER_ENTRY.tag(), bytes[1]);
        assertEquals(p, LedgerPartCodec.decode(bytes, "ledger", 0, 5L));
        assertEquals(p, Codecs.decode(Codecs.encode(p), "ledger", 0, 5L));
        LedgerPart empty = new LedgerPart(0, 0, 1, List.of(), List.of(), List.of());
        assertEquals(empty, LedgerPartCodec.decode(LedgerPartCodec.encode(empty), "ledger", 0, 0L));
    }

    @Test
    void defectsAreMalformedWithAReason() {
        byte[] bytes = LedgerPartCodec.encode(Fixtures.ledgerPart());
        byte[] badCount = bytes.clone();
        new UnsafeBuffer(badCount).putInt(LedgerPartCodec.TRAINED_COUNT, -1, WireFormat.BYTE_ORDER);
        assertTrue(reason(badCount).contains("id count is negative"), reason(badCount));
        byte[] hugeCount = bytes.clone();
        new UnsafeBuffer(hugeCount).putInt(LedgerPartCodec.REJECTED_COUNT, 1 << 30, WireFormat.BYTE_ORDER);
        assertTrue(reason(hugeCount).contains("id counts exceed the record"), reason(hugeCount));
        byte[] badPart = bytes.clone();
        new UnsafeBuffer(badPart).putInt(LedgerPartCodec.PART, 3, WireFormat.BYTE_ORDER);
        assertTrue(reason(badPart).contains("part out of range: part=3, parts=3"), reason(badPart));
        byte[] text = "T 0b3c-4d/17\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(reason(text).contains("version"), "the old text form is refused: " + reason(text));
        assertThrows(IllegalArgumentException.class, () -> new LedgerPart(-1, 0, 1, List.of(), List.of(), List.of()));
    }

    private static String reason(byte[] bytes) {
        return assertThrows(MalformedRecordException.class, () -> LedgerPartCodec.decode(bytes, "ledger", 0, 9L)).getMessage();
    }
}
