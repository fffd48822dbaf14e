package io.tributary.benchmarks;

import io.tributary.learner.LearnerSettings;
import io.tributary.learner.PolicyInference;
import io.tributary.learner.PolicySpec;
import io.tributary.learner.ppo.PpoLearner;
import io.tributary.learner.ppo.PpoSettings;
import io.tributary.rewards.ScoredChunk;
import io.tributary.simulator.rollout.ChunkId;
import io.tributary.simulator.rollout.TrajectoryChunk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One PPO update of a fixed shape: 4096 samples (16 chunks of 256 steps), 10 epochs of minibatches of
 * 256, observation 16 -> 64 -> 64 tanh actor and critic, Gaussian head with 4 action dimensions.
 * Reports milliseconds per update (GAE and normaliser work included); each invocation restores the same
 * initial checkpoint first (untimed), so repeated updates on the one stale batch cannot drift. The PyTorch twin is
 * {@code benchmarks/python/ppo_update_torch.py}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 10)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Dai.djl.offline=true",
        "-Dai.djl.pytorch.num_threads=1"})
@State(Scope.Benchmark)
public class PpoUpdateBenchmark extends PpoUpdateBenchmarkBase {
    private static final int OBS = 16;
    private static final int ACTIONS = 4;
    private static final int CHUNKS = 16;
    private static final int STEPS = 256;

    /** Learner device setting: cpu, auto or gpu. */
    @Param({"cpu"})
    public String device;


    @Setup(Level.Trial)
    public void setUp() {
        String overrides = "tributary.learner { device = " + device + ", seed = 1, ppo { "
                + "hidden-sizes = [64, 64], batch-steps = 4096, epochs = 10, minibatch-size = 256, learning-rate = 3.0e-4, "
                + "target-kl = 0, anneal-lr = false, normalize-observations = true } }";
        LearnerSettings settings = LearnerSettings.defaults(overrides);
        PpoSettings ppo = PpoSettings.defaults(overrides, 1_000_000L);
        float[] low = new float[ACTIONS];
        float[] high = new float[ACTIONS];
        java.util.Arrays.fill(low, -1f);
        java.util.Arrays.fill(high, 1f);
        PolicySpec spec = new PolicySpec(OBS, PolicySpec.Head.GAUSSIAN, ACTIONS, new int[] {64, 64}, low, high);
        learner = new PpoLearner(settings, ppo, spec, "bench");
        batch = chunks(learner, spec);
        try {
            initial = Files.createTempDirectory("ppo-bench");
            learner.save(initial);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the initial checkpoint", e);
        }
    }

    private static List<ScoredChunk> chunks(PpoLearner learner, PolicySpec spec) {
        PolicyInference inf = new PolicyInference(learner.snapshot(), STEPS);
        SplittableRandom rng = new SplittableRandom(42);
        UUID worker = new UUID(1L, 2L);
        List<ScoredChunk> out = new ArrayList<>();
        for (int c = 0; c < CHUNKS; c++) {
            float[] obs = new float[STEPS * OBS];
            for (int i = 0; i < obs.length; i++) {
                obs[i] = (float) rng.nextGaussian();
            }
            float[] actions = new float[STEPS * ACTIONS];
            float[] logp = new float[STEPS];
            inf.act(obs, STEPS, actions, logp, rng, false);
            float[] rewards = new float[STEPS];
            for (int t = 0; t < STEPS; t++) {
                rewards[t] = (float) (obs[t * OBS] - 0.1 * actions[t * ACTIONS] * actions[t * ACTIONS]);
            }
            boolean[] terminated = new boolean[STEPS];
            boolean[] truncated = new boolean[STEPS];
            terminated[STEPS - 1] = c % 3 == 0;
            truncated[STEPS - 1] = c % 3 == 1;
            float[] boot = new float[OBS];
            for (int i = 0; i < OBS; i++) {
                boot[i] = (float) rng.nextGaussian();
            }
            TrajectoryChunk chunk = new TrajectoryChunk(new ChunkId("bench", worker, c), "bench-env", c, c, 0, 0L, STEPS,
                    OBS, obs, ACTIONS, actions, logp, new float[STEPS], rewards.clone(), terminated, truncated, boot,
                    new int[0], new int[0], new int[0], 0L);
            out.add(new ScoredChunk(chunk, rewards, "env", 0L, 0L));
        }
        return out;
    }
}
