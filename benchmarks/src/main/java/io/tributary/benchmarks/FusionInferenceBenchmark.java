package io.tributary.benchmarks;

import com.typesafe.config.ConfigFactory;
import io.tributary.learner.PolicyInference;
import io.tributary.learner.PolicySettings;
import io.tributary.learner.PolicySnapshot;
import io.tributary.learner.PolicySpec;
import io.tributary.simulator.StepResult;
import io.tributary.simulator.lane.GroundTruthCaptioner;
import io.tributary.simulator.lane.LaneKeepingEnv;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Worker inference of issue 8's fused lane-keeping policy ({@link PolicyInference#act}, one call per step of a
 * worker's {@code envs} environments) with and without the token-branch cache. The spec is built as a run
 * builds it, from {@code tributary.learner.policy} settings over {@code LaneKeeping-v0}'s spaces with the front-wheel
 * angle observed (as {@code configs/lane-keeping-fused.conf} has it since the seventh session): LiDAR 180 -> 64,
 * geometry 4 -> 32, PID 1 -> 16, 50 caption ids -> embedding 32 -> 64, steering 1 -> 16, trunk 192 -> 128 (ReLU)
 * -> Gaussian head.
 * Observations are recorded from real episodes (lane-centring controller), so captions change every 10 steps as
 * in training; the weights are random (the cost does not depend on them).
 *
 * <p>Run:
 * <pre>
 * mvn -o -q -B -pl benchmarks -am -DskipTests package &amp;&amp; java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
 *     -cp "benchmarks/target/classes:benchmarks/target/lib/*" org.openjdk.jmh.Main FusionInferenceBenchmark -f 1 -wi 2 -i 3
 * </pre>
 * The score is microseconds per call; divide by {@code envs} for the time per env step.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class FusionInferenceBenchmark {
    /** Fusion settings of issue 8 (as configs/lane-keeping-fused.conf has them). */
    static final String POLICY = "tributary.learner.policy { architecture = fusion, activation = relu, head = gaussian, "
            + "hidden-sizes = [128], fields { lidar { hidden-sizes = [64] }, pid { hidden-sizes = [16] }, "
            + "tokens { embedding-dim = 32, hidden-sizes = [64] }, geometry { hidden-sizes = [32] }, "
            + "steering { hidden-sizes = [16] } } }";
    private static final int RECORDED_STEPS = 2000;

    /** Token-branch cache on or off. */
    @Param({"true", "false"})
    public boolean cache;

    /** Environments per worker (rows per call). */
    @Param({"4"})
    public int envs;

    private PolicyInference inference;
    private float[][] batches;
    private float[] actions;
    private float[] logProbs;
    private final SplittableRandom rng = new SplittableRandom(7);
    private int next;

    /** Records {@code RECORDED_STEPS} steps of {@code envs} environments and builds a random fused policy. */
    @Setup
    public void setUp() {
        LaneKeepingEnv[] env = new LaneKeepingEnv[envs];
        StepResult[] out = new StepResult[envs];
        int size = LaneKeepingEnv.OBSERVATION_SIZE_WITH_STEERING;
        batches = new float[RECORDED_STEPS][envs * size];
        float[] a = new float[2];
        for (int e = 0; e < envs; e++) {
            env[e] = new LaneKeepingEnv(LaneKeepingEnv.DEFAULT_MAX_EPISODE_STEPS, 0.0, new GroundTruthCaptioner(), true);
            out[e] = StepResult.forEnvironment(env[e]);
            env[e].reset(e, out[e]);
        }
        for (int t = 0; t < RECORDED_STEPS; t++) {
            for (int e = 0; e < envs; e++) {
                float[] o = out[e].observation;
                System.arraycopy(o, 0, batches[t], e * size, size);
                a[0] = (float) ((Math.atan(2.7 * o[LaneKeepingEnv.GEOMETRY_OFFSET + 2]) - 0.3 * o[LaneKeepingEnv.GEOMETRY_OFFSET]
                        - o[LaneKeepingEnv.GEOMETRY_OFFSET + 1]) / 0.8);
                a[1] = 0.6f;
                env[e].step(a, out[e]);
                if (out[e].done()) {
                    env[e].reset(1000L + t * envs + e, out[e]);
                }
            }
        }
        PolicySettings settings = PolicySettings.fromConfig(
                ConfigFactory.parseString(POLICY).withFallback(ConfigFactory.defaultReference()).resolve());
        PolicySpec spec = PolicySpec.forSpaces(settings, env[0].observationSpace(), env[0].actionSpace(), new int[] {64, 64});
        SplittableRandom init = new SplittableRandom(3);
        float[] params = new float[PolicyInference.parameterCount(spec)];
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) (0.05 * init.nextGaussian());
        }
        float[] mean = new float[size];
        float[] var = new float[size];
        java.util.Arrays.fill(var, 1f);
        inference = new PolicyInference(new PolicySnapshot("bench", 1, "ppo", spec, params, mean, var, 0L), envs, cache);
        actions = new float[envs * spec.actionFloats()];
        logProbs = new float[envs];
    }

    /** One worker step: actions for all {@code envs} environments. */
    @Benchmark
    public float act() {
        float[] obs = batches[next];
        next = next + 1 == RECORDED_STEPS ? 0 : next + 1;
        inference.act(obs, envs, actions, logProbs, rng, false);
        return logProbs[0];
    }
}
