package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With one rollout worker stopped mid-run, the accounts computed from the topics show nothing lost or trained twice. */
class StoppedWorkerAccountsTest {
    @TempDir
    Path dir;

    @Test
    void stoppingAWorkerLosesNothing() {
        TributaryConfig c = TestRuns.cartPole(dir, 15000, "tributary.actors.workers=3");
        // Stop worker 1 once training is under way: after the first durable checkpoint.
        TrainingRun.Outcome out = TrainingRun.run(c, null, (system, ctx) -> CompletableFuture.runAsync(() -> {
            long deadline = System.currentTimeMillis() + 60_000;
            while (!Files.exists(ctx.checkpointDir().resolve("LATEST")) && System.currentTimeMillis() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            system.tell(new TrainingGuardian.StopWorker(1));
        }));
        RunSummary s = out.summary();
        assertTrue(s.envSteps() >= 15000, "training finished with two workers: " + s);
        assertEquals(1L, s.workersStoppedEarly(), "the worker was stopped mid-run: " + s);
        long produced = s.chunksProduced();
        long trained = s.chunksTrained();
        assertTrue(produced > 50 && trained > 0, "chunks flowed: " + s);
        assertEquals(0L, s.chunksLost(), "lost: " + s);
        assertEquals(0L, s.chunksDuplicated(), "duplicated: " + s);
        assertEquals(produced, trained + s.chunksDroppedStale()
                + s.chunksUnusedAtEnd() + s.chunksRejected()
                + s.chunksDeadLettered(), "every produced chunk is accounted for: " + s);
    }
}
