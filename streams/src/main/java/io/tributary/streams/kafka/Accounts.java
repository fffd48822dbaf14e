package io.tributary.streams.kafka;

import io.tributary.simulator.rollout.TrajectoryChunk;
import io.tributary.streams.codec.MalformedRecordException;
import io.tributary.streams.codec.TrajectoryChunkCodec;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The run's accounts, computed from the topics (never from in-memory counters): produced = distinct
 * valid chunk ids in the rollouts topic; trained = distinct ids in the ledger; duplicated = ids the
 * ledger lists as trained more than once; dropped = ids dropped for staleness or rejected at the learner;
 * dead-lettered = produced ids a scorer sent to the dead-letter topic; lost = produced − trained −
 * dropped − dead-lettered. Dropped ids are split by the reason the ledger gives: staleness
 * ({@code lag=<n>}) or the run ending before they could be trained ({@code end-of-run}). Unreadable
 * records in the rollouts topic are counted as {@code malformed}.
 */
public record Accounts(long produced, long trained, long duplicated, long droppedStale, long unusedAtEnd,
                       long rejected, long deadLettered, long lost, long malformed) {

    /** Reads the rollouts, ledger and dead-letter topics of {@code topics} and computes the accounts. */
    public static Accounts compute(KafkaClients clients, Topics topics) {
        Set<String> produced = new HashSet<>();
        long[] malformed = {0};
        Ledger.TopicReader.readAll(clients, topics.rollouts(), false, r -> {
            try {
                TrajectoryChunk c = TrajectoryChunkCodec.decode(r.value(), r.topic(), r.partition(), r.offset());
                produced.add(c.id().key());
            } catch (MalformedRecordException e) {
                malformed[0]++;
            }
        });
        Map<String, Integer> trainedCount = new HashMap<>();
        Set<String> dropped = new HashSet<>();
        Set<String> unused = new HashSet<>();
        Set<String> rejected = new HashSet<>();
        Ledger.readAll(clients, topics, e -> {
            for (String k : e.trained()) {
                trainedCount.merge(k, 1, Integer::sum);
            }
            for (String k : e.droppedStale()) {
                String[] parts = k.split(" ", 2);
                if (parts.length > 1 && parts[1].startsWith("end-of-run")) {
                    unused.add(parts[0]);
                } else {
                    dropped.add(parts[0]);
                }
            }
            for (String k : e.rejected()) {
                rejected.add(k.split(" ")[0]);
            }
        });
        Set<String> dead = new HashSet<>();
        Ledger.TopicReader.readAll(clients, topics.dlq(), false, r -> {
            // A chunk the learner could not train is dead-lettered from the scored topic at stage "train".
            if (r.key() != null && (topics.rollouts().equals(DeadLetters.header(r.headers(), DeadLetters.SOURCE_TOPIC))
                    || ScoredReader.TRAIN_STAGE.equals(DeadLetters.header(r.headers(), DeadLetters.STAGE)))) {
                dead.add(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8));
            }
        });
        long trained = 0;
        long duplicated = 0;
        for (Map.Entry<String, Integer> e : trainedCount.entrySet()) {
            if (produced.contains(e.getKey())) {
                trained++;
            }
            if (e.getValue() > 1) {
                duplicated++;
            }
        }
        long droppedStale = dropped.stream().filter(produced::contains).count();
        long rejectedN = rejected.stream().filter(produced::contains).count();
        long unusedN = unused.stream().filter(produced::contains).count();
        dead.retainAll(produced);
        dead.removeAll(trainedCount.keySet());
        long lost = 0;
        for (String k : produced) {
            if (!trainedCount.containsKey(k) && !dropped.contains(k) && !unused.contains(k) && !rejected.contains(k) && !dead.contains(k)) {
                lost++;
            }
        }
        return new Accounts(produced.size(), trained, duplicated, droppedStale, unusedN, rejectedN, dead.size(), lost, malformed[0]);
    }
}
