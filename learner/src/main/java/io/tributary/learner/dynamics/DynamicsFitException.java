package io.tributary.learner.dynamics;

/**
 * A dynamics fit that cannot go on (a non-finite training loss or validation error); no model is written.
 */
public final class DynamicsFitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message} (key=value facts: epoch, batch, the value). */
    public DynamicsFitException(String message) {
        super(message);
    }
}
