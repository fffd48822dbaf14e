package io.tributary.streams.kafka;

/** The Kafka broker (embedded or external) could not be started or reached; the message names the cause. */
public final class KafkaStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With a message that names what failed and a cause. */
    public KafkaStartException(String message, Throwable cause) {
        super(message, cause);
    }

    /** With a message that names what failed. */
    public KafkaStartException(String message) {
        super(message);
    }
}
