package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.streams.kafka.Accounts;
import io.tributary.streams.kafka.KafkaClients;
import io.tributary.streams.kafka.Ledger;
import io.tributary.streams.kafka.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The accounts check the learner's ledger against the scored topic: a clean run checks, and a ledger
 * tampered with after the run (an id claimed trained twice, an id that was never produced) does not, with
 * the disagreement named.
 */
class AccountsCheckTest {
    @TempDir
    Path dir;

    @Test
    void aCleanRunChecksAndATamperedLedgerDoesNot() {
        TributaryConfig c = TestRuns.cartPole(dir, 3000);
        TrainingRun.Outcome out = TrainingRun.run(c, null, null);
        RunSummary s = out.summary();
        assertTrue(s.accountsChecked(), "clean run: " + s.accountsMismatch());
        assertEquals("", s.accountsMismatch());
        assertEquals(0L, s.chunksPhantom());
        assertEquals(s.chunksProduced(), s.chunksTrained() + s.chunksDroppedStale() + s.chunksRejected()
                + s.chunksDeadLettered() + s.chunksUnusedAtEnd() + s.chunksLost(), "identity: " + s);
        assertTrue(s.chunksTrained() > 0);
        Path checkpoints = out.runDir().resolve("checkpoints");
        Topics topics = TestRuns.topics(out);
        TestRuns.withRunBroker(out, c, clients -> {
            Accounts before = Accounts.compute(clients, topics, checkpoints);
            assertTrue(before.checked(), before.mismatch());
            // A learner that claims an id it trained in its first checkpoint again, in a new checkpoint.
            List<String> firstTrained = new ArrayList<>();
            Ledger.readAll(clients, topics, e -> {
                if (firstTrained.isEmpty() && !e.trained().isEmpty()) {
                    firstTrained.add(e.trained().get(0));
                }
            });
            String twice = firstTrained.get(0);
            append(clients, topics, new Ledger.Entry(900_000_000L, List.of(twice), List.of(), List.of()));
            Accounts tampered = Accounts.compute(clients, topics, checkpoints);
            System.out.println("tampered ledger (trained twice): " + tampered.mismatch());
            assertFalse(tampered.checked());
            assertTrue(tampered.mismatch().contains(twice) && tampered.mismatch().contains("900000000"), tampered.mismatch());
            assertEquals(1L, tampered.duplicated());
            assertEquals(before.produced(), tampered.produced());
            return null;
        });
        TestRuns.withRunBroker(out, c, clients -> {
            String phantom = UUID.randomUUID() + "/0";
            append(clients, topics, new Ledger.Entry(900_000_001L, List.of(phantom), List.of(), List.of()));
            Accounts tampered = Accounts.compute(clients, topics, checkpoints);
            System.out.println("tampered ledger (phantom): " + tampered.mismatch());
            assertFalse(tampered.checked());
            assertEquals(1L, tampered.phantom());
            return null;
        });
    }

    private static void append(KafkaClients clients, Topics topics, Ledger.Entry e) {
        try (KafkaProducer<byte[], byte[]> p = clients.producer("tamper")) {
            Ledger.append(p, topics, e, 30_000);
        }
    }
}
