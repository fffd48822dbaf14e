package io.tributary.benchmarks;

import io.tributary.simulator.StepResult;
import io.tributary.simulator.lane.GroundTruthCaptioner;
import io.tributary.simulator.lane.LaneKeepingEnv;
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
 * {@code LaneKeeping-v0} steps per second on one core (one thread): bicycle model, projection, 180-ray LiDAR
 * against road edges and boxes, corridor range, PID, captions every 10 steps, reward and signals, driven by a
 * lane-centring controller (so episodes run their full 60 s; the occasional reset is included).
 *
 * <p>Run:
 * <pre>
 * mvn -o -q -B -pl benchmarks -am -DskipTests package &amp;&amp; java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
 *     -cp "benchmarks/target/classes:benchmarks/target/lib/*" org.openjdk.jmh.Main LaneKeepingBenchmark -f 1 -wi 2 -i 3
 * </pre>
 * The score (ops/s) is steps per second per core; add {@code -prof gc} to see ~0 bytes allocated per step.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class LaneKeepingBenchmark {
    /** Standard deviation of the LiDAR noise, metres ({@code 0} = noise-free). */
    @Param({"0", "0.1"})
    public double lidarNoiseStd;

    private LaneKeepingEnv env;
    private StepResult out;
    private final float[] action = new float[2];
    private long seed;

    /** Builds the environment and starts the first episode. */
    @Setup
    public void setUp() {
        env = new LaneKeepingEnv(LaneKeepingEnv.DEFAULT_MAX_EPISODE_STEPS, lidarNoiseStd, new GroundTruthCaptioner());
        out = StepResult.forEnvironment(env);
        env.reset(seed, out);
    }

    /** One environment step (a reset when the episode ended). */
    @Benchmark
    public float step() {
        float[] obs = out.observation;
        double d = obs[LaneKeepingEnv.GEOMETRY_OFFSET];
        double he = obs[LaneKeepingEnv.GEOMETRY_OFFSET + 1];
        double k = obs[LaneKeepingEnv.GEOMETRY_OFFSET + 2];
        action[0] = (float) ((Math.atan(2.7 * k) - 0.3 * d - he) / 0.8);
        action[1] = 0.6f;
        env.step(action, out);
        if (out.done()) {
            env.reset(++seed, out);
        }
        return out.reward;
    }
}
