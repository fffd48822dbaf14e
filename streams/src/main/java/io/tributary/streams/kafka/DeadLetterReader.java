package io.tributary.streams.kafka;

import io.tributary.streams.port.DeadLetterRecord;
import io.tributary.streams.port.DeadLetterSource;
import io.tributary.streams.port.StreamsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a run's dead-letter topic from its beginning (no consumer group: each reader sees every
 * record) and reads the rollouts topic's end offsets for the count of chunks produced.
 */
public final class DeadLetterReader implements DeadLetterSource {
    private static final long END_OFFSETS_EVERY_MS = 1000;
    private static final Duration END_OFFSETS_TIMEOUT = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReader.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Topics topics;
    private final Duration pollTimeout;
    private List<TopicPartition> rolloutPartitions = List.of();
    private long rolloutRecords;
    private long endOffsetsReadAt;
    private long endOffsetsTimeouts;

    /** A reader of {@code topics}' dead-letter topic (all its partitions). */
    public DeadLetterReader(KafkaClients clients, Topics topics) {
        this.topics = topics;
        this.pollTimeout = Duration.ofMillis(clients.settings().pollTimeoutMs());
        this.consumer = clients.consumer("tributary-" + topics.runId() + "-dlq-reader", null, false);
        try {
            List<TopicPartition> tps = partitions(topics.dlq());
            if (tps.isEmpty()) {
                tps = List.of(new TopicPartition(topics.dlq(), 0));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
        } catch (KafkaException e) {
            consumer.close(Duration.ZERO);
            throw new StreamsException("cannot read the dead-letter topic " + topics.dlq() + ": " + e, e);
        }
    }

    @Override
    public List<DeadLetterRecord> poll() {
        List<DeadLetterRecord> out = new ArrayList<>();
        try {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(pollTimeout)) {
                out.add(new DeadLetterRecord(
                        orElse(DeadLetters.header(r.headers(), DeadLetters.STAGE), "unknown"),
                        orElse(DeadLetters.header(r.headers(), DeadLetters.REASON), "unknown"),
                        orElse(DeadLetters.header(r.headers(), DeadLetters.SOURCE_TOPIC), "unknown"),
                        parseOffset(DeadLetters.header(r.headers(), DeadLetters.SOURCE_OFFSET)),
                        Math.max(0, r.timestamp())));
            }
            refreshEndOffsets();
        } catch (WakeupException e) {
            return out;
        } catch (KafkaException e) {
            throw new StreamsException("cannot read the dead-letter or rollouts topic of run " + topics.runId()
                    + ": cause=" + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public long rolloutRecords() {
        return rolloutRecords;
    }

    private void refreshEndOffsets() {
        long now = System.currentTimeMillis();
        if (now - endOffsetsReadAt < END_OFFSETS_EVERY_MS) {
            return;
        }
        endOffsetsReadAt = now;
        if (rolloutPartitions.isEmpty()) {
            rolloutPartitions = partitions(topics.rollouts());
        }
        long sum = 0;
        try {
            for (Map.Entry<TopicPartition, Long> e : consumer.endOffsets(rolloutPartitions, END_OFFSETS_TIMEOUT).entrySet()) {
                sum += e.getValue();
            }
        } catch (TimeoutException e) {
            // The broker is slow or gone (an embedded run that just ended): keep the last count, try again later.
            endOffsetsTimeouts++;
            LOG.warn("rollouts end offsets not read (timeout {} so far): run={}, cause={}", endOffsetsTimeouts,
                    topics.runId(), e.toString());
            return;
        }
        rolloutRecords = Math.max(rolloutRecords, sum);
    }

    private List<TopicPartition> partitions(String topic) {
        List<TopicPartition> tps = new ArrayList<>();
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos != null) {
            for (PartitionInfo p : infos) {
                tps.add(new TopicPartition(topic, p.partition()));
            }
        }
        return tps;
    }

    private static String orElse(String v, String fallback) {
        return v == null ? fallback : v;
    }

    private static long parseOffset(String v) {
        if (v == null) {
            return -1;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            // A header written by another tool: the record is still shown, without its offset.
            return -1;
        }
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
