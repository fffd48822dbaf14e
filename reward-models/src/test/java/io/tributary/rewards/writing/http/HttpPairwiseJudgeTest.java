package io.tributary.rewards.writing.http;

import static io.tributary.rewards.writing.http.FakeChatServer.completion;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.config.SettingsException;
import io.tributary.rewards.writing.JudgeVerdict;
import io.tributary.rewards.writing.PairwiseJudge.PairOutcome;
import io.tributary.rewards.writing.http.FakeChatServer.Reply;
import io.tributary.rewards.writing.metrics.SwapConsistency;
import io.tributary.simulator.writing.WritingPrompt;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP judge against a local server that speaks the chat-completions protocol. */
class HttpPairwiseJudgeTest {
    private static final WritingPrompt PROMPT = new WritingPrompt(7, "a rainy harbour town", List.of("harbour", "rain"), 20, 40);
    private static final String GOOD = "the rain falls on the harbour and the boats rock slowly";
    private static final String BAD = "boats boats boats boats";
    private static final String SECRET = "sk-test-5ecret-value";

    private final FakeChatServer server = new FakeChatServer();
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpJudgeSettings settings(URI base, Duration requestTimeout, int attempts, int threshold, String apiKeyEnv) {
        return new HttpJudgeSettings(base, "judge-model", 0.0, 512, apiKeyEnv, Duration.ofSeconds(2), requestTimeout,
                attempts, Duration.ofMillis(1), Duration.ofMillis(5), threshold, Duration.ofSeconds(30));
    }

    private HttpPairwiseJudge judge(int attempts, int threshold) {
        return new HttpPairwiseJudge(settings(server.baseUrl(), Duration.ofSeconds(10), attempts, threshold, ""),
                name -> null, clock::get);
    }

    /** The user message's response shown first. */
    private static String shownFirst(JsonNode request) {
        String user = request.path("messages").get(1).path("content").asText();
        int a = user.indexOf("Response A:\n<<<\n") + "Response A:\n<<<\n".length();
        return user.substring(a, user.indexOf("\n>>>", a));
    }

    private static String reply(double a, double b) {
        return "PRINCIPLES:\n- uses the required keywords\n- does not repeat itself\n"
                + "CRITIQUE: one response repeats a word; the keyword principle decides.\nSCORES: " + a + " " + b;
    }

    /** A judge that prefers GOOD wherever it is shown. */
    private static Function<JsonNode, Reply> fairJudge() {
        return req -> completion(GOOD.equals(shownFirst(req)) ? reply(8, 3) : reply(3, 8));
    }

    @Test
    void goodRepliesInBothOrderingsNameTheSameWinner() {
        server.otherwise(fairJudge());
        HttpPairwiseJudge judge = new HttpPairwiseJudge(settings(server.baseUrl(), Duration.ofSeconds(10), 2, 3, "JUDGE_KEY"),
                Map.of("JUDGE_KEY", SECRET)::get, clock::get);

        PairOutcome o = judge.judgeBothOrderings(PROMPT, GOOD, BAD);

        assertTrue(o.aWinsBoth(), o.toString());
        assertTrue(o.consistent());
        assertEquals(8.0, o.aFirst().scoreA());
        assertEquals(3.0, o.aFirst().scoreB());
        assertEquals(3.0, o.bFirst().scoreA());
        assertEquals(8.0, o.bFirst().scoreB());
        assertEquals(List.of("uses the required keywords", "does not repeat itself"), o.aFirst().principles());
        assertEquals("one response repeats a word; the keyword principle decides.", o.aFirst().critique());
        PairOutcome reversed = judge.judgeBothOrderings(PROMPT, BAD, GOOD);
        assertTrue(reversed.bWinsBoth(), reversed.toString());

        // What went over the wire: the protocol's path, fields and the bearer key.
        assertEquals(4, server.requests());
        assertEquals(List.of("POST /v1/chat/completions"), server.paths().stream().distinct().toList());
        assertEquals(List.of("Bearer " + SECRET), server.authorizations().stream().distinct().toList());
        JsonNode first = server.requestBodies().get(0);
        assertEquals("judge-model", first.path("model").asText());
        assertEquals(0.0, first.path("temperature").asDouble());
        assertEquals(512, first.path("max_tokens").asInt());
        assertEquals("system", first.path("messages").get(0).path("role").asText());
        assertEquals(JudgeReplyFormat.SYSTEM_PROMPT, first.path("messages").get(0).path("content").asText());
        String user = first.path("messages").get(1).path("content").asText();
        assertTrue(user.contains("a rainy harbour town") && user.contains("harbour, rain") && user.contains("20 to 40 words"), user);
        assertEquals(GOOD, shownFirst(first));
        assertEquals(BAD, shownFirst(server.requestBodies().get(1)));
        assertEquals(4, judge.stats().verdicts());
        assertFalse(judge.toString().contains(SECRET));
    }

