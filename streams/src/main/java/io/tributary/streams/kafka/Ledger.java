package io.tributary.streams.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import io.tributary.streams.codec.LedgerPart;
import io.tributary.streams.codec.LedgerPartCodec;
import io.tributary.streams.codec.MalformedRecordException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;

/**
 * The run's ledger topic: one entry per durable checkpoint listing the chunk ids that checkpoint covers —
 * trained ids, ids not trained with their reason ({@code <id> lag=<n>}, {@code <id> discarded-branch v=<n>},
 * {@code <id> end-of-run}) and ids rejected at the learner ({@code <id> <reason>}). Entries are
 * {@link LedgerPart} records ({@link LedgerPartCodec}, with a schema-version byte like every record type),
 * keyed by the checkpoint number, so a resumed learner can tell whether its last checkpoint's entry was
 * written before a crash.
 *
 * <p>An entry never exceeds the record size limit and is never lost to it: {@link #split} cuts it into
 * as many parts as needed (deterministically, so a rewrite after a crash writes the same parts), each
 * part naming its index and the part count; readers assemble an entry once all its parts are there, and
 * an entry cut short by a crash counts as absent (the resumed learner writes it again).
 */
public final class Ledger {
    /** Bytes kept free in each ledger record for the key, headers and batch overhead. */
    static final int RECORD_OVERHEAD_BYTES = 4096;

    /** What one checkpoint covers. */
    public record Entry(long checkpoint, List<String> trained, List<String> droppedStale, List<String> rejected) {
        public Entry {
            trained = List.copyOf(trained);
            droppedStale = List.copyOf(droppedStale);
            rejected = List.copyOf(rejected);
        }

        /** The whole entry as one record (the checkpoint folder's copy: files have no record size limit). */
        byte[] encode() {
            return LedgerPartCodec.encode(new LedgerPart(checkpoint, 0, 1, trained, droppedStale, rejected));
        }

        /** Reads what {@link #encode} wrote; {@code source} names the file for the error message. */
        static Entry decode(byte[] value, String source) {
            LedgerPart p = LedgerPartCodec.decode(value, source, 0, 0);
            if (p.parts() != 1) {
                throw new IllegalStateException("a checkpoint's ledger entry must be one part: source=" + source
                        + ", parts=" + p.parts());
            }
            return new Entry(p.checkpoint(), p.trained(), p.droppedStale(), p.rejected());
        }

        /**
         * Reads the text form checkpoints written before ledger entries had a codec ({@code T <id>},
         * {@code D <id> <reason>}, {@code X <id> <reason>} lines), so such checkpoints can still be resumed.
         */
        static Entry decodeLegacyText(long checkpoint, byte[] value) {
            List<String> t = new ArrayList<>();
            List<String> d = new ArrayList<>();
            List<String> x = new ArrayList<>();
            for (String line : new String(value, StandardCharsets.UTF_8).split("\n")) {
                if (line.length() < 3) {
                    continue;
                }
                switch (line.charAt(0)) {
                    case 'T' -> t.add(line.substring(2));
                    case 'D' -> d.add(line.substring(2));
                    case 'X' -> x.add(line.substring(2));
                    default -> throw new IllegalStateException("bad legacy ledger line: checkpoint=" + checkpoint
                            + ", line=" + line);
                }
            }
            return new Entry(checkpoint, t, d, x);
        }
    }

    private Ledger() {
    }

