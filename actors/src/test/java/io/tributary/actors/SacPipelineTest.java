package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny Pendulum run with algorithm {@code sac} (RAVL's critic: 3 critics, eta 1) through the real pipeline:
 * rollout workers run the published tanh-Gaussian policy unchanged, the learner trains from its replay
 * buffer, statistics reach metrics.jsonl, the accounts balance.
 */
class SacPipelineTest {
    @TempDir
    Path dir;

    @Test
    void pendulumWithSacRunsEndToEnd() throws IOException {
        TributaryConfig c = TributaryConfig.load(Path.of("..", "configs", "pendulum-sac.conf"), List.of(
                "tributary.run.folder=\"" + dir + "\"",
                "tributary.run.max-env-steps=800",
                "tributary.run.eval-episodes=2",
                "tributary.run.checkpoint-every-updates=3",
                "tributary.actors.wait-timeout-ms=60000",
                "tributary.kafka.partitions=1",
                "tributary.learner.sac.critics=3",
                "tributary.learner.sac.eta=1.0",
                "tributary.learner.sac.batch-size=64",
                "tributary.learner.sac.gradient-steps=20",
                "tributary.learner.sac.updates-per-env-step=0.2",
                "tributary.learner.sac.probe-every=20"));
        TrainingRun.Outcome out = TrainingRun.run(c, null, null);
        RunSummary s = out.summary();
        assertEquals("sac", s.algorithm());
        assertEquals("max-env-steps reached", s.stopReason());
        assertTrue(s.updates() >= 6, "updates=" + s.updates());
        assertEquals(0, s.skippedUpdates());
        assertTrue(s.accountsChecked(), s.accountsMismatch());
        assertEquals(0L, s.chunksLost());
        assertTrue(Double.isFinite(s.evalReturnMean()) && s.evalReturnMean() < 0, "eval=" + s.evalReturnMean());
        String metrics = Files.readString(out.runDir().resolve("metrics.jsonl"));
        assertTrue(metrics.contains("\"q_max\""), "q_max logged");
        assertTrue(metrics.contains("\"alpha\""), "alpha logged");
        assertTrue(metrics.contains("\"diverged_at_update\":-1.0"), "no divergence recorded");
    }

    @Test
    void aDivergedCriticStopsTheRunAndRecordsWhere() throws IOException {
        // SpikeBox's 20th episode has a reward of 3e38 at step 5: once a batch samples it, the critic loss overflows
        TributaryConfig c = TributaryConfig.load(Path.of("..", "configs", "pendulum-sac.conf"), List.of(
                "tributary.run.folder=\"" + dir + "\"",
                "tributary.simulator.env.name=SpikeBox-v0",
                "tributary.simulator.env.options.spike-on-episode=20",
                "tributary.run.max-env-steps=20000",
                "tributary.run.eval-episodes=1",
                "tributary.actors.wait-timeout-ms=60000",
                "tributary.kafka.partitions=1",
                "tributary.learner.sac.batch-size=128",
                "tributary.learner.sac.gradient-steps=10",
                "tributary.learner.sac.updates-per-env-step=0.1"));
        TrainingRun.Outcome out = TrainingRun.run(c, null, null);
        RunSummary s = out.summary();
        assertTrue(s.stopReason().startsWith("learner stopped: critic diverged at update "), s.stopReason());
        assertTrue(s.envSteps() < 20000, "stopped early: env_steps=" + s.envSteps());
        assertTrue(s.skippedUpdates() >= 1, "the diverged update is skipped: " + s.skippedUpdates());
        assertTrue(s.accountsChecked(), s.accountsMismatch());
        assertEquals(0L, s.chunksLost());
        long at = Long.parseLong(s.stopReason().substring(s.stopReason().lastIndexOf(' ') + 1));
        // warm-up versions take no gradient step, so the failing step is at most 10 per applied update
        assertTrue(at >= 1 && at <= 10 * s.updates(), "at=" + at + ", updates=" + s.updates());
        String metrics = Files.readString(out.runDir().resolve("metrics.jsonl"));
        assertTrue(metrics.contains("\"diverged_at_update\":" + at + ".0"), "metrics.jsonl records it");
    }
}
