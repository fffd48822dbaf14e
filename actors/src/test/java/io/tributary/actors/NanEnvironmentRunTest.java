package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must-show 2 support: a run whose environment returns NaN observations in a few training episodes (and one
 * evaluation episode). Those chunks must never be trained, and the accounts must still check and balance.
 */
class NanEnvironmentRunTest {
    @TempDir
    Path dir;

    @Test
    void aRunWithNaNEpisodesIsAccountedAndChecked() {
        SeedSchedule probe = new SeedSchedule(c0().run().seed(), 3);
        List<Long> bad = new ArrayList<>();
        for (int worker = 0; worker < 2; worker++) {
            // The fourth episode of each worker's slot 1: after some training, yet early enough that both slots
            // reach it and its three retries on a quiet machine too, where CartPole's episodes grow long within
            // the budget (CI once saw a slot finish the run before its third failure with the eighth episode).
            for (int i = 0; i < 3; i++) {
                probe.next(worker, 1);
            }
            bad.add(probe.next(worker, 1));
        }
        long evalBad = c0().run().evalSeedBase() + 1;
        StringBuilder seeds = new StringBuilder();
        for (long b : bad) {
            seeds.append(b).append(',');
        }
        seeds.append(evalBad);
        TributaryConfig c = TestRuns.cartPole(dir, 3000, "tributary.simulator.env.name=NanCartPole-v0",
                "tributary.simulator.env.options.nan-on-seeds=\"" + seeds + "\"",
                "tributary.actors.restart-backoff-max-ms=300", "tributary.actors.wait-timeout-ms=20000");
        // The worker catches the NaN (an environment failure: retried, then the seed is quarantined), so the
        // run finishes: nothing non-finite is shipped, trained or lost.
        TrainingRun.Outcome out = TrainingRun.run(c, null, null);
        RunSummary s = out.summary();
        System.out.println("NaN run: quarantined=" + s.seedsQuarantined() + ", dead_lettered=" + s.chunksDeadLettered()
                + ", rejected=" + s.chunksRejected() + ", eval_episodes_failed=" + s.evalEpisodesFailed()
                + ", accounts_checked=" + s.accountsChecked());
        assertTrue(s.seedsQuarantined().containsAll(bad), "NaN seeds " + bad + " quarantined: " + s.seedsQuarantined());
        assertTrue(s.accountsChecked(), s.accountsMismatch());
        assertEquals(0L, s.chunksLost(), "lost: " + s);
        assertEquals(0L, s.chunksDuplicated(), "duplicated: " + s);
        assertEquals(0L, s.chunksPhantom());
        assertEquals(1, s.evalEpisodesFailed(), "evaluation seed " + evalBad + " returns NaN");
        assertEquals(2, s.evalEpisodes(), "the other evaluation episodes count");
        assertTrue(s.envSteps() >= 3000, "training finished: " + s);
    }

    private TributaryConfig c0() {
        return TestRuns.cartPole(dir, 3000);
    }
}
