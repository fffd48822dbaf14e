package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.learner.Learner;
import io.tributary.learner.Learners;
import io.tributary.streams.kafka.CheckpointStore;
import io.tributary.streams.kafka.Ledger;
import io.tributary.streams.kafka.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kill -9 between a checkpoint's write and its ledger append leaves a durable checkpoint that the ledger
 * does not know; the resume writes the missing entry (once), and the accounts check and balance.
 */
class LedgerRepairTest {
    @TempDir
    Path dir;

    @Test
    void resumeWritesTheLedgerEntryOfACheckpointThatLostIt() throws Exception {
        TributaryConfig c = TestRuns.cartPole(dir, 2000);
        TrainingRun.Outcome first = TrainingRun.run(c, null, null);
        Path checkpoints = first.runDir().resolve("checkpoints");
        Topics topics = TestRuns.topics(first);
        CheckpointStore store = new CheckpointStore(checkpoints, c.run().keepCheckpoints());
        CheckpointStore.Checkpoint last = store.latest().orElseThrow();
        long lost = last.meta().number() + 1;
        // What the learner had done when the process died: checkpoint `lost` is on disk, covering every scored
        // chunk after the last checkpoint, but its ledger entry was never appended.
        TestRuns.withRunBroker(first, c, clients -> {
            Map<Integer, Long> end = new HashMap<>();
            try (KafkaConsumer<byte[], byte[]> consumer = clients.consumer("repair-test", null, true)) {
                List<TopicPartition> tps = consumer.partitionsFor(topics.scored()).stream()
                        .map(pi -> new TopicPartition(pi.topic(), pi.partition())).toList();
                consumer.endOffsets(tps).forEach((tp, o) -> end.put(tp.partition(), o));
            }
            Set<String> after = LedgerAudit.scoredIdsFrom(clients, topics, last.meta().offsets());
            assertTrue(!after.isEmpty(), "chunks were scored after the last checkpoint");
            try (Learner learner = Learners.create(c.learnerContext(first.runId()))) {
                learner.restore(last.learnerDir());
                CheckpointStore.Meta m = last.meta();
                store.write(learner, new CheckpointStore.Meta(lost, m.policyVersion(), end, m.envSteps(), m.updates(),
                        m.chunksTrained() + after.size(), m.chunksDroppedStale(), m.wallMillis()),
                        new Ledger.Entry(lost, new ArrayList<>(after), List.of(), List.of()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            assertTrue(!Ledger.checkpoints(clients, topics).contains(lost));
            return null;
        });

        TributaryConfig more = TestRuns.cartPole(dir, 3500);
        TrainingRun.Outcome resumed = TrainingRun.run(more, first.runDir(), null);
        RunSummary s = resumed.summary();
        List<Long> numbers = TestRuns.withRunBroker(resumed, more, clients -> new ArrayList<>(Ledger.checkpoints(clients, topics)));
        assertEquals(1, numbers.stream().filter(n -> n == lost).count(), "the lost entry is written once: " + numbers);
        assertTrue(s.accountsChecked(), s.accountsMismatch());
        assertEquals(0L, s.chunksLost(), "lost: " + s);
        assertEquals(0L, s.chunksDuplicated(), "duplicated: " + s);
        assertTrue(s.envSteps() >= 3500, "the resumed run trained on: " + s);
    }
}
