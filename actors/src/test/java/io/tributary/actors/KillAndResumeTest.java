package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a training process with SIGKILL (a separate JVM) after a few checkpoints, resumes the run from
 * its folder, and checks from the topics that no chunk was lost or trained twice.
 */
class KillAndResumeTest {
    @TempDir
    Path dir;

    @Test
    void killMinus9ThenResumeLosesNothingAndTrainsNothingTwice() throws Exception {
        List<String> overrides = List.of("tributary.run.max-env-steps=20000", "tributary.run.checkpoint-every-updates=3",
                "tributary.run.eval-episodes=3", "tributary.learner.ppo.epochs=2", "tributary.kafka.partitions=2",
                "tributary.run.id=killed", "tributary.run.folder=\"" + dir + "\"");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "io.tributary.actors.cli.Main", "train", Path.of("..", "configs", "cartpole-ppo.conf").toString()));
        for (String o : overrides) {
            cmd.add("--set");
            cmd.add(o);
        }
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile()).start();
        Path run = dir.resolve("killed");
        long deadline = System.currentTimeMillis() + 120_000;
        long updates = 0;
        while (updates < 9 && System.currentTimeMillis() < deadline && child.isAlive()) {
            Thread.sleep(100);
            updates = latestUpdates(run.resolve("checkpoints"));
        }
        assertTrue(child.isAlive(), "child must still be training when killed; log:\n" + Files.readString(dir.resolve("child.log")));
        assertTrue(updates >= 9, "child wrote checkpoints: updates=" + updates);
        Thread.sleep(700); // let it train past the checkpoint, so some work is lost with the process
        child.destroyForcibly();
        assertEquals(137, child.waitFor(), "killed with SIGKILL");

        long metricsBefore = Files.size(run.resolve("metrics.jsonl"));
        TributaryConfig c = TributaryConfig.load(Path.of("..", "configs", "cartpole-ppo.conf"), overrides);
        java.util.Map<Integer, Long> resumedFrom = LedgerAudit.latestOffsets(run.resolve("checkpoints"));
        TrainingRun.Outcome out = TrainingRun.run(c, run, null);
        RunSummary s = out.summary();
        // The resumed run trains again at once and keeps training: before the dead process's scorer left
        // the consumer group by session timeout (45 s), the resumed scorer waited that long for its partitions.
        double[] stall = resumedStall(run.resolve("metrics.jsonl"), metricsBefore);
        System.out.printf("resumed run: first update %.1f s after its first progress row, longest gap between updates %.1f s%n",
                stall[0], stall[1]);
        assertTrue(stall[0] < 20, "resumed run applied its first update within 20 s: " + stall[0] + " s");
        assertTrue(stall[1] < 20, "resumed run never stalled 20 s between updates: " + stall[1] + " s");
        assertTrue(s.envSteps() >= 20000, "resumed run finished its budget: " + s);
        assertEquals(0L, s.chunksLost(), "lost: " + s);
        assertEquals(0L, s.chunksDuplicated(), "duplicated: " + s);
        assertTrue(s.chunksTrained() > 100, "trained: " + s);
        assertTrainedOnceAfterTheCheckpoint(out, c, resumedFrom);
    }

    /** By id, not only by totals: the chunks after the checkpoint the resume started from were trained once. */
    private static void assertTrainedOnceAfterTheCheckpoint(TrainingRun.Outcome out, TributaryConfig c,
                                                            java.util.Map<Integer, Long> resumedFrom) {
        assertTrue(out.summary().accountsChecked(), "accounts: " + out.summary().accountsMismatch());
        TestRuns.withRunBroker(out, c, clients -> {
            LedgerAudit.assertTrainedOnceAfter(clients, TestRuns.topics(out), resumedFrom);
            return null;
        });
    }

    /**
     * From the rows the resumed run appended to metrics.jsonl: seconds from its first progress row to its
     * first update row, and the longest gap between consecutive update rows (its own clock, wall_seconds).
     */
    private static double[] resumedStall(Path metrics, long from) throws java.io.IOException {
        String appended = Files.readString(metrics).substring((int) from);
        Double firstProgress = null;
        Double lastUpdate = null;
        double firstUpdateAfter = Double.NaN;
        double longestGap = 0;
        for (String line : appended.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            com.fasterxml.jackson.databind.JsonNode row = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
            double t = row.get("wall_seconds").asDouble();
            String kind = row.get("kind").asText();
            if (kind.equals("progress") && firstProgress == null) {
                firstProgress = t;
            } else if (kind.equals("update")) {
                if (lastUpdate == null) {
                    firstUpdateAfter = firstProgress == null ? 0 : Math.max(0, t - firstProgress);
                } else {
                    longestGap = Math.max(longestGap, t - lastUpdate);
                }
                lastUpdate = t;
            }
        }
        assertTrue(lastUpdate != null, "resumed run wrote update rows:\n" + appended);
        return new double[] {firstUpdateAfter, longestGap};
    }

    private static long latestUpdates(Path store) {
        try {
            Path latest = store.resolve("LATEST");
            if (!Files.exists(latest)) {
                return 0;
            }
            Properties p = new Properties();
            try (var r = Files.newBufferedReader(store.resolve(Files.readString(latest).trim()).resolve("checkpoint.properties"))) {
                p.load(r);
            }
            return Long.parseLong(p.getProperty("updates"));
        } catch (Exception e) {
            return 0; // a checkpoint being replaced; try again
        }
    }
}
