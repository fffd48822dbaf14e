package io.tributary.actors.dashboard;

import static org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling.toEventStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The dashboard's HTTP server (pekko-http): {@code /} the page (plain HTML and JS from the classpath,
 * charts drawn in the page, nothing fetched from the network), {@code /events} the hub's events as
 * server-sent events (history first, then live; one JSON event per {@code data:} line), and
 * {@code /metrics} the Prometheus text. The scrape and the event streams run on the run's blocking
 * dispatcher ({@value #DISPATCHER}), not on the default one that runs the rollout workers. Needs only an actor system, so the training process, the
 * {@code monitor} command, or a cluster node with a monitor role can host it.
 */
public final class DashboardServer extends AllDirectives implements AutoCloseable {
    private static final String PAGE = "/io/tributary/actors/dashboard/index.html";
    private static final ContentType PROMETHEUS = ContentTypes.parse(MetricsHub.scrapeContentType());
    /** The run's dispatcher for short blocking work: keeps the scrape and the event streams off the default one. */
    static final String DISPATCHER = "tributary.actors.blocking-dispatcher";

    private final MetricsHub hub;
    private final DashboardSettings settings;
    private final ClassicActorSystemProvider system;
    private final String page;
    private final Executor executor;
    /** Live event streams, completed before the server unbinds so pages see a clean end, not an abort. */
    private final Set<BoundedSourceQueue<String>> streams = ConcurrentHashMap.newKeySet();
    private final ServerBinding binding;

    /** Binds the server for {@code hub} on {@code settings.host():settings.port()} in {@code system}. */
    public static DashboardServer start(ClassicActorSystemProvider system, MetricsHub hub, DashboardSettings settings) {
        return new DashboardServer(system, hub, settings);
    }

    private DashboardServer(ClassicActorSystemProvider system, MetricsHub hub, DashboardSettings settings) {
        this.hub = hub;
        this.settings = settings;
        this.system = system;
        this.page = loadPage().replace("{{RUN_ID}}", htmlEscape(hub.runId()));
        this.executor = system.classicSystem().dispatchers().lookup(DISPATCHER);
        try {
            this.binding = Http.get(system).newServerAt(settings.host(), settings.port()).bind(routes())
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding the dashboard", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot bind the dashboard: host=" + settings.host() + ", port="
                    + settings.port() + ", cause=" + (e.getCause() == null ? e : e.getCause()), e);
        }
    }

    private Route routes() {
        return concat(
                pathSingleSlash(() -> get(() -> complete(HttpEntities.create(ContentTypes.TEXT_HTML_UTF8, page)))),
                path("events", () -> get(() -> completeOK(events(), toEventStream()))),
                path("metrics", () -> get(() -> completeWithFuture(CompletableFuture.supplyAsync(() ->
                        HttpResponse.create().withEntity(HttpEntities.create(PROMETHEUS,
                                hub.scrape().getBytes(StandardCharsets.UTF_8))), executor)))));
    }

    private Source<ServerSentEvent, NotUsed> events() {
        Pair<BoundedSourceQueue<String>, Source<String, NotUsed>> live =
                Source.<String>queue(settings.clientBufferEvents()).preMaterialize(system);
        BoundedSourceQueue<String> queue = live.first();
        streams.add(queue);
        // A full buffer drops this event for this page only; a closed one (page gone) ends the subscription.
        MetricsHub.Listener listener = json -> queue.offer(json) != QueueOfferResult.closed();
        MetricsHub.Subscription sub = hub.subscribe(listener);
        return Source.from(sub.backlog()).map(json -> json.replaceFirst("^\\{", "{\"replay\":true,"))
                .concat(live.second())
                .map(json -> ServerSentEvent.create(json, "metric"))
                .keepAlive(Duration.ofSeconds(10), ServerSentEvent::heartbeat)
                .addAttributes(ActorAttributes.dispatcher(DISPATCHER))
                .watchTermination((mat, done) -> {
                    done.whenComplete((d, ex) -> {
                        hub.unsubscribe(listener);
                        streams.remove(queue);
                        if (!queue.isCompleted()) {
                            queue.complete();
                        }
                    });
                    return mat;
                });
    }

    /** The address the server is bound to. */
    public InetSocketAddress address() {
        return binding.localAddress();
    }

    /** The page's URL. */
    public String url() {
        InetSocketAddress a = address();
        String host = a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + a.getPort() + "/";
    }

    private static String loadPage() {
        try (InputStream in = DashboardServer.class.getResourceAsStream(PAGE)) {
            if (in == null) {
                throw new IllegalStateException("dashboard page missing from the classpath: resource=" + PAGE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard page " + PAGE, e);
        }
    }

    private static String htmlEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Unbinds the server and ends its event streams. */
    @Override
    public void close() {
        for (BoundedSourceQueue<String> q : streams) {
            if (!q.isCompleted()) {
                q.complete();
            }
        }
        try {
            binding.terminate(Duration.ofSeconds(3)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            System.err.println("[tributary] dashboard did not stop cleanly: " + e);
        }
    }
}
