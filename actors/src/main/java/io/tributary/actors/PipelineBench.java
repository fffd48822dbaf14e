package io.tributary.actors;

import io.tributary.report.JsonIo;
import io.tributary.rewards.EnvironmentRewardModel;
import io.tributary.simulator.rollout.ChunkId;
import io.tributary.simulator.rollout.TrajectoryChunk;
import io.tributary.streams.bench.BenchPipeline;
import io.tributary.streams.codec.TrajectoryChunkCodec;
import io.tributary.streams.port.Scorer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The end-to-end pipeline benchmark: synthetic trajectory chunks of a chosen size go through the real
 * broker — producer threads (workers) → transactional scoring loops (scorers) → a read_committed reader
 * (the learner's side) — and the reader measures chunks/s, MB/s and end-to-end latency (chunk creation
 * to learner read). Writes {@code runs/<id>/summary.json}.
 */
public final class PipelineBench {
    /**
     * Benchmark parameters; {@code chunksPerSecondPerWorker} 0 = as fast as possible (saturation);
     * {@code raw} = the baseline: opaque records of the same size straight from producer to consumer, no
     * codec, no scorer, no transaction.
     */
    public record Params(int chunkSteps, int observationSize, int workers, int scorers, int seconds, int warmupSeconds,
                         double chunksPerSecondPerWorker, boolean raw) {
    }

    private PipelineBench() {
    }

    /** Runs the benchmark with {@code config}'s Kafka settings and run folder; returns the summary. */
    public static BenchSummary run(TributaryConfig config, Params p) {
        String runId = "bench-pipeline-" + System.currentTimeMillis();
        Path runDir = Path.of(config.run().folder()).resolve(runId).toAbsolutePath();
        try {
            Files.createDirectories(runDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + runDir, e);
        }
        try (BenchPipeline pipeline = BenchPipeline.open(config.kafka(), runDir, runId)) {
            return measure(pipeline, runId, runDir, p);
        }
    }

    private static BenchSummary measure(BenchPipeline pipeline, String runId, Path runDir, Params p) {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong produced = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        int chunkBytes = TrajectoryChunkCodec.encode(chunk(runId, UUID.randomUUID(), 0, p)).length;
        for (int w = 0; w < p.workers(); w++) {
            threads.add(new Thread(() -> {
                UUID inc = UUID.randomUUID();
                try (BenchPipeline.Sender producer = pipeline.sender("bench-worker")) {
                    long seq = 0;
                    long intervalNanos = p.chunksPerSecondPerWorker() > 0 ? (long) (1e9 / p.chunksPerSecondPerWorker()) : 0;
                    long next = System.nanoTime();
                    while (!stop.get()) {
                        if (intervalNanos > 0) {
                            next += intervalNanos;
                            long wait = next - System.nanoTime();
                            if (wait > 0) {
                                java.util.concurrent.locks.LockSupport.parkNanos(wait);
                            }
                        }
                        // Unpaced, the producer's bounded buffer (buffer.memory) blocks it when scorers fall behind.
                        if (p.raw()) {
                            byte[] value = new byte[chunkBytes];
                            java.nio.ByteBuffer.wrap(value).putLong(System.currentTimeMillis() * 1000L);
                            producer.sendRaw((inc + "/" + seq++).getBytes(StandardCharsets.UTF_8), value);
                        } else {
                            TrajectoryChunk c = chunk(runId, inc, seq++, p);
                            producer.send(c);
                        }
                        produced.incrementAndGet();
                    }
                    producer.flush();
                } catch (Throwable t) {
                    errors.add(t);
                }
            }, "bench-worker-" + w));
        }
        for (int s = 0; s < (p.raw() ? 0 : p.scorers()); s++) {
            int idx = s;
            threads.add(new Thread(() -> {
                try (Scorer loop = pipeline.scorer(new EnvironmentRewardModel(), idx)) {
                    while (!stop.get()) {
                        loop.pollOnce();
                    }
                } catch (Throwable t) {
                    errors.add(t);
                }
            }, "bench-scorer-" + s));
        }
        Histogram e2e = new Histogram(3_600_000_000L, 3);
        long received = 0;
        long bytes = 0;
        long measureStart = 0;
        try (BenchPipeline.CreatedTimes reader = pipeline.reader(p.raw())) {
            threads.forEach(Thread::start);
            long start = System.currentTimeMillis();
            long warmEnd = start + p.warmupSeconds() * 1000L;
            long end = warmEnd + p.seconds() * 1000L;
            long lastPrint = start;
            while (System.currentTimeMillis() < end) {
                long now = System.currentTimeMillis();
                for (long createdMicros : reader.poll()) {
                    if (now < warmEnd) {
                        continue;
                    }
                    if (measureStart == 0) {
                        measureStart = now;
                    }
                    received++;
                    bytes += chunkBytes;
                    e2e.recordValue(Math.max(0, System.currentTimeMillis() * 1000L - createdMicros));
                }
                if (now - lastPrint >= 2000) {
                    lastPrint = now;
                    double secs = Math.max(1e-3, (now - Math.max(measureStart, warmEnd)) / 1000.0);
                    System.err.printf("[bench] %s | produced %,d | received %,d (%.0f chunks/s) | e2e ms p50 %.1f p99 %.1f%n",
                            now < warmEnd ? "warm-up" : "measure", produced.get(), received,
                            now < warmEnd ? 0.0 : received / secs, e2e.getValueAtPercentile(50) / 1000.0,
                            e2e.getValueAtPercentile(99) / 1000.0);
                }
                if (!errors.isEmpty()) {
                    throw new IllegalStateException("pipeline benchmark failed: " + errors.get(0), errors.get(0));
                }
            }
            double seconds = (System.currentTimeMillis() - measureStart) / 1000.0;
            stop.set(true);
            for (Thread t : threads) {
                t.join(30_000);
            }
            BenchSummary s = new BenchSummary(
                    runId,
                    p.chunkSteps(),
                    p.observationSize(),
                    chunkBytes,
                    p.workers(),
                    p.chunksPerSecondPerWorker() > 0 ? p.chunksPerSecondPerWorker() * p.workers() : null,
                    p.scorers(),
                    seconds,
                    received,
                    received / seconds,
                    bytes / seconds / 1e6,
                    e2e.getValueAtPercentile(50) / 1000.0,
                    e2e.getValueAtPercentile(99) / 1000.0,
                    e2e.getMaxValue() / 1000.0,
                    p.raw() ? "raw" : "pipeline",
                    p.raw() ? "baseline: producer threads -> rollouts -> plain consumer (same record size, no codec, no scorer)"
                            : "producer threads -> rollouts -> transactional scorer -> scored -> read_committed reader (real embedded broker)");
            JsonIo.writePrettyFile(runDir.resolve("summary.json"), s);
            System.err.println("[bench] " + JsonIo.write(s));
            return s;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            stop.set(true);
        }
    }

    private static TrajectoryChunk chunk(String runId, UUID inc, long seq, Params p) {
        int n = p.chunkSteps();
        int o = p.observationSize();
        boolean[] done = new boolean[n];
        return new TrajectoryChunk(new ChunkId(runId, inc, seq), "bench", 0, 0, (int) (seq & 0xffff), 0, n, o,
                new float[n * o], 1, new float[n], new float[n], new float[n], new float[n], done, done.clone(),
                new float[o], new int[0], new int[0], new int[0], System.currentTimeMillis() * 1000L);
    }
}
