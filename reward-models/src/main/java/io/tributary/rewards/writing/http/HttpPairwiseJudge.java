package io.tributary.rewards.writing.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.config.SettingsException;
import io.tributary.rewards.writing.JudgeVerdict;
import io.tributary.rewards.writing.PairwiseJudge;
import io.tributary.simulator.writing.WritingPrompt;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A {@link PairwiseJudge} backed by an OpenAI-compatible chat-completions server (vLLM, SGLang, ...):
 * each ordering is one {@code POST <base-url>/v1/chat/completions} whose reply must end with
 * {@code SCORES: <a> <b>} (see {@link JudgeReplyFormat}).
 *
 * <p>Failure handling, in order: timeouts, connection failures, 5xx and 429 are retried with doubling
 * back-off; other statuses fail at once. A reply without two valid scores is not retried: the client
 * reports it ({@link JudgeReplyException} with the raw text) instead of resampling until something parses,
 * which would hide how often the judge fails and select among its answers. A circuit breaker watches the
 * server: judgements that end without a readable chat completion count as failures, and after
 * {@code breaker-failure-threshold} in a row it fails fast ({@link JudgeCircuitOpenException}) until a
 * half-open probe succeeds. A completion whose text lacks the scores line came from a healthy server and
 * counts as a success for the breaker. Thread-safe.
 */
public final class HttpPairwiseJudge implements PairwiseJudge {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int QUOTED_BODY_CHARS = 300;

    private final HttpJudgeSettings settings;
    private final HttpClient client;
    private final String bearer;
    private final CircuitBreaker breaker;

    private final AtomicLong requestsSent = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong verdicts = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong callFailures = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    /**
     * A judge that reads its API key (if {@code api-key-env} is set) from the process environment.
     *
     * @throws SettingsException when the named environment variable is unset or empty
     */
    public HttpPairwiseJudge(HttpJudgeSettings settings) {
        this(settings, System::getenv, System::nanoTime);
    }

    /** For tests: the environment lookup and the breaker's clock are given. */
    HttpPairwiseJudge(HttpJudgeSettings settings, Function<String, String> env, LongSupplier nanoClock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        if (settings.apiKeyEnv().isEmpty()) {
            this.bearer = null;
        } else {
            String key = env.apply(settings.apiKeyEnv());
            if (key == null || key.isBlank()) {
                // Names the variable, never a value.
                throw new SettingsException(HttpJudgeSettings.ROOT + ".api-key-env", settings.apiKeyEnv(),
                        "the environment variable it names must be set and not empty");
            }
            this.bearer = "Bearer " + key.strip();
        }
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                // vLLM and SGLang serve HTTP/1.1; an h2c upgrade attempt only adds a round of headers.
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.breaker = new CircuitBreaker(settings.breakerFailureThreshold(), settings.breakerCoolDown(), nanoClock);
    }

    /**
     * Judges one ordering ({@code a} shown first) with one chat completion.
     *
     * @throws JudgeReplyException       the reply has no readable verdict (raw text attached)
     * @throws JudgeCallException        the server could not be reached or refused, retries included
     * @throws JudgeCircuitOpenException the breaker is open; nothing was sent
     */
    @Override
    public JudgeVerdict judge(WritingPrompt prompt, String a, String b) {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        byte[] body = requestBody(prompt, a, b);
        try {
            breaker.acquire();
        } catch (JudgeCircuitOpenException e) {
            rejected.incrementAndGet();
            throw e;
        }
        Completion completion;
        try {
            completion = completion(post(body));
        } catch (JudgeCallException | JudgeReplyException e) {
            breaker.onFailure();
            if (e instanceof JudgeCallException) {
                callFailures.incrementAndGet();
            } else {
                malformed.incrementAndGet();
            }
            throw e;
        } catch (RuntimeException | Error e) {
            breaker.onNeutral();
            throw e;
        }
        breaker.onSuccess();
        try {
            JudgeVerdict v = JudgeReplyFormat.parse(completion.text());
            verdicts.incrementAndGet();
            return v;
        } catch (JudgeReplyException e) {
            malformed.incrementAndGet();
            if ("length".equals(completion.finishReason())) {
                throw new JudgeReplyException(e.reason() + " (the completion was cut at max-tokens, finish_reason=length; "
                        + "raise " + HttpJudgeSettings.ROOT + ".max-tokens)", e.rawText());
            }
            throw e;
        }
    }

    /** The breaker's current state. */
    public CircuitBreaker.State breakerState() {
        return breaker.state();
    }

    /** A snapshot of the counters. */
    public HttpJudgeStats stats() {
        return new HttpJudgeStats(requestsSent.get(), retries.get(), verdicts.get(), malformed.get(), callFailures.get(),
                rejected.get(), breaker.state(), breaker.timesOpened());
    }

