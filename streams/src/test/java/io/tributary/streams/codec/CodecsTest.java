package io.tributary.streams.codec;

import static io.tributary.streams.codec.RecordAssertions.assertRecordEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tributary.learner.PolicySpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodecsTest {
    @Test
    void dispatchesOnTheTypeTag() {
        List<Record> records = List.of(Fixtures.cartPole(16, 1L), Fixtures.scored(Fixtures.tokenGroup(2L), 2L),
                Fixtures.snapshot(100, PolicySpec.Head.GAUSSIAN, 3L), Fixtures.metric());
        for (Record record : records) {
            byte[] bytes = Codecs.encode(record);
            RecordType type = Codecs.typeOf(bytes, "t", 0, 0L);
            assertEquals(record.getClass(), type.recordClass());
            assertRecordEquals(record, Codecs.decode(bytes, "t", 0, 0L));
        }
    }

    @Test
    void typeOfRejectsWhatNoCodecReads() {
        assertEquals("empty record",
                assertThrows(MalformedRecordException.class, () -> Codecs.typeOf(new byte[0], "t", 1, 2L)).reason());
        assertEquals("unsupported schema version: version=3, supported=2",
                assertThrows(MalformedRecordException.class, () -> Codecs.typeOf(new byte[] {3, 1}, "t", 1, 2L)).reason());
        // Trajectory and scored chunks moved to version 2 (signals) on their own: version 1 is refused.
        assertEquals("unsupported schema version: version=1, supported=2",
                assertThrows(MalformedRecordException.class, () -> Codecs.typeOf(new byte[] {1, 1}, "t", 1, 2L)).reason());
        assertEquals("unsupported schema version: version=1, supported=2",
                assertThrows(MalformedRecordException.class, () -> Codecs.typeOf(new byte[] {1, 2}, "t", 1, 2L)).reason());
        assertEquals("unsupported schema version: version=2, supported=1",
                assertThrows(MalformedRecordException.class, () -> Codecs.typeOf(new byte[] {2, 4}, "t", 1, 2L)).reason());
        assertEquals("unknown record type: type=0",
                assertThrows(MalformedRecordException.class, () -> Codecs.decode(new byte[] {1, 0}, "t", 1, 2L)).reason());
        assertEquals("null record value",
                assertThrows(MalformedRecordException.class, () -> Codecs.decode(null, "t", 1, 2L)).reason());
        assertThrows(IllegalArgumentException.class, () -> Codecs.encode(new io.tributary.simulator.rollout.ChunkId(
                "r", java.util.UUID.randomUUID(), 1)));
    }

    @Test
    void tagsAreStable() {
        // The tags are on disk in Kafka: changing one breaks every stored record.
        assertEquals(1, RecordType.TRAJECTORY_CHUNK.tag());
        assertEquals(2, RecordType.SCORED_CHUNK.tag());
        assertEquals(3, RecordType.POLICY_SNAPSHOT.tag());
        assertEquals(4, RecordType.METRIC_EVENT.tag());
        assertEquals(5, RecordType.LEDGER_ENTRY.tag());
        for (RecordType type : RecordType.values()) {
            assertEquals(type, RecordType.fromTag(type.tag()));
        }
    }
}
