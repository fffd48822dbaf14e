package io.tributary.streams.bench;

import io.tributary.rewards.RewardModel;
import io.tributary.simulator.rollout.TrajectoryChunk;
import io.tributary.streams.codec.TrajectoryChunkCodec;
import io.tributary.streams.kafka.EmbeddedKafkaBroker;
import io.tributary.streams.kafka.KafkaClients;
import io.tributary.streams.kafka.KafkaSettings;
import io.tributary.streams.kafka.ScoredReader;
import io.tributary.streams.kafka.ScoringLoop;
import io.tributary.streams.kafka.Topics;
import io.tributary.streams.port.ScoredSource;
import io.tributary.streams.port.Scorer;
import io.tributary.streams.port.ScoringStage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The Kafka side of the end-to-end pipeline benchmark: the broker (embedded unless one is configured),
 * the bench run's topics, and the three ends of the path — senders (the workers' side), transactional
 * scorers, and a reader at the learner's side that reports each arriving record's creation time.
 */
public final class BenchPipeline implements AutoCloseable {
    /** One producer thread's sender of records to the rollouts topic. */
    public interface Sender extends AutoCloseable {
        /** Sends an opaque record (the raw baseline). */
        void sendRaw(byte[] key, byte[] value);

        /** Encodes and sends {@code chunk}, keyed by its id. */
        void send(TrajectoryChunk chunk);

        /** Blocks until everything sent is delivered or failed. */
        void flush();

        @Override
        void close();
    }

    /** Creation times (epoch micros) of the records that arrived at the reading end. */
    public interface CreatedTimes extends AutoCloseable {
        /** Polls once; one creation time per record that arrived. */
        List<Long> poll();

        @Override
        void close();
    }

    private final EmbeddedKafkaBroker broker;
    private final KafkaClients clients;
    private final Topics topics;

    private BenchPipeline(EmbeddedKafkaBroker broker, KafkaClients clients, Topics topics) {
        this.broker = broker;
        this.clients = clients;
        this.topics = topics;
    }

    /** Starts the embedded broker under {@code runDir/kafka} when {@code ks} names no cluster, and creates the run's topics. */
    public static BenchPipeline open(KafkaSettings ks, Path runDir, String runId) {
        EmbeddedKafkaBroker broker = null;
        try {
            if (ks.embedded()) {
                broker = EmbeddedKafkaBroker.start(runDir.resolve("kafka"), ks.embeddedPort(), ks.maxMessageBytes());
                ks = ks.withBootstrapServers(broker.bootstrapServers());
            }
            KafkaClients clients = new KafkaClients(ks);
            Topics topics = new Topics(runId);
            clients.ensureTopics(topics);
            return new BenchPipeline(broker, clients, topics);
        } catch (RuntimeException e) {
            if (broker != null) {
                broker.close();
            }
            throw e;
        }
    }

    /** A sender with its own idempotent producer. */
    public Sender sender(String clientId) {
        KafkaProducer<byte[], byte[]> producer = clients.producer(clientId);
        return new Sender() {
            @Override
            public void sendRaw(byte[] key, byte[] value) {
                producer.send(new ProducerRecord<>(topics.rollouts(), key, value));
            }

            @Override
            public void send(TrajectoryChunk c) {
                producer.send(new ProducerRecord<>(topics.rollouts(), c.id().key().getBytes(StandardCharsets.UTF_8),
                        TrajectoryChunkCodec.encode(c)));
            }

            @Override
            public void flush() {
                producer.flush();
            }

            @Override
            public void close() {
                producer.close();
            }
        };
    }

    /** Scorer {@code index} of the bench run's primary stage. */
    public Scorer scorer(RewardModel model, int index) {
        return new ScoringLoop(clients, ScoringStage.primary(topics, index), model);
    }

    /** The reading end: scored chunks read_committed (the learner's side), or for {@code raw} the rollouts topic itself. */
    public CreatedTimes reader(boolean raw) {
        return raw ? new RawReader(clients, topics) : new ScoredTimes(clients, topics);
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
        }
    }

    /** The learner's side: scored chunks, read_committed. */
    private static final class ScoredTimes implements CreatedTimes {
        private final KafkaProducer<byte[], byte[]> dlq;
        private final ScoredReader reader;

        ScoredTimes(KafkaClients clients, Topics topics) {
            this.dlq = clients.producer("bench-dlq");
            this.reader = new ScoredReader(clients, topics, Map.of(), dlq);
        }

        @Override
        public List<Long> poll() {
            List<Long> out = new ArrayList<>();
            for (ScoredSource.Item it : reader.poll()) {
                if (it.chunk() != null) {
                    out.add(it.chunk().chunk().createdAtMicros());
                }
            }
            return out;
        }

        @Override
        public void close() {
            try {
                reader.close();
            } finally {
                dlq.close();
            }
        }
    }

    /** The baseline's reader: the rollouts topic itself, timestamps in the first 8 bytes. */
    private static final class RawReader implements CreatedTimes {
        private final KafkaConsumer<byte[], byte[]> consumer;

        RawReader(KafkaClients clients, Topics topics) {
            consumer = clients.consumer("bench-raw-reader", null, false);
            List<TopicPartition> tps = consumer.partitionsFor(topics.rollouts()).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
        }

        @Override
        public List<Long> poll() {
            List<Long> out = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                out.add(java.nio.ByteBuffer.wrap(r.value()).getLong());
            }
            return out;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
