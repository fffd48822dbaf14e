package io.tributary.streams.kafka;

import io.tributary.learner.PolicySnapshot;
import io.tributary.streams.codec.MalformedRecordException;
import io.tributary.streams.codec.PolicySnapshotCodec;
import io.tributary.streams.port.PolicySource;
import io.tributary.streams.port.StreamsException;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads policy snapshots from the policy topic for the rollout workers of this process. It starts at
 * the newest existing snapshot (so a worker that joins late starts from the latest policy) and then
 * follows the topic. Snapshots are delivered in publication (offset) order, not by version number: a
 * learner resumed from a checkpoint republishes an older version number than a crashed run may have
 * reached, and that republished policy is the one to use.
 */
public final class PolicyFeed implements PolicySource {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final DeadLetterSink deadLetters;
    private final Duration pollTimeout;

    /**
     * @param fromLatest true to start at the newest existing snapshot, false to start after it (only
     *                   snapshots published from now on)
     */
    public PolicyFeed(KafkaClients clients, Topics topics, KafkaProducer<byte[], byte[]> dlqProducer, boolean fromLatest) {
        this.deadLetters = new DeadLetterSink(dlqProducer, topics, "policy-decode");
        this.pollTimeout = Duration.ofMillis(clients.settings().pollTimeoutMs());
        this.consumer = clients.consumer("tributary-" + topics.runId() + "-policy-feed", null, false);
        TopicPartition tp = new TopicPartition(topics.policy(), 0);
        consumer.assign(List.of(tp));
        consumer.seekToEnd(List.of(tp));
        long end = consumer.position(tp);
        consumer.seek(tp, fromLatest ? Math.max(0, end - 1) : end);
    }

    /** The most recently published snapshot among those that arrived since the last call, or null (also when woken up). */
    @Override
    public PolicySnapshot poll() {
        deadLetters.throwIfFailed();
        PolicySnapshot newest = null;
        Iterable<ConsumerRecord<byte[], byte[]>> records;
        try {
            records = consumer.poll(pollTimeout);
        } catch (WakeupException e) {
            return null;
        } catch (KafkaException e) {
            throw new StreamsException("cannot read the policy topic: cause=" + e.getMessage(), e);
        }
        for (ConsumerRecord<byte[], byte[]> r : records) {
            try {
                newest = PolicySnapshotCodec.decode(r.value(), r.topic(), r.partition(), r.offset());
            } catch (MalformedRecordException e) {
                deadLetters.send(r, e.getMessage());
            }
        }
        return newest;
    }

    /** Wakes a blocked poll from another thread. */
    @Override
    public void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