    @Test
    void aPositionBiasedServerIsInconsistentAndSwapConsistencySaysSo() {
        server.otherwise(req -> completion(reply(7, 4)));
        HttpPairwiseJudge judge = judge(1, 3);
        SwapConsistency swap = new SwapConsistency();
        PairOutcome o = judge.judgeBothOrderings(PROMPT, GOOD, BAD);
        swap.add(o);
        assertFalse(o.aWinsBoth());
        assertFalse(o.bWinsBoth());
        server.otherwise(fairJudge());
        swap.add(judge.judgeBothOrderings(PROMPT, GOOD, BAD));
        assertEquals(0.5, swap.value());
    }

    @Test
    void malformedRepliesAreErrorsCarryingTheRawTextAndAreNotRetried() {
        String noScores = "PRINCIPLES:\n- fluency\nCRITIQUE: A is better.";
        String oneScore = "CRITIQUE: A is better.\nSCORES: 7";
        String outOfRange = "CRITIQUE: A is much better.\nSCORES: 11 3";
        String scoresNotLast = "SCORES: 7 3\nThank you for asking.";
        String nonJson = "<html>502 Bad Gateway</html>";
        String noChoices = "{\"object\":\"chat.completion\",\"choices\":[]}";
        server.then(completion(noScores), completion(oneScore), completion(outOfRange), completion(scoresNotLast),
                Reply.status(200, nonJson), Reply.status(200, noChoices));
        HttpPairwiseJudge judge = judge(3, 100);

        for (String raw : List.of(noScores, oneScore, outOfRange, scoresNotLast, nonJson, noChoices)) {
            JudgeReplyException e = assertThrows(JudgeReplyException.class, () -> judge.judge(PROMPT, GOOD, BAD), raw);
            assertEquals(raw, e.rawText());
            assertTrue(e.getMessage().contains("malformed judge reply"), e.getMessage());
        }
        // One request each: malformed replies are reported, never resampled.
        assertEquals(6, server.requests());
        assertEquals(0, judge.stats().retries());
        assertEquals(6, judge.stats().malformedReplies());
        assertEquals(0, judge.stats().verdicts());
    }

    @Test
    void aCompletionCutAtMaxTokensSaysSo() {
        server.then(Reply.status(200, FakeChatServer.completionBody("PRINCIPLES:\n- fluency\nCRITIQUE: A is", "length")));
        JudgeReplyException e = assertThrows(JudgeReplyException.class, () -> judge(1, 3).judge(PROMPT, GOOD, BAD));
        assertTrue(e.getMessage().contains("finish_reason=length") && e.getMessage().contains("max-tokens"), e.getMessage());
        assertEquals("PRINCIPLES:\n- fluency\nCRITIQUE: A is", e.rawText());
    }

    @Test
    void serverErrorsAndRateLimitsAreRetriedThenTheVerdictComes() {
        server.then(Reply.status(500, "overloaded"),
                new Reply(429, "slow down", Map.of("Retry-After", "0"), false),
                completion(reply(6, 2)));
        HttpPairwiseJudge judge = judge(3, 3);

        JudgeVerdict v = judge.judge(PROMPT, GOOD, BAD);

        assertEquals(6.0, v.scoreA());
        assertEquals(3, server.requests());
        assertEquals(2, judge.stats().retries());
        assertEquals(CircuitBreaker.State.CLOSED, judge.breakerState());
    }

