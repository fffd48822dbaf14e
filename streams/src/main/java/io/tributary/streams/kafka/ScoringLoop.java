package io.tributary.streams.kafka;

import io.tributary.rewards.RewardModel;
import io.tributary.rewards.ScoredChunk;
import io.tributary.simulator.rollout.TrajectoryChunk;
import io.tributary.streams.codec.MalformedRecordException;
import io.tributary.streams.codec.RecordType;
import io.tributary.streams.codec.ScoredChunkCodec;
import io.tributary.streams.codec.TrajectoryChunkCodec;
import io.tributary.streams.codec.WireFormat;
import io.tributary.streams.port.Scorer;
import io.tributary.streams.port.ScoringStage;
import io.tributary.streams.port.StreamsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * One reward scorer's consume-transform-produce loop: reads trajectory chunks from its stage's source
 * topic (the rollouts topic for the run's own scorers; scored chunks of an earlier stage are read as
 * their trajectories), scores them with a {@link RewardModel} and writes
 * scored chunks to the stage's target topic, all inside one Kafka transaction per poll with the consumed
 * offsets committed in the same transaction. A crash therefore either publishes a batch's scored chunks
 * and its offsets together, or neither. Records that fail to decode or score go to the dead-letter topic
 * in the same transaction, with the reason. Kafka failures leave it as {@link StreamsException}.
 */
public final class ScoringLoop implements Scorer {
    private final ScoringStage stage;
    private final RewardModel model;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Duration pollTimeout;
    private final int maxRecordBytes;
    private final AtomicLong scored = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private boolean closed;

    /**
     * Subscribes scorer {@code index} of the run to the rollouts topic (group {@code tributary.<run>.scorers}).
     * The transactional id is stable per index, so a restarted scorer fences its predecessor.
     */
    public ScoringLoop(KafkaClients clients, Topics topics, RewardModel model, int index) {
        this(clients, ScoringStage.primary(topics, index), model);
    }

    /** A scorer of {@code stage}: subscribes its consumer group to the source topic and initialises its transactions. */
    public ScoringLoop(KafkaClients clients, ScoringStage stage, RewardModel model) {
        this(clients, stage, model, io.tributary.streams.port.RunStreams.DEFAULT_MAX_RECORDS_PER_POLL);
    }

    /**
     * As {@link #ScoringLoop(KafkaClients, ScoringStage, RewardModel)}, taking at most {@code maxRecordsPerPoll}
     * records per poll (so one transaction scores at most that many; a slow judge stays inside the transaction
     * timeout).
     */
    public ScoringLoop(KafkaClients clients, ScoringStage stage, RewardModel model, int maxRecordsPerPoll) {
        if (maxRecordsPerPoll < 1) {
            throw new IllegalArgumentException("maxRecordsPerPoll must be >= 1: maxRecordsPerPoll=" + maxRecordsPerPoll);
        }
        this.stage = stage;
        this.model = model;
        this.pollTimeout = Duration.ofMillis(clients.settings().pollTimeoutMs());
        this.maxRecordBytes = clients.settings().maxMessageBytes();
        try {
            this.producer = clients.transactionalProducer(stage.transactionalId());
        } catch (KafkaException e) {
            throw new StreamsException("scorer cannot create its producer: transactionalId=" + stage.transactionalId()
                    + ", cause=" + e.getMessage(), e);
        }
        try {
            producer.initTransactions();
            // Static member named by the transactional id (stable per run, stage and scorer index): a scorer
            // resumed after kill -9 takes its dead predecessor's place in the group at once.
            this.consumer = clients.staticMember(stage.clientId(), stage.consumerGroup(), stage.transactionalId(),
                    maxRecordsPerPoll);
        } catch (KafkaException e) {
            producer.close(Duration.ZERO);
            throw new StreamsException("scorer cannot initialise transactions: transactionalId=" + stage.transactionalId()
                    + ", cause=" + e.getMessage(), e);
        }
        consumer.subscribe(List.of(stage.sourceTopic()));
    }

    /** Where this loop reads and writes. */
    public ScoringStage stage() {
        return stage;
    }

    /**
     * Polls once and, if records arrived, scores them in one transaction.
     *
     * @return number of records handled (scored or dead-lettered); 0 when woken up
     * @throws StreamsException if the transaction fails; it has been aborted and the records will be read
     *                          again by whoever owns the partitions next
     */
    @Override
    public int pollOnce() {
        try {
            return transact();
        } catch (WakeupException e) {
            return 0;
        } catch (KafkaException e) {
            throw new StreamsException("scoring transaction failed: transactionalId=" + stage.transactionalId()
                    + ", source=" + stage.sourceTopic() + ", cause=" + e.getMessage(), e);
        }
    }

