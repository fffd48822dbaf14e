package io.tributary.rewards.writing.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.rewards.writing.JudgeVerdict;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The strict reading of a judge's reply: two scores in [0, 10] on the last line, or an error with the raw text. */
class JudgeReplyFormatTest {

    private static String reason(String text) {
        JudgeReplyException e = assertThrows(JudgeReplyException.class, () -> JudgeReplyFormat.parse(text));
        assertEquals(text, e.rawText());
        return e.reason();
    }

    @Test
    void aWellFormedReplyGivesPrinciplesCritiqueAndScores() {
        JudgeVerdict v = JudgeReplyFormat.parse("""
                PRINCIPLES:
                - Uses "harbour" and "rain".
                * Reads fluently.
                2) Fits 20 to 40 words.
                CRITIQUE: A uses both keywords;
                B repeats itself. Keyword coverage decides.
                SCORES: 7.5 3
                """);
        assertEquals(List.of("Uses \"harbour\" and \"rain\".", "Reads fluently.", "Fits 20 to 40 words."), v.principles());
        assertEquals("A uses both keywords;\nB repeats itself. Keyword coverage decides.", v.critique());
        assertEquals(7.5, v.scoreA());
        assertEquals(3.0, v.scoreB());
        assertEquals(1, v.winner());
    }

    @Test
    void boundsAndTiesAreAccepted() {
        JudgeVerdict v = JudgeReplyFormat.parse("CRITIQUE: equal.\r\n  SCORES:   0   10.0  \n\n");
        assertEquals(0.0, v.scoreA());
        assertEquals(10.0, v.scoreB());
        assertEquals(0, JudgeReplyFormat.parse("SCORES: 5 5").winner());
    }

    @Test
    void withoutHeadersTheCritiqueIsTheTextBeforeTheScores() {
        JudgeVerdict v = JudgeReplyFormat.parse("B rambles.\nSCORES: 6 2");
        assertEquals(List.of(), v.principles());
        assertEquals("B rambles.", v.critique());
    }

    @Test
    void anythingButTwoPlainScoresInRangeOnTheLastLineIsAnError() {
        assertTrue(reason("").contains("empty completion"));
        assertTrue(reason("CRITIQUE: A wins.").contains("last line is not"));
        assertTrue(reason("SCORES: 7 3\nHope this helps!").contains("last line is not"));
        assertTrue(reason("**SCORES:** 7 3").contains("last line is not"));
        assertEquals("scores line must hold exactly two scores: found=1", reason("SCORES: 7"));
        assertEquals("scores line must hold exactly two scores: found=0", reason("SCORES:"));
        assertEquals("scores line must hold exactly two scores: found=3", reason("SCORES: 7 3 5"));
        assertEquals("score out of [0, 10]: scoreA=11", reason("SCORES: 11 3"));
        assertEquals("score out of [0, 10]: scoreB=-1", reason("SCORES: 4 -1"));
        assertEquals("score out of [0, 10]: scoreB=10.01", reason("SCORES: 4 10.01"));
        assertEquals("score is not a plain number: scoreA=7/10", reason("SCORES: 7/10 3/10"));
        assertEquals("score is not a plain number: scoreB=NaN", reason("SCORES: 4 NaN"));
        assertEquals("score is not a plain number: scoreA=seven", reason("SCORES: seven three"));
        assertEquals("score is not a plain number: scoreA=7,5", reason("SCORES: 7,5 3"));
    }

    @Test
    void theRawTextIsQuotedInTheMessageButKeptWhole() {
        String longReply = "x".repeat(1000);
        JudgeReplyException e = assertThrows(JudgeReplyException.class, () -> JudgeReplyFormat.parse(longReply));
        assertEquals(longReply, e.rawText());
        assertTrue(e.getMessage().contains("(1000 chars)"), e.getMessage());
        assertTrue(e.getMessage().length() < 600, e.getMessage());
    }
}
