package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A role that dies of an unexpected exception fails the run at once, and the run's error names the role and the cause. */
class RoleFailureTest {
    @TempDir
    Path dir;

    @Test
    void aRoleThatDiesFailsTheRunAtOnceWithItsCause() {
        // The transform throws on its fifth chunk: the worker dies of an IllegalStateException, which is not
        // an environment failure, so its supervisor does not restart it.
        TributaryConfig c = TestRuns.cartPole(dir, 200_000, "tributary.actors.chunk-transform=explode-test",
                "tributary.actors.wait-timeout-ms=60000");
        long start = System.currentTimeMillis();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TrainingRun.run(c, null, null));
        long seconds = (System.currentTimeMillis() - start) / 1000;
        System.out.println("run failed after " + seconds + " s: " + e.getMessage());
        assertTrue(seconds < 40, "failed within seconds, not after a wait timeout: " + seconds + " s");
        assertTrue(e.getMessage().contains("worker-"), "names the role: " + e.getMessage());
        assertTrue(e.getMessage().contains("simulated transform bug"), "carries the cause: " + e.getMessage());
    }
}