    private int transact() {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout);
        if (records.isEmpty()) {
            return 0;
        }
        producer.beginTransaction();
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            Map<String, List<TrajectoryChunk>> groups = new LinkedHashMap<>();
            Map<TrajectoryChunk, ConsumerRecord<byte[], byte[]>> source = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : records) {
                offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                TrajectoryChunk chunk;
                try {
                    chunk = sourceChunk(r);
                } catch (MalformedRecordException e) {
                    deadLetter("decode", r, e.getMessage());
                    continue;
                }
                source.put(chunk, r);
                groups.computeIfAbsent(model.groupKey(chunk), k -> new ArrayList<>()).add(chunk);
            }
            for (List<TrajectoryChunk> group : groups.values()) {
                scoreGroup(group, source);
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
            return records.count();
        } catch (RuntimeException e) {
            try {
                producer.abortTransaction();
            } catch (RuntimeException abort) {
                e.addSuppressed(abort);
            }
            throw e;
        }
    }

    /**
     * The trajectory in a source record: a trajectory chunk, or the chunk inside a scored chunk (a stage
     * that re-scores another stage's output scores the trajectory again, not the earlier rewards).
     */
    private static TrajectoryChunk sourceChunk(ConsumerRecord<byte[], byte[]> r) {
        byte[] v = r.value();
        if (v != null && v.length >= 2 && (v[WireFormat.TYPE_OFFSET] & 0xFF) == RecordType.SCORED_CHUNK.tag()) {
            return ScoredChunkCodec.decode(v, r.topic(), r.partition(), r.offset()).chunk();
        }
        return TrajectoryChunkCodec.decode(v, r.topic(), r.partition(), r.offset());
    }

    private void scoreGroup(List<TrajectoryChunk> group, Map<TrajectoryChunk, ConsumerRecord<byte[], byte[]>> source) {
        List<float[]> rewards;
        try {
            rewards = model.scoreGroup(group);
            if (rewards.size() != group.size()) {
                throw new IllegalStateException("reward model returned " + rewards.size() + " results for "
                        + group.size() + " chunks");
            }
        } catch (RuntimeException e) {
            for (TrajectoryChunk c : group) {
                deadLetter("score", source.get(c), "reward model " + model.id() + " failed: " + e);
            }
            return;
        }
        long now = System.currentTimeMillis() * 1000L;
        for (int i = 0; i < group.size(); i++) {
            TrajectoryChunk c = group.get(i);
            ConsumerRecord<byte[], byte[]> r = source.get(c);
            ScoredChunk s;
            try {
                s = new ScoredChunk(c, rewards.get(i), model.id(), model.version(), now);
            } catch (IllegalArgumentException e) {
                deadLetter("score", r, e.getMessage());
                continue;
            }
            byte[] encoded = ScoredChunkCodec.encode(s);
            long size = recordSize(r.key(), encoded);
            if (size > maxRecordBytes) {
                // Sent, it would fail the transaction, and every retry of it, forever: dead-letter it instead.
                deadLetter("score", r, "scored record too large: bytes=" + size + ", max-message-bytes=" + maxRecordBytes
                        + " (tributary.kafka.max-message-bytes)");
                continue;
            }
            producer.send(new ProducerRecord<>(stage.targetTopic(), r.key(), encoded));
            scored.incrementAndGet();
        }
    }

    /**
     * Bytes a record takes in a batch, bounded above: key and value plus a generous allowance for the
     * record and batch headers (a batch header is 61 bytes, a record's varints and our dead-letter headers
     * a few hundred), compared with the producer's {@code max.request.size} and the topics'
     * {@code max.message.bytes}, both set to {@code tributary.kafka.max-message-bytes}.
     */
    static long recordSize(byte[] key, byte[] value) {
        return (key == null ? 0 : key.length) + (value == null ? 0 : value.length) + RECORD_OVERHEAD_BYTES;
    }

    /** Upper bound on what a record adds to its key and value on the wire (see {@link #recordSize}). */
    static final int RECORD_OVERHEAD_BYTES = 1024;

    private void deadLetter(String what, ConsumerRecord<byte[], byte[]> r, String reason) {
        byte[] value = r.value();
        String why = reason;
        if (recordSize(r.key(), value) + (reason == null ? 0 : reason.length()) > maxRecordBytes) {
            // The original bytes stay in the source topic (partition and offset are in the headers).
            why = reason + "; original value of " + value.length + " bytes omitted, it stays at the source offset";
            value = new byte[0];
        }
        producer.send(DeadLetters.record(stage.dlqTopic(), what, r.topic(), r.partition(), r.offset(), r.key(), value, why));
        deadLettered.incrementAndGet();
    }

    /** Chunks scored so far by this loop. */
    @Override
    public long scoredCount() {
        return scored.get();
    }

    /** Records sent to the dead-letter topic so far by this loop. */
    @Override
    public long deadLetteredCount() {
        return deadLettered.get();
    }

    @Override
    public long backlog() {
        try {
            Set<TopicPartition> owned = consumer.assignment();
            List<PartitionInfo> all = consumer.partitionsFor(stage.sourceTopic());
            if (owned.isEmpty() || all == null || owned.size() < all.size()) {
                return -1;
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(owned);
            long left = 0;
            for (TopicPartition tp : owned) {
                left += Math.max(0L, end.get(tp) - consumer.position(tp));
            }
            return left;
        } catch (KafkaException e) {
            throw new StreamsException("cannot read the scorer's backlog: transactionalId=" + stage.transactionalId()
                    + ", source=" + stage.sourceTopic() + ", cause=" + e.getMessage(), e);
        }
    }

    @Override
    public long ownedBacklog() {
        try {
            Set<TopicPartition> owned = consumer.assignment();
            if (owned.isEmpty()) {
                return 0;
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(owned, java.time.Duration.ofSeconds(5));
            long left = 0;
            for (TopicPartition tp : owned) {
                left += Math.max(0L, end.get(tp) - consumer.position(tp));
            }
            return left;
        } catch (KafkaException e) {
            throw new StreamsException("cannot read the scorer's backlog: transactionalId=" + stage.transactionalId()
                    + ", source=" + stage.sourceTopic() + ", cause=" + e.getMessage(), e);
        }
    }

    /** Wakes a blocked poll from another thread (used to stop promptly). */
    @Override
    public void wakeup() {
        consumer.wakeup();
    }

    /** Closes the consumer (leaving the group) and the producer; a second call does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException first = null;
        try {
            KafkaClients.leaveGroup(consumer, Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            first = e;
        }
        try {
            producer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            if (first == null) {
                first = e;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
