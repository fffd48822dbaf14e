package io.tributary.streams.kafka;

import io.tributary.learner.PolicySnapshot;
import io.tributary.rewards.RewardModel;
import io.tributary.rewards.ScoredChunk;
import io.tributary.simulator.rollout.TrajectoryChunk;
import io.tributary.streams.codec.MalformedRecordException;
import io.tributary.streams.codec.MetricEvent;
import io.tributary.streams.codec.MetricEventCodec;
import io.tributary.streams.codec.PolicySnapshotCodec;
import io.tributary.streams.codec.ScoredChunkCodec;
import io.tributary.streams.codec.TrajectoryChunkCodec;
import io.tributary.streams.port.DeadLetterSource;
import io.tributary.streams.port.MetricsSink;
import io.tributary.streams.port.MetricsSource;
import io.tributary.streams.port.PolicySink;
import io.tributary.streams.port.PolicySource;
import io.tributary.streams.port.RolloutSink;
import io.tributary.streams.port.RunLedger;
import io.tributary.streams.port.RunStreams;
import io.tributary.streams.port.ScoredSource;
import io.tributary.streams.port.Scorer;
import io.tributary.streams.port.ScoringStage;
import io.tributary.streams.port.StreamsException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * A run's streams on Kafka: one idempotent producer (acks=all) shared by the rollout, policy, metrics and
 * ledger sinks and by the readers' dead-letter hand-over; readers and scorers get clients of their own.
 */
public final class KafkaRunStreams implements RunStreams {
    private final KafkaClients clients;
    private final Topics topics;
    private final KafkaProducer<byte[], byte[]> producer;
    private final RolloutSink rollouts = new RolloutSink() {
        @Override
        public void send(TrajectoryChunk chunk, Consumer<Throwable> onFailure) {
            sendChunk(chunk, onFailure);
        }

        @Override
        public void flush() {
            producer.flush();
        }
    };
    private final MetricsSink metrics = this::sendMetric;
    private final PolicySink policySink = this::publishPolicy;
    /** The run's ledger writer (transactional id {@link Ledger#writerId}), opened by the first claim or append. */
    private KafkaProducer<byte[], byte[]> ledgerProducer;
    private final RunLedger ledger = new RunLedger() {
        @Override
        public void claim() {
            ledgerWriter();
        }

        @Override
        public void append(Ledger.Entry entry) {
            Ledger.appendTransactional(ledgerWriter(), topics, entry, clients.settings().maxMessageBytes());
        }

        @Override
        public Collection<Long> checkpoints() {
            try {
                return Ledger.checkpoints(clients, topics);
            } catch (KafkaException e) {
                throw new StreamsException("cannot read the ledger topic " + topics.ledger() + ": " + e, e);
            }
        }
    };

    /** Opens the run's shared producer (client id {@code clientId}); the topics must exist. */
    public KafkaRunStreams(KafkaClients clients, Topics topics, String clientId) {
        this.clients = clients;
        this.topics = topics;
        this.producer = clients.producer(clientId);
    }

    /** The client factory (for tools and tests that read the topics directly). */
    public KafkaClients clients() {
        return clients;
    }

    @Override
    public Topics topics() {
        return topics;
    }

    @Override
    public String endpoint() {
        return clients.settings().bootstrapServers();
    }

    @Override
    public long deliveryTimeoutMs() {
        return clients.settings().deliveryTimeoutMs();
    }

    @Override
    public RolloutSink rollouts() {
        return rollouts;
    }

    @Override
    public ScoredSource scored(Map<Integer, Long> startOffsets) {
        return new ScoredReader(clients, topics, startOffsets, producer);
    }

    @Override
    public long readScored(String topic, Consumer<ScoredChunk> each) {
        long[] malformed = {0};
        try {
            Ledger.TopicReader.readAll(clients, topic, true, r -> {
                ScoredChunk s;
                try {
                    s = ScoredChunkCodec.decode(r.value(), r.topic(), r.partition(), r.offset());
                } catch (MalformedRecordException e) {
                    // A reader's tally, not a pipeline stage: the scorer that wrote it dead-lettered nothing, so count it.
                    malformed[0]++;
                    return;
                }
                each.accept(s);
            });
        } catch (KafkaException e) {
            throw new StreamsException("cannot read the scored topic " + topic + ": " + e, e);
        }
        return malformed[0];
    }

    @Override
    public boolean topicExists(String topic) {
        return clients.topicExists(topic);
    }

    @Override
    public boolean createScoredTopic(String topic) {
        return clients.createScoredTopic(topic);
    }

    @Override
    public PolicySource policies(boolean fromLatest) {
        return new PolicyFeed(clients, topics, producer, fromLatest);
    }

