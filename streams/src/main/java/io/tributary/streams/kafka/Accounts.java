package io.tributary.streams.kafka;

import io.tributary.rewards.ScoredChunk;
import io.tributary.simulator.rollout.TrajectoryChunk;
import io.tributary.streams.codec.MalformedRecordException;
import io.tributary.streams.codec.ScoredChunkCodec;
import io.tributary.streams.codec.TrajectoryChunkCodec;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The run's accounts, computed from the topics (never from in-memory counters), and a check of the
 * learner's ledger against the scored topic, so the learner cannot grade itself.
 *
 * <p><b>Categories.</b> produced = distinct valid chunk ids in the rollouts topic. Every produced id
 * falls in exactly one of six categories, so produced = trained + droppedStale + rejected + deadLettered +
 * unusedAtEnd + lost holds exactly. When the topics disagree about an id, the first that applies wins:
 * trained (listed {@code T} by a checkpoint entry), rejected by a checkpoint entry, dropped for staleness
 * by a checkpoint entry, dead-lettered by a scorer (read {@code read_committed}: an aborted transaction's
 * dead letter is not one), then the end-of-run entry's rejected, stale, and unused ({@code end-of-run})
 * ids, else lost. A resumed run can legitimately train an id that an earlier end-of-run entry listed
 * as unused; the precedence makes the later, durable checkpoint win. duplicated = ids listed as trained
 * more than once (reported beside the six, not part of the identity); phantom = distinct ledger ids that
 * never appeared in the rollouts topic (not part of the identity either); malformed = unreadable records
 * in the rollouts topic.
 *
 * <p><b>The check.</b> A checkpoint entry (number below {@link #END_OF_RUN_BASE}) covers, per scored
 * partition, the committed records between the previous checkpoint's consumed offsets and its own. The
 * ledger entries do not carry those offsets and the checkpoint folder keeps only the newest few, so the
 * ranges are reconstructed: the scored topic is re-read {@code read_committed} in offset order per
 * partition, and each entry, in ledger order, must account for exactly the records that follow the
 * previous entry's range in each partition — every id it lists (trained, dropped, rejected) is the next
 * unaccounted record of some partition, and once its ids are used up, no id of it is left over. An id
 * listed that is not next in line (already accounted, past an unaccounted record, absent from the scored
 * topic, or never produced) is a mismatch; so is an id listed twice in one entry, a checkpoint number that
 * repeats or goes backwards, and an id that a scorer both dead-lettered and scored. Where the checkpoint
 * folder still holds a checkpoint, its recorded offsets must equal the reconstructed range's end in every
 * partition, which pins the ranges exactly; for pruned checkpoints a record the ledger skipped shows as
 * the next entry not starting where it must. End-of-run entries (numbers from {@link #END_OF_RUN_BASE})
 * must list only ids not yet accounted that lie in the scored topic. Records after the last checkpoint's
 * range that no end-of-run entry lists are lost, not a mismatch (a killed run leaves those).
 * If the ledger entries ever carry their offset ranges, they can replace the reconstruction.
 *
 * @param checked  true when the ledger agrees with the scored topic and lists no phantom id
 * @param mismatch the first disagreement found, empty when {@code checked}
 */
public record Accounts(long produced, long trained, long duplicated, long droppedStale, long unusedAtEnd,
                       long rejected, long deadLettered, long lost, long malformed, long phantom,
                       boolean checked, String mismatch) {

    /** Ledger entries with a number from here on are written by the learner's drain at the end of a run. */
    public static final long END_OF_RUN_BASE = 1_000_000_000L;

    /** Reason prefix of a ledger "rejected" line for a chunk the learner dead-lettered instead of training. */
    public static final String LEARNER_DEAD_LETTER = "dead-lettered";

    /** Checks that the figures are consistent with each other. */
    public Accounts {
        if (mismatch == null) {
            mismatch = "";
        }
        if (checked != mismatch.isEmpty()) {
            throw new IllegalArgumentException("accounts checked iff no mismatch: checked=" + checked + ", mismatch=" + mismatch);
        }
        long sum = trained + droppedStale + rejected + deadLettered + unusedAtEnd + lost;
        if (sum != produced) {
            throw new IllegalArgumentException("accounts do not balance: produced=" + produced + ", sum of categories=" + sum);
        }
    }

    /** Computes the accounts without checkpoint metas (ranges reconstructed from the ledger alone). */
    public static Accounts compute(KafkaClients clients, Topics topics) {
        return compute(clients, topics, null);
    }

    /**
     * Reads the rollouts, scored, ledger and dead-letter topics of {@code topics} and computes and checks
     * the accounts.
     *
     * @param checkpointDir the run's checkpoint folder, whose surviving checkpoints pin their ranges'
     *                      ends; null or absent to rely on the reconstruction alone
     */
    public static Accounts compute(KafkaClients clients, Topics topics, Path checkpointDir) {
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
        Map<Integer, List<Scored>> scored = new TreeMap<>();
        Ledger.TopicReader.readAll(clients, topics.scored(), true, r -> {
            String id;
            try {
                ScoredChunk s = ScoredChunkCodec.decode(r.value(), r.topic(), r.partition(), r.offset());
                id = s.chunk().id().key();
            } catch (MalformedRecordException e) {
                // The learner names a record it cannot decode by its key, or by partition@offset (Learner.keyOf).
                id = r.key() == null ? "p" + r.partition() + "@" + r.offset() : new String(r.key(), StandardCharsets.UTF_8);
            }
            scored.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(new Scored(r.partition(), r.offset(), id));
        });
        List<Ledger.Entry> entries = new ArrayList<>();
        Ledger.readAll(clients, topics, entries::add);
        Set<String> dead = new HashSet<>();
        Set<String> trainDead = new HashSet<>();
        Ledger.TopicReader.readAll(clients, topics.dlq(), true, r -> {
            if (r.key() == null) {
                return;
            }
            String id = new String(r.key(), StandardCharsets.UTF_8);
            if (ScoredReader.TRAIN_STAGE.equals(DeadLetters.header(r.headers(), DeadLetters.STAGE))) {
                trainDead.add(id);
            } else if (topics.rollouts().equals(DeadLetters.header(r.headers(), DeadLetters.SOURCE_TOPIC))) {
                dead.add(id);
            }
        });
        return tally(produced, malformed[0], scored, entries, dead, trainDead, checkpointOffsets(checkpointDir));
    }

    /** One committed record of the scored topic. */
    record Scored(int partition, long offset, String id) {
    }

    static Accounts tally(Set<String> produced, long malformed, Map<Integer, List<Scored>> scored,
                          List<Ledger.Entry> entries, Set<String> dead, Map<Long, Map<Integer, Long>> metas) {
        return tally(produced, malformed, scored, entries, dead, Set.of(), metas);
    }

    /**
     * As above, with {@code trainDead}: ids the learner dead-lettered (stage {@value ScoredReader#TRAIN_STAGE})
     * after reading their scored record. Its ledger lists such an id as rejected with a reason starting
     * {@value #LEARNER_DEAD_LETTER}; the id counts as dead-lettered only when the dead-letter topic holds it.
     */
    static Accounts tally(Set<String> produced, long malformed, Map<Integer, List<Scored>> scored,
                          List<Ledger.Entry> entries, Set<String> dead, Set<String> trainDead,
                          Map<Long, Map<Integer, Long>> metas) {
        Set<String> learnerDead = new HashSet<>();
        Map<String, Integer> trainedCount = new HashMap<>();
        Set<String> rejected = new HashSet<>();
        Set<String> dropped = new HashSet<>();
        Set<String> eorRejected = new HashSet<>();
        Set<String> eorDropped = new HashSet<>();
        Set<String> eorUnused = new HashSet<>();
        Set<String> phantoms = new HashSet<>();
        Check check = new Check(scored);
        long lastNumber = Long.MIN_VALUE;
        for (Ledger.Entry e : entries) {
            boolean endOfRun = e.checkpoint() >= END_OF_RUN_BASE;
            Map<String, String> listed = new LinkedHashMap<>();
            for (String k : e.trained()) {
                check.listed(e, listed, k, "trained");
                trainedCount.merge(k, 1, Integer::sum);
            }
            for (String line : e.droppedStale()) {
                String[] parts = line.split(" ", 2);
                boolean unused = parts.length > 1 && parts[1].startsWith("end-of-run");
                check.listed(e, listed, parts[0], unused ? "unused" : "dropped");
                (unused ? eorUnused : endOfRun ? eorDropped : dropped).add(parts[0]);
            }
            for (String line : e.rejected()) {
                String[] parts = line.split(" ", 2);
                String k = parts[0];
                if (parts.length > 1 && parts[1].startsWith(LEARNER_DEAD_LETTER)) {
                    check.listed(e, listed, k, "dead-lettered");
                    learnerDead.add(k);
                    if (!trainDead.contains(k)) {
                        check.fail("ledger entry " + e.checkpoint() + " says id " + k
                                + " was dead-lettered by the learner, but the dead-letter topic holds no train record of it");
                    }
                    continue;
                }
                check.listed(e, listed, k, "rejected");
                (endOfRun ? eorRejected : rejected).add(k);
            }
            for (String k : listed.keySet()) {
                if (!produced.contains(k)) {
                    phantoms.add(k);
                    check.fail("phantom id " + k + " in ledger entry " + e.checkpoint() + " never appeared in the rollouts topic");
                }
            }
            if (endOfRun) {
                check.endOfRun(e, listed.keySet());
            } else {
                if (e.checkpoint() <= lastNumber) {
                    check.fail("ledger entry for checkpoint " + e.checkpoint() + " follows checkpoint " + lastNumber);
                }
                lastNumber = e.checkpoint();
                check.checkpoint(e, listed.keySet(), metas.get(e.checkpoint()));
            }
        }
        for (String k : dead) {
            if (produced.contains(k) && check.inScored(k)) {
                check.fail("id " + k + " was dead-lettered by a scorer and also scored (committed)");
            }
        }
        long trained = 0;
        long duplicated = 0;
        long rejectedN = 0;
        long droppedN = 0;
        long deadN = 0;
        long unusedN = 0;
        long lost = 0;
        for (String k : produced) {
            Integer n = trainedCount.get(k);
            if (n != null && n > 1) {
                duplicated++;
            }
            if (n != null) {
                trained++;
            } else if (rejected.contains(k)) {
                rejectedN++;
            } else if (dropped.contains(k)) {
                droppedN++;
            } else if (dead.contains(k) || (learnerDead.contains(k) && trainDead.contains(k))) {
                deadN++;
            } else if (eorRejected.contains(k)) {
                rejectedN++;
            } else if (eorDropped.contains(k)) {
                droppedN++;
            } else if (eorUnused.contains(k)) {
                unusedN++;
            } else {
                lost++;
            }
        }
        for (String k : trainedCount.keySet()) {
            if (!produced.contains(k) && trainedCount.get(k) > 1) {
                duplicated++;
            }
        }
        return new Accounts(produced.size(), trained, duplicated, droppedN, unusedN, rejectedN, deadN, lost, malformed,
                phantoms.size(), check.first == null, check.first == null ? "" : check.first);
    }

    /** Walks the scored topic's committed records partition by partition, in ledger order. */
    private static final class Check {
        private final Map<Integer, List<Scored>> scored;
        private final Map<Integer, Integer> cursor = new HashMap<>();
        /** Where each id sits in the scored topic (all its records). */
        private final Map<String, List<Scored>> where = new HashMap<>();
        /** Which checkpoint accounted for a scored record, by partition@offset. */
        private final Map<String, Long> accountedBy = new HashMap<>();
        private String first;

        Check(Map<Integer, List<Scored>> scored) {
            this.scored = scored;
            for (List<Scored> recs : scored.values()) {
                for (Scored s : recs) {
                    where.computeIfAbsent(s.id(), k -> new ArrayList<>()).add(s);
                }
            }
        }

        void fail(String why) {
            if (first == null) {
                first = why;
            }
        }

        boolean inScored(String id) {
            return where.containsKey(id);
        }

        void listed(Ledger.Entry e, Map<String, String> listed, String id, String category) {
            String before = listed.putIfAbsent(id, category);
            if (before != null) {
                fail("ledger entry " + e.checkpoint() + " lists id " + id + " twice (as " + before + " and as " + category + ")");
            }
        }

        void checkpoint(Ledger.Entry e, Set<String> ids, Map<Integer, Long> metaOffsets) {
            Set<String> left = new HashSet<>(ids);
            for (Map.Entry<Integer, List<Scored>> p : scored.entrySet()) {
                List<Scored> recs = p.getValue();
                int i = cursor.getOrDefault(p.getKey(), 0);
                while (i < recs.size() && left.remove(recs.get(i).id())) {
                    accountedBy.put(recs.get(i).partition() + "@" + recs.get(i).offset(), e.checkpoint());
                    i++;
                }
                cursor.put(p.getKey(), i);
            }
            for (String id : ids) {
                if (left.contains(id)) {
                    fail("checkpoint " + e.checkpoint() + " lists id " + id + " but " + whyNotNext(id));
                    break;
                }
            }
            if (metaOffsets != null) {
                for (Map.Entry<Integer, List<Scored>> p : scored.entrySet()) {
                    Long end = metaOffsets.get(p.getKey());
                    long want = end == null ? 0 : end;
                    List<Scored> recs = p.getValue();
                    int i = cursor.getOrDefault(p.getKey(), 0);
                    boolean allBeforeTaken = i >= recs.size() || recs.get(i).offset() >= want;
                    boolean noneAfterTaken = i == 0 || recs.get(i - 1).offset() < want;
                    if (!allBeforeTaken) {
                        fail("checkpoint " + e.checkpoint() + " consumed partition " + p.getKey() + " up to offset " + want
                                + " but its ledger entry does not account for scored record " + recs.get(i).id()
                                + " at offset " + recs.get(i).offset());
                    } else if (!noneAfterTaken) {
                        fail("checkpoint " + e.checkpoint() + " consumed partition " + p.getKey() + " up to offset " + want
                                + " but its ledger entry accounts for scored record " + recs.get(i - 1).id()
                                + " at offset " + recs.get(i - 1).offset());
                    }
                }
            }
        }

        void endOfRun(Ledger.Entry e, Set<String> ids) {
            for (String id : ids) {
                List<Scored> at = where.get(id);
                boolean open = at != null && at.stream().anyMatch(s -> !accountedBy.containsKey(s.partition() + "@" + s.offset()));
                if (!open) {
                    fail("end-of-run entry " + e.checkpoint() + " lists id " + id + " but " + whyNotNext(id));
                    return;
                }
            }
        }

        private String whyNotNext(String id) {
            List<Scored> at = where.get(id);
            if (at == null) {
                return "no committed record of the scored topic holds it";
            }
            for (Scored s : at) {
                Long by = accountedBy.get(s.partition() + "@" + s.offset());
                if (by == null) {
                    List<Scored> recs = scored.get(s.partition());
                    Scored next = recs.get(cursor.getOrDefault(s.partition(), 0));
                    return "its scored record (partition " + s.partition() + ", offset " + s.offset()
                            + ") lies past the unaccounted record " + next.id() + " at offset " + next.offset();
                }
            }
            Scored s = at.get(0);
            return "its scored record (partition " + s.partition() + ", offset " + s.offset()
                    + ") was already accounted by checkpoint " + accountedBy.get(s.partition() + "@" + s.offset());
        }
    }

    /**
     * Consumed offsets of the checkpoints still in {@code checkpointDir}, by checkpoint number, read from
     * each {@code ckpt-*}/{@code checkpoint.properties} that {@link CheckpointStore} writes.
     */
    static Map<Long, Map<Integer, Long>> checkpointOffsets(Path checkpointDir) {
        Map<Long, Map<Integer, Long>> out = new HashMap<>();
        if (checkpointDir == null || !Files.isDirectory(checkpointDir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(checkpointDir)) {
            for (Path d : s.filter(p -> p.getFileName().toString().startsWith("ckpt-")).toList()) {
                Path f = d.resolve("checkpoint.properties");
                if (!Files.isRegularFile(f)) {
                    continue;
                }
                Properties p = new Properties();
                try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                    p.load(r);
                }
                Map<Integer, Long> offsets = new HashMap<>();
                for (String k : p.stringPropertyNames()) {
                    if (k.startsWith("offset.")) {
                        offsets.put(Integer.parseInt(k.substring(7)), Long.parseLong(p.getProperty(k)));
                    }
                }
                out.put(Long.parseLong(p.getProperty("number")), offsets);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint metas in " + checkpointDir + ": " + e, e);
        }
        return out;
    }
}