    /**
     * Cuts {@code entry} into parts of at most {@code maxPartBytes} encoded bytes each, ids in order
     * (trained, then dropped, then rejected); an entry that fits is one part.
     *
     * @throws IllegalArgumentException when a single id does not fit in a part (its size is in the message)
     */
    public static List<LedgerPart> split(Entry entry, int maxPartBytes) {
        long budget = maxPartBytes - LedgerPartCodec.FIXED_HEADER_LENGTH;
        List<List<List<String>>> parts = new ArrayList<>();
        List<List<String>> current = newPart();
        long used = 0;
        List<List<String>> lists = List.of(entry.trained(), entry.droppedStale(), entry.rejected());
        for (int k = 0; k < 3; k++) {
            for (String id : lists.get(k)) {
                long n = LedgerPartCodec.idLength(id);
                if (n > budget) {
                    throw new IllegalArgumentException("a ledger id does not fit in one record: checkpoint="
                            + entry.checkpoint() + ", bytes=" + n + ", maxPartBytes=" + maxPartBytes + ", id="
                            + id.substring(0, Math.min(80, id.length())) + "...");
                }
                if (used + n > budget) {
                    parts.add(current);
                    current = newPart();
                    used = 0;
                }
                current.get(k).add(id);
                used += n;
            }
        }
        parts.add(current);
        List<LedgerPart> out = new ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            List<List<String>> p = parts.get(i);
            out.add(new LedgerPart(entry.checkpoint(), i, parts.size(), p.get(0), p.get(1), p.get(2)));
        }
        return out;
    }

    private static List<List<String>> newPart() {
        return List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }

    /** As {@link #append(KafkaProducer, Topics, Entry, long, int)} with Kafka's default record limit (1 MiB). */
    public static void append(KafkaProducer<byte[], byte[]> producer, Topics topics, Entry entry, long timeoutMs) {
        append(producer, topics, entry, timeoutMs, 1 << 20);
    }

    /**
     * Appends {@code entry} as one or more records of at most {@code maxRecordBytes} (less a margin for
     * key and headers) and waits until the broker has them all.
     */
    public static void append(KafkaProducer<byte[], byte[]> producer, Topics topics, Entry entry, long timeoutMs,
                              int maxRecordBytes) {
        byte[] key = Long.toString(entry.checkpoint()).getBytes(StandardCharsets.UTF_8);
        List<LedgerPart> parts = split(entry, Math.max(LedgerPartCodec.FIXED_HEADER_LENGTH + 1024,
                maxRecordBytes - RECORD_OVERHEAD_BYTES));
        List<java.util.concurrent.Future<?>> sent = new ArrayList<>(parts.size());
        for (LedgerPart p : parts) {
            sent.add(producer.send(new ProducerRecord<>(topics.ledger(), 0, key, LedgerPartCodec.encode(p))));
        }
        for (int i = 0; i < sent.size(); i++) {
            FutureSupport.getOrThrow(sent.get(i), "ledger append for checkpoint " + entry.checkpoint() + " (part " + i
                    + " of " + parts.size() + ")", timeoutMs);
        }
    }

    /** The transactional id of a run's ledger writer: one per run, so a second writer fences the first. */
    public static String writerId(Topics topics) {
        return "tributary-" + topics.runId() + "-ledger";
    }

    /** Attempts of one transactional append whose producer epoch the coordinator bumped (e.g. across a broker restart). */
    static final int EPOCH_BUMP_ATTEMPTS = 3;

    /**
     * Appends {@code entry} in one transaction of {@code producer} (transactional id {@link #writerId},
     * transactions initialised): all its parts become visible together or not at all. A producer fenced
     * by a newer writer of the same run ({@link ProducerFencedException}) throws a
     * {@link io.tributary.streams.port.StreamsException} saying that another learner took over the run.
     * An {@link InvalidProducerEpochException} is not that: the transaction coordinator bumped the epoch itself
     * (it aborted a transaction that outlived its timeout, as across a broker restart), and Kafka's rule is to
     * abort and go on, so the append is retried (up to {@value #EPOCH_BUMP_ATTEMPTS} attempts; the aborted
     * records are invisible to the read_committed ledger readers). If a newer writer did take over, the abort's
     * re-initialisation is fenced and the append throws as above.
     */
    public static void appendTransactional(KafkaProducer<byte[], byte[]> producer, Topics topics, Entry entry,
                                           int maxRecordBytes) {
        byte[] key = Long.toString(entry.checkpoint()).getBytes(StandardCharsets.UTF_8);
        List<LedgerPart> parts = split(entry, Math.max(LedgerPartCodec.FIXED_HEADER_LENGTH + 1024,
                maxRecordBytes - RECORD_OVERHEAD_BYTES));
        for (int attempt = 1; ; attempt++) {
            try {
                producer.beginTransaction();
                for (LedgerPart p : parts) {
                    producer.send(new ProducerRecord<>(topics.ledger(), 0, key, LedgerPartCodec.encode(p)));
                }
                producer.commitTransaction();
                return;
            } catch (KafkaException e) {
                if (e instanceof ProducerFencedException || e.getCause() instanceof ProducerFencedException) {
                    throw fenced(topics, entry, e);
                }
                boolean epochBumped = e instanceof InvalidProducerEpochException
                        || e.getCause() instanceof InvalidProducerEpochException;
                try {
                    producer.abortTransaction();
                } catch (ProducerFencedException abortFenced) {
                    throw fenced(topics, entry, abortFenced);
                } catch (KafkaException abortFailure) {
                    e.addSuppressed(abortFailure);
                    epochBumped = false;
                }
                if (epochBumped && attempt < EPOCH_BUMP_ATTEMPTS) {
                    continue;
                }
                throw new io.tributary.streams.port.StreamsException("ledger append for checkpoint " + entry.checkpoint()
                        + " failed (transaction aborted, attempt " + attempt + "): " + e, e);
            }
        }
    }

    private static io.tributary.streams.port.StreamsException fenced(Topics topics, Entry entry, KafkaException e) {
        return new io.tributary.streams.port.StreamsException("another learner took over run " + topics.runId()
                + ": this learner's ledger writer was fenced (transactional id " + writerId(topics)
                + ") at checkpoint " + entry.checkpoint() + "; it stops, the newer learner goes on", e);
    }

    /**
     * Reads every complete ledger entry, in the order their last part was written. Parts of an entry cut
     * short by a crash are left out until a rewrite completes them; a malformed record throws (the
     * ledger is a system of record: nothing in it may be skipped).
     */
    public static void readAll(KafkaClients clients, Topics topics, Consumer<Entry> sink) {
        Map<Long, LedgerPart[]> assembling = new HashMap<>();
        // read_committed: the parts of an aborted or open ledger transaction are not part of the ledger.
        TopicReader.readAll(clients, topics.ledger(), true, r -> {
            LedgerPart p;
            try {
                p = LedgerPartCodec.decode(r.value(), r.topic(), r.partition(), r.offset());
            } catch (MalformedRecordException e) {
                throw new IllegalStateException("unreadable ledger record (written before ledger entries had a codec?): "
                        + e.getMessage(), e);
            }
            LedgerPart[] slots = assembling.get(p.checkpoint());
            if (slots == null || slots.length != p.parts()) {
                slots = new LedgerPart[p.parts()];
                assembling.put(p.checkpoint(), slots);
            }
            slots[p.part()] = p;
            for (LedgerPart s : slots) {
                if (s == null) {
                    return;
                }
            }
            assembling.remove(p.checkpoint());
            List<String> t = new ArrayList<>();
            List<String> d = new ArrayList<>();
            List<String> x = new ArrayList<>();
            for (LedgerPart s : slots) {
                t.addAll(s.trained());
                d.addAll(s.droppedStale());
                x.addAll(s.rejected());
            }
            sink.accept(new Entry(p.checkpoint(), t, d, x));
        });
    }

    /** Checkpoint numbers that have a complete entry in the ledger. */
    public static Collection<Long> checkpoints(KafkaClients clients, Topics topics) {
        List<Long> out = new ArrayList<>();
        readAll(clients, topics, e -> out.add(e.checkpoint()));
        return out;
    }

    /** Reads a whole topic from the beginning to its current end. */
    static final class TopicReader {
        private TopicReader() {
        }

        static void readAll(KafkaClients clients, String topic, boolean readCommitted,
                            Consumer<ConsumerRecord<byte[], byte[]>> sink) {
            try (KafkaConsumer<byte[], byte[]> c = clients.consumer("tributary-reader", null, readCommitted)) {
                List<TopicPartition> tps = c.partitionsFor(topic, Duration.ofMillis(clients.settings().maxBlockMs()))
                        .stream().map(p -> new TopicPartition(topic, p.partition())).toList();
                c.assign(tps);
                c.seekToBeginning(tps);
                var end = c.endOffsets(tps);
                long deadline = System.currentTimeMillis() + clients.settings().maxBlockMs();
                while (true) {
                    boolean done = true;
                    for (TopicPartition tp : tps) {
                        if (c.position(tp) < end.get(tp)) {
                            done = false;
                        }
                    }
                    if (done) {
                        return;
                    }
                    if (System.currentTimeMillis() > deadline) {
                        throw new org.apache.kafka.common.KafkaException("could not read topic to its end within "
                                + clients.settings().maxBlockMs() + " ms: topic=" + topic);
                    }
                    ConsumerRecords<byte[], byte[]> recs = c.poll(Duration.ofMillis(200));
                    for (ConsumerRecord<byte[], byte[]> r : recs) {
                        sink.accept(r);
                    }
                }
            }
        }
    }
}
