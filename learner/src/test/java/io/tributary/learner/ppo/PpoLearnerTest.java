package io.tributary.learner.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import io.tributary.config.SettingsException;
import io.tributary.learner.Learner;
import io.tributary.learner.LearnerContext;
import io.tributary.learner.LearnerSettings;
import io.tributary.learner.Learners;
import io.tributary.learner.PolicyInference;
import io.tributary.learner.PolicySnapshot;
import io.tributary.learner.PolicySpec;
import io.tributary.learner.TestChunks;
import io.tributary.learner.TestChunks.End;
import io.tributary.learner.UpdateReport;
import io.tributary.rewards.ScoredChunk;
import io.tributary.simulator.Space;
import io.tributary.simulator.rollout.ChunkTransform;
import io.tributary.simulator.rollout.TrajectoryChunk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PpoLearnerTest {

    private static final PolicySpec CATEGORICAL =
            new PolicySpec(5, PolicySpec.Head.CATEGORICAL, 3, new int[] {8, 6}, new float[0], new float[0]);
    private static final PolicySpec GAUSSIAN =
            new PolicySpec(5, PolicySpec.Head.GAUSSIAN, 3, new int[] {8, 6}, new float[] {-1f, -1f, -1f}, new float[] {1f, 1f, 1f});

    private static final PolicySpec BOUNDED = new PolicySpec(5, PolicySpec.Head.BOUNDED_GAUSSIAN, 3, new int[] {8, 6},
            new float[] {-1f, -1f, -1f}, new float[] {1f, 1f, 1f});

    private static final TestChunks.RewardFn FIRST_OBS_TIMES_ACTION = (o, oo, a, ao) -> o[oo] * 0.3f + a[ao] * 0.2f;

    private static String overrides(String ppoOverrides) {
        return "tributary.learner { device = cpu, seed = 7, ppo { hidden-sizes = [16, 16], "
                + "batch-steps = 64, minibatch-size = 16, epochs = 3, learning-rate = 0.003 " + ppoOverrides + " } }";
    }

    private static LearnerSettings settings(String ppoOverrides) {
        return LearnerSettings.defaults(overrides(ppoOverrides));
    }

    private static PpoSettings ppo(String ppoOverrides) {
        return PpoSettings.defaults(overrides(ppoOverrides), 1_000_000L);
    }

    private static PpoLearner learner(PolicySpec spec, String ppoOverrides) {
        return new PpoLearner(settings(ppoOverrides), ppo(ppoOverrides), spec, "test-run");
    }

    private static void feed(Learner l, List<ScoredChunk> chunks) {
        for (ScoredChunk c : chunks) {
            l.accept(c);
        }
    }

    private static float[] randomObs(int n, int size, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] o = new float[n * size];
        for (int i = 0; i < o.length; i++) {
            o[i] = (float) (1.0 + 2.0 * rng.nextGaussian());
        }
        return o;
    }

    @Test
    void inferenceMatchesDjlForwardAndLogProbs() {
        for (PolicySpec spec : List.of(CATEGORICAL, GAUSSIAN, BOUNDED)) {
            try (PpoLearner l = learner(spec, ", entropy-coef = 0.01")) {
                // one update so the weights moved and the observation statistics are not trivial
                feed(l, TestChunks.random(l.snapshot(), 8, 10, 1, FIRST_OBS_TIMES_ACTION));
                assertTrue(l.update().applied());
                PolicySnapshot snap = l.snapshot();
                assertNotEquals(0f, snap.observationMean()[0]);
                PolicyInference inf = new PolicyInference(snap, 64);
                float[] obs = randomObs(64, 5, 3);
                float[] java = new float[64 * 3];
                inf.forward(obs, 64, java);
                float[] djl = l.policyOutputs(obs, 64);
                assertEquals(java.length, djl.length);
                for (int i = 0; i < java.length; i++) {
                    assertEquals(djl[i], java[i], 1e-5, spec.head() + " output " + i);
                }
                float[] actions = new float[64 * spec.actionFloats()];
                float[] lp = new float[64];
                inf.act(obs, 64, actions, lp, new SplittableRandom(4), false);
                float[] djlLp = l.logProbs(obs, actions, 64);
                for (int i = 0; i < 64; i++) {
                    assertEquals(djlLp[i], lp[i], 1e-5, spec.head() + " logProb " + i);
                }
            }
        }
    }

    @Test
    void advantagesBootstrapByHowTheChunkEnds() {
        try (PpoLearner l = learner(CATEGORICAL, ", gamma = 0.9, gae-lambda = 0.8")) {
            float[] obs = randomObs(3, 5, 10);
            float[] boot = randomObs(1, 5, 11);
            float[] rewards = {1f, 0f, 2f};
            float[] actions = {0f, 1f, 2f};
            float[] logp = {-1f, -1f, -1f};
            List<ScoredChunk> chunks = new ArrayList<>();
            for (End end : End.values()) {
                chunks.add(TestChunks.chunk(5, 1, obs, actions, logp, rewards, boot, end, 0));
            }
            PpoBatch b = l.prepare(chunks, 9);
            float[] v = l.values(obs, 3);
            float vBoot = l.values(boot, 1)[0];
            assertNotEquals(0f, vBoot);
            for (int c = 0; c < 3; c++) {
                double next = c == 0 ? 0.0 : vBoot; // TERMINATED, TRUNCATED, MID_EPISODE
                double a2 = rewards[2] + 0.9 * next - v[2];
                double a1 = rewards[1] + 0.9 * v[2] - v[1] + 0.72 * a2;
                double a0 = rewards[0] + 0.9 * v[1] - v[0] + 0.72 * a1;
                assertEquals(a0, b.advantages[3 * c], 1e-5, "chunk " + c);
                assertEquals(a1, b.advantages[3 * c + 1], 1e-5, "chunk " + c);
                assertEquals(a2, b.advantages[3 * c + 2], 1e-5, "chunk " + c);
                assertEquals(a0 + v[0], b.returns[3 * c], 1e-5, "chunk " + c);
                assertEquals(v[0], b.values[3 * c], 1e-6);
            }
            assertEquals(b.advantages[3], b.advantages[6]);
            assertNotEquals(b.advantages[0], b.advantages[3]);
        }
    }

    @Test
    void saveRestoreReproducesSnapshotAndNextUpdate(@TempDir Path tmp) throws IOException {
        for (PolicySpec spec : List.of(GAUSSIAN, CATEGORICAL)) {
            String over = ", normalize-rewards = true, value-clip = 0.2, entropy-coef = 0.01";
            Path d1 = Files.createDirectories(tmp.resolve(spec.head() + "-1"));
            Path d2 = Files.createDirectories(tmp.resolve(spec.head() + "-2"));
            LearnerSettings s = settings(over);
            LearnerSettings otherSeed = new LearnerSettings(s.algorithm(), s.device(), 99L, s.policy());
            try (PpoLearner a = new PpoLearner(s, ppo(over), spec, "test-run");
                 PpoLearner b = new PpoLearner(otherSeed, ppo(over), spec, "test-run")) {
                List<ScoredChunk> first = TestChunks.random(a.snapshot(), 8, 10, 21, FIRST_OBS_TIMES_ACTION);
                feed(a, first);
                assertTrue(a.update().applied());
                a.save(d1);
                PolicySnapshot saved = a.snapshot();
                List<ScoredChunk> second = TestChunks.random(saved, 8, 10, 22, FIRST_OBS_TIMES_ACTION);
                feed(a, second);
                UpdateReport ra = a.update();

                b.restore(d1);
                PolicySnapshot restored = b.snapshot();
                assertEquals(saved.version(), restored.version());
                assertEquals(saved.createdAtMicros(), restored.createdAtMicros());
                assertArrayEquals(saved.parameters(), restored.parameters());
                assertArrayEquals(saved.observationMean(), restored.observationMean());
                assertArrayEquals(saved.observationVar(), restored.observationVar());
                b.save(d2);
                assertArrayEquals(Files.readAllBytes(d1.resolve(PpoLearner.CHECKPOINT_FILE)),
                        Files.readAllBytes(d2.resolve(PpoLearner.CHECKPOINT_FILE)), "checkpoint bytes after a round trip");

                feed(b, second);
                UpdateReport rb = b.update();
                assertTrue(ra.applied() && rb.applied());
                assertEquals(2, b.version());
                assertArrayEquals(a.snapshot().parameters(), b.snapshot().parameters(), spec.head() + " next update");
                assertArrayEquals(a.snapshot().observationVar(), b.snapshot().observationVar());
                assertEquals(ra.stats().get("loss"), rb.stats().get("loss"));
            }
        }
    }

    @Test
    void restoreRejectsAnotherArchitectureAndCorruptFiles(@TempDir Path tmp) throws IOException {
        try (PpoLearner a = learner(GAUSSIAN, ""); PpoLearner c = learner(CATEGORICAL, "")) {
            a.save(tmp);
            PolicySnapshot before = c.snapshot();
            IOException e = assertThrows(IOException.class, () -> c.restore(tmp));
            assertTrue(e.getMessage().startsWith("checkpoint architecture mismatch"), e.getMessage());
            assertArrayEquals(before.parameters(), c.snapshot().parameters());
            byte[] bytes = Files.readAllBytes(tmp.resolve(PpoLearner.CHECKPOINT_FILE));
            bytes[bytes.length / 2] ^= 1;
            Files.write(tmp.resolve(PpoLearner.CHECKPOINT_FILE), bytes);
            e = assertThrows(IOException.class, () -> a.restore(tmp));
            assertTrue(e.getMessage().startsWith("checkpoint CRC mismatch"), e.getMessage());
        }
    }

    /**
     * A format-2 file (no pooled-field list) still restores: built from a format-3 save by taking out the list's count
     * (0) and rewriting format and CRC, it must give back the same policy, statistics and version.
     */
    @Test
    void restoreReadsFormatTwo(@TempDir Path tmp) throws IOException {
        try (PpoLearner a = learner(GAUSSIAN, ""); PpoLearner b = learner(GAUSSIAN, "")) {
            feed(a, TestChunks.random(a.snapshot(), 8, 10, 31, FIRST_OBS_TIMES_ACTION));
            assertTrue(a.update().applied());
            a.save(tmp);
            byte[] v3 = Files.readAllBytes(tmp.resolve(PpoLearner.CHECKPOINT_FILE));
            // where the pooled-field count sits: after magic, format, algorithm, spec, six counters and the statistics
            java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
            try (java.io.DataOutputStream out = new java.io.DataOutputStream(head)) {
                out.writeInt(PpoCheckpoint.MAGIC);
                out.writeInt(3);
                out.writeUTF("ppo");
                io.tributary.learner.nn.Checkpoints.writeSpec(out, GAUSSIAN);
                out.write(new byte[6 * Long.BYTES]);
                new io.tributary.learner.RunningMeanStd(GAUSSIAN.observationSize()).write(out);
            }
            int at = head.size();
            assertEquals(3, java.nio.ByteBuffer.wrap(v3, 4, 4).getInt(), "written as format 3");
            assertEquals(0, java.nio.ByteBuffer.wrap(v3, at, 4).getInt(), "the empty pooled-field list's count");
            java.io.ByteArrayOutputStream v2 = new java.io.ByteArrayOutputStream();
            v2.write(v3, 0, at);
            v2.write(v3, at + 4, v3.length - 8 - at - 4);
            byte[] body = v2.toByteArray();
            java.nio.ByteBuffer.wrap(body, 4, 4).putInt(2);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(body);
            Files.write(tmp.resolve(PpoLearner.CHECKPOINT_FILE), java.nio.ByteBuffer.allocate(body.length + 8).put(body)
                    .putLong(crc.getValue()).array());

            b.restore(tmp);
            assertEquals(a.version(), b.version());
            assertArrayEquals(a.snapshot().parameters(), b.snapshot().parameters());
            assertArrayEquals(a.snapshot().observationMean(), b.snapshot().observationMean());
            assertArrayEquals(a.snapshot().observationVar(), b.snapshot().observationVar());

            // the same file under a pooled-field list is refused: format 2 had none
            try (PpoLearner pooled = new PpoLearner(settings(""), ppo(", pooled-normalization-fields = [observation]"), GAUSSIAN,
                    "test-run")) {
                IOException e = assertThrows(IOException.class, () -> pooled.restore(tmp));
                assertTrue(e.getMessage().startsWith("checkpoint normalisation mismatch"), e.getMessage());
            }
        }
    }

    @Test
    void restoreRefusesTheOldFormatWithAClearMessage(@TempDir Path tmp) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeInt(0x54505031);
            out.writeInt(1);
            out.writeUTF("ppo");
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
        }
        Files.write(tmp.resolve(PpoLearner.CHECKPOINT_FILE), bytes.toByteArray());
        try (PpoLearner l = learner(CATEGORICAL, "")) {
            IOException e = assertThrows(IOException.class, () -> l.restore(tmp));
            assertTrue(e.getMessage().startsWith("unsupported checkpoint format: format=1, supported=3 (format 1 was written"
                    + " before checkpoints stored the policy architecture"), e.getMessage());
        }
    }

    @Test
    void tanhGaussianHeadIsRefusedByPpo() {
        PolicySpec tanh = new PolicySpec(PolicySpec.Architecture.MLP, PolicySpec.Activation.TANH,
                GAUSSIAN.fields(), new int[] {8}, PolicySpec.Head.TANH_GAUSSIAN, 3, new float[] {-1f, -1f, -1f},
                new float[] {1f, 1f, 1f});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> learner(tanh, ""));
        assertTrue(e.getMessage().startsWith("PPO supports categorical and gaussian heads: head=TANH_GAUSSIAN"), e.getMessage());
    }

    @Test
    void boundLossNeedsAGaussianHead() {
        SettingsException e = assertThrows(SettingsException.class, () -> learner(CATEGORICAL, ", bound-loss-coef = 0.5"));
        assertTrue(e.getMessage().contains("tributary.learner.ppo.bound-loss-coef") && e.getMessage().contains("0.5")
                && e.getMessage().contains("CATEGORICAL"), e.getMessage());
        // a Gaussian head takes it (construction is where the head is checked)
        try (PpoLearner l = learner(GAUSSIAN, ", bound-loss-coef = 0.5")) {
            assertFalse(l.deviceDescription().isEmpty());
        }
    }

    @Test
    void reluMlpTrainsAndMatchesInference() {
        PolicySpec relu = new PolicySpec(PolicySpec.Architecture.MLP, PolicySpec.Activation.RELU, GAUSSIAN.fields(),
                new int[] {8, 6}, PolicySpec.Head.GAUSSIAN, 3, GAUSSIAN.actionLow(), GAUSSIAN.actionHigh());
        try (PpoLearner l = learner(relu, "")) {
            feed(l, TestChunks.random(l.snapshot(), 8, 10, 1, FIRST_OBS_TIMES_ACTION));
            assertTrue(l.update().applied());
            PolicyInference inf = new PolicyInference(l.snapshot(), 16);
            float[] obs = randomObs(16, 5, 3);
            float[] java = new float[16 * 3];
            inf.forward(obs, 16, java);
            float[] djl = l.policyOutputs(obs, 16);
            for (int i = 0; i < java.length; i++) {
                assertEquals(djl[i], java[i], 1e-5, "output " + i);
            }
        }
    }

    @Test
    void overflowingLossSkipsTheUpdate() {
        try (PpoLearner l = learner(GAUSSIAN, "")) {
            PolicySnapshot before = l.snapshot();
            float[] paramsBefore = before.parameters().clone();
            feed(l, TestChunks.random(before, 8, 10, 5, (o, oo, a, ao) -> 1e30f));
            assertTrue(l.readyToUpdate());
            UpdateReport r = l.update();
            assertFalse(r.applied());
            assertTrue(r.skipReason().startsWith("non-finite"), r.skipReason());
            assertEquals(0, r.version());
            assertEquals(0, l.version());
            assertEquals(1, l.updatesSkipped());
            assertEquals(0, l.bufferedSteps());
            assertArrayEquals(paramsBefore, l.snapshot().parameters());
            assertArrayEquals(before.observationMean(), l.snapshot().observationMean());
            // and the learner still learns afterwards
            feed(l, TestChunks.random(l.snapshot(), 8, 10, 6, FIRST_OBS_TIMES_ACTION));
            UpdateReport ok = l.update();
            assertTrue(ok.applied(), ok.skipReason());
            assertEquals(1, l.version());
        }
    }

    @Test
    void nanMidUpdateRollsEverythingBack() {
        List<ScoredChunk> batch1;
        List<ScoredChunk> batch2;
        try (PpoLearner probe = learner(CATEGORICAL, "")) {
            batch1 = TestChunks.random(probe.snapshot(), 8, 10, 31, FIRST_OBS_TIMES_ACTION);
            batch2 = TestChunks.random(probe.snapshot(), 8, 10, 32, FIRST_OBS_TIMES_ACTION);
        }
        float[] twinParams;
        try (PpoLearner twin = learner(CATEGORICAL, "")) {
            feed(twin, batch2);
            assertTrue(twin.update().applied());
            twinParams = twin.snapshot().parameters();
        }
        try (PpoLearner l = learner(CATEGORICAL, "")) {
            float[] initial = l.snapshot().parameters().clone();
            l.nanInjectionMinibatch = 5; // after 5 applied Adam steps, in the second epoch
            feed(l, batch1);
            UpdateReport r = l.update();
            assertFalse(r.applied());
            assertTrue(r.skipReason().contains("epoch=1"), r.skipReason());
            assertArrayEquals(initial, l.snapshot().parameters());
            l.nanInjectionMinibatch = -1;
            feed(l, batch2);
            assertTrue(l.update().applied());
            // weights, Adam moments, RNG and normaliser were all put back: same result as never having tried
            assertArrayEquals(twinParams, l.snapshot().parameters());
        }
    }

    private static volatile long garbageSink;

    /**
     * Twins fed the same data must stay bit-for-bit equal while another thread forces garbage collections.
     * Guards against native tensors that read Java direct buffers after they were freed (DJL's Number
     * operands are such buffers; autograd keeps them for backward).
     */
    @Test
    void updatesAreReproducibleUnderGcPressure() throws InterruptedException {
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread gc = new Thread(() -> {
            // Churn the young generation: every young collection can free unreachable direct buffers.
            long sink = 0;
            while (!stop.get()) {
                byte[] junk = new byte[1 << 16];
                sink += junk.length;
            }
            garbageSink = sink;
        }, "gc-pressure");
        gc.setDaemon(true);
        String over = ", value-clip = 0.2, entropy-coef = 0.01, hidden-sizes = [32, 32], minibatch-size = 32, epochs = 4";
        try (PpoLearner a = learner(GAUSSIAN, over); PpoLearner b = learner(GAUSSIAN, over)) {
            gc.start();
            for (int u = 0; u < 10; u++) {
                List<ScoredChunk> data = TestChunks.random(a.snapshot(), 16, 16, 70 + u, FIRST_OBS_TIMES_ACTION);
                feed(a, data);
                feed(b, data);
                UpdateReport ra = a.update();
                UpdateReport rb = b.update();
                assertTrue(ra.applied() && rb.applied(), ra.skipReason() + " / " + rb.skipReason());
                assertArrayEquals(a.snapshot().parameters(), b.snapshot().parameters(), "update " + u);
            }
        } finally {
            stop.set(true);
            gc.join();
        }
    }

    @Test
    void updatesDoNotLeakNativeArrays() {
        try (PpoLearner l = learner(GAUSSIAN, ", target-kl = 0.0001")) {
            int[] counts = new int[4];
            for (int i = 0; i < 4; i++) {
                feed(l, TestChunks.random(l.snapshot(), 8, 10, 40 + i, FIRST_OBS_TIMES_ACTION));
                l.update();
                l.policyOutputs(randomObs(4, 5, i), 4);
                counts[i] = l.liveArrays();
            }
            assertEquals(counts[1], counts[3], Arrays.toString(counts));
        }
    }

    @Test
    void targetKlStopsEarly() {
        try (PpoLearner l = learner(GAUSSIAN, ", target-kl = 0.000001, epochs = 10")) {
            feed(l, TestChunks.random(l.snapshot(), 8, 10, 50, FIRST_OBS_TIMES_ACTION));
            UpdateReport r = l.update();
            assertTrue(r.applied());
            assertEquals(1.0, r.stats().get("stopped_early"));
            assertTrue(r.stats().get("minibatch_steps") < 40, r.stats().toString());
        }
    }

    /**
     * initial-log-std sets only the Gaussian head's log sigma: sampled actions spread by exp(it), the weights are
     * those of the default start, and a value outside [-5, 2] stops start-up naming the key.
     */
    @Test
    void initialLogStdSetsOnlyTheStartingSpread() {
        try (PpoLearner base = learner(GAUSSIAN, "");
             PpoLearner narrow = learner(GAUSSIAN, ", initial-log-std = -1.5")) {
            PolicySnapshot a = base.snapshot();
            PolicySnapshot b = narrow.snapshot();
            PolicyInference ia = new PolicyInference(a, 1);
            PolicyInference ib = new PolicyInference(b, 1);
            for (int i = 0; i < GAUSSIAN.actionSize(); i++) {
                assertEquals(0.0f, ia.logStd(i));
                assertEquals(-1.5f, ib.logStd(i));
            }
            float[] pa = a.parameters();
            float[] pb = b.parameters();
            assertEquals(pa.length, pb.length);
            int differing = 0;
            for (int i = 0; i < pa.length; i++) {
                differing += pa[i] != pb[i] ? 1 : 0;
            }
            assertEquals(GAUSSIAN.actionSize(), differing, "only the log-sigma tail differs");
        }
        try (PpoLearner bounded = learner(BOUNDED, ", initial-log-std = -1.5")) {
            assertEquals(-1.5f, new PolicyInference(bounded.snapshot(), 1).logStd(2), "the bounded head has the same tail");
        }
        try (PpoLearner perDimension = learner(GAUSSIAN, ", initial-log-std = [-1.5, 0, -0.5]")) {
            PolicyInference ic = new PolicyInference(perDimension.snapshot(), 1);
            assertEquals(-1.5f, ic.logStd(0));
            assertEquals(0.0f, ic.logStd(1));
            assertEquals(-0.5f, ic.logStd(2));
        }
        SettingsException e = assertThrows(SettingsException.class, () -> ppo(", initial-log-std = 3"));
        assertTrue(e.getMessage().contains("tributary.learner.ppo.initial-log-std") && e.getMessage().contains("[3.0]"),
                e.getMessage());
        SettingsException wrongLength = assertThrows(SettingsException.class,
                () -> learner(GAUSSIAN, ", initial-log-std = [-1.5, 0]").close());
        assertTrue(wrongLength.getMessage().contains("initial-log-std") && wrongLength.getMessage().contains("the action has 3"),
                wrongLength.getMessage());
    }

    @Test
    void annealingLowersTheLearningRate() {
        try (PpoLearner l = learner(GAUSSIAN, ", anneal-lr = true, total-env-steps = 160")) {
            assertEquals(0.003, l.currentLearningRate(), 1e-12);
            feed(l, TestChunks.random(l.snapshot(), 8, 10, 60, FIRST_OBS_TIMES_ACTION));
            UpdateReport r = l.update();
            assertEquals(0.003, r.stats().get("learning_rate"), 1e-9);
            assertEquals(0.003 * (1 - 80.0 / 160), l.currentLearningRate(), 1e-12);
        }
    }

    /**
     * With augmented copies (mirrors) in the stream, batch-steps, the env-step count and annealing follow the
     * real steps, while the update trains on every sample; without them nothing changes (the test above).
     */
    @Test
    void augmentedChunksComeOnTopOfBatchStepsAndAnnealing() {
        try (PpoLearner l = learner(GAUSSIAN, ", anneal-lr = true, total-env-steps = 160")) {
            List<ScoredChunk> real = TestChunks.random(l.snapshot(), 7, 10, 61, FIRST_OBS_TIMES_ACTION);
            for (int c = 0; c < 6; c++) {
                l.accept(real.get(c));
                l.accept(augmentedCopy(real.get(c)));
            }
            assertEquals(120, l.bufferedSteps());
            assertEquals(60, l.bufferedRealSteps());
            assertFalse(l.readyToUpdate(), "120 samples but only 60 real steps < batch-steps 64");
            l.accept(real.get(6));
            assertTrue(l.readyToUpdate());
            UpdateReport r = l.update();
            assertTrue(r.applied(), r.skipReason());
            assertEquals(130, r.samples(), "the update trains on real and augmented samples");
            assertEquals(70.0, r.stats().get("real_env_steps"));
            assertEquals(70L, l.envStepsTrained());
            assertEquals(0.003 * (1 - 70.0 / 160), l.currentLearningRate(), 1e-12);
            assertEquals(0, l.bufferedRealSteps());
        }
    }

    /** {@code chunk} marked as an augmented copy (signal augmented = 1 on every step), mirrored env index. */
    private static ScoredChunk augmentedCopy(ScoredChunk scored) {
        TrajectoryChunk c = scored.chunk();
        float[] marks = new float[c.steps()];
        Arrays.fill(marks, 1f);
        TrajectoryChunk a = new TrajectoryChunk(c.id(), c.envName(), c.envIndex() + (1 << 16), c.episodeId(),
                c.chunkIndex(), c.policyVersion(), c.steps(), c.observationSize(), c.observations(), c.actionSize(),
                c.actions(), c.logProbs(), c.values(), c.rewards(), c.terminated(), c.truncated(),
                c.bootstrapObservation(), c.segmentOffsets(), c.context(), c.depth(), c.createdAtMicros(),
                new String[] {ChunkTransform.AUGMENTED_SIGNAL}, marks);
        return new ScoredChunk(a, scored.rewards(), "env", 0L, 0L);
    }

    /**
     * A mirrored copy whose actions lie deep in the policy's tail (an asymmetric policy: the original drew them with
     * ordinary log-probs) trains with weight ~0 when it carries its behaviour log-probs: the update runs all its
     * epochs under the KL stop. The same copies without them own the gradient and trip the stop (with the dual clip;
     * without it their ratio overflows and the update is skipped).
     */
    @Test
    void copiesDrawnByAnotherPolicyAreWeightedByTheirBehaviourLogProbs() {
        String kl = ", target-kl = 0.05, dual-clip = 3";
        try (PpoLearner weighted = learner(GAUSSIAN, kl); PpoLearner unweighted = learner(GAUSSIAN, kl)) {
            List<ScoredChunk> real = TestChunks.random(weighted.snapshot(), 7, 10, 61, FIRST_OBS_TIMES_ACTION);
            PolicyInference policy = new PolicyInference(weighted.snapshot(), 10);
            for (ScoredChunk c : real) {
                weighted.accept(c);
                weighted.accept(tailCopy(c, policy, true));
                unweighted.accept(c);
                unweighted.accept(tailCopy(c, policy, false));
            }
            UpdateReport w = weighted.update();
            assertTrue(w.applied(), w.skipReason());
            assertEquals(0.0, w.stats().get("stopped_early"), "weighted: " + w.stats());
            assertEquals(3.0, w.stats().get("epochs"));
            assertTrue(w.stats().get("behaviour_weight_mean") < 1e-6, "tail copies hardly train: " + w.stats());
            assertTrue(w.stats().get("approx_kl") < 0.075, "weighted KL: " + w.stats());

            UpdateReport u = unweighted.update();
            assertTrue(u.applied(), u.skipReason());
            assertEquals(1.0, u.stats().get("stopped_early"), "unweighted copies trip the KL stop: " + u.stats());
            assertFalse(u.stats().containsKey("behaviour_weight_mean"));
        }
    }

    /**
     * An augmented copy of {@code scored} with every action moved 100 units (the policy's std is 1) and its log-probs
     * recomputed under {@code policy}, as the lane mirror does; with {@code behaviour} it also carries the original
     * log-probs as {@link ChunkTransform#BEHAVIOUR_LOG_PROB_SIGNAL}.
     */
    private static ScoredChunk tailCopy(ScoredChunk scored, PolicyInference policy, boolean behaviour) {
        TrajectoryChunk c = scored.chunk();
        float[] actions = c.actions().clone();
        for (int i = 0; i < actions.length; i++) {
            actions[i] += 100f;
        }
        float[] logProbs = new float[c.steps()];
        policy.logProbs(c.observations(), c.steps(), actions, logProbs);
        String[] names = behaviour ? new String[] {ChunkTransform.AUGMENTED_SIGNAL, ChunkTransform.BEHAVIOUR_LOG_PROB_SIGNAL}
                : new String[] {ChunkTransform.AUGMENTED_SIGNAL};
        float[] signals = new float[c.steps() * names.length];
        for (int t = 0; t < c.steps(); t++) {
            signals[t * names.length] = 1f;
            if (behaviour) {
                signals[t * names.length + 1] = c.logProbs()[t];
            }
        }
        TrajectoryChunk a = new TrajectoryChunk(c.id(), c.envName(), c.envIndex() + (1 << 16), c.episodeId(),
                c.chunkIndex(), c.policyVersion(), c.steps(), c.observationSize(), c.observations(), c.actionSize(),
                actions, logProbs, c.values(), c.rewards(), c.terminated(), c.truncated(),
                c.bootstrapObservation(), c.segmentOffsets(), c.context(), c.depth(), c.createdAtMicros(), names, signals);
        return new ScoredChunk(a, scored.rewards(), "env", 0L, 0L);
    }

    @Test
    void acceptChecksChunkShape() {
        try (PpoLearner l = learner(CATEGORICAL, "")) {
            float[] obs = randomObs(2, 5, 1);
            ScoredChunk badAction = TestChunks.chunk(5, 1, obs, new float[] {0f, 3f}, new float[2], new float[2],
                    new float[5], End.MID_EPISODE, 0);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> l.accept(badAction));
            assertTrue(e.getMessage().startsWith("actionIndex out of range: actionIndex=3.0, actionCount=3"), e.getMessage());
            ScoredChunk badShape = TestChunks.chunk(4, 1, new float[8], new float[2], new float[2], new float[2],
                    new float[4], End.MID_EPISODE, 0);
            assertThrows(IllegalArgumentException.class, () -> l.accept(badShape));
            assertEquals(0, l.bufferedSteps());
            assertFalse(l.readyToUpdate());
            UpdateReport empty = l.update();
            assertFalse(empty.applied());
        }
    }

    @Test
    void deviceSettingIsHonoured() {
        try (PpoLearner l = learner(CATEGORICAL, "")) {
            assertTrue(l.deviceDescription().startsWith("cpu()"), l.deviceDescription());
        }
        assumeTrue(Engine.getInstance().getGpuCount() == 0, "a GPU is present");
        LearnerContext gpu = LearnerContext.defaults("tributary.learner.device = gpu", Space.Box.uniform(5, -1f, 1f),
                new Space.Discrete(3), "r", 1000);
        SettingsException e = assertThrows(SettingsException.class, () -> Learners.create(gpu));
        assertTrue(e.getMessage().startsWith("bad config: path=tributary.learner.device, value=gpu, rule=needs a GPU"),
                e.getMessage());
    }
}
