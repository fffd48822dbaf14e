package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.config.SettingsException;
import io.tributary.examples.reinforce.ReinforceProvider;
import io.tributary.examples.shaped.ShapedRewardProvider;
import io.tributary.learner.Learner;
import io.tributary.learner.LearnerContext;
import io.tributary.learner.Learners;
import io.tributary.learner.PolicyInference;
import io.tributary.learner.ProductionQuota;
import io.tributary.learner.UpdateReport;
import io.tributary.rewards.RewardModel;
import io.tributary.rewards.ScoredChunk;
import io.tributary.simulator.Space;
import io.tributary.simulator.rollout.ChunkId;
import io.tributary.simulator.rollout.TrajectoryChunk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plug-in examples of docs/add-algorithm.md and docs/add-reward-model.md (examples/reinforce, compiled
 * into this module's tests by actors/pom.xml): found by name, configured from their own subtrees and
 * options, and trained through the real pipeline.
 */
class ExamplePluginsTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "reinforce");

    @TempDir
    Path dir;

    private static TrajectoryChunk chunk(UUID worker, long episode, int index, float[] obs, float[] actions, float[] rewards,
                                         boolean last) {
        int n = rewards.length;
        boolean[] terminated = new boolean[n];
        terminated[n - 1] = last;
        return new TrajectoryChunk(new ChunkId("example", worker, episode * 100 + index), "CartPole-v1", 0, episode, index, 0, n,
                obs.length / n, obs, 1, actions, new float[n], new float[n], rewards, terminated, new boolean[n],
                new float[obs.length / n], new int[0], new int[0], new int[0], 0L);
    }

    @Test
    void reinforceIsSelectedByNameWithItsOwnSettingsSubtree() {
        TributaryConfig c = TributaryConfig.load(EXAMPLE.resolve("cartpole-reinforce.conf"), List.of("run.folder=\"" + dir + "\""));
        assertEquals("reinforce", c.learner().algorithm());
        assertInstanceOf(ReinforceProvider.class, Learners.provider("reinforce"));
        LearnerContext ctx = c.learnerContext("r");
        assertEquals(ProductionQuota.steps(2000), Learners.quota(ctx));
        assertArrayEquals(new int[] {32}, Learners.policySpec(ctx).hiddenSizes());
        // Its keys are known (the plug-in's reference.conf), a typo among them is not, and values are checked.
        SettingsException typo = assertThrows(SettingsException.class, () -> TributaryConfig.load(
                EXAMPLE.resolve("cartpole-reinforce.conf"), List.of("learner.reinforce.gama=0.9")));
        assertTrue(typo.getMessage().startsWith("unknown config key(s): tributary.learner.reinforce.gama"), typo.getMessage());
        SettingsException bad = assertThrows(SettingsException.class, () -> TributaryConfig.load(
                EXAMPLE.resolve("cartpole-reinforce.conf"), List.of("learner.reinforce.gamma=1.5")));
        assertEquals("bad config: path=tributary.learner.reinforce.gamma, value=1.5, rule=must be in [0.0, 1.0]", bad.getMessage());
        SettingsException continuous = assertThrows(SettingsException.class, () -> TributaryConfig.load(
                EXAMPLE.resolve("cartpole-reinforce.conf"), List.of("simulator.env.name=Pendulum-v1")));
        assertTrue(continuous.getMessage().startsWith("bad config: path=tributary.learner.algorithm, value=reinforce,"
                + " rule=needs a Discrete action space"), continuous.getMessage());
    }

    /** One-step episodes from one context: action 0 pays 1, action 1 pays 0; one update must favour action 0. */
    @Test
    void reinforceStepRaisesTheProbabilityOfTheBetterActionAndCheckpointsExactly() throws IOException {
        LearnerContext ctx = LearnerContext.defaults("tributary.learner { algorithm = reinforce, device = cpu, seed = 4,"
                + " reinforce { batch-steps = 64, learning-rate = 0.05 } }", Space.Box.uniform(2, -1f, 1f), new Space.Discrete(2), "t", 1000);
        float[] obs = {0.5f, -0.5f};
        SplittableRandom rng = new SplittableRandom(9);
        UUID worker = UUID.randomUUID();
        try (Learner l = Learners.create(ctx); Learner copy = Learners.create(ctx)) {
            PolicyInference before = new PolicyInference(l.snapshot(), 1);
            float[] lp = new float[1];
            before.logProbs(obs, 1, new float[] {0f}, lp);
            double p0Before = Math.exp(lp[0]);
            List<ScoredChunk> batch = new ArrayList<>();
            for (int e = 0; e < 64; e++) {
                float[] a = new float[1];
                before.act(obs, 1, a, new float[1], rng, false);
                TrajectoryChunk c = chunk(worker, e, 0, obs.clone(), a, new float[] {a[0] == 0f ? 1f : 0f}, true);
                batch.add(new ScoredChunk(c, c.rewards(), "env", 1, 0L));
            }
            // An unfinished episode (no terminal piece) is kept for later, not trained.
            TrajectoryChunk open = chunk(worker, 999, 0, obs.clone(), new float[] {1f}, new float[] {5f}, false);
            batch.forEach(l::accept);
            l.accept(new ScoredChunk(open, open.rewards(), "env", 1, 0L));
            l.save(Files.createDirectories(dir.resolve("v0")));
            UpdateReport r = l.update();
            assertTrue(r.applied() && r.samples() == 64 && l.version() == 1, r.toString());
            assertEquals(1.0, r.stats().get("open_episode_steps"));
            new PolicyInference(l.snapshot(), 1).logProbs(obs, 1, new float[] {0f}, lp);
            assertTrue(Math.exp(lp[0]) > p0Before + 0.01, "p(a=0) " + p0Before + " -> " + Math.exp(lp[0]));
            // Restoring the pre-update checkpoint (weights, Adam state, held episodes) and updating again gives the same policy.
            copy.restore(dir.resolve("v0"));
            assertTrue(copy.readyToUpdate());
            copy.update();
            assertArrayEquals(l.snapshot().parameters(), copy.snapshot().parameters());
        }
    }

    @Test
    void shapedRewardModelAppliesItsOptions() {
        TributaryConfig c = TributaryConfig.load(EXAMPLE.resolve("cartpole-reinforce-shaped.conf"), List.of());
        assertEquals("shaped", c.rewards().model());
        assertEquals(Map.of("scale", "0.5", "bonus-per-step", "1"), c.rewards().options());
        TrajectoryChunk ch = chunk(UUID.randomUUID(), 1, 0, new float[8], new float[2], new float[] {1f, -2f}, false);
        try (RewardModel m = c.rewards().create()) {
            assertEquals(ShapedRewardProvider.NAME, m.id());
            assertArrayEquals(new float[] {0.5f * 1f + 1f, 0.5f * -2f + 1f}, m.scoreChunk(ch));
        }
        SettingsException bad = assertThrows(SettingsException.class, () -> TributaryConfig.load(
                EXAMPLE.resolve("cartpole-reinforce-shaped.conf"), List.of("reward-models.options.bonus=1")));
        assertTrue(bad.getMessage().startsWith("bad config: path=tributary.reward-models.options.bonus, value=1, rule=unknown option"
                + " of reward model shaped"), bad.getMessage());
    }

    /**
     * The shaped REINFORCE example through the whole pipeline on a small budget: it trains (updates, accounts
     * balance, evaluation above a random policy's ~22), and what the learner trained on is the shaped reward:
     * for CartPole (env reward 1 per step) each episode's scored return is 1.5 x its env return.
     */
    @Test
    void shapedReinforceTrainsThroughThePipeline() throws IOException {
        TributaryConfig c = TributaryConfig.load(EXAMPLE.resolve("cartpole-reinforce-shaped.conf"), List.of(
                "run.folder=\"" + dir + "\"", "run.max-env-steps=60000", "run.eval-episodes=5", "run.checkpoint-every-updates=4",
                "actors.wait-timeout-ms=60000", "kafka.partitions=2"));
        TrainingRun.Outcome out = TrainingRun.run(c, null, null);
        RunSummary s = out.summary();
        assertEquals("reinforce", s.algorithm());
        assertTrue(s.updates() >= 20, "updates: " + s);
        long produced = s.chunksProduced();
        assertEquals(0L, s.chunksLost(), "lost: " + s);
        assertEquals(0L, s.chunksDuplicated(), "duplicated: " + s);
        assertEquals(produced, s.chunksTrained() + s.chunksDroppedStale() + s.chunksUnusedAtEnd() + s.chunksRejected()
                + s.chunksDeadLettered(), "every produced chunk is accounted for: " + s);
        double eval = s.evalReturnMean();
        assertTrue(eval > 60, "REINFORCE should beat a random policy (~22) clearly after 60k steps: eval=" + eval + ", " + s);
        int rows = 0;
        for (String line : Files.readAllLines(out.runDir().resolve("metrics.jsonl"))) {
            Matcher scored = Pattern.compile("\"scored_return_mean\":([0-9.eE+-]+)").matcher(line);
            Matcher env = Pattern.compile("\"env_return_mean\":([0-9.eE+-]+)").matcher(line);
            if (scored.find() && env.find()) {
                rows++;
                assertEquals(1.5 * Double.parseDouble(env.group(1)), Double.parseDouble(scored.group(1)), 1e-3, line);
            }
        }
        assertTrue(rows >= 10, "update rows with both returns: " + rows);
    }
}
