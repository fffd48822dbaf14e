package io.tributary.rewards.writing.http;

import java.time.Duration;

/** The circuit breaker is open: no request was sent, so a dead judge server costs nothing per judgement. */
public final class JudgeCircuitOpenException extends JudgeException {
    private static final long serialVersionUID = 1L;

    private final Duration retryIn;

    /**
     * @param consecutiveFailures failures that opened the breaker
     * @param retryIn             time until the breaker lets a probe through
     */
    public JudgeCircuitOpenException(int consecutiveFailures, Duration retryIn) {
        super("judge circuit breaker is open: consecutiveFailures=" + consecutiveFailures + ", probeIn="
                + retryIn.toMillis() + "ms", null);
        this.retryIn = retryIn;
    }

    /** Time until a half-open probe is allowed (zero when a probe is already in flight). */
    public Duration retryIn() {
        return retryIn;
    }
}
