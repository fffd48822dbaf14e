package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two tiny SAC runs in child JVMs at the same time; a child that fails fails the call with its log. */
class SeparateJvmRunsTest {
    @TempDir
    Path dir;

    private static final List<String> TINY = List.of("tributary.run.max-env-steps=300", "tributary.run.eval-episodes=1",
            "tributary.kafka.partitions=1", "tributary.learner.sac.batch-size=32",
            "tributary.learner.sac.gradient-steps=5", "tributary.learner.sac.updates-per-env-step=0.1");

    @Test
    void childRunsTrainSideBySideAndReportTheirSummaries() {
        Path config = Path.of("..", "configs", "pendulum-sac.conf").toAbsolutePath();
        List<TrainingRun.Outcome> out = SeparateJvmRuns.run(List.of(
                new SeparateJvmRuns.Job("a", config, TINY, "child-a", dir),
                new SeparateJvmRuns.Job("b", config, concat(TINY, "tributary.learner.sac.critics=3"), "child-b", dir)), 2);
        assertEquals(2, out.size());
        for (TrainingRun.Outcome o : out) {
            assertEquals("sac", o.summary().algorithm());
            assertEquals("max-env-steps reached", o.summary().stopReason());
            assertTrue(o.summary().accountsChecked(), o.summary().accountsMismatch());
            assertTrue(Files.exists(o.runDir().resolve("metrics.jsonl")));
        }
        assertEquals("child-a", out.get(0).runId());
        assertTrue(Files.exists(dir.resolve("child-b.log")));
    }

    @Test
    void aFailingChildFailsTheCallWithItsLog() {
        Path config = Path.of("..", "configs", "pendulum-sac.conf").toAbsolutePath();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SeparateJvmRuns.run(List.of(
                new SeparateJvmRuns.Job("bad", config, concat(TINY, "tributary.learner.sac.critics=1"), "child-bad", dir)), 1));
        assertTrue(e.getMessage().contains("child run bad failed"), e.getMessage());
        assertTrue(e.getMessage().contains("tributary.learner.sac.critics"), "the log tail names the bad setting: "
                + e.getMessage());
    }

    private static List<String> concat(List<String> a, String b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.add(b);
        return out;
    }
}
