package io.tributary.streams.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Builds the Kafka clients every role uses, with the settings that make the delivery guarantees hold:
 * idempotent producers with acks=all, transactional producers for scorers, read_committed consumers for
 * everything downstream of a transaction, and bounded timeouts so a lost broker fails loudly.
 */
public final class KafkaClients {
    private final KafkaSettings settings;

    /** Clients for the cluster in {@code settings} (bootstrap servers must be set). */
    public KafkaClients(KafkaSettings settings) {
        if (settings.bootstrapServers().isEmpty()) {
            throw new IllegalArgumentException("KafkaClients needs bootstrap servers; start the embedded broker first");
        }
        this.settings = settings;
    }

    /** The settings in use. */
    public KafkaSettings settings() {
        return settings;
    }

    /** An idempotent producer (acks=all) of raw bytes. */
    public KafkaProducer<byte[], byte[]> producer(String clientId) {
        return new KafkaProducer<>(producerProps(clientId), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A transactional producer; the caller must call {@code initTransactions()}. */
    public KafkaProducer<byte[], byte[]> transactionalProducer(String transactionalId) {
        Map<String, Object> p = producerProps(transactionalId);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, settings.transactionTimeoutMs());
        // A transaction that starts right after the previous commit often meets CONCURRENT_TRANSACTIONS
        // (the previous markers are still being written) on AddOffsetsToTxn; with the default 100 ms retry
        // backoff that alone added ~100 ms to a chunk's path. Retry fast, still bounded by delivery/max-block.
        p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 5);
        p.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 1000);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * A consumer of raw bytes with auto-commit off.
     *
     * @param groupId       consumer group, or null for a consumer that only uses {@code assign}
     * @param readCommitted true to skip records of aborted or open transactions
     */
    public KafkaConsumer<byte[], byte[]> consumer(String clientId, String groupId, boolean readCommitted) {
        return consumer(clientId, groupId, readCommitted, Map.of());
    }

