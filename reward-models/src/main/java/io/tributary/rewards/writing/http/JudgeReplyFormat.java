package io.tributary.rewards.writing.http;

import io.tributary.rewards.writing.JudgeVerdict;
import io.tributary.simulator.writing.WritingPrompt;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The conversation the HTTP judge holds with a chat model: the system prompt that asks for query-specific
 * principles, a critique and two scores, the user message that shows the prompt and both responses, and
 * the strict parser of the reply.
 *
 * <p>Reply format (documented in docs/writing-judge-http.md):
 * <pre>
 * PRINCIPLES:
 * - &lt;principle&gt;
 * CRITIQUE: &lt;critique&gt;
 * SCORES: &lt;score of A&gt; &lt;score of B&gt;
 * </pre>
 * Only the last line is strict: the last non-blank line must be {@code SCORES:} followed by exactly two
 * plain decimal numbers in [0, 10]. Principles are the bullet lines under {@code PRINCIPLES:} (none when
 * the header is missing); the critique is the text from {@code CRITIQUE:} up to the scores line (all text
 * before the scores line when the header is missing).
 */
public final class JudgeReplyFormat {
    /** Prefix of the final, machine-readable line. */
    public static final String SCORES_PREFIX = "SCORES:";

    /** The system message of every request. */
    public static final String SYSTEM_PROMPT = """
            You are a strict judge of short pieces of writing. You compare two responses, A and B, written \
            for the same writing prompt.
            First write 3 to 6 principles specific to this prompt that a good response must satisfy (for \
            example: uses the required keywords, reads fluently, does not repeat itself, fits the target \
            length, does not append a redundant explanation of itself at the end).
            Then write a short critique of both responses against those principles, naming the principle \
            that decides between them.
            Then score each response from 0 to 10. Judge the writing, not the order in which it is shown.
            Answer in exactly this format, with nothing after the last line:
            PRINCIPLES:
            - <principle>
            - <principle>
            CRITIQUE: <critique>
            SCORES: <score of A> <score of B>
            Each score is a plain number in [0, 10] such as 7 or 6.5.""";

    private static final Pattern NUMBER = Pattern.compile("[+-]?\\d+(\\.\\d+)?");
    private static final Pattern BULLET = Pattern.compile("^(?:[-*\u2022]|\\d+[.)])\\s*(.*)$");

    private JudgeReplyFormat() {
    }

    /** The user message: the prompt's topic, keywords and target length, then both responses, A first. */
    public static String userMessage(WritingPrompt prompt, String a, String b) {
        return "Writing prompt: write about " + prompt.topic() + ".\n"
                + "Required keywords: " + (prompt.keywords().isEmpty() ? "(none)" : String.join(", ", prompt.keywords())) + "\n"
                + "Target length: " + prompt.minLength() + " to " + prompt.maxLength() + " words.\n\n"
                + "Response A:\n<<<\n" + a + "\n>>>\n\n"
                + "Response B:\n<<<\n" + b + "\n>>>\n";
    }

    /**
     * Reads a verdict from the completion text.
     *
     * @throws JudgeReplyException carrying {@code text} when the last non-blank line is not
     *                             {@code SCORES: <a> <b>} with two numbers in [0, 10]
     */
    public static JudgeVerdict parse(String text) {
        if (text == null || text.isBlank()) {
            throw new JudgeReplyException("empty completion", text);
        }
        String[] lines = text.strip().split("\\R");
        String last = lines[lines.length - 1].strip();
        if (!last.startsWith(SCORES_PREFIX)) {
            throw new JudgeReplyException("last line is not a '" + SCORES_PREFIX + " <a> <b>' line", text);
        }
        String[] tokens = last.substring(SCORES_PREFIX.length()).strip().split("\\s+");
        if (tokens.length != 2 || tokens[0].isEmpty()) {
            throw new JudgeReplyException("scores line must hold exactly two scores: found="
                    + (tokens[0].isEmpty() ? 0 : tokens.length), text);
        }
        double[] scores = new double[2];
        for (int i = 0; i < 2; i++) {
            if (!NUMBER.matcher(tokens[i]).matches()) {
                throw new JudgeReplyException("score is not a plain number: score" + (i == 0 ? "A" : "B") + "=" + tokens[i], text);
            }
            scores[i] = Double.parseDouble(tokens[i]);
            if (!(scores[i] >= 0 && scores[i] <= 10)) {
                throw new JudgeReplyException("score out of [0, 10]: score" + (i == 0 ? "A" : "B") + "=" + tokens[i], text);
            }
        }
        List<String> principles = new ArrayList<>();
        StringBuilder critique = new StringBuilder();
        boolean hasCritiqueHeader = false;
        for (int i = 0; i < lines.length - 1; i++) {
            if (lines[i].strip().startsWith("CRITIQUE:")) {
                hasCritiqueHeader = true;
                break;
            }
        }
        // 0 = before any header, 1 = in principles, 2 = in critique
        int section = 0;
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i].strip();
            if (line.startsWith("PRINCIPLES:")) {
                section = 1;
                line = line.substring("PRINCIPLES:".length()).strip();
            } else if (line.startsWith("CRITIQUE:")) {
                section = 2;
                line = line.substring("CRITIQUE:".length()).strip();
            }
            if (section == 1) {
                var m = BULLET.matcher(line);
                if (m.matches() && !m.group(1).isBlank()) {
                    principles.add(m.group(1).strip());
                }
            }
            if ((section == 2 || !hasCritiqueHeader) && !line.isEmpty()) {
                if (critique.length() > 0) {
                    critique.append('\n');
                }
                critique.append(line);
            }
        }
        return new JudgeVerdict(principles, critique.toString(), scores[0], scores[1]);
    }
}