    /** The settings this judge was built from (the API key is not among them). */
    public HttpJudgeSettings settings() {
        return settings;
    }

    @Override
    public String toString() {
        return "HttpPairwiseJudge[endpoint=" + settings.endpoint() + ", model=" + settings.model() + "]";
    }

    private byte[] requestBody(WritingPrompt prompt, String a, String b) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", settings.model());
        ArrayNode messages = root.putArray("messages");
        messages.addObject().put("role", "system").put("content", JudgeReplyFormat.SYSTEM_PROMPT);
        messages.addObject().put("role", "user").put("content", JudgeReplyFormat.userMessage(prompt, a, b));
        root.put("temperature", settings.temperature());
        root.put("max_tokens", settings.maxTokens());
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a chat-completions request", e);
        }
    }

    /** Sends with retries; returns the body of a 2xx response. */
    private String post(byte[] body) {
        HttpRequest.Builder rb = HttpRequest.newBuilder(settings.endpoint())
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (bearer != null) {
            rb.header("Authorization", bearer);
        }
        HttpRequest request = rb.build();
        int attempt = 0;
        int lastStatus = -1;
        IOException lastError = null;
        Duration retryAfter = Duration.ZERO;
        while (true) {
            attempt++;
            if (attempt > 1) {
                retries.incrementAndGet();
            }
            requestsSent.incrementAndGet();
            HttpResponse<String> response = null;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                lastError = null;
            } catch (IOException e) {
                // Timeouts (HttpTimeoutException), refused or reset connections: the server may come back.
                lastError = e;
                lastStatus = -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JudgeCallException("interrupted while calling the judge at " + settings.endpoint(), attempt, lastStatus, e);
            }
            if (response != null) {
                lastStatus = response.statusCode();
                if (lastStatus >= 200 && lastStatus < 300) {
                    return response.body();
                }
                if (lastStatus != 429 && lastStatus < 500) {
                    throw new JudgeCallException("judge server refused the request at " + settings.endpoint()
                            + " (not retried: the same request gets the same answer), body=" + quote(response.body()),
                            attempt, lastStatus, null);
                }
                retryAfter = retryAfter(response);
            }
            if (attempt >= settings.maxAttempts()) {
                String what = lastError != null ? lastError.getClass().getSimpleName() + ": " + lastError.getMessage()
                        : "HTTP " + lastStatus + ", body=" + quote(response.body());
                throw new JudgeCallException("judge request to " + settings.endpoint() + " failed (" + what + ")",
                        attempt, lastStatus, lastError);
            }
            sleep(backoff(attempt, retryAfter), attempt, lastStatus);
            retryAfter = Duration.ZERO;
        }
    }

    /** initial-backoff × 2^(attempt-1), raised to a 429's Retry-After, capped by max-backoff. */
    private Duration backoff(int attempt, Duration retryAfter) {
        Duration d = settings.initialBackoff();
        for (int i = 1; i < attempt && d.compareTo(settings.maxBackoff()) < 0; i++) {
            d = d.multipliedBy(2);
        }
        if (retryAfter.compareTo(d) > 0) {
            d = retryAfter;
        }
        return d.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : d;
    }

    private static Duration retryAfter(HttpResponse<String> response) {
        String v = response.headers().firstValue("Retry-After").orElse("").strip();
        if (v.matches("\\d{1,6}")) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        // An HTTP-date or garbage: fall back to the configured back-off.
        return Duration.ZERO;
    }

    private void sleep(Duration d, int attempt, int lastStatus) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JudgeCallException("interrupted while backing off before retrying the judge at " + settings.endpoint(),
                    attempt, lastStatus, e);
        }
    }

    /** What the server generated: {@code choices[0].message.content} and its {@code finish_reason} (may be null). */
    private record Completion(String text, String finishReason) {
    }

    /** Reads the first choice, or throws a {@link JudgeReplyException} carrying the body. */
    private static Completion completion(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new JudgeReplyException("body is not JSON: " + e.getOriginalMessage(), body);
        }
        JsonNode choices = root == null ? null : root.get("choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            throw new JudgeReplyException("body has no choices[0] (not a chat completion)", body);
        }
        JsonNode content = choices.get(0).path("message").path("content");
        if (!content.isTextual()) {
            throw new JudgeReplyException("choices[0].message.content is missing or not a string", body);
        }
        JsonNode finish = choices.get(0).get("finish_reason");
        return new Completion(content.asText(), finish != null && finish.isTextual() ? finish.asText() : null);
    }

    private static String quote(String body) {
        if (body == null) {
            return "null";
        }
        String q = body.length() <= QUOTED_BODY_CHARS ? body : body.substring(0, QUOTED_BODY_CHARS) + "...";
        return '"' + q.replace("\n", "\\n") + '"';
    }
}
