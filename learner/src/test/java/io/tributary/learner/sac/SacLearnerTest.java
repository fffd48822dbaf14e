package io.tributary.learner.sac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.config.SettingsException;
import io.tributary.learner.LearnerContext;
import io.tributary.learner.Learners;
import io.tributary.learner.PolicyInference;
import io.tributary.learner.PolicySnapshot;
import io.tributary.learner.PolicySpec;
import io.tributary.learner.ProductionQuota;
import io.tributary.learner.UpdateReport;
import io.tributary.rewards.ScoredChunk;
import io.tributary.simulator.Space;
import io.tributary.simulator.data.OfflineDataset;
import io.tributary.simulator.model.StateValueOracle;
import io.tributary.simulator.rollout.ChunkId;
import io.tributary.simulator.rollout.TrajectoryChunk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SAC / RAVL learner: targets, alpha, divergence, checkpoints, the policy it publishes, and that it learns. */
class SacLearnerTest {
    private static final Space OBS = new Space.Box(new float[] {-2f, -2f}, new float[] {2f, 2f});
    private static final Space ACT = new Space.Box(new float[] {-1f}, new float[] {1f});
    private static long sequence;

    private static LearnerContext context(String overrides) {
        return LearnerContext.defaults("tributary.learner.algorithm = sac\n" + overrides, OBS, ACT, "sac-test", 1_000_000);
    }

    private static SacLearner learner(String overrides) {
        return (SacLearner) Learners.create(context(overrides));
    }

    @Test
    void criticTargetOnAHandComputedBatch() {
        float[] rew = {1f, 0.5f, 2f};
        boolean[] done = {false, true, false};
        float[] minNext = {3f, 10f, -1f};
        float[] logpNext = {-1f, 0f, 2f};
        int[] depth = {10, 3, 10};
        float[] next = {0.1f, 0f, 0.2f, 0f, 0.3f, 0f};
        float[] y = SacLearner.targets(rew, done, minNext, logpNext, 0.2f, 0.9, depth, 10, null, next, 2);
        // y = r + gamma (1 - d) (minQ' - alpha log pi')
        assertEquals(1 + 0.9 * (3 + 0.2), y[0], 1e-6);
        assertEquals(0.5, y[1], 1e-6);
        assertEquals(2 + 0.9 * (-1 - 0.4), y[2], 1e-6);

        // the oracle patch: V*(s') = 100 s'_0 replaces the bracket at depth k only (and never past a terminal)
        StateValueOracle oracle = s -> 100.0 * s[0];
        float[] patched = SacLearner.targets(rew, done, minNext, logpNext, 0.2f, 0.9, depth, 10, oracle, next, 2);
        assertEquals(1 + 0.9 * 10.0, patched[0], 1e-5);
        assertEquals(0.5, patched[1], 1e-6);
        assertEquals(2 + 0.9 * 30.0, patched[2], 1e-5);
        int[] shallow = {9, 3, 1};
        float[] notPatched = SacLearner.targets(rew, done, minNext, logpNext, 0.2f, 0.9, shallow, 10, oracle, next, 2);
        assertArrayEquals(y, notPatched);
    }

    @Test
    void settingsQuotaAndPolicySpec() {
        SacSettings s = SacSettings.defaults("");
        // 2,500 rollouts of k = 10 per 1,000 updates: 25 env steps per gradient step; 40 steps per version
        assertEquals(0.04, s.updatesPerEnvStep(), 1e-12);
        assertEquals(1000, s.envStepsPerVersion());
        assertEquals(12, s.realPerBatch());
        assertEquals(ProductionQuota.steps(1000), Learners.quota(context("")));
        PolicySpec spec = Learners.policySpec(context(""));
        assertEquals(PolicySpec.Head.TANH_GAUSSIAN, spec.head());
        assertEquals(PolicySpec.Activation.RELU, spec.activation());
        assertArrayEquals(new int[] {64, 64}, spec.hiddenSizes());
        SettingsException e = assertThrows(SettingsException.class, () -> Learners.quota(context("tributary.learner.sac.critics = 1")));
        assertTrue(e.getMessage().contains("tributary.learner.sac.critics"), e.getMessage());
        assertThrows(SettingsException.class, () -> Learners.policySpec(context("tributary.learner.policy.head = gaussian")));
        assertThrows(SettingsException.class, () -> Learners.create(context("tributary.learner.sac.oracle = NoSuchEnv-v0")));
    }

