package io.tributary.benchmarks;

import io.tributary.simulator.model.DynamicsEnsembleModel;
import io.tributary.simulator.model.DynamicsEnsembleParameters;
import io.tributary.simulator.random.SplitMix64;
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
 * Model-rollout steps per second of a frozen learned dynamics ensemble ({@link DynamicsEnsembleModel}, pure
 * Java) on one core: Pendulum-sized input (3 + 1), 7 members, 5 elites, four hidden layers of the given width.
 * Sizes the model-rollout path (about 25,000 model steps per 1,000 learner updates in the edge-of-reach setup).
 *
 * <p>Run:
 * <pre>
 * mvn -o -q -B -pl benchmarks -am -DskipTests package &amp;&amp; java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
 *     -cp "benchmarks/target/classes:benchmarks/target/lib/*" org.openjdk.jmh.Main DynamicsModelBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class DynamicsModelBenchmark {
    private static final int OBS = 3;
    private static final int ACT = 1;
    private static final int MEMBERS = 7;

    /** Width of each of the four hidden layers (64: the default; 200: PAPERS.md's size). */
    @Param({"64", "200"})
    public int width;

    private DynamicsEnsembleModel model;
    private final SplitMix64 random = new SplitMix64(1);
    private final float[] observation = {0.3f, -0.9f, 1.5f};
    private final float[] action = {0.5f};
    private final float[] next = new float[OBS];

    /** Random weights of the benchmarked shape (speed does not depend on their values). */
    @Setup
    public void setUp() {
        int[] hidden = {width, width, width, width};
        int[] sizes = {OBS + ACT, width, width, width, width, 2 * (OBS + 1)};
        SplitMix64 r = new SplitMix64(7);
        float[][] w = new float[5][];
        float[][] b = new float[5][];
        for (int l = 0; l < 5; l++) {
            w[l] = new float[MEMBERS * sizes[l] * sizes[l + 1]];
            for (int i = 0; i < w[l].length; i++) {
                w[l][i] = (float) (r.nextGaussian() / (2 * Math.sqrt(sizes[l])));
            }
            b[l] = new float[MEMBERS * sizes[l + 1]];
        }
        float[] ones = {1f, 1f, 1f, 1f};
        model = new DynamicsEnsembleModel(new DynamicsEnsembleParameters(OBS, ACT, hidden, MEMBERS,
                new int[] {0, 1, 2, 3, 4}, new float[OBS + ACT], ones, new float[] {0.5f, 0.5f, 0.5f, 0.5f},
                new float[] {-10f, -10f, -10f, -10f}, w, b, new double[MEMBERS]));
    }

    /** One model step (random elite, forward pass, Gaussian sample); the state is kept so values stay bounded. */
    @Benchmark
    public double step() {
        return model.step(observation, action, random, next) + next[0];
    }
}
