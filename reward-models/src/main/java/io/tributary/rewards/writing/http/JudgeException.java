package io.tributary.rewards.writing.http;

/**
 * Why the HTTP judge gave no verdict. Subclasses say whether the server answered badly
 * ({@link JudgeReplyException}), could not be reached or refused ({@link JudgeCallException}), or was not
 * asked because the circuit breaker is open ({@link JudgeCircuitOpenException}); callers count and report
 * them, never turn them into a score.
 */
public abstract sealed class JudgeException extends RuntimeException
        permits JudgeReplyException, JudgeCallException, JudgeCircuitOpenException {
    private static final long serialVersionUID = 1L;

    JudgeException(String message, Throwable cause) {
        super(message, cause);
    }
}