    @Test
    void alphaFallsWhenEntropyIsAboveTargetAndRisesWhenBelow() {
        // a fresh policy has sigma ~ 1 (entropy well above -|A| = -1): alpha must fall
        try (SacLearner l = learner(small(""))) {
            feed(l, 200, 1);
            double before = l.alpha();
            assertTrue(l.update().applied());
            assertTrue(l.alpha() < before, "alpha=" + l.alpha() + ", before=" + before);
        }
        // an unreachable entropy target (a tanh-squashed action on [-1, 1] has entropy <= log 2): alpha must rise
        try (SacLearner l = learner(small("tributary.learner.sac.target-entropy = 5"))) {
            feed(l, 200, 1);
            double before = l.alpha();
            assertTrue(l.update().applied());
            assertTrue(l.alpha() > before, "alpha=" + l.alpha() + ", before=" + before);
        }
    }

    @Test
    void warmUpUpdatesMakeVersionsWithoutGradientSteps() {
        // batch 32 needs 32 transitions, the quota (20 / 0.1) is 200 env steps: feed 10 + 10 first
        try (SacLearner l = learner(small("tributary.learner.sac.updates-per-env-step = 1\n"))) {
            feed(l, 10, 10);
            assertFalse(l.readyToUpdate(), "quota is 20 env steps");
            feed(l, 10, 10);
            assertTrue(l.readyToUpdate());
            float[] before = l.actorFlat();
            UpdateReport r = l.update();
            assertTrue(r.applied());
            assertEquals(1.0, r.stats().get("warmup"));
            assertEquals(1, l.version());
            assertEquals(0, l.gradientSteps());
            assertArrayEquals(before, l.actorFlat());
            feed(l, 20, 10);
            assertTrue(l.update().applied());
            assertEquals(20, l.gradientSteps(), "40 transitions >= one batch of 32: gradient steps run");
        }
    }

    @Test
    void updatesLeaveNothingInTheLongLivedManager() {
        // every step's tensors (and the graph they hold) must die with the step's sub-manager: RAVL and probes
        try (SacLearner l = learner(small("tributary.learner.sac.critics = 3\ntributary.learner.sac.eta = 1\n"
                + "tributary.learner.sac.probe-every = 10"))) {
            int fresh = l.liveArrays();
            feed(l, 400, 10);
            assertTrue(l.update().applied());
            int live = l.liveArrays();
            assertEquals(fresh, live, "arrays in the learner's manager after the first update");
            for (int i = 0; i < 3; i++) {
                feed(l, 200, 10);
                assertTrue(l.update().applied());
            }
            assertEquals(live, l.liveArrays(), "arrays in the learner's manager after 3 more updates");
        }
    }

    @Test
    void nonFiniteCriticStopsTheLearnerAndRollsTheUpdateBack() {
        try (SacLearner l = learner(small("tributary.learner.sac.critics = 3\ntributary.learner.sac.eta = 1"))) {
            feed(l, 200, 10);
            assertTrue(l.update().applied());
            float[] before = l.actorFlat();
            long steps = l.gradientSteps();
            l.nanAtGradientStep = steps + 7;
            feed(l, 200, 10);
            UpdateReport r = l.update();
            assertFalse(r.applied());
            assertEquals(steps + 7, l.divergedAtUpdate());
            assertEquals((double) (steps + 7), r.stats().get("diverged_at_update"));
            assertTrue(r.skipReason().contains("critic diverged at update " + (steps + 7)), r.skipReason());
            assertEquals("critic diverged at update " + (steps + 7), l.stopReason());
            assertArrayEquals(before, l.actorFlat(), "the partial update is rolled back");
            assertEquals(steps, l.gradientSteps());
            assertEquals(1, l.version());
            feed(l, 200, 10);
            assertFalse(l.update().applied(), "a diverged learner does not train again");
            assertEquals(1, l.version());
        }
    }

