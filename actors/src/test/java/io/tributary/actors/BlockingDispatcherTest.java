package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The roles that block between messages (the monitor writes metrics.jsonl, the publisher waits for each
 * version's acknowledgement) run on the configured blocking dispatcher, not on the default one: while a
 * run trains, that dispatcher's threads exist and run them.
 */
class BlockingDispatcherTest {
    @TempDir
    Path dir;

    @Test
    void monitorAndPublisherRunOnTheBlockingDispatcher() throws Exception {
        TributaryConfig c = TestRuns.cartPole(dir, 3000);
        assertTrue(c.config().hasPath("tributary.actors.blocking-dispatcher"), "the dispatcher is configured");
        CompletableFuture<Set<String>> seen = new CompletableFuture<>();
        TrainingRun.Outcome out = TrainingRun.run(c, null, (system, ctx) -> CompletableFuture.runAsync(() -> {
            Set<String> names = new TreeSet<>();
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline && !Files.exists(ctx.checkpointDir().resolve("LATEST"))) {
                for (var e : Thread.getAllStackTraces().entrySet()) {
                    String n = e.getKey().getName();
                    for (StackTraceElement f : e.getValue()) {
                        if (f.getClassName().startsWith("io.tributary.actors.Monitor")
                                || f.getClassName().startsWith("io.tributary.actors.PolicyPublisher")) {
                            names.add(f.getClassName().replaceAll("\\$.*", "") + " on " + n.replaceAll("-\\d+$", ""));
                            break;
                        }
                    }
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            seen.complete(names);
        }));
        Set<String> names = seen.get();
        System.out.println("roles seen on threads: " + names);
        assertTrue(out.summary().envSteps() >= 3000, "the run finished");
        assertTrue(names.stream().anyMatch(n -> n.startsWith("io.tributary.actors.Monitor on ")),
                "the monitor was seen working: " + names);
        for (String n : names) {
            assertTrue(n.endsWith("tributary.actors.blocking-dispatcher"), "runs on the blocking dispatcher: " + n);
        }
    }
}
