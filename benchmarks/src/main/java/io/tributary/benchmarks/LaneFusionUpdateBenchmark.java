package io.tributary.benchmarks;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tributary.learner.LearnerContext;
import io.tributary.learner.LearnerSettings;
import io.tributary.learner.Learners;
import io.tributary.learner.PolicyInference;
import io.tributary.learner.PolicySpec;
import io.tributary.learner.ppo.PpoLearner;
import io.tributary.learner.ppo.PpoSettings;
import io.tributary.rewards.ScoredChunk;
import io.tributary.simulator.StepResult;
import io.tributary.simulator.lane.LaneKeepingEnv;
import io.tributary.simulator.rollout.ChunkId;
import io.tributary.simulator.rollout.TrajectoryChunk;
import java.io.File;
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
 * One PPO update of a lane-keeping config as committed ({@code configs/lane-keeping-<config>.conf}: its fusion
 * network, 10 epochs, minibatch 256), on {@code samples} samples of real {@code LaneKeeping-v0} rollouts of the
 * initial policy: 2,048 is one update's real env steps (n_steps), 4,096 the same with the mirrored chunks on top.
 * Reports milliseconds per update; each invocation restores the same initial checkpoint first (untimed). The
 * lane-keeping experiment's step budget is sized from this figure. Run from the repository root (it reads
 * {@code configs/}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Dai.djl.offline=true",
        "-Dai.djl.pytorch.num_threads=1"})
@State(Scope.Benchmark)
public class LaneFusionUpdateBenchmark extends PpoUpdateBenchmarkBase {
    private static final int CHUNK = 128;

    /** Which committed config: fused, geo-lidar-pid or geo-lidar. */
    @Param({"fused", "geo-lidar"})
    public String config;

    /** Samples per update: 2048 real steps, or 4096 with their mirrors. */
    @Param({"2048", "4096"})
    public int samples;


    @Setup(Level.Trial)
    public void setUp() {
        File file = new File("configs/lane-keeping-" + config + ".conf");
        if (!file.isFile()) {
            throw new IllegalStateException("run from the repository root: " + file.getAbsolutePath() + " not found");
        }
        Config c = ConfigFactory.parseFile(file).withFallback(ConfigFactory.parseString("tributary.learner.device = cpu"))
                .withFallback(ConfigFactory.defaultReference()).resolve();
        LearnerSettings settings = LearnerSettings.fromConfig(c);
        PpoSettings ppo = PpoSettings.fromConfig(c, 1_000_000L);
        try (LaneKeepingEnv env = new LaneKeepingEnv()) {
            LearnerContext ctx = new LearnerContext(settings, c, env.observationSpace(), env.actionSpace(), "bench", 1_000_000L);
            PolicySpec spec = Learners.policySpec(ctx, ppo.hiddenSizes());
            // The update must take the whole batch: batch-steps is the sample count here.
            PpoSettings sized = PpoSettings.fromConfig(ConfigFactory.parseString("tributary.learner.ppo.batch-steps = " + samples)
                    .withFallback(c), 1_000_000L);
            learner = new PpoLearner(settings, sized, spec, "bench");
            batch = rollouts(env, learner, spec, samples);
        }
        try {
            initial = Files.createTempDirectory("lane-ppo-bench");
            learner.save(initial);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the initial checkpoint", e);
        }
    }

    /** {@code samples} steps of the initial policy (stochastic actions) in chunks of up to 128 steps, scored by the env's reward. */
    private static List<ScoredChunk> rollouts(LaneKeepingEnv env, PpoLearner learner, PolicySpec spec, int samples) {
        PolicyInference inf = new PolicyInference(learner.snapshot(), 1);
        SplittableRandom rng = new SplittableRandom(42);
        int obsSize = LaneKeepingEnv.OBSERVATION_SIZE;
        StepResult r = StepResult.forEnvironment(env);
        long seed = 1;
        env.reset(seed, r);
        List<ScoredChunk> out = new ArrayList<>();
        UUID worker = new UUID(1L, 2L);
        float[] a = new float[2];
        float[] lp = new float[1];
        int taken = 0;
        for (int c = 0; taken < samples; c++) {
            int n = Math.min(CHUNK, samples - taken);
            float[] obs = new float[n * obsSize];
            float[] actions = new float[n * 2];
            float[] logp = new float[n];
            float[] rewards = new float[n];
            int t = 0;
            boolean done = false;
            for (; t < n && !done; t++) {
                System.arraycopy(r.observation, 0, obs, t * obsSize, obsSize);
                inf.act(r.observation, 1, a, lp, rng, false);
                System.arraycopy(a, 0, actions, t * 2, 2);
                logp[t] = lp[0];
                env.step(a, r);
                rewards[t] = r.reward;
                done = r.done();
            }
            // A chunk never spans two episodes: it ends at the episode's end, which only its last step may mark.
            boolean[] terminated = new boolean[t];
            boolean[] truncated = new boolean[t];
            terminated[t - 1] = done && r.terminated;
            truncated[t - 1] = done && r.truncated;
            float[] rew = java.util.Arrays.copyOf(rewards, t);
            TrajectoryChunk chunk = new TrajectoryChunk(new ChunkId("bench", worker, c), LaneKeepingEnv.NAME, 0, seed, c, 0L, t,
                    obsSize, java.util.Arrays.copyOf(obs, t * obsSize), 2, java.util.Arrays.copyOf(actions, t * 2),
                    java.util.Arrays.copyOf(logp, t), new float[t], rew.clone(), terminated, truncated,
                    r.observation.clone(), new int[0], new int[0], new int[0], 0L);
            out.add(new ScoredChunk(chunk, rew, "env", 0L, 0L));
            taken += t;
            if (done) {
                env.reset(++seed, r);
            }
        }
        return out;
    }
}