    /** As {@link #consumer(String, String, boolean)}, with {@code overrides} applied last (e.g. {@code auto.offset.reset=none}). */
    public KafkaConsumer<byte[], byte[]> consumer(String clientId, String groupId, boolean readCommitted,
                                                  Map<String, Object> overrides) {
        Map<String, Object> p = consumerProps(clientId, groupId, readCommitted);
        p.putAll(overrides);
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private Map<String, Object> consumerProps(String clientId, String groupId, boolean readCommitted) {
        Map<String, Object> p = common(clientId);
        if (groupId != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
            p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, settings.sessionTimeoutMs());
        }
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, settings.maxMessageBytes());
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Math.max(52428800, settings.maxMessageBytes()));
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, settings.maxBlockMs());
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        return p;
    }

    /**
     * A read_committed consumer that is a static member of {@code groupId} ({@code group.instance.id} =
     * {@code instanceId}), for loops that subscribe to a group. A process killed with -9 never leaves its
     * group; with dynamic membership its successor waited for the dead member's session to time out
     * (45 s) before it got any partition. A successor with the same instance id takes the dead member's
     * place at once. The instance id must therefore be stable across restarts and resumes, and unique in
     * the group (a scorer's transactional id is both). Close such a consumer with {@link #leaveGroup} so
     * that a scorer that goes away for good hands its partitions over at once.
     */
    public KafkaConsumer<byte[], byte[]> staticMember(String clientId, String groupId, String instanceId) {
        return staticMember(clientId, groupId, instanceId, 500);
    }

    /** As {@link #staticMember(String, String, String)}, returning at most {@code maxPollRecords} records per poll. */
    public KafkaConsumer<byte[], byte[]> staticMember(String clientId, String groupId, String instanceId,
                                                      int maxPollRecords) {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(instanceId, "instanceId");
        Map<String, Object> p = consumerProps(clientId, groupId, true);
        p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Closes a group consumer and leaves its group even when it is a static member (a static member's
     * plain close keeps its partitions until its session times out).
     */
    public static void leaveGroup(KafkaConsumer<?, ?> consumer, Duration timeout) {
        consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(timeout));
    }

    /** An admin client. */
    public Admin admin() {
        return Admin.create(common("tributary-admin"));
    }

    /**
     * Creates the run's topics if they do not exist yet. Rollouts and scored get {@code partitions};
     * the others one partition each (their order matters). Every topic accepts records up to
     * {@code max-message-bytes} (what our producers may send). The system-of-record topics (rollouts,
     * scored, policy, ledger, dead letters) keep their data until the run is deleted
     * ({@code retention.ms=-1}, {@code retention.bytes=-1}) unless {@code retention-ms} says otherwise:
     * resume, re-scoring and the accounts read them from the beginning.
     */
    public void ensureTopics(Topics topics) {
        List<NewTopic> wanted = new ArrayList<>();
        short rf = (short) settings.replicationFactor();
        Map<String, String> big = Map.of("max.message.bytes", String.valueOf(settings.maxMessageBytes()));
        Map<String, String> record = recordTopicConfigs();
        wanted.add(new NewTopic(topics.rollouts(), settings.partitions(), rf).configs(record));
        wanted.add(new NewTopic(topics.scored(), settings.partitions(), rf).configs(record));
        Map<String, String> policy = new HashMap<>(record);
        policy.put("segment.bytes", String.valueOf(Math.max(1 << 24, settings.maxMessageBytes() * 2)));
        wanted.add(new NewTopic(topics.policy(), 1, rf).configs(policy));
        wanted.add(new NewTopic(topics.metrics(), 1, rf).configs(big));
        wanted.add(new NewTopic(topics.dlq(), 1, rf).configs(record));
        wanted.add(new NewTopic(topics.ledger(), 1, rf).configs(record));
        createMissing(wanted, "run " + topics.runId());
    }

    /** Topic configs of a system-of-record topic: records up to max-message-bytes, kept per retention-ms. */
    private Map<String, String> recordTopicConfigs() {
        Map<String, String> record = new HashMap<>();
        record.put("max.message.bytes", String.valueOf(settings.maxMessageBytes()));
        record.put("retention.ms", String.valueOf(settings.retentionMs()));
        record.put("retention.bytes", "-1");
        return record;
    }

    /**
     * Creates {@code topic} laid out like a run's scored topic ({@code partitions}, record size, retention),
     * for a further scoring stage of the run; returns false when it exists already.
     */
    public boolean createScoredTopic(String topic) {
        if (topicExists(topic)) {
            return false;
        }
        boolean created = !createMissing(List.of(new NewTopic(topic, settings.partitions(), (short) settings.replicationFactor())
                .configs(recordTopicConfigs())), "topic " + topic).isEmpty();
        // The controller has it once createTopics returns; the broker's metadata may lag behind (seen under load),
        // and the caller's next step (a scorer producing into it, a listing) needs the broker to know it.
        long deadline = System.currentTimeMillis() + settings.maxBlockMs();
        while (!topicExists(topic)) {
            if (System.currentTimeMillis() > deadline) {
                throw new KafkaStartException("created topic not visible within " + settings.maxBlockMs() + " ms: topic=" + topic);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaStartException("interrupted while waiting for topic " + topic, e);
            }
        }
        return created;
    }

    /** True when {@code topic} exists on the cluster. */
    public boolean topicExists(String topic) {
        try (Admin admin = admin()) {
            return admin.listTopics().names().get(settings.maxBlockMs(), TimeUnit.MILLISECONDS).contains(topic);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaStartException("interrupted while listing topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaStartException("cannot list topics: bootstrap=" + settings.bootstrapServers() + ", cause="
                    + (e.getCause() != null ? e.getCause() : e), e);
        }
    }

    /** Creates those of {@code wanted} that do not exist; returns the names this call created. */
    private List<String> createMissing(List<NewTopic> wanted, String what) {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(settings.maxBlockMs(), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
            if (missing.isEmpty()) {
                return List.of();
            }
            try {
                admin.createTopics(missing).all().get(settings.maxBlockMs(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                // Another process created one of them between the listing and the creation.
                return List.of();
            }
            return missing.stream().map(NewTopic::name).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaStartException("interrupted while creating topics for " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaStartException("cannot create topics: " + what + ", bootstrap="
                    + settings.bootstrapServers() + ", cause=" + (e.getCause() != null ? e.getCause() : e), e);
        }
    }

    private Map<String, Object> producerProps(String clientId) {
        Map<String, Object> p = common(clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, settings.lingerMs());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, settings.maxMessageBytes());
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Math.max(33554432L, 2L * settings.maxMessageBytes()));
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 262144);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, settings.deliveryTimeoutMs());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.maxBlockMs());
        return p;
    }

    private Map<String, Object> common(String clientId) {
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", settings.bootstrapServers());
        p.put("client.id", clientId);
        p.put("request.timeout.ms", settings.requestTimeoutMs());
        p.put("reconnect.backoff.max.ms", 2000);
        return p;
    }
}
