package io.tributary.rewards.writing.http;

/**
 * The judge server answered, but not with a verdict that can be read: the body is not a chat completion,
 * or the completion's text lacks a final {@code SCORES: <a> <b>} line with two scores in [0, 10]. It
 * carries the raw text so the reply can be inspected; the client never guesses a score from it.
 */
public final class JudgeReplyException extends JudgeException {
    private static final long serialVersionUID = 1L;

    /** Longest raw text quoted in the message (the full text stays in {@link #rawText()}). */
    static final int QUOTED_CHARS = 400;

    private final String rawText;
    private final String reason;

    /**
     * @param reason  what is wrong, in key=value form where values matter
     * @param rawText the HTTP body or the completion text, exactly as received
     */
    public JudgeReplyException(String reason, String rawText) {
        super("malformed judge reply: " + reason + ", raw=" + quote(rawText), null);
        this.reason = reason;
        this.rawText = rawText;
    }

    /** The HTTP body (for protocol errors) or the completion text (for a missing or bad scores line), as received. */
    public String rawText() {
        return rawText;
    }

    /** What is wrong, without the raw text. */
    public String reason() {
        return reason;
    }

    private static String quote(String raw) {
        if (raw == null) {
            return "null";
        }
        String q = raw.length() <= QUOTED_CHARS ? raw : raw.substring(0, QUOTED_CHARS) + "...(" + raw.length() + " chars)";
        return '"' + q.replace("\n", "\\n") + '"';
    }
}
