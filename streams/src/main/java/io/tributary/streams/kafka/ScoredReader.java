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
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The learner's reader of the scored topic. It assigns itself every partition (no consumer group: the
 * learner's progress lives in its checkpoints, not in Kafka), reads with {@code read_committed} so only
 * chunks of committed scorer transactions are seen, and starts from a checkpoint's offsets. Malformed
 * records are sent to the dead-letter topic and skipped.
 */
public final class ScoredReader implements ScoredSource {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final DeadLetterSink deadLetters;
    private final Duration pollTimeout;
    private final List<TopicPartition> partitions = new ArrayList<>();

    /**
     * @param startOffsets next offset to read per partition (from a checkpoint); partitions missing from
     *                     the map start at the beginning
     */
    public ScoredReader(KafkaClients clients, Topics topics, Map<Integer, Long> startOffsets,
                        KafkaProducer<byte[], byte[]> dlqProducer) {
        this.deadLetters = new DeadLetterSink(dlqProducer, topics, "learner-decode");
        this.pollTimeout = Duration.ofMillis(clients.settings().pollTimeoutMs());
        this.consumer = clients.consumer("tributary-" + topics.runId() + "-learner", null, true);
        List<PartitionInfo> infos = consumer.partitionsFor(topics.scored(), Duration.ofMillis(clients.settings().maxBlockMs()));
        if (infos == null || infos.isEmpty()) {
            consumer.close();
            throw new KafkaStartException("scored topic has no partitions: topic=" + topics.scored());
        }
        for (PartitionInfo pi : infos) {
            partitions.add(new TopicPartition(pi.topic(), pi.partition()));
        }
        consumer.assign(partitions);
        for (TopicPartition tp : partitions) {
            Long off = startOffsets.get(tp.partition());
            if (off == null) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seek(tp, off);
            }
        }
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
        } catch (KafkaException e) {
            throw new StreamsException("cannot read the scored topic: cause=" + e.getMessage(), e);
        }
        for (ConsumerRecord<byte[], byte[]> r : records) {
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
