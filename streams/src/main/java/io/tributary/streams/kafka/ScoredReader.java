package io.tributary.streams.kafka;

import io.tributary.rewards.ScoredChunk;
import io.tributary.streams.codec.MalformedRecordException;
import io.tributary.streams.codec.ScoredChunkCodec;
import io.tributary.streams.port.ScoredSource;
import io.tributary.streams.port.StreamsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The learner's reader of the scored topic. It assigns itself every partition (no consumer group: the
 * learner's progress lives in its checkpoints, not in Kafka), reads with {@code read_committed} so only
 * chunks of committed scorer transactions are seen, and starts from a checkpoint's offsets. Malformed
 * records are sent to the dead-letter topic and skipped; so are chunks the learner cannot train
 * ({@link #deadLetter}, stage {@value #TRAIN_STAGE}).
 *
 * <p>The reader never rewinds silently: it runs with {@code auto.offset.reset=none}, and a start offset
 * outside the partition's retained range (a checkpoint of another run, deleted records, a wiped broker)
 * stops it with a {@link StreamsException} naming topic, partition and offset.
 */
public final class ScoredReader implements ScoredSource {

    /** Dead-letter stage of chunks the learner could not train. */
    public static final String TRAIN_STAGE = "train";

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final DeadLetterSink deadLetters;
    private final KafkaProducer<byte[], byte[]> dlqProducer;
    private final Topics topics;
    private final long sendTimeoutMs;
    /** Raw bytes of the last poll's records, so a train-stage dead letter keeps the original record. */
    private final Map<TopicPartition, Map<Long, byte[]>> lastPoll = new HashMap<>();
    private final Duration pollTimeout;
    private final List<TopicPartition> partitions = new ArrayList<>();

    /**
     * @param startOffsets next offset to read per partition (from a checkpoint); partitions missing from
     *                     the map start at the beginning
     */
    public ScoredReader(KafkaClients clients, Topics topics, Map<Integer, Long> startOffsets,
                        KafkaProducer<byte[], byte[]> dlqProducer) {
        this.deadLetters = new DeadLetterSink(dlqProducer, topics, "learner-decode");
        this.dlqProducer = dlqProducer;
        this.topics = topics;
        this.sendTimeoutMs = clients.settings().deliveryTimeoutMs() + 5_000L;
        this.pollTimeout = Duration.ofMillis(clients.settings().pollTimeoutMs());
        Map<String, Object> noReset = Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        this.consumer = clients.consumer("tributary-" + topics.runId() + "-learner", null, true, noReset);
        List<PartitionInfo> infos = consumer.partitionsFor(topics.scored(), Duration.ofMillis(clients.settings().maxBlockMs()));
        if (infos == null || infos.isEmpty()) {
            consumer.close();
            throw new KafkaStartException("scored topic has no partitions: topic=" + topics.scored());
        }
        for (PartitionInfo pi : infos) {
            partitions.add(new TopicPartition(pi.topic(), pi.partition()));
        }
        consumer.assign(partitions);
        Map<TopicPartition, Long> first;
        Map<TopicPartition, Long> end;
        try {
            first = consumer.beginningOffsets(partitions);
            end = consumer.endOffsets(partitions);
        } catch (KafkaException e) {
            consumer.close();
            throw new StreamsException("cannot read the offsets of the scored topic: topic=" + topics.scored()
                    + ", cause=" + e, e);
        }
        for (TopicPartition tp : partitions) {
            Long off = startOffsets.get(tp.partition());
            if (off == null) {
                consumer.seekToBeginning(List.of(tp));
            } else if (off < first.get(tp) || off > end.get(tp)) {
                consumer.close();
                throw outOfRange(tp, off, "retained offsets are " + first.get(tp) + ".." + end.get(tp), null);
            } else {
                consumer.seek(tp, off);
            }
        }
    }

    private static StreamsException outOfRange(TopicPartition tp, long offset, String detail, Throwable cause) {
        return new StreamsException("checkpoint offset out of range, refusing to rewind or skip: topic=" + tp.topic()
                + ", partition=" + tp.partition() + ", offset=" + offset + " (" + detail
                + "; were records deleted, or does the checkpoint belong to another broker?)", cause);
    }

    /**
     * Polls once; malformed records are handed to the dead-letter topic; a failed earlier hand-over throws.
     * Woken up, it returns nothing; a Kafka failure throws {@link StreamsException}.
     */
    @Override
    public List<Item> poll() {
        deadLetters.throwIfFailed();
        List<Item> out = new ArrayList<>();
        Iterable<ConsumerRecord<byte[], byte[]>> records;
        try {
            records = consumer.poll(pollTimeout);
        } catch (WakeupException e) {
            return out;
        } catch (OffsetOutOfRangeException e) {
            Map.Entry<TopicPartition, Long> first = e.offsetOutOfRangePartitions().entrySet().iterator().next();
            throw outOfRange(first.getKey(), first.getValue(), "the broker no longer has it", e);
        } catch (KafkaException e) {
            throw new StreamsException("cannot read the scored topic: cause=" + e.getMessage(), e);
        }
        lastPoll.clear();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            lastPoll.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), k -> new HashMap<>()).put(r.offset(), r.value());
            try {
                out.add(new Item(r.partition(), r.offset(), r.key(),
                        ScoredChunkCodec.decode(r.value(), r.topic(), r.partition(), r.offset()), null));
            } catch (MalformedRecordException e) {
                deadLetters.send(r, e.getMessage());
                out.add(new Item(r.partition(), r.offset(), r.key(), null, e.getMessage()));
            }
        }
        return out;
    }

    @Override
    public void deadLetter(Item item, String reason) {
        byte[] original = lastPoll.getOrDefault(new TopicPartition(topics.scored(), item.partition()), Map.of())
                .get(item.offset());
        byte[] value = original != null ? original : item.chunk() == null ? null : ScoredChunkCodec.encode(item.chunk());
        try {
            FutureSupport.getOrThrow(dlqProducer.send(DeadLetters.record(topics.dlq(), TRAIN_STAGE, topics.scored(),
                    item.partition(), item.offset(), item.key(), value, reason)),
                    "dead letter of an untrainable chunk at partition " + item.partition() + " offset " + item.offset(),
                    sendTimeoutMs);
        } catch (KafkaException e) {
            throw new StreamsException("dead-letter send failed: stage=" + TRAIN_STAGE + ", partition=" + item.partition()
                    + ", offset=" + item.offset() + ", cause=" + e, e);
        }
    }

    /** Current read positions: the next offset per partition. */
    public Map<Integer, Long> positions() {
        Map<Integer, Long> m = new HashMap<>();
        for (TopicPartition tp : partitions) {
            m.put(tp.partition(), consumer.position(tp));
        }
        return m;
    }

    @Override
    public void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
