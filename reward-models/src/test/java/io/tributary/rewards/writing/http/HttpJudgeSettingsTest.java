package io.tributary.rewards.writing.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.tributary.config.SettingsException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code tributary.reward-models.judge.http}: defaults and every rule, reported with path, value and rule. */
class HttpJudgeSettingsTest {

    private static HttpJudgeSettings settings(String overrides) {
        return HttpJudgeSettings.fromConfig(ConfigFactory.parseString(overrides).withFallback(ConfigFactory.defaultReference()).resolve());
    }

    private static String failure(String key, String value) {
        return assertThrows(SettingsException.class,
                () -> settings("tributary.reward-models.judge.http." + key + " = " + value)).getMessage();
    }

    @Test
    void defaultsComeFromReferenceConf() {
        HttpJudgeSettings s = settings("");
        assertEquals(URI.create("http://localhost:8000"), s.baseUrl());
        assertEquals(URI.create("http://localhost:8000/v1/chat/completions"), s.endpoint());
        assertEquals("judge", s.model());
        assertEquals(0.0, s.temperature());
        assertEquals(1024, s.maxTokens());
        assertEquals("", s.apiKeyEnv());
        assertEquals(Duration.ofSeconds(5), s.connectTimeout());
        assertEquals(Duration.ofSeconds(120), s.requestTimeout());
        assertEquals(3, s.maxAttempts());
        assertEquals(Duration.ofMillis(500), s.initialBackoff());
        assertEquals(Duration.ofSeconds(10), s.maxBackoff());
        assertEquals(5, s.breakerFailureThreshold());
        assertEquals(Duration.ofSeconds(30), s.breakerCoolDown());
    }

    @Test
    void overridesAreRead() {
        HttpJudgeSettings s = settings("tributary.reward-models.judge.http { base-url = \"https://judge.example:9000/\", "
                + "model = qwen, temperature = 0.7, api-key-env = VLLM_API_KEY, request-timeout = 2m, max-attempts = 1 }");
        assertEquals(URI.create("https://judge.example:9000/v1/chat/completions"), s.endpoint());
        assertEquals("qwen", s.model());
        assertEquals(0.7, s.temperature());
        assertEquals("VLLM_API_KEY", s.apiKeyEnv());
        assertEquals(Duration.ofMinutes(2), s.requestTimeout());
        assertEquals(1, s.maxAttempts());
    }

    @Test
    void badValuesNameThePathTheValueAndTheRule() {
        String p = "bad config: path=tributary.reward-models.judge.http.";
        assertEquals(p + "base-url, value=ftp://x, rule=must be an http:// or https:// URL with a host", failure("base-url", "\"ftp://x\""));
        assertTrue(failure("base-url", "\"http://a b\"").startsWith(p + "base-url, value=http://a b, rule=must be a URL"));
        assertEquals(p + "model, value= , rule=must not be blank", failure("model", "\" \""));
        assertEquals(p + "temperature, value=2.5, rule=must be in [0.0, 2.0]", failure("temperature", "2.5"));
        assertEquals(p + "max-tokens, value=8, rule=must be in [16, 32768]", failure("max-tokens", "8"));
        assertEquals(p + "api-key-env, value=sk-123, rule=must be \"\" or an environment variable name ([A-Za-z_][A-Za-z0-9_]*)",
                failure("api-key-env", "\"sk-123\""));
        assertEquals(p + "request-timeout, value=soon, rule=must be a duration such as 500ms, 5s or 2m", failure("request-timeout", "soon"));
        assertEquals(p + "connect-timeout, value=0s, rule=must be in [PT0.001S, PT10M]", failure("connect-timeout", "0s"));
        assertEquals(p + "max-attempts, value=0, rule=must be in [1, 10]", failure("max-attempts", "0"));
        assertEquals(p + "max-backoff, value=100ms, rule=must be >= initial-backoff (PT0.5S)", failure("max-backoff", "100ms"));
        assertEquals(p + "breaker-failure-threshold, value=0, rule=must be in [1, 1000]", failure("breaker-failure-threshold", "0"));
        assertEquals(p + "breaker-cool-down, value=2h, rule=must be in [PT0.001S, PT1H]", failure("breaker-cool-down", "2h"));
    }

    @Test
    void anUnknownKeyStopsStartUp() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> settings("tributary.reward-models.judge.http.max-retries = 3"));
        assertTrue(e.getMessage().contains("unknown config key(s): tributary.reward-models.judge.http.max-retries"), e.getMessage());
    }

    @Test
    void theRecordChecksItsFieldsToo() {
        HttpJudgeSettings ok = settings("");
        assertThrows(IllegalArgumentException.class, () -> new HttpJudgeSettings(URI.create("file:/tmp/x"), ok.model(),
                ok.temperature(), ok.maxTokens(), ok.apiKeyEnv(), ok.connectTimeout(), ok.requestTimeout(), ok.maxAttempts(),
                ok.initialBackoff(), ok.maxBackoff(), ok.breakerFailureThreshold(), ok.breakerCoolDown()));
        assertThrows(IllegalArgumentException.class, () -> new HttpJudgeSettings(ok.baseUrl(), ok.model(),
                ok.temperature(), ok.maxTokens(), ok.apiKeyEnv(), ok.connectTimeout(), ok.requestTimeout(), ok.maxAttempts(),
                Duration.ofSeconds(2), Duration.ofSeconds(1), ok.breakerFailureThreshold(), ok.breakerCoolDown()));
    }
}
