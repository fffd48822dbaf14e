package io.tributary.config;

/**
 * A configuration value that breaks a rule. The message names the path, the value and the rule, and
 * start-up stops with it (non-zero exit code).
 */
public final class SettingsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A bad value at {@code path}. */
    public SettingsException(String path, Object value, String rule) {
        super("bad config: path=" + path + ", value=" + value + ", rule=" + rule);
    }

    /** A problem described in full by {@code message}. */
    public SettingsException(String message) {
        super(message);
    }
}
