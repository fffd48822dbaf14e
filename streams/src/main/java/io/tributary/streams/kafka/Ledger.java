package io.tributary.streams.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The run's ledger topic: one record per durable checkpoint listing the chunk ids that checkpoint
 * covers — trained ids as {@code T <key>}, ids dropped for staleness as {@code D <key> lag=<n>}, and
 * ids rejected at the learner as {@code X <key> <reason>}. The record key is the checkpoint number, so a
 * resumed learner can tell whether its last checkpoint's entry was written before a crash.
 */
public final class Ledger {
    /** What one checkpoint covers. */
    public record Entry(long checkpoint, List<String> trained, List<String> droppedStale, List<String> rejected) {
        public Entry {
            trained = List.copyOf(trained);
            droppedStale = List.copyOf(droppedStale);
            rejected = List.copyOf(rejected);
        }

        byte[] encode() {
            StringBuilder sb = new StringBuilder(64 * (trained.size() + droppedStale.size() + 1));
            for (String k : trained) {
                sb.append("T ").append(k).append('\n');
            }
            for (String k : droppedStale) {
                sb.append("D ").append(k).append('\n');
            }
            for (String k : rejected) {
                sb.append("X ").append(k).append('\n');
            }
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }

        static Entry decode(long checkpoint, byte[] value) {
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
                    default -> throw new IllegalStateException("bad ledger line: checkpoint=" + checkpoint + ", line=" + line);
                }
            }
            return new Entry(checkpoint, t, d, x);
        }
    }

    private Ledger() {
    }

    /** Appends {@code entry} and waits until the broker has it. */
    public static void append(KafkaProducer<byte[], byte[]> producer, Topics topics, Entry entry, long timeoutMs) {
        byte[] key = Long.toString(entry.checkpoint()).getBytes(StandardCharsets.UTF_8);
        FutureSupport.getOrThrow(producer.send(new ProducerRecord<>(topics.ledger(), 0, key, entry.encode())),
                "ledger append for checkpoint " + entry.checkpoint(), timeoutMs);
    }

    /** Reads every ledger entry, oldest first. */
    public static void readAll(KafkaClients clients, Topics topics, Consumer<Entry> sink) {
        TopicReader.readAll(clients, topics.ledger(), false, r -> {
            long cp = Long.parseLong(new String(r.key(), StandardCharsets.UTF_8));
            sink.accept(Entry.decode(cp, r.value()));
        });
    }

    /** Checkpoint numbers present in the ledger. */
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
