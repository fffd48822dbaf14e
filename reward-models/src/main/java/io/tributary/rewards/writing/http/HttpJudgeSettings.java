package io.tributary.rewards.writing.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.tributary.config.SettingsException;
import io.tributary.config.SettingsSupport;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Settings of the OpenAI-compatible HTTP judge ({@code tributary.reward-models.judge.http}).
 *
 * @param baseUrl                 server root; requests go to {@code <baseUrl>/v1/chat/completions}
 * @param model                   the served model name sent as {@code model}
 * @param temperature             sampling temperature in [0, 2]
 * @param maxTokens               {@code max_tokens} of each request
 * @param apiKeyEnv               name of the environment variable holding the bearer key; empty for none
 * @param connectTimeout          TCP connect timeout
 * @param requestTimeout          timeout of one HTTP request
 * @param maxAttempts             attempts per judgement (1 = no retry)
 * @param initialBackoff          back-off before the first retry, doubled per retry
 * @param maxBackoff              largest back-off
 * @param breakerFailureThreshold consecutive failed judgements that open the breaker
 * @param breakerCoolDown         how long an open breaker fails fast before a half-open probe
 */
public record HttpJudgeSettings(URI baseUrl, String model, double temperature, int maxTokens, String apiKeyEnv,
                                Duration connectTimeout, Duration requestTimeout, int maxAttempts,
                                Duration initialBackoff, Duration maxBackoff, int breakerFailureThreshold,
                                Duration breakerCoolDown) {
    /** Root of the subtree. */
    public static final String ROOT = "tributary.reward-models.judge.http";

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Validates every field (the same rules {@link #fromConfig} reports with paths). */
    public HttpJudgeSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(apiKeyEnv, "apiKeyEnv");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(breakerCoolDown, "breakerCoolDown");
        String scheme = baseUrl.getScheme();
        if (!("http".equals(scheme) || "https".equals(scheme)) || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an http(s) URL with a host: baseUrl=" + baseUrl);
        }
        if (model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank: model='" + model + "'");
        }
        if (!(temperature >= 0 && temperature <= 2)) {
            throw new IllegalArgumentException("temperature must be in [0, 2]: temperature=" + temperature);
        }
        if (maxTokens < 16 || maxTokens > 32768) {
            throw new IllegalArgumentException("maxTokens must be in [16, 32768]: maxTokens=" + maxTokens);
        }
        if (!apiKeyEnv.isEmpty() && !ENV_NAME.matcher(apiKeyEnv).matches()) {
            throw new IllegalArgumentException("apiKeyEnv must be empty or an environment variable name: apiKeyEnv=" + apiKeyEnv);
        }
        requireIn("connectTimeout", connectTimeout, Duration.ofMillis(1), Duration.ofMinutes(10));
        requireIn("requestTimeout", requestTimeout, Duration.ofMillis(1), Duration.ofHours(1));
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new IllegalArgumentException("maxAttempts must be in [1, 10]: maxAttempts=" + maxAttempts);
        }
        requireIn("initialBackoff", initialBackoff, Duration.ZERO, Duration.ofMinutes(10));
        requireIn("maxBackoff", maxBackoff, Duration.ZERO, Duration.ofMinutes(10));
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff must be >= initialBackoff: maxBackoff=" + maxBackoff
                    + ", initialBackoff=" + initialBackoff);
        }
        if (breakerFailureThreshold < 1 || breakerFailureThreshold > 1000) {
            throw new IllegalArgumentException("breakerFailureThreshold must be in [1, 1000]: breakerFailureThreshold="
                    + breakerFailureThreshold);
        }
        requireIn("breakerCoolDown", breakerCoolDown, Duration.ofMillis(1), Duration.ofHours(1));
    }

    /** The chat-completions endpoint: {@code <baseUrl>/v1/chat/completions}, tolerating a trailing slash. */
    public URI endpoint() {
        String root = baseUrl.toString();
        while (root.endsWith("/")) {
            root = root.substring(0, root.length() - 1);
        }
        return URI.create(root + "/v1/chat/completions");
    }

    /**
     * Reads and checks {@code tributary.reward-models.judge.http}.
     *
     * @throws SettingsException naming the path, the value and the rule of the first bad value, or every
     *                           unknown key under the subtree
     */
    public static HttpJudgeSettings fromConfig(Config c) {
        SettingsSupport.rejectUnknownKeys(c, ConfigFactory.defaultReference(HttpJudgeSettings.class.getClassLoader()),
                ROOT, Set.of());
        Config h = c.getConfig(ROOT);
        String base = string(c, "base-url");
        URI baseUrl;
        try {
            baseUrl = new URI(base);
        } catch (URISyntaxException e) {
            throw new SettingsException(ROOT + ".base-url", base, "must be a URL: " + e.getMessage());
        }
        if (!("http".equals(baseUrl.getScheme()) || "https".equals(baseUrl.getScheme())) || baseUrl.getHost() == null) {
            throw new SettingsException(ROOT + ".base-url", base, "must be an http:// or https:// URL with a host");
        }
        String model = string(c, "model");
        if (model.isBlank()) {
            throw new SettingsException(ROOT + ".model", model, "must not be blank");
        }
        String apiKeyEnv = string(c, "api-key-env");
        if (!apiKeyEnv.isEmpty() && !ENV_NAME.matcher(apiKeyEnv).matches()) {
            throw new SettingsException(ROOT + ".api-key-env", apiKeyEnv,
                    "must be \"\" or an environment variable name ([A-Za-z_][A-Za-z0-9_]*)");
        }
        double temperature = SettingsSupport.doubleIn(c, ROOT + ".temperature", 0, 2);
        int maxTokens = SettingsSupport.intIn(c, ROOT + ".max-tokens", 16, 32768);
        Duration connect = duration(c, "connect-timeout", Duration.ofMillis(1), Duration.ofMinutes(10));
        Duration request = duration(c, "request-timeout", Duration.ofMillis(1), Duration.ofHours(1));
        int attempts = SettingsSupport.intIn(c, ROOT + ".max-attempts", 1, 10);
        Duration initial = duration(c, "initial-backoff", Duration.ZERO, Duration.ofMinutes(10));
        Duration max = duration(c, "max-backoff", Duration.ZERO, Duration.ofMinutes(10));
        if (max.compareTo(initial) < 0) {
            throw new SettingsException(ROOT + ".max-backoff", h.getValue("max-backoff").unwrapped(),
                    "must be >= initial-backoff (" + initial + ")");
        }
        int threshold = SettingsSupport.intIn(c, ROOT + ".breaker-failure-threshold", 1, 1000);
        Duration coolDown = duration(c, "breaker-cool-down", Duration.ofMillis(1), Duration.ofHours(1));
        return new HttpJudgeSettings(baseUrl, model, temperature, maxTokens, apiKeyEnv, connect, request, attempts,
                initial, max, threshold, coolDown);
    }

    private static String string(Config c, String key) {
        String path = ROOT + "." + key;
        try {
            return c.getString(path);
        } catch (ConfigException.Missing | ConfigException.WrongType e) {
            throw new SettingsException(path, c.hasPathOrNull(path) && !c.getIsNull(path) ? c.getValue(path).unwrapped() : null,
                    "must be a string");
        }
    }

    private static Duration duration(Config c, String key, Duration min, Duration max) {
        String path = ROOT + "." + key;
        Duration d;
        try {
            d = c.getDuration(path);
        } catch (ConfigException.BadValue | ConfigException.WrongType e) {
            throw new SettingsException(path, c.getValue(path).unwrapped(), "must be a duration such as 500ms, 5s or 2m");
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new SettingsException(path, c.getValue(path).unwrapped(), "must be in [" + min + ", " + max + "]");
        }
        return d;
    }

    private static void requireIn(String name, Duration d, Duration min, Duration max) {
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]: " + name + "=" + d);
        }
    }
}
