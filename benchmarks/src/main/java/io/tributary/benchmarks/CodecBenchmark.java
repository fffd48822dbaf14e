package io.tributary.benchmarks;

import io.tributary.simulator.rollout.ChunkId;
import io.tributary.simulator.rollout.TrajectoryChunk;
import io.tributary.streams.codec.TrajectoryChunkCodec;
import io.tributary.streams.codec.TrajectoryChunkFlyweight;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost per chunk of the rollout codec: encoding into a reused buffer, validating and reading through
 * the flyweight, and materialising the full record, for a 128-step CartPole chunk (4 observation
 * floats, 1 action) and a 128-step lane-keeping chunk with the fused observation (180 LiDAR + 4
 * geometry + 50 token floats, 2 actions).
 *
 * <p>Run (the streams jar must be installed first, because this module resolves it from ~/.m2):
 * <pre>
 * mvn -o -q install -pl streams -DskipTests
 * mvn -o -q package -pl benchmarks &amp;&amp; java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
 *     -cp "benchmarks/target/classes:benchmarks/target/lib/*" org.openjdk.jmh.Main CodecBenchmark \
 *     -prof gc -f 1 -wi 2 -i 3
 * </pre>
 * With {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes allocated per chunk: encode and the
 * flyweight read should be ~0, the record decode the size of the chunk's arrays.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// Agrona 2.x reads jdk.internal.misc, and the forked JVM does not inherit the launcher's flags.
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class CodecBenchmark {
    private static final int STEPS = 128;
    private static final int FUSED_OBSERVATION = 180 + 4 + 50;

    /** Chunk shape: {@code cartpole} (obs 4, action 1) or {@code fused} (obs 234, action 2). */
    @Param({"cartpole", "fused"})
    public String shape;

    private TrajectoryChunk chunk;
    private UnsafeBuffer target;
    private UnsafeBuffer encoded;
    private int length;
    private final TrajectoryChunkFlyweight flyweight = new TrajectoryChunkFlyweight();

    /** Builds the chunk and its encoding once; the benchmarks reuse both buffers. */
    @Setup
    public void setUp() {
        chunk = "fused".equals(shape) ? chunk(FUSED_OBSERVATION, 2, 42L) : chunk(4, 1, 42L);
        length = TrajectoryChunkCodec.encodedLength(chunk);
        target = new UnsafeBuffer(new byte[length]);
        encoded = new UnsafeBuffer(TrajectoryChunkCodec.encode(chunk));
    }

    /** Encodes the chunk into the preallocated buffer. */
    @Benchmark
    public int encode() {
        return TrajectoryChunkCodec.encode(chunk, target, 0);
    }

    /** Validates the encoding through the flyweight and reads each step's reward and log-prob. */
    @Benchmark
    public float decodeFlyweight() {
        TrajectoryChunkFlyweight f = flyweight.wrap(encoded, 0, length, "bench.rollouts", 0, 0L);
        float sum = 0f;
        for (int t = 0, n = f.steps(); t < n; t++) {
            sum += f.rewardAt(t) + f.logProbAt(t);
        }
        return sum;
    }

    /** Decodes the encoding into a new {@link TrajectoryChunk}. */
    @Benchmark
    public TrajectoryChunk decodeRecord() {
        return TrajectoryChunkCodec.decode(encoded, 0, length, "bench.rollouts", 0, 0L);
    }

    private static TrajectoryChunk chunk(int observationSize, int actionSize, long seed) {
        Random random = new Random(seed);
        float[] observations = new float[STEPS * observationSize];
        for (int i = 0; i < observations.length; i++) {
            observations[i] = (float) random.nextGaussian();
        }
        float[] actions = new float[STEPS * actionSize];
        float[] logProbs = new float[STEPS];
        float[] values = new float[STEPS];
        float[] rewards = new float[STEPS];
        for (int t = 0; t < STEPS; t++) {
            for (int a = 0; a < actionSize; a++) {
                actions[t * actionSize + a] = actionSize == 1 ? random.nextInt(2) : (float) random.nextGaussian();
            }
            logProbs[t] = -random.nextFloat();
            values[t] = (float) random.nextGaussian();
            rewards[t] = 1f;
        }
        boolean[] terminated = new boolean[STEPS];
        terminated[STEPS - 1] = true;
        return new TrajectoryChunk(new ChunkId("bench-run", new UUID(seed, ~seed), 7L), "bench-env", 0, 1L, 0, 3L,
                STEPS, observationSize, observations, actionSize, actions, logProbs, values, rewards, terminated,
                new boolean[STEPS], new float[observationSize], new int[0], new int[0], new int[0], 0L);
    }
}
