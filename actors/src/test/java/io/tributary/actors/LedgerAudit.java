package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.rewards.ScoredChunk;
import io.tributary.streams.codec.ScoredChunkCodec;
import io.tributary.streams.kafka.KafkaClients;
import io.tributary.streams.kafka.Ledger;
import io.tributary.streams.kafka.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Checks a finished run by chunk id, from its topics: the chunks the scored topic holds after a given
 * checkpoint's consumed offsets were each trained at most once, and each accounted exactly once.
 */
final class LedgerAudit {
    private LedgerAudit() {
    }

    /** Consumed scored-topic offsets of the newest checkpoint in {@code checkpointDir} (partition → next offset). */
    static Map<Integer, Long> latestOffsets(Path checkpointDir) throws Exception {
        String name = Files.readString(checkpointDir.resolve("LATEST")).trim();
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(checkpointDir.resolve(name).resolve("checkpoint.properties"))) {
            p.load(r);
        }
        Map<Integer, Long> out = new HashMap<>();
        for (String k : p.stringPropertyNames()) {
            if (k.startsWith("offset.")) {
                out.put(Integer.parseInt(k.substring(7)), Long.parseLong(p.getProperty(k)));
            }
        }
        return out;
    }

    /** Ids of the committed scored records from {@code from} (partition → offset; missing = beginning) to the end. */
    static Set<String> scoredIdsFrom(KafkaClients clients, Topics topics, Map<Integer, Long> from) {
        Set<String> ids = new LinkedHashSet<>();
        try (KafkaConsumer<byte[], byte[]> c = clients.consumer("audit", null, true)) {
            List<TopicPartition> tps = c.partitionsFor(topics.scored()).stream()
                    .map(pi -> new TopicPartition(pi.topic(), pi.partition())).toList();
            c.assign(tps);
            for (TopicPartition tp : tps) {
                c.seek(tp, from.getOrDefault(tp.partition(), 0L));
            }
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            long deadline = System.currentTimeMillis() + 30_000;
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.currentTimeMillis() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(r -> {
                    ScoredChunk s = ScoredChunkCodec.decode(r.value(), r.topic(), r.partition(), r.offset());
                    ids.add(s.chunk().id().key());
                });
            }
        }
        return ids;
    }

    /**
     * Asserts that every id in the scored topic after {@code offsets} was trained at most once over the whole
     * ledger, is listed by exactly one checkpoint entry or else only by the end-of-run entry, and that most of them
     * were trained (the resumed run did the work after the checkpoint).
     */
    static void assertTrainedOnceAfter(KafkaClients clients, Topics topics, Map<Integer, Long> offsets) {
        Set<String> after = scoredIdsFrom(clients, topics, offsets);
        Map<String, Integer> trained = new HashMap<>();
        Map<String, Integer> listedByCheckpoints = new HashMap<>();
        Set<String> listedAtEnd = new LinkedHashSet<>();
        Ledger.readAll(clients, topics, e -> {
            List<String> ids = new ArrayList<>(e.trained());
            e.droppedStale().forEach(l -> ids.add(l.split(" ", 2)[0]));
            e.rejected().forEach(l -> ids.add(l.split(" ", 2)[0]));
            for (String k : e.trained()) {
                trained.merge(k, 1, Integer::sum);
            }
            for (String k : ids) {
                if (e.checkpoint() >= io.tributary.streams.kafka.Accounts.END_OF_RUN_BASE) {
                    listedAtEnd.add(k);
                } else {
                    listedByCheckpoints.merge(k, 1, Integer::sum);
                }
            }
        });
        long trainedAfter = 0;
        for (String id : after) {
            int t = trained.getOrDefault(id, 0);
            int listed = listedByCheckpoints.getOrDefault(id, 0);
            assertTrue(t <= 1, "chunk after the checkpoint trained " + t + " times: id=" + id);
            assertTrue(listed == 1 || (listed == 0 && listedAtEnd.contains(id)),
                    "chunk after the checkpoint accounted " + listed + " times by checkpoints: id=" + id);
            trainedAfter += t;
        }
        System.out.println("chunks after the checkpoint: " + after.size() + ", trained once: " + trainedAfter);
        assertTrue(after.size() > 0, "the run went on after the checkpoint");
        assertTrue(trainedAfter > 0, "chunks after the checkpoint were trained");
        assertEquals(after.size(), after.stream().filter(id -> listedByCheckpoints.containsKey(id) || listedAtEnd.contains(id)).count());
    }
}
