package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 *
 * <p>Pekko starts a dispatcher's threads only when an actor on it is first scheduled, and only these two
 * roles are spawned on the blocking dispatcher, so its threads existing is the deterministic check. The
 * stack samples add that whatever role frame was caught ran there; a sample that misses the monitor's
 * short writes is not a failure (CI once missed it on a loaded 2-core machine).
 */
class BlockingDispatcherTest {
    @TempDir
    Path dir;

    @Test
    void monitorAndPublisherRunOnTheBlockingDispatcher() throws Exception {
        // Frequent progress rows keep the monitor busy writing, so a stack sample catches it at work.
        TributaryConfig c = TestRuns.cartPole(dir, 3000, "tributary.run.progress-interval-ms=100");
        assertTrue(c.config().hasPath("tributary.actors.blocking-dispatcher"), "the dispatcher is configured");
        CompletableFuture<Set<String>> seen = new CompletableFuture<>();
        Set<String> blockingThreads = new TreeSet<>();
        TrainingRun.Outcome out = TrainingRun.run(c, null, (system, ctx) -> CompletableFuture.runAsync(() -> {
            Set<String> names = new TreeSet<>();
            long deadline = System.currentTimeMillis() + 60_000;
            // Sample until both roles were caught at work, the run is over, or a minute has passed.
            while (System.currentTimeMillis() < deadline && names.size() < 2
                    && !system.getWhenTerminated().toCompletableFuture().isDone()) {
                for (var e : Thread.getAllStackTraces().entrySet()) {
                    String n = e.getKey().getName();
                    if (n.contains("tributary.actors.blocking-dispatcher")) {
                        blockingThreads.add(n);
                    }
                    for (StackTraceElement f : e.getValue()) {
                        // The static create() factories run in the spawning guardian; anything else is the role's own work.
                        boolean role = f.getClassName().startsWith("io.tributary.actors.Monitor")
                                || f.getClassName().startsWith("io.tributary.actors.PolicyPublisher");
                        if (role && !f.getMethodName().equals("create")) {
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
        System.out.println("blocking-dispatcher threads: " + blockingThreads);
        assertFalse(blockingThreads.isEmpty(), "the blocking dispatcher's threads were started during the run");
        for (String n : names) {
            assertTrue(n.endsWith("tributary.actors.blocking-dispatcher"), "runs on the blocking dispatcher: " + n);
        }
    }
}
