package io.tributary.rewards.writing.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A small OpenAI-compatible chat-completions server for tests, on an ephemeral port: it answers
 * {@code POST /v1/chat/completions} with scripted replies (first from the queue, then from a function of
 * the request), and counts and records what reached it.
 */
final class FakeChatServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One scripted answer; {@code hang} holds the response until the test ends (past any client timeout). */
    record Reply(int status, String body, Map<String, String> headers, boolean hang) {
        static Reply status(int status, String body) {
            return new Reply(status, body, Map.of(), false);
        }

        static Reply hanging() {
            return new Reply(200, completionBody("SCORES: 5 5"), Map.of(), true);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final AtomicInteger requests = new AtomicInteger();
    private final ConcurrentLinkedDeque<Reply> script = new ConcurrentLinkedDeque<>();
    private final List<JsonNode> requestBodies = Collections.synchronizedList(new ArrayList<>());
    private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    private final List<String> paths = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile Function<JsonNode, Reply> fallback = req -> Reply.status(500, "no reply scripted");

    FakeChatServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The base URL to configure: {@code http://127.0.0.1:<port>}. */
    URI baseUrl() {
        return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort());
    }

    /** Queues replies, answered in order before the fallback. */
    FakeChatServer then(Reply... replies) {
        for (Reply r : replies) {
            script.addLast(r);
        }
        return this;
    }

    /** Answers every unscripted request with {@code f(request JSON)}. */
    FakeChatServer otherwise(Function<JsonNode, Reply> f) {
        this.fallback = f;
        return this;
    }

    /** Requests that reached the server. */
    int requests() {
        return requests.get();
    }

    List<JsonNode> requestBodies() {
        return List.copyOf(requestBodies);
    }

    List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    List<String> paths() {
        return List.copyOf(paths);
    }

    /** A 200 chat completion whose message content is {@code content}. */
    static Reply completion(String content) {
        return Reply.status(200, completionBody(content));
    }

    static String completionBody(String content) {
        return completionBody(content, "stop");
    }

    static String completionBody(String content, String finishReason) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-test").put("object", "chat.completion").put("model", "judge");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", content);
        choice.put("finish_reason", finishReason);
        return root.toString();
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        paths.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
        authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
        byte[] in = ex.getRequestBody().readAllBytes();
        JsonNode request;
        try {
            request = JSON.readTree(in);
        } catch (IOException e) {
            request = JSON.nullNode();
        }
        requestBodies.add(request);
        Reply reply = script.pollFirst();
        if (reply == null) {
            reply = fallback.apply(request);
        }
        if (reply.hang()) {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        reply.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        try {
            ex.sendResponseHeaders(reply.status(), out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        } catch (IOException e) {
            // The client gave up (timeout test): nothing to answer.
        } finally {
            ex.close();
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
