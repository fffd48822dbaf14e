package io.tributary.actors.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.tributary.report.JsonIo;
import io.tributary.streams.codec.MetricEvent;
import io.tributary.streams.port.DeadLetterRecord;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dashboard server on its own (a hub fed by the test): bind address, /events, /metrics, the page. */
class DashboardServerTest {
    private static ActorSystem<Void> system;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void startSystem() {
        system = ActorSystem.create(Behaviors.empty(), "dashboard-test");
    }

    @AfterAll
    static void stopSystem() {
        system.terminate();
    }

    private static DashboardSettings defaults() {
        return DashboardSettings.fromConfig(ConfigFactory.load());
    }

    private static MetricEvent event(String name, long step, double value, Map<String, String> tags) {
        return new MetricEvent("r1", name, step, value, System.currentTimeMillis() * 1000L, tags);
    }

    @Test
    void bindsToLoopbackByDefaultAndElsewhereOnlyWhenConfigured() throws Exception {
        DashboardSettings d = defaults();
        assertFalse(d.enabled(), "the dashboard is off unless asked for");
        assertEquals(0, d.port(), "a free port by default");
        try (DashboardServer s = DashboardServer.start(system, new MetricsHub("r1", 100), d)) {
            assertTrue(s.address().getAddress().isLoopbackAddress(), "bound to " + s.address());
            assertTrue(s.address().getPort() > 0);
            assertTrue(s.url().startsWith("http://127.0.0.1:"), s.url());
        }
        // The check above can fail: a configured wildcard address is not loopback.
        DashboardSettings any = new DashboardSettings(true, "0.0.0.0", 0, 100, 64);
        try (DashboardServer s = DashboardServer.start(system, new MetricsHub("r1", 100), any)) {
            assertFalse(s.address().getAddress().isLoopbackAddress(), "bound to " + s.address());
            // The /proc reader that DashboardRunTest trusts sees this wildcard listener as such.
            assertTrue(ListeningSockets.ofThisProcess().stream().anyMatch(a -> a.getPort() == s.address().getPort()
                    && a.getAddress().isAnyLocalAddress()), "wildcard listener seen in /proc");
        }
        assertThrows(io.tributary.config.SettingsException.class, () -> new DashboardSettings(true, "127.0.0.1", 70000, 100, 64));
    }

    @Test
    void metricsAreValidPrometheusTextAndCountersFollowTheEvents() throws Exception {
        MetricsHub hub = new MetricsHub("r1", 100);
        try (DashboardServer s = DashboardServer.start(system, hub, defaults())) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(s.url() + "metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), r.headers().toString());
            Map<String, Double> before = PrometheusText.parse(r.body());
            assertEquals(0.0, PrometheusText.sum(before, "tributary_env_steps_produced_total", "role=\"worker\""));

            hub.accept(event("env_steps_produced", 100, 100, Map.of()));
            hub.accept(event("env_steps_produced", 350, 350, Map.of()));
            hub.accept(event("policy_version", 350, 3, Map.of()));
            hub.accept(event("e2e_ms_p99", 350, 250, Map.of()));
            hub.accept(new DeadLetterRecord("decode", "malformed record", "tributary.r1.rollouts", 7, 1));
            Map<String, Double> after = PrometheusText.parse(HTTP.send(HttpRequest.newBuilder(URI.create(s.url() + "metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
            assertEquals(350.0, PrometheusText.sum(after, "tributary_env_steps_produced_total", "run=\"r1\""));
            assertEquals(3.0, PrometheusText.sum(after, "tributary_policy_version", "role=\"learner\""));
            assertEquals(0.25, PrometheusText.sum(after, "tributary_chunk_e2e_latency_seconds", "quantile=\"0.99\""), 1e-9);
            assertEquals(1.0, PrometheusText.sum(after, "tributary_chunks_dead_lettered_total", "stage=\"decode\""));
            assertEquals(4.0, PrometheusText.sum(after, "tributary_metric_event_delay_seconds_count"), "metric events only");
        }
        // The parser used above rejects what is not Prometheus text.
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("tributary_x_total{role=worker} 1\n"));
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("{\"json\": 1}\n"));
    }

    @Test
    void eventsReplayTheHistoryThenFollowLive() throws Exception {
        MetricsHub hub = new MetricsHub("r1", 100);
        hub.accept(event("mean_return_100", 256, 21.5, Map.of()));
        hub.accept(event("episode_return", 1, 17, Map.of("worker", "0", "length", "17")));
        try (DashboardServer s = DashboardServer.start(system, hub, defaults())) {
            HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(s.url() + "events")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                List<JsonNode> got = new ArrayList<>();
                got.add(nextData(in));
                got.add(nextData(in));
                assertEquals("mean_return_100", got.get(0).path("name").asText());
                assertTrue(got.get(0).path("replay").asBoolean(), "history is marked as replay: " + got.get(0));
                assertEquals("17", got.get(1).path("tags").path("length").asText());
                long deadline = System.currentTimeMillis() + 10_000;
                while (hub.listeners() == 0 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
                hub.accept(event("policy_version", 512, 2, Map.of()));
                hub.accept(new DeadLetterRecord("decode", "malformed record: topic=x", "tributary.r1.rollouts", 9, 1));
                JsonNode live = nextData(in);
                assertEquals("policy_version", live.path("name").asText());
                assertFalse(live.path("replay").asBoolean());
                assertEquals(2.0, live.path("value").asDouble());
                JsonNode dl = nextData(in);
                assertEquals("dead_letter", dl.path("kind").asText());
                assertEquals("malformed record: topic=x", dl.path("reason").asText());
                assertEquals(1, dl.path("count").asLong());
            }
            HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(s.url())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<span id=\"run-id\">r1</span>"), "the page names the run");
            assertFalse(page.body().matches("(?s).*(src|href)=\"https?:.*"), "the page fetches nothing from the network");
        }
    }

    /** The next {@code data:} line's JSON (each event is one line; heartbeats and event names are skipped). */
    private static JsonNode nextData(BufferedReader in) throws Exception {
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith("data:")) {
                return JsonIo.parse(line.substring(5).trim());
            }
        }
        throw new AssertionError("event stream ended");
    }
}