    @Test
    void checkpointRoundTripIncludesTheReplayBuffer(@TempDir Path dir) throws IOException {
        String settings = small("tributary.learner.sac.critics = 4\ntributary.learner.sac.eta = 1");
        try (SacLearner a = learner(settings); SacLearner b = learner(settings + "\ntributary.learner.seed = 99")) {
            feed(a, 300, 10);
            assertTrue(a.update().applied());
            a.save(dir);
            b.restore(dir);
            assertEquals(a.version(), b.version());
            assertEquals(a.gradientSteps(), b.gradientSteps());
            assertEquals(300, b.bufferSize());
            assertArrayEquals(a.actorFlat(), b.actorFlat());
            assertEquals(a.alpha(), b.alpha());
            // the same data after the checkpoint gives bit-identical updates: buffer, RNG, targets and moments came back
            feedSeeded(a, 200, 10, 5);
            feedSeeded(b, 200, 10, 5);
            UpdateReport ra = a.update();
            UpdateReport rb = b.update();
            assertTrue(ra.applied() && rb.applied());
            assertEquals(ra.stats().get("critic_loss"), rb.stats().get("critic_loss"));
            assertArrayEquals(a.actorFlat(), b.actorFlat());
            assertEquals(500, b.bufferSize());

            // a corrupted file is refused and leaves the learner as it was
            Path file = dir.resolve(SacLearner.CHECKPOINT_FILE);
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length / 2] ^= 0x40;
            Files.write(file, bytes);
            float[] keep = b.actorFlat();
            IOException e = assertThrows(IOException.class, () -> b.restore(dir));
            assertTrue(e.getMessage().contains("CRC") || e.getMessage().contains("mismatch") || e.getMessage().contains("range"),
                    e.getMessage());
            assertArrayEquals(keep, b.actorFlat());
            assertEquals(500, b.bufferSize());
        }
    }

    @Test
    void snapshotRunsInWorkerInferenceWithTheSameMeans() {
        try (SacLearner l = learner(small(""))) {
            feed(l, 200, 10);
            l.update();
            PolicySnapshot snap = l.snapshot();
            assertEquals("sac", snap.algorithm());
            assertEquals(1, snap.version());
            PolicyInference inf = new PolicyInference(snap, 4);
            float[] obs = {0.3f, -1.2f, 1.5f, 0.2f, -0.7f, -0.7f, 2f, 2f};
            float[] actions = new float[4];
            float[] logp = new float[4];
            inf.act(obs, 4, actions, logp, new SplittableRandom(1), true);
            float[] sampled = new float[4];
            inf.act(obs, 4, sampled, logp, new SplittableRandom(1), false);
            for (int i = 0; i < 4; i++) {
                assertTrue(actions[i] > -1f && actions[i] < 1f, "action in bounds: " + actions[i]);
                assertTrue(Float.isFinite(logp[i]));
            }
            assertNotEquals(actions[0], sampled[0], "stochastic sampling differs from the mean");
            // the worker's deterministic action is tanh(mu) of the learner's actor
            float[] out = new float[4 * inf.outputWidth()];
            inf.forward(obs, 4, out);
            for (int i = 0; i < 4; i++) {
                assertEquals(Math.tanh(out[i * inf.outputWidth()]), actions[i], 1e-6);
            }
        }
    }

    @Test
    void learnsAOneStepProblem() {
        // one-step episodes with reward -(a - 0.5)^2: the critic must learn Q and the actor move its mean to 0.5
        try (SacLearner l = learner("tributary.learner.sac.batch-size = 64\ntributary.learner.sac.gradient-steps = 100\n"
                + "tributary.learner.sac.updates-per-env-step = 1\ntributary.learner.sac.learning-rate = 3e-3")) {
            SplittableRandom rng = new SplittableRandom(3);
            for (int u = 0; u < 6; u++) {
                PolicyInference inf = new PolicyInference(l.snapshot(), 1);
                for (int i = 0; i < 100; i++) {
                    float[] o = {(float) rng.nextDouble(-1, 1), (float) rng.nextDouble(-1, 1)};
                    float[] a = new float[1];
                    inf.act(o, 1, a, new float[1], rng, false);
                    float r = (float) -((a[0] - 0.5) * (a[0] - 0.5));
                    l.accept(chunk(o, a, new float[] {r}, o, true, new int[0]));
                }
                assertTrue(l.update().applied());
            }
            PolicyInference inf = new PolicyInference(l.snapshot(), 1);
            float[] a = new float[1];
            inf.act(new float[] {0.2f, -0.3f}, 1, a, new float[1], rng, true);
            assertEquals(0.5, a[0], 0.15, "deterministic action after training");
        }
    }

    @Test
    void datasetTransitionsSetTheProbeStatesAndQMaxIsMeasured() {
        int n = 50;
        float[] o = new float[n * 2];
        for (int i = 0; i < o.length; i++) {
            o[i] = (i % 7) * 0.1f;
        }
        OfflineDataset data = new OfflineDataset("test-env", 2, 1, o, new float[n], new float[n], o.clone(), new boolean[n],
                new boolean[n]);
        LearnerContext ctx = context(small("tributary.learner.sac.probe-every = 20"));
        try (SacLearner l = new SacLearner(ctx.settings(), SacSettings.fromConfig(ctx.config()),
                Learners.policySpec(ctx), "t", data, null)) {
            feed(l, 200, 10);
            UpdateReport r = l.update();
            assertTrue(r.applied());
            assertTrue(r.stats().containsKey("q_max"), r.stats().toString());
            assertTrue(Double.isFinite(r.stats().get("q_max")));
            // depth-10 transitions were fed (every tenth step), so both groups are measured
            assertTrue(r.stats().get("q_std_edge_samples") > 0);
            assertTrue(r.stats().get("q_std_interior_samples") > 0);
            assertTrue(r.stats().get("q_std_edge") > 0);
            double edge = r.stats().get("edge_state_fraction");
            assertTrue(edge >= 0 && edge <= 1, "edge_state_fraction=" + edge);
        }
    }

    /**
     * q_std_edge / q_std_interior measure the ensemble's spread at states the critics bootstrap from. A
     * terminal transition's next state is never bootstrapped from (and in PointMass2D it is a t = H state no
     * transition starts at, so its Q is never trained): counting it mixed untrained states into both groups
     * (measured on the edge-of-reach run's RAVL checkpoint: std 0.29 at terminal next states against 0.13 at
     * the others). Here terminal next states sit far out, where the random critics disagree by orders of
     * magnitude more, so any of them in the sample lifts the mean above every non-terminal state's spread.
     */
    @Test
    void ensembleStdIgnoresTerminalNextStates() {
        try (SacLearner l = learner("tributary.learner.sac.critics = 10\ntributary.learner.sac.eta = 1.0")) {
            feedSeeded(l, 200, 10, 77);
            SplittableRandom rng = new SplittableRandom(5);
            for (int r = 0; r < 40; r++) {
                // last steps of terminal rollouts, at depth 10 (edge) and at depth 4 (interior): next state far out
                float[] obs = {(float) rng.nextDouble(-1, 1), (float) rng.nextDouble(-1, 1)};
                int[] depth = {r % 2 == 0 ? 10 : 4};
                l.accept(chunk(obs, new float[1], new float[1], new float[] {80f, -80f}, true, depth));
            }
            java.util.Map<String, Double> stats = new java.util.HashMap<>();
            l.probe(stats);
            double[] edgeMax = new double[1];
            double[] interiorMax = new double[1];
            float[] s = new float[2];
            for (int i = 0; i < l.buffer.size(); i++) {
                int slot = l.buffer.slot(i);
                boolean selfBootstrapped = !l.buffer.done[slot];
                if (!selfBootstrapped) {
                    continue;
                }
                System.arraycopy(l.buffer.next, slot * 2, s, 0, 2);
                double std = stdAtDeterministicAction(l, s);
                double[] m = l.buffer.depth[slot] == 10 ? edgeMax : interiorMax;
                m[0] = Math.max(m[0], std);
            }
            assertTrue(edgeMax[0] > 0 && interiorMax[0] > 0);
            // a terminal next state is (80, -80): one of them alone would exceed these bounds many times over
            double far = stdAtDeterministicAction(l, new float[] {80f, -80f});
            assertTrue(far > 20 * Math.max(edgeMax[0], interiorMax[0]), "far=" + far + ", edgeMax=" + edgeMax[0]
                    + ", interiorMax=" + interiorMax[0]);
            assertTrue(stats.get("q_std_edge") <= edgeMax[0] + 1e-9, "q_std_edge=" + stats.get("q_std_edge")
                    + " exceeds every non-terminal edge state's spread " + edgeMax[0]);
            assertTrue(stats.get("q_std_interior") <= interiorMax[0] + 1e-9, "q_std_interior="
                    + stats.get("q_std_interior") + " exceeds every non-terminal interior state's spread " + interiorMax[0]);
        }
    }

    /** Population std over the critics of Q_j(s, tanh mu(s)) at one state, in float64 (action bounds +-1). */
    private static double stdAtDeterministicAction(SacLearner l, float[] state) {
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            ai.djl.ndarray.NDArray obs = m.create(new double[] {state[0], state[1]}, new ai.djl.ndarray.types.Shape(1, 2));
            ai.djl.ndarray.NDArray[] a64 = new ai.djl.ndarray.NDArray[l.actor.length];
            for (int i = 0; i < a64.length; i++) {
                a64[i] = l.actor[i].stopGradient().toType(ai.djl.ndarray.types.DataType.FLOAT64, true);
                a64[i].attach(m);
            }
            ai.djl.ndarray.NDArray[] c64 = new ai.djl.ndarray.NDArray[l.critic.length];
            for (int i = 0; i < c64.length; i++) {
                c64[i] = l.critic[i].stopGradient().toType(ai.djl.ndarray.types.DataType.FLOAT64, true);
                c64[i].attach(m);
            }
            ai.djl.ndarray.NDArray out = io.tributary.learner.nn.DjlPolicyNetwork.forward(obs, a64, 0, l.actorLayout());
            ai.djl.ndarray.NDArray act = out.get(new ai.djl.ndarray.index.NDIndex(":, 0:1")).tanh();
            double[] q = CriticEnsemble.forward(CriticEnsemble.join(obs, act), c64).toDoubleArray();
            double mean = 0;
            for (double v : q) {
                mean += v / q.length;
            }
            double var = 0;
            for (double v : q) {
                var += (v - mean) * (v - mean) / q.length;
            }
            return Math.sqrt(var);
        }
    }

    @Test
    void datasetFileSettingIsReadAndMixedIn(@TempDir Path dir) throws IOException {
        int n = 40;
        float[] o = new float[n * 2];
        for (int i = 0; i < o.length; i++) {
            o[i] = (i % 5) * 0.2f - 0.4f;
        }
        float[] r = new float[n];
        java.util.Arrays.fill(r, 7f);
        Path file = dir.resolve("d.tds");
        io.tributary.simulator.data.DatasetFiles.write(new OfflineDataset("test-env", 2, 1, o, new float[n], r, o.clone(),
                new boolean[n], new boolean[n]), file);
        try (SacLearner l = learner(small("tributary.learner.sac.dataset = \"" + file + "\"\n"
                + "tributary.learner.sac.real-ratio = 0.5\ntributary.learner.sac.probe-every = 20"))) {
            feed(l, 200, 10);
            UpdateReport u = l.update();
            assertTrue(u.applied());
            assertTrue(Double.isFinite(u.stats().get("q_max")), "probe states come from the dataset");
        }
        SettingsException e = assertThrows(SettingsException.class,
                () -> learner(small("tributary.learner.sac.dataset = \"" + dir.resolve("missing.tds") + "\"")));
        assertTrue(e.getMessage().contains("tributary.learner.sac.dataset"), e.getMessage());
    }

    @Test
    void probeEvaluatesTheDeterministicPolicyInTheNamedEnvironment() {
        Space obs = new Space.Box(new float[] {-1f, -1f, -8f}, new float[] {1f, 1f, 8f});
        Space act = new Space.Box(new float[] {-2f}, new float[] {2f});
        LearnerContext ctx = LearnerContext.defaults("tributary.learner.algorithm = sac\n"
                + "tributary.learner.sac.probe-env = Pendulum-v1\ntributary.learner.sac.probe-episodes = 2", obs, act, "t", 1000);
        try (SacLearner l = (SacLearner) Learners.create(ctx)) {
            java.util.Map<String, Double> a = new java.util.HashMap<>();
            java.util.Map<String, Double> b = new java.util.HashMap<>();
            l.probe(a);
            l.probe(b);
            double r = a.get("probe_return");
            // Pendulum's reward is in [-16.3, 0] per step, 200 steps; fixed seeds: the same policy, the same return
            assertTrue(r < 0 && r > -16.3 * 200, "probe_return=" + r);
            assertEquals(r, b.get("probe_return"));
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Small, fast settings: batch 32, 20 gradient steps per update owed by 200 env steps. */
    private static String small(String extra) {
        return "tributary.learner.sac.batch-size = 32\ntributary.learner.sac.gradient-steps = 20\n"
                + "tributary.learner.sac.updates-per-env-step = 0.1\n" + extra;
    }

    private static void feed(SacLearner l, int steps, int k) {
        feedSeeded(l, steps, k, sequence);
    }

    /** {@code steps} env steps in rollouts of {@code k} steps (depth 1..k, the last truncated), random data. */
    private static void feedSeeded(SacLearner l, int steps, int k, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (int done = 0; done < steps; done += k) {
            int n = Math.min(k, steps - done);
            float[] obs = new float[n * 2];
            float[] act = new float[n];
            float[] rew = new float[n];
            int[] depth = new int[n];
            for (int t = 0; t < n; t++) {
                obs[2 * t] = (float) rng.nextDouble(-1, 1);
                obs[2 * t + 1] = (float) rng.nextDouble(-1, 1);
                act[t] = (float) rng.nextDouble(-0.99, 0.99);
                rew[t] = (float) rng.nextDouble();
                depth[t] = t + 1;
            }
            float[] boot = {(float) rng.nextDouble(-1, 1), (float) rng.nextDouble(-1, 1)};
            l.accept(chunk(obs, act, rew, boot, false, depth));
        }
    }

    private static ScoredChunk chunk(float[] obs, float[] act, float[] rew, float[] boot, boolean terminal, int[] depth) {
        int n = rew.length;
        boolean[] term = new boolean[n];
        boolean[] trunc = new boolean[n];
        if (terminal) {
            term[n - 1] = true;
        } else {
            trunc[n - 1] = true;
        }
        TrajectoryChunk c = new TrajectoryChunk(new ChunkId("sac-test", new UUID(1, 2), sequence++), "test-env", 0, sequence,
                0, 0L, n, 2, obs, 1, act, new float[n], new float[n], rew.clone(), term, trunc, boot, new int[0], new int[0],
                depth, 0L);
        return new ScoredChunk(c, rew, "env", 0L, 0L);
    }
}
