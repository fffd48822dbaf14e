package io.tributary.streams.port;

import io.tributary.rewards.RewardModel;
import io.tributary.rewards.ScoredChunk;
import io.tributary.streams.kafka.Accounts;
import io.tributary.streams.kafka.Topics;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Everything the roles of one run use to reach its topics, built by {@code streams} (on Kafka:
 * {@link io.tributary.streams.kafka.KafkaRunStreams}). The sinks share one idempotent producer and are
 * thread-safe; each source and scorer is owned by the one thread that polls it.
 */
public interface RunStreams extends AutoCloseable {
    /** The run's topic names. */
    Topics topics();

    /** Where the topics live, for messages (the bootstrap servers). */
    String endpoint();

    /** How long a durable send may take before it fails (the producer's delivery timeout), in ms. */
    long deliveryTimeoutMs();

    /** The shared sink of the rollouts topic. */
    RolloutSink rollouts();

    /** A new reader of the scored topic starting at {@code startOffsets} (partition → next offset; missing = beginning). */
    ScoredSource scored(Map<Integer, Long> startOffsets);

    /**
     * Reads every committed record of the run's scored topic {@code topic} (the run's own, or one written by
     * {@link ScoringStage#rescore}) from its beginning to its current end, handing each decoded chunk to
     * {@code each} in the order they are read; records that do not decode are skipped and counted.
     *
     * @return the number of records skipped because they did not decode
     * @throws StreamsException if the topic cannot be read to its end
     */
    long readScored(String topic, Consumer<ScoredChunk> each);

    /** True when {@code topic} exists where the run's topics live. */
    boolean topicExists(String topic);

    /**
     * Creates {@code topic} laid out as the run's scored topic (its partitions, record size and retention)
     * for a further scoring stage; returns false when it exists already.
     */
    boolean createScoredTopic(String topic);

    /** A new follower of the policy topic; {@code fromLatest} starts at the newest snapshot, else after it. */
    PolicySource policies(boolean fromLatest);

    /**
     * The highest policy version ever published on the run's policy topic (read from the record keys),
     * or -1 when nothing was published; a resumed learner publishes above it so no version repeats.
     */
    long maxPublishedPolicyVersion();

    /** The shared publisher of policy snapshots. */
    PolicySink policySink();

    /** The shared sink of the metrics topic. */
    MetricsSink metrics();

    /** A new reader of the metrics topic from its beginning. */
    MetricsSource metricsSource();

    /** A new follower of the dead-letter topic from its beginning (for monitors and dashboards). */
    DeadLetterSource deadLetterSource();

    /** The run's ledger. */
    RunLedger ledger();

    /** A new scorer of {@code stage} with {@code model}, polling at most {@link #DEFAULT_MAX_RECORDS_PER_POLL} records at a time. */
    default Scorer scorer(ScoringStage stage, RewardModel model) {
        return scorer(stage, model, DEFAULT_MAX_RECORDS_PER_POLL);
    }

    /**
     * A new scorer of {@code stage} with {@code model} that takes at most {@code maxRecordsPerPoll} records per
     * poll, so one transaction scores at most that many: a slow model (a judge comparing responses pairwise,
     * an HTTP judge) keeps each transaction well inside the transaction timeout.
     */
    Scorer scorer(ScoringStage stage, RewardModel model, int maxRecordsPerPoll);

    /** Records per poll of a scorer that names no cap (the Kafka client's own default). */
    int DEFAULT_MAX_RECORDS_PER_POLL = 500;

    /** The run's accounts, computed from its topics. */
    Accounts accounts();

    /**
     * The run's accounts, computed from its topics and checked with the checkpoints still in
     * {@code checkpointDir} (their consumed offsets pin the ledger entries' ranges exactly).
     */
    Accounts accounts(java.nio.file.Path checkpointDir);

    /** Flushes and closes the shared producer. */
    @Override
    void close();
}
