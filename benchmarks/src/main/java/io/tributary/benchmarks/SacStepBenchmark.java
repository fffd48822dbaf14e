package io.tributary.benchmarks;

import io.tributary.learner.LearnerContext;
import io.tributary.learner.Learners;
import io.tributary.learner.UpdateReport;
import io.tributary.learner.sac.SacLearner;
import io.tributary.rewards.ScoredChunk;
import io.tributary.simulator.Space;
import io.tributary.simulator.rollout.ChunkId;
import io.tributary.simulator.rollout.TrajectoryChunk;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One SAC gradient step (alpha, actor, critic ensemble, soft target update) at batch 256 with 2 x 64
 * networks on the edge-of-reach shapes (observation 3 = x, y, t/H; action 2): base SAC ({@code critics=2,
 * eta=0}) and RAVL ({@code critics=10, eta=1}, the EDAC term included). Reports milliseconds per gradient
 * step (an update of {@value #STEPS} steps per invocation, its rollback copies included), which sizes the
 * edge-of-reach experiment's budget (about 60k steps per arm).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Dai.djl.offline=true",
        "-Dai.djl.pytorch.num_threads=1"})
@State(Scope.Benchmark)
public class SacStepBenchmark {
    private static final int STEPS = 20;
    private static final int OBS = 3;
    private static final int ACT = 2;

    /** {@code critics:eta}: 2:0 is base SAC, 10:1 is RAVL. */
    @Param({"2:0", "10:1"})
    public String arm;

    /** Learner device setting: cpu, auto or gpu. */
    @Param({"cpu"})
    public String device;

    private SacLearner learner;

    @Setup(Level.Trial)
    public void setUp() {
        String[] ce = arm.split(":");
        String overrides = "tributary.learner { algorithm = sac, device = " + device + ", seed = 1, sac { critics = " + ce[0]
                + ", eta = " + ce[1] + ", batch-size = 256, hidden-sizes = [64, 64], gradient-steps = " + STEPS
                + ", probe-every = 1000000000 } }";
        Space obs = new Space.Box(new float[] {-2f, -2f, 0f}, new float[] {2f, 2f, 1f});
        Space act = new Space.Box(new float[] {-1f, -1f}, new float[] {1f, 1f});
        learner = (SacLearner) Learners.create(LearnerContext.defaults(overrides, obs, act, "bench", 1_000_000_000L));
        SplittableRandom rng = new SplittableRandom(7);
        UUID worker = new UUID(3L, 4L);
        for (int c = 0; c < 2000; c++) {
            int n = 10;
            float[] o = new float[n * OBS];
            for (int i = 0; i < o.length; i++) {
                o[i] = (float) rng.nextDouble(-1, 1);
            }
            float[] a = new float[n * ACT];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) rng.nextDouble(-0.99, 0.99);
            }
            float[] r = new float[n];
            int[] depth = new int[n];
            for (int t = 0; t < n; t++) {
                r[t] = (float) rng.nextDouble();
                depth[t] = t + 1;
            }
            boolean[] term = new boolean[n];
            boolean[] trunc = new boolean[n];
            trunc[n - 1] = true;
            TrajectoryChunk chunk = new TrajectoryChunk(new ChunkId("bench", worker, c), "bench-env", 0, c, 0, 0L, n, OBS, o,
                    ACT, a, new float[n], new float[n], r.clone(), term, trunc, new float[] {0f, 0f, 0f}, new int[0],
                    new int[0], depth, 0L);
            learner.accept(new ScoredChunk(chunk, r, "env", 0L, 0L));
        }
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public UpdateReport gradientStep() {
        UpdateReport r = learner.update();
        if (!r.applied()) {
            throw new IllegalStateException("update skipped: " + r.skipReason());
        }
        return r;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        learner.close();
    }
}
