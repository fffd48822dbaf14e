package io.tributary.benchmarks;

import io.tributary.learner.UpdateReport;
import io.tributary.learner.ppo.PpoLearner;
import io.tributary.rewards.ScoredChunk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the PPO update benchmarks share: each invocation restores the same initial checkpoint, feeds the
 * same scored batch (untimed) and times one {@link PpoLearner#update()}. A subclass builds the learner,
 * its batch and the checkpoint in its own trial setup.
 */
@State(Scope.Benchmark)
public abstract class PpoUpdateBenchmarkBase {
    /** The learner under test, built by the subclass's trial setup. */
    protected PpoLearner learner;
    /** The scored chunks fed before every timed update. */
    protected List<ScoredChunk> batch;
    /** Folder of the checkpoint every invocation starts from. */
    protected Path initial;

    /** Untimed: every invocation starts from the same weights and optimiser state, so it does the same work. */
    @Setup(Level.Invocation)
    public void fill() {
        try {
            learner.restore(initial);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore the initial checkpoint", e);
        }
        for (ScoredChunk c : batch) {
            learner.accept(c);
        }
    }

    @Benchmark
    public UpdateReport update() {
        UpdateReport r = learner.update();
        if (!r.applied()) {
            throw new IllegalStateException("update skipped: " + r.skipReason());
        }
        return r;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        learner.close();
        Files.deleteIfExists(initial.resolve(PpoLearner.CHECKPOINT_FILE));
        Files.deleteIfExists(initial);
    }
}