    @Test
    void retriesStopAtMaxAttempts() {
        server.otherwise(req -> Reply.status(503, "down"));
        JudgeCallException e = assertThrows(JudgeCallException.class, () -> judge(3, 100).judge(PROMPT, GOOD, BAD));
        assertEquals(3, e.attempts());
        assertEquals(503, e.lastStatus());
        assertEquals(3, server.requests());
    }

    @Test
    void aClientErrorIsNotRetriedAndTheKeyNeverAppearsInTheError() {
        server.otherwise(req -> Reply.status(401, "{\"error\":\"invalid api key\"}"));
        HttpPairwiseJudge judge = new HttpPairwiseJudge(settings(server.baseUrl(), Duration.ofSeconds(10), 3, 3, "JUDGE_KEY"),
                Map.of("JUDGE_KEY", SECRET)::get, clock::get);
        JudgeCallException e = assertThrows(JudgeCallException.class, () -> judge.judge(PROMPT, GOOD, BAD));
        assertEquals(401, e.lastStatus());
        assertEquals(1, e.attempts());
        assertEquals(1, server.requests());
        assertTrue(e.getMessage().contains("invalid api key"), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    }

    @Test
    void aServerSlowerThanTheRequestTimeoutIsATimeoutError() {
        server.otherwise(req -> Reply.hanging());
        HttpPairwiseJudge judge = new HttpPairwiseJudge(settings(server.baseUrl(), Duration.ofMillis(300), 2, 3, ""),
                name -> null, clock::get);

        JudgeCallException e = assertThrows(JudgeCallException.class, () -> judge.judge(PROMPT, GOOD, BAD));

        assertInstanceOf(HttpTimeoutException.class, e.getCause());
        assertEquals(-1, e.lastStatus());
        assertEquals(2, e.attempts());
        assertEquals(2, server.requests());
        assertEquals(1, judge.stats().callFailures());
    }

    @Test
    void anUnreachableServerIsACallErrorAfterRetries() {
        URI dead;
        try (FakeChatServer gone = new FakeChatServer()) {
            dead = gone.baseUrl();
        }
        HttpPairwiseJudge judge = new HttpPairwiseJudge(settings(dead, Duration.ofSeconds(2), 2, 3, ""), name -> null, clock::get);
        JudgeCallException e = assertThrows(JudgeCallException.class, () -> judge.judge(PROMPT, GOOD, BAD));
        assertEquals(2, e.attempts());
        assertEquals(-1, e.lastStatus());
    }

    @Test
    void theBreakerOpensAfterNFailuresAndNoRequestReachesTheServerWhileOpen() {
        server.otherwise(req -> Reply.status(500, "down"));
        HttpPairwiseJudge judge = judge(1, 3);

        for (int i = 0; i < 3; i++) {
            assertEquals(CircuitBreaker.State.CLOSED, judge.breakerState(), "before failure " + i);
            assertThrows(JudgeCallException.class, () -> judge.judge(PROMPT, GOOD, BAD));
        }
        assertEquals(CircuitBreaker.State.OPEN, judge.breakerState());
        assertEquals(3, server.requests());

        clock.addAndGet(Duration.ofSeconds(29).toNanos());
        for (int i = 0; i < 5; i++) {
            JudgeCircuitOpenException e = assertThrows(JudgeCircuitOpenException.class, () -> judge.judge(PROMPT, GOOD, BAD));
            assertTrue(e.retryIn().compareTo(Duration.ofSeconds(1)) <= 0 && !e.retryIn().isNegative(), e.retryIn().toString());
        }
        assertEquals(3, server.requests(), "an open breaker sends nothing");
        assertEquals(5, judge.stats().rejectedWhileOpen());
        assertEquals(1, judge.stats().breakerTimesOpened());
    }

    @Test
    void aSuccessBeforeTheThresholdResetsTheCount() {
        server.then(Reply.status(500, "x"), Reply.status(500, "x"), completion(reply(5, 4)),
                Reply.status(500, "x"), Reply.status(500, "x"));
        HttpPairwiseJudge judge = judge(1, 3);
        assertThrows(JudgeCallException.class, () -> judge.judge(PROMPT, GOOD, BAD));
        assertThrows(JudgeCallException.class, () -> judge.judge(PROMPT, GOOD, BAD));
        judge.judge(PROMPT, GOOD, BAD);
        assertThrows(JudgeCallException.class, () -> judge.judge(PROMPT, GOOD, BAD));
        assertThrows(JudgeCallException.class, () -> judge.judge(PROMPT, GOOD, BAD));
        assertEquals(CircuitBreaker.State.CLOSED, judge.breakerState());
    }

    @Test
    void afterTheCoolDownAHalfOpenProbeRecoversOrReopens() {
        server.then(Reply.status(500, "x"), Reply.status(500, "x"), Reply.status(500, "probe fails"));
        server.otherwise(fairJudge());
        HttpPairwiseJudge judge = judge(1, 2);
        assertThrows(JudgeCallException.class, () -> judge.judge(PROMPT, GOOD, BAD));
        assertThrows(JudgeCallException.class, () -> judge.judge(PROMPT, GOOD, BAD));
        assertEquals(CircuitBreaker.State.OPEN, judge.breakerState());

        // The first probe fails: open again for a whole cool-down.
        clock.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThrows(JudgeCallException.class, () -> judge.judge(PROMPT, GOOD, BAD));
        assertEquals(CircuitBreaker.State.OPEN, judge.breakerState());
        assertEquals(3, server.requests());
        clock.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThrows(JudgeCircuitOpenException.class, () -> judge.judge(PROMPT, GOOD, BAD));
        assertEquals(3, server.requests());

        // The second probe succeeds: closed, and calls flow again.
        clock.addAndGet(Duration.ofSeconds(20).toNanos());
        assertEquals(8.0, judge.judge(PROMPT, GOOD, BAD).scoreA());
        assertEquals(CircuitBreaker.State.CLOSED, judge.breakerState());
        assertTrue(judge.judgeBothOrderings(PROMPT, GOOD, BAD).aWinsBoth());
        assertEquals(6, server.requests());
        assertEquals(2, judge.stats().breakerTimesOpened());
    }

    @Test
    void aMalformedCompletionDoesNotOpenTheBreakerButANonJsonBodyCounts() {
        server.otherwise(req -> completion("I prefer A."));
        HttpPairwiseJudge judge = judge(1, 2);
        for (int i = 0; i < 4; i++) {
            assertThrows(JudgeReplyException.class, () -> judge.judge(PROMPT, GOOD, BAD));
        }
        assertEquals(CircuitBreaker.State.CLOSED, judge.breakerState(), "the server answered the protocol");
        server.otherwise(req -> Reply.status(200, "not json"));
        assertThrows(JudgeReplyException.class, () -> judge.judge(PROMPT, GOOD, BAD));
        assertThrows(JudgeReplyException.class, () -> judge.judge(PROMPT, GOOD, BAD));
        assertEquals(CircuitBreaker.State.OPEN, judge.breakerState(), "a server that does not speak the protocol is down");
    }

    @Test
    void aNamedButUnsetApiKeyVariableStopsConstructionNamingTheVariableOnly() {
        SettingsException e = assertThrows(SettingsException.class, () -> new HttpPairwiseJudge(
                settings(server.baseUrl(), Duration.ofSeconds(1), 1, 1, "JUDGE_KEY"), name -> "  ", clock::get));
        assertEquals("bad config: path=tributary.reward-models.judge.http.api-key-env, value=JUDGE_KEY, "
                + "rule=the environment variable it names must be set and not empty", e.getMessage());
        // No variable named: no header at all.
        server.otherwise(fairJudge());
        judge(1, 1).judge(PROMPT, GOOD, BAD);
        assertEquals(List.of("null"), server.authorizations());
    }
}