    @Override
    public long maxPublishedPolicyVersion() {
        long[] max = {-1};
        try {
            Ledger.TopicReader.readAll(clients, topics.policy(), false, r -> {
                if (r.key() != null) {
                    String k = new String(r.key(), StandardCharsets.UTF_8);
                    try {
                        max[0] = Math.max(max[0], Long.parseLong(k));
                    } catch (NumberFormatException e) {
                        throw new StreamsException("policy record key is not a version: topic=" + topics.policy()
                                + ", offset=" + r.offset() + ", key=" + k, e);
                    }
                }
            });
        } catch (KafkaException e) {
            throw new StreamsException("cannot read the policy topic " + topics.policy() + ": " + e, e);
        }
        return max[0];
    }

    /** Every record of the policy topic in publication (offset) order, with its version and timestamp. */
    public List<PolicyPublication> policyPublications() {
        List<PolicyPublication> out = new ArrayList<>();
        try {
            Ledger.TopicReader.readAll(clients, topics.policy(), false, r -> {
                String k = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
                try {
                    out.add(new PolicyPublication(r.offset(), Long.parseLong(k), r.timestamp()));
                } catch (NumberFormatException e) {
                    throw new StreamsException("policy record key is not a version: topic=" + topics.policy()
                            + ", offset=" + r.offset() + ", key=" + k, e);
                }
            });
        } catch (KafkaException e) {
            throw new StreamsException("cannot read the policy topic " + topics.policy() + ": " + e, e);
        }
        return out;
    }

    @Override
    public PolicySink policySink() {
        return policySink;
    }

    @Override
    public MetricsSink metrics() {
        return metrics;
    }

    @Override
    public MetricsSource metricsSource() {
        return new MetricsReader(clients, topics, producer);
    }

    @Override
    public DeadLetterSource deadLetterSource() {
        return new DeadLetterReader(clients, topics);
    }

    @Override
    public RunLedger ledger() {
        return ledger;
    }

    @Override
    public Scorer scorer(ScoringStage stage, RewardModel model, int maxRecordsPerPoll) {
        return new ScoringLoop(clients, stage, model, maxRecordsPerPoll);
    }

    @Override
    public Accounts accounts() {
        return Accounts.compute(clients, topics);
    }

    @Override
    public Accounts accounts(java.nio.file.Path checkpointDir) {
        return Accounts.compute(clients, topics, checkpointDir);
    }

    private void sendChunk(TrajectoryChunk chunk, Consumer<Throwable> onFailure) {
        String key = chunk.id().key();
        send(new ProducerRecord<>(topics.rollouts(), key.getBytes(StandardCharsets.UTF_8), TrajectoryChunkCodec.encode(chunk)),
                "chunk " + key, onFailure);
    }

    private void sendMetric(MetricEvent event, Consumer<Throwable> onFailure) {
        send(new ProducerRecord<>(topics.metrics(), MetricEventCodec.encode(event)), "metric " + event.name(), onFailure);
    }

    private void send(ProducerRecord<byte[], byte[]> record, String what, Consumer<Throwable> onFailure) {
        try {
            producer.send(record, (md, ex) -> {
                if (ex != null) {
                    onFailure.accept(new StreamsException("delivery to " + record.topic() + " failed: " + what
                            + ", cause=" + ex, ex));
                }
            });
        } catch (KafkaException e) {
            // Thrown before the record was queued (closed producer, metadata wait over max-block-ms).
            onFailure.accept(new StreamsException("send to " + record.topic() + " failed: " + what + ", cause=" + e, e));
        }
    }

    private void publishPolicy(PolicySnapshot s) {
        byte[] key = Long.toString(s.version()).getBytes(StandardCharsets.UTF_8);
        String what = "publication of policy version " + s.version();
        try {
            FutureSupport.getOrThrow(producer.send(new ProducerRecord<>(topics.policy(), 0, key, PolicySnapshotCodec.encode(s))),
                    what, clients.settings().deliveryTimeoutMs() + 5_000L);
        } catch (KafkaException e) {
            throw new StreamsException(what + " failed: " + e, e);
        }
    }

    private synchronized KafkaProducer<byte[], byte[]> ledgerWriter() {
        if (ledgerProducer == null) {
            KafkaProducer<byte[], byte[]> p = clients.transactionalProducer(Ledger.writerId(topics));
            try {
                // Fences every earlier producer with this transactional id: an older learner of this run.
                p.initTransactions();
            } catch (KafkaException e) {
                p.close(Duration.ZERO);
                throw new StreamsException("cannot become the ledger writer of run " + topics.runId() + ": " + e, e);
            }
            ledgerProducer = p;
        }
        return ledgerProducer;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (ledgerProducer != null) {
                ledgerProducer.close(Duration.ofSeconds(30));
            }
        }
        producer.close(Duration.ofSeconds(30));
    }
}
