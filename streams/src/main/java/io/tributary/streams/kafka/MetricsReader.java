package io.tributary.streams.kafka;

import io.tributary.streams.codec.MalformedRecordException;
import io.tributary.streams.codec.MetricEvent;
import io.tributary.streams.codec.MetricEventCodec;
import io.tributary.streams.port.MetricsSource;
import io.tributary.streams.port.StreamsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads a run's metrics topic from its beginning and follows it (no consumer group: each reader sees
 * every event). Records that do not decode are handed to the dead-letter topic and skipped.
 */
public final class MetricsReader implements MetricsSource {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final DeadLetterSink deadLetters;
    private final Duration pollTimeout;

    /** A reader of {@code topics}' metrics topic; {@code dlqProducer} carries undecodable records to the dead-letter topic. */
    public MetricsReader(KafkaClients clients, Topics topics, KafkaProducer<byte[], byte[]> dlqProducer) {
        this.deadLetters = new DeadLetterSink(dlqProducer, topics, "metrics-decode");
        this.pollTimeout = Duration.ofMillis(clients.settings().pollTimeoutMs());
        this.consumer = clients.consumer("tributary-" + topics.runId() + "-metrics-reader", null, false);
        TopicPartition tp = new TopicPartition(topics.metrics(), 0);
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
    }

    @Override
    public List<MetricEvent> poll() {
        deadLetters.throwIfFailed();
        List<MetricEvent> out = new ArrayList<>();
        Iterable<ConsumerRecord<byte[], byte[]>> records;
        try {
            records = consumer.poll(pollTimeout);
        } catch (WakeupException e) {
            return out;
        } catch (KafkaException e) {
            throw new StreamsException("cannot read the metrics topic: cause=" + e.getMessage(), e);
        }
        for (ConsumerRecord<byte[], byte[]> r : records) {
            try {
                out.add(MetricEventCodec.decode(r.value(), r.topic(), r.partition(), r.offset()));
            } catch (MalformedRecordException e) {
                deadLetters.send(r, e.getMessage());
            }
        }
        return out;
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
