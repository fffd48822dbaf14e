package io.tributary.streams.port;

/**
 * A failure of the streams layer (lost broker, aborted transaction, fenced producer, failed delivery)
 * that a role may survive by restarting; the client's own exception is the cause.
 */
public class StreamsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}, caused by {@code cause}. */
    public StreamsException(String message, Throwable cause) {
        super(message, cause);
    }
}
