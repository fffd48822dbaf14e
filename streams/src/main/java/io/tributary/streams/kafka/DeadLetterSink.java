package io.tributary.streams.kafka;

import io.tributary.streams.port.StreamsException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Sends records a non-transactional reader rejects to the dead-letter topic without blocking its poll
 * loop, and makes a failed send fail that loop on its next poll ({@link #throwIfFailed}), so a rejected
 * record is never dropped silently.
 */
final class DeadLetterSink {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String dlqTopic;
    private final String stage;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    DeadLetterSink(KafkaProducer<byte[], byte[]> producer, Topics topics, String stage) {
        this.producer = producer;
        this.dlqTopic = topics.dlq();
        this.stage = stage;
    }

    /** Dead-letters {@code r} with {@code reason}. */
    void send(ConsumerRecord<byte[], byte[]> r, String reason) {
        producer.send(DeadLetters.record(dlqTopic, stage, r.topic(), r.partition(), r.offset(), r.key(), r.value(), reason),
                (md, ex) -> {
                    if (ex != null) {
                        failure.compareAndSet(null, new StreamsException("dead-letter send failed: stage=" + stage
                                + ", source=" + r.topic() + "/" + r.partition() + "@" + r.offset() + ", cause=" + ex, ex));
                    }
                });
    }

    /** Throws the first failed send, if any. */
    void throwIfFailed() {
        Exception e = failure.get();
        if (e != null) {
            throw (StreamsException) e;
        }
    }
}
