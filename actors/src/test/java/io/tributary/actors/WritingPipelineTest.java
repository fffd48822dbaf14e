package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.actors.writing.WritingTrainingFigures;
import io.tributary.learner.PolicySnapshot;
import io.tributary.learner.PolicySpec;
import io.tributary.learner.lm.GruLanguageModel;
import io.tributary.learner.lm.LmModelFile;
import io.tributary.report.JsonIo;
import io.tributary.simulator.writing.WordTokenizer;
import io.tributary.simulator.writing.WritingPrompt;
import io.tributary.simulator.writing.WritingPrompts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writing workload end to end on the embedded broker: the text rollout role samples groups from a tiny
 * SEQUENCE policy, the writing-judge scorer scores them (judge figures to the monitor), the brpo learner trains
 * three updates from them and publishes SEQUENCE snapshots; the accounts check (nothing lost, nothing
 * duplicated) and the metrics rows carry the judge's figures.
 */
class WritingPipelineTest {
    @TempDir
    Path dir;

    static final int UPDATES = 3;
    static final int GROUPS_PER_VERSION = 2;
    static final int G = 4;

    /**
     * Two text workers share the quota (one group each per version); one is stopped after the first checkpoint, the
     * other takes over its share (Rebalance) and the run still reaches its update budget with nothing lost.
     */
    @Test
    void aStoppedTextWorkersShareIsTakenOverAndNothingIsLost() throws Exception {
        int updates = 4;
        TributaryConfig c = config(2, updates);
        TrainingRun.Outcome out = TrainingRun.run(c, null, (system, ctx) -> java.util.concurrent.CompletableFuture.runAsync(() -> {
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
        assertEquals(1L, s.workersStoppedEarly(), "the worker was stopped mid-run: " + s);
        assertEquals(updates, s.updates() + s.skippedUpdates(), "the budget was reached with one worker left: " + s.stopReason());
        assertTrue(s.accountsChecked(), s.accountsMismatch());
        assertEquals(0L, s.chunksLost(), "lost");
        assertEquals(0L, s.chunksDuplicated(), "duplicated");
        assertEquals(s.chunksProduced(), s.chunksTrained() + s.chunksDroppedStale() + s.chunksRejected()
                + s.chunksDeadLettered() + s.chunksUnusedAtEnd(), "identity: " + s);
    }

    /** A tiny pre-trained stand-in (seeded random weights) in an LmModelFile; returns the sequence settings. */
    static List<String> tinyModel(Path file) throws Exception {
        WordTokenizer tok = WordTokenizer.standard();
        int longest = 0;
        for (WritingPrompt p : WritingPrompts.load().all()) {
            longest = Math.max(longest, tok.promptTokens(p).length);
        }
        PolicySpec spec = PolicySpec.sequence(tok.size(), 8, 16, longest);
        try (NDManager m = NDManager.newBaseManager(); GruLanguageModel model = GruLanguageModel.create(m, spec, 5L)) {
            LmModelFile.write(file, model);
        }
        return List.of(
                "tributary.learner.policy.architecture=sequence",
                "tributary.learner.policy.sequence.vocab-size=" + tok.size(),
                "tributary.learner.policy.sequence.embedding-dim=8",
                "tributary.learner.policy.sequence.hidden-size=16",
                "tributary.learner.policy.sequence.prompt-length=" + longest,
                "tributary.learner.group.init-from=\"" + file + "\"");
    }

    /** A tiny brpo run on Writing-v0 with {@code workers} text workers and an update budget of {@code updates}. */
    TributaryConfig config(int workers, int updates) throws Exception {
        List<String> o = new java.util.ArrayList<>(tinyModel(dir.resolve("pretrained.lm")));
        o.addAll(List.of(
                "tributary.run.folder=\"" + dir + "\"",
                "tributary.run.seed=3",
                "tributary.run.max-env-steps=100000000",
                "tributary.run.checkpoint-every-updates=1",
                "tributary.simulator.env.name=Writing-v0",
                "tributary.learner.algorithm=brpo",
                "tributary.learner.group.groups-per-version=" + GROUPS_PER_VERSION,
                "tributary.learner.group.max-updates=" + updates,
                "tributary.learner.group.minibatch-size=8",
                "tributary.actors.workers=" + workers,
                "tributary.actors.text-rollout.group-size=" + G,
                "tributary.actors.wait-timeout-ms=60000",
                "tributary.reward-models.model=writing-judge",
                "tributary.reward-models.options.seed=3",
                "tributary.kafka.partitions=2"));
        return TributaryConfig.parse("", o);
    }

    @Test
    void brpoTrainsThroughKafkaOnGroupsFromTheTextRolloutRole() throws Exception {
        TributaryConfig c = config(1, UPDATES);
        TrainingRun.Outcome out = TrainingRun.run(c, null, null);
        RunSummary s = out.summary();
        assertTrue(s.accountsChecked(), "accounts check: " + s.accountsMismatch());
        assertEquals(0L, s.chunksLost(), "lost");
        assertEquals(0L, s.chunksDuplicated(), "duplicated");
        assertEquals(0L, s.chunksDeadLettered(), "every group scored");
        assertEquals(UPDATES, s.updates() + s.skippedUpdates(), "the update budget: " + s.stopReason());
        assertTrue(s.chunksTrained() >= (long) UPDATES * GROUPS_PER_VERSION, "groups trained: " + s.chunksTrained());
        // Backpressure: the one worker samples its quota (groups-per-version groups) per policy version it receives,
        // versions 0..UPDATES, and then waits; without the quota it would keep sampling while the learner updates.
        assertTrue(s.chunksProduced() <= (UPDATES + 1L) * GROUPS_PER_VERSION, "groups sampled: " + s.chunksProduced());
        assertEquals(s.chunksProduced(), s.chunksTrained() + s.chunksDroppedStale() + s.chunksRejected()
                + s.chunksDeadLettered() + s.chunksUnusedAtEnd() + s.chunksLost(), "identity: " + s);

        // The final policy is a SEQUENCE snapshot a later process can read back.
        PolicySnapshot last = TrainingRun.readFinalPolicy(out.runDir());
        assertEquals(PolicySpec.Architecture.SEQUENCE, last.spec().architecture());
        assertEquals(s.policyVersion(), last.version());

        // Judge figures: one judge row per scored group, and update rows carrying the running figures.
        int judgeRows = 0;
        int updateRowsWithJudge = 0;
        for (String line : Files.readAllLines(out.runDir().resolve("metrics.jsonl"), StandardCharsets.UTF_8)) {
            JsonNode row = JsonIo.parse(line);
            String kind = row.path("kind").asText();
            if (kind.equals("judge")) {
                judgeRows++;
                assertEquals("writing-judge", row.path("judge_model").asText());
                double swap = row.path("judge_swap_consistency").asDouble(-1);
                assertTrue(swap >= 0 && swap <= 1, "swap consistency in [0, 1]: " + line);
                double filtered = row.path("judge_groups_filtered_frac").asDouble(-1);
                assertTrue(filtered >= 0 && filtered <= 1, line);
            } else if (kind.equals("update") && row.has("judge_swap_consistency")) {
                updateRowsWithJudge++;
            }
        }
        assertTrue(judgeRows >= UPDATES * GROUPS_PER_VERSION, "a judge row per scored group: rows=" + judgeRows);
        assertTrue(updateRowsWithJudge >= 1, "update rows carry the judge figures");
        WritingTrainingFigures training = WritingTrainingFigures.read(out.runDir().resolve("metrics.jsonl"));
        assertTrue(training.updates().size() >= 1, "the learner's update rows are readable");
        double f = training.groupsFilteredFraction();
        assertTrue(f >= 0 && f <= 1, "filtered fraction " + f);
    }
}
