package io.tributary.actors.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.actors.RunContext;
import io.tributary.actors.TrainingGuardian;
import io.tributary.actors.TrainingRun;
import io.tributary.actors.TributaryConfig;
import io.tributary.actors.cli.Main;
import io.tributary.report.JsonIo;
import io.tributary.streams.kafka.KafkaClients;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard of a live tiny CartPole run: bound to loopback, {@code /metrics} counters grow while it
 * trains, {@code /events} delivers events, the page in headless Chromium draws new reward points and
 * shows a record injected into the rollouts topic in its dead-letter panel; then {@code monitor} replays
 * the finished run and prints the figures of its summary.json.
 */
class DashboardRunTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final long WAIT_MS = 90_000;

    @TempDir
    Path dir;

    @Test
    void dashboardFollowsALiveRunAndMonitorReplaysIt() throws Exception {
        File chromium = executable("CHROMIUM_BIN", "/usr/bin/chromium");
        File driverBin = executable("CHROMEDRIVER", "/usr/bin/chromedriver");
        TributaryConfig c = TributaryConfig.load(Path.of("..", "configs", "cartpole-ppo.conf"), List.of(
                "tributary.run.folder=\"" + dir + "\"",
                "tributary.run.seed=3",
                // A fixed training time, not a step budget: the page must see the run live on a fast or a
                // loaded machine alike (the checks take a few seconds, most of it Chromium's start).
                "tributary.run.max-env-steps=1000000",
                "tributary.run.max-wall-seconds=22",
                "tributary.run.eval-episodes=3",
                "tributary.run.progress-interval-ms=500",
                "tributary.actors.wait-timeout-ms=60000",
                "tributary.learner.ppo.epochs=2",
                "tributary.learner.ppo.minibatch-size=128",
                "tributary.actors.dashboard.enabled=true"));
        AtomicReference<Dashboard> dashboard = new AtomicReference<>();
        List<Double> latencies = new ArrayList<>();
        TrainingRun.Outcome out = TrainingRun.run(c, null, new TrainingRun.Hook() {
            @Override
            public void dashboardStarted(Dashboard d) {
                dashboard.set(d);
            }

            @Override
            public void started(ActorSystem<TrainingGuardian.Command> system, RunContext ctx) {
                try {
                    Dashboard d = dashboard.get();
                    assertNotNull(d, "train with tributary.actors.dashboard.enabled serves a dashboard");
                    assertTrue(d.address().getAddress().isLoopbackAddress(), "bound to " + d.address());
                    // Nothing in the training process listens elsewhere: dashboard, embedded broker, anything.
                    java.util.List<java.net.InetSocketAddress> listening = ListeningSockets.ofThisProcess();
                    assertTrue(listening.stream().anyMatch(a -> a.getPort() == d.address().getPort()),
                            "the dashboard's socket is seen: " + listening);
                    for (java.net.InetSocketAddress a : listening) {
                        assertTrue(a.getAddress().isLoopbackAddress(), "listening on " + a + " (all: " + listening + ")");
                    }
                    checkMetricsGrow(d);
                    checkEvents(d);
                    checkPage(d, c, ctx, chromium, driverBin, latencies);
                } catch (Exception e) {
                    throw new AssertionError("dashboard check failed", e);
                }
            }
        });
        Collections.sort(latencies);
        if (!latencies.isEmpty()) {
            System.out.printf("[dashboard-test] update latency (event produced -> drawn), ms: n=%d p50=%.1f p99=%.1f "
                            + "max=%.1f%n", latencies.size(), pct(latencies, 0.50), pct(latencies, 0.99),
                    latencies.get(latencies.size() - 1));
        }
        assertTrue(!latencies.isEmpty(), "the page drew live events");

        // monitor on the finished run replays its topics and prints the figures of its summary.json.
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int rc;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            rc = Main.execute("monitor", "--run", out.runDir().toString(), "--interval-ms", "200");
        } finally {
            System.setOut(stdout);
        }
        String table = buf.toString(StandardCharsets.UTF_8);
        System.out.println(table);
        assertEquals(0, rc, table);
        Map<String, String> finals = finalFigures(table);
        JsonNode summary = JsonIo.readObject(out.runDir().resolve("summary.json"));
        int compared = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = summary.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getValue().isNumber()) {
                assertEquals(MonitorTable.format(f.getValue().asDouble()), finals.get(f.getKey()), "summary key " + f.getKey());
                compared++;
            }
        }
        assertTrue(compared >= 20, "numeric summary keys compared: " + compared);
        assertEquals(MonitorTable.format(out.summary().envSteps()), finals.get("env_steps"));
        assertTrue(table.contains("dead letters               1"), "the injected record is counted:\n" + table);
        assertTrue(table.contains("(finished,"), table);
    }

    private static void checkMetricsGrow(Dashboard d) throws Exception {
        waitUntil("env steps produced > 0", () -> scrape(d, "tributary_env_steps_produced_total") > 0);
        double steps = scrape(d, "tributary_env_steps_produced_total");
        double episodes = scrape(d, "tributary_episodes_total");
        waitUntil("chunks trained > 0", () -> scrape(d, "tributary_chunks_trained_total") > 0);
        waitUntil("env steps produced grow past " + steps, () -> scrape(d, "tributary_env_steps_produced_total") > steps);
        waitUntil("episodes grow past " + episodes, () -> scrape(d, "tributary_episodes_total") > episodes);
        // The rollouts topic's end offsets are read at most once a second.
        waitUntil("chunks produced > 0", () -> scrape(d, "tributary_chunks_produced_total") > 0);
        waitUntil("policy version >= 1", () -> scrape(d, "tributary_policy_version") >= 1);
    }

    private static double scrape(Dashboard d, String name) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(d.url() + "metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            return PrometheusText.sum(PrometheusText.parse(r.body()), name);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void checkEvents(Dashboard d) throws Exception {
        HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(d.url() + "events")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        boolean sawEpisode = false;
        int events = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line;
            while (events < 50 && !sawEpisode && (line = in.readLine()) != null) {
                if (line.startsWith("data:")) {
                    JsonNode e = JsonIo.parse(line.substring(5).trim());
                    assertEquals(d.hub().runId(), d.hub().runId());
                    assertTrue(e.has("kind") && e.has("ts"), "event " + e);
                    sawEpisode = "episode_return".equals(e.path("name").asText());
                    events++;
                }
            }
        }
        assertTrue(sawEpisode, "an episode_return event among the first " + events);
    }

    private static void checkPage(Dashboard d, TributaryConfig c, RunContext ctx, File chromium, File driverBin,
                                  List<Double> latencies) throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1050");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driverBin).build();
        WebDriver driver = new ChromeDriver(service, options);
        try {
            driver.get(d.url());
            waitUntil("the reward chart has points", () -> points(driver, "reward") > 0);
            waitUntil("the page names the environment", () -> driver.findElement(By.id("env")).getText().equals("CartPole-v1"));
            int first = points(driver, "reward");
            waitUntil("the reward chart gets new points past " + first, () -> points(driver, "reward") > first);

            KafkaClients clients = new KafkaClients(c.kafka().withBootstrapServers(ctx.streams().endpoint()));
            try (KafkaProducer<byte[], byte[]> producer = clients.producer("dashboard-test")) {
                producer.send(new ProducerRecord<>(ctx.topics().rollouts(), "injected".getBytes(StandardCharsets.UTF_8),
                        "not a trajectory chunk".getBytes(StandardCharsets.UTF_8))).get();
            }
            waitUntil("the dead-letter panel shows the injected record", () ->
                    driver.findElement(By.id("dlq-count")).getText().equals("1")
                            && driver.findElement(By.id("dlq")).getText().contains("malformed record"));
            waitUntil("the latency sample", () -> ((Number) ((JavascriptExecutor) driver)
                    .executeScript("return window.tributaryLatencyMs.length")).intValue() > 0);
            Path shot = Path.of(System.getProperty("tributary.dashboard.screenshot", "target/dashboard-test.png"));
            Files.createDirectories(shot.toAbsolutePath().getParent());
            Files.write(shot, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            @SuppressWarnings("unchecked")
            List<Object> ms = (List<Object>) ((JavascriptExecutor) driver).executeScript("return window.tributaryLatencyMs");
            for (Object o : ms) {
                latencies.add(((Number) o).doubleValue());
            }
        } finally {
            driver.quit();
        }
    }

    private static int points(WebDriver driver, String canvas) {
        String p = driver.findElement(By.id(canvas)).getDomAttribute("data-points");
        return p == null ? 0 : Integer.parseInt(p);
    }

    private static Map<String, String> finalFigures(String table) {
        Map<String, String> out = new LinkedHashMap<>();
        int at = table.lastIndexOf("final figures (summary.json)");
        assertTrue(at >= 0, "the table has final figures:\n" + table);
        for (String line : table.substring(at).split("\n")) {
            String[] kv = line.trim().split("\\s+");
            if (line.startsWith("  ") && kv.length == 2) {
                out.put(kv[0], kv[1]);
            }
        }
        return out;
    }

    private static File executable(String env, String fallback) {
        String p = System.getenv(env) != null ? System.getenv(env) : fallback;
        File f = new File(p);
        if (!f.canExecute()) {
            throw new AssertionError(p + " not found: the dashboard test needs Debian's chromium and chromium-driver "
                    + "(.ci/run installs them: apt-get install -y chromium chromium-driver), or set " + env);
        }
        return f;
    }

    private static void waitUntil(String what, BooleanSupplier ok) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (!ok.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(100);
        }
    }

    private static double pct(List<Double> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }
}
