package io.tributary.rewards.writing.http;

/**
 * A judgement that failed in transport: every attempt timed out, failed to connect or got a retryable
 * status (5xx, 429), or the server answered with a status that retrying cannot fix (other 4xx). Counts
 * as a failure for the circuit breaker.
 */
public final class JudgeCallException extends JudgeException {
    private static final long serialVersionUID = 1L;

    private final int attempts;
    private final int lastStatus;

    /**
     * @param message    what failed, with the endpoint
     * @param attempts   attempts made
     * @param lastStatus HTTP status of the last attempt, or -1 when it got no response (timeout, connect)
     * @param cause      the last attempt's I/O exception, or null when it got a status
     */
    public JudgeCallException(String message, int attempts, int lastStatus, Throwable cause) {
        super(message + ": attempts=" + attempts + ", lastStatus=" + lastStatus, cause);
        this.attempts = attempts;
        this.lastStatus = lastStatus;
    }

    /** Attempts made before giving up. */
    public int attempts() {
        return attempts;
    }

    /** HTTP status of the last attempt, -1 when it got no response. */
    public int lastStatus() {
        return lastStatus;
    }
}
