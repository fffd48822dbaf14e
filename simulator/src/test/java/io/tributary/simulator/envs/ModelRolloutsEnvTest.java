package io.tributary.simulator.envs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.Environment;
import io.tributary.simulator.Environments;
import io.tributary.simulator.StateResettable;
import io.tributary.simulator.StepResult;
import io.tributary.simulator.data.DatasetFiles;
import io.tributary.simulator.data.OfflineDataset;
import io.tributary.simulator.data.OfflineDatasetBuilder;
import io.tributary.simulator.random.SplitMix64;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRolloutsEnvTest {
    @TempDir
    Path dir;
    private Path datasetFile;
    private OfflineDataset dataset;

    @BeforeEach
    void collect() throws IOException {
        PointMass2DEnv env = new PointMass2DEnv();
        StepResult out = StepResult.forEnvironment(env);
        SplitMix64 rng = new SplitMix64(3L);
        OfflineDatasetBuilder b = new OfflineDatasetBuilder(PointMass2DEnv.NAME, 3, 2);
        for (int e = 0; e < 4; e++) {
            env.reset(e, out);
            while (!out.done()) {
                float[] s = out.observation.clone();
                float[] a = {(float) rng.uniform(-1, 1), (float) rng.uniform(-1, 1)};
                env.step(a, out);
                b.add(s, a, out.reward, out.observation, out.terminated, out.truncated);
            }
        }
        dataset = b.build();
        datasetFile = dir.resolve("pm.tds");
        DatasetFiles.write(dataset, datasetFile);
    }

    private Set<List<Float>> startStates() {
        Set<List<Float>> s = new HashSet<>();
        for (int i = 0; i < dataset.size(); i++) {
            float[] o = dataset.observations();
            s.add(List.of(o[i * 3], o[i * 3 + 1], o[i * 3 + 2]));
        }
        return s;
    }

    @Test
    void trueDynamicsRolloutsStartAtDatasetStatesAndTruncateAtK() {
        Set<List<Float>> starts = startStates();
        PointMass2DEnv truth = new PointMass2DEnv();
        StepResult t = StepResult.forEnvironment(truth);
        try (Environment env = Environments.create("ModelRollouts-v0",
                Map.of("dataset", datasetFile.toString(), "dynamics", "true", "dynamics-env", "PointMass2D-v0"))) {
            assertEquals(10, env.maxEpisodeSteps());
            assertEquals(new PointMass2DEnv().observationSpace().flatSize(), env.observationSpace().flatSize());
            StepResult out = StepResult.forEnvironment(env);
            int truncatedAtK = 0;
            int terminatedEarly = 0;
            Set<List<Float>> seen = new HashSet<>();
            for (long seed = 0; seed < 60; seed++) {
                env.reset(seed, out);
                float[] s = out.observation;
                assertTrue(starts.contains(List.of(s[0], s[1], s[2])), "start state comes from the dataset");
                seen.add(List.of(s[0], s[1], s[2]));
                truth.resetTo(s.clone(), 0L, t);
                int steps = 0;
                while (!out.done()) {
                    float[] a = {0.3f, -0.7f};
                    env.step(a, out);
                    truth.step(a, t);
                    steps++;
                    for (int k = 0; k < 3; k++) {
                        assertEquals(t.observation[k], out.observation[k], 1e-6f);
                    }
                    assertEquals(t.reward, out.reward, 1e-6f);
                    assertEquals(t.terminated, out.terminated);
                }
                if (out.truncated) {
                    assertEquals(10, steps);
                    assertFalse(out.terminated);
                    truncatedAtK++;
                } else {
                    assertTrue(out.terminated && steps <= 10, "steps=" + steps);
                    terminatedEarly++;
                }
            }
            assertTrue(truncatedAtK > 0 && terminatedEarly > 0, "both endings occur: truncated=" + truncatedAtK
                    + ", terminated=" + terminatedEarly);
            assertTrue(seen.size() > 30, "seeds draw different start states: distinct=" + seen.size());
            // Same seed, same start.
            env.reset(17L, out);
            float[] first = out.observation.clone();
            env.reset(17L, out);
            assertEquals(List.of(first[0], first[1], first[2]),
                    List.of(out.observation[0], out.observation[1], out.observation[2]));
        }
    }

    @Test
    void datasetNamesTheEnvironmentAndKIsAnOption() {
        try (Environment env = Environments.create("ModelRollouts-v0",
                Map.of("dataset", datasetFile.toString(), "dynamics", "true", "rollout-length", "3"))) {
            StepResult out = StepResult.forEnvironment(env);
            ((StateResettable) env).resetTo(new float[] {0f, 0f, 0f}, 1L, out);
            for (int i = 1; i <= 3; i++) {
                env.step(new float[] {1f, 1f}, out);
                assertEquals(i == 3, out.truncated, "i=" + i);
            }
            assertEquals(0.3f, out.observation[0], 1e-6f);
            assertThrows(IllegalStateException.class, () -> env.step(new float[] {0f, 0f}, out));
        }
    }

    @Test
    void modelFilesLoadThroughTheRegisteredLoaderOfTheirFormat() throws IOException {
        Path model = dir.resolve("drift.txt");
        Files.writeString(model, "0.25");
        try (Environment env = Environments.create("ModelRollouts-v0", Map.of("dataset", datasetFile.toString(),
                "dynamics", model.toString(), "dynamics-format", "test-drift", "rollout-length", "2"))) {
            StepResult out = StepResult.forEnvironment(env);
            ((StateResettable) env).resetTo(new float[] {0f, 0f, 0f}, 1L, out);
            env.step(new float[] {0.5f, 0f}, out);
            assertEquals(0.75f, out.observation[1], 1e-6f);
            assertEquals(1f, out.reward);
        }
        // The default format is the learned dynamics ensemble's, whose loader refuses a file of another format.
        java.io.UncheckedIOException wrong = assertThrows(java.io.UncheckedIOException.class,
                () -> Environments.create("ModelRollouts-v0",
                        Map.of("dataset", datasetFile.toString(), "dynamics", model.toString())));
        assertTrue(wrong.getMessage().contains("format=dynamics-ensemble")
                && wrong.getCause().getMessage().contains("bad magic"), wrong + " / " + wrong.getCause());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Environments.create("ModelRollouts-v0", Map.of("dataset", datasetFile.toString(), "dynamics",
                        model.toString(), "dynamics-format", "no-such-format")));
        assertTrue(e.getMessage().contains("format=no-such-format") && e.getMessage().contains("test-drift")
                && e.getMessage().contains("dynamics-ensemble"),
                "an unknown format is named with those available: " + e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Environments.create("ModelRollouts-v0",
                Map.of("dynamics", "true")));
        assertTrue(e.getMessage().contains("key=dataset"), e.getMessage());
    }

    @Test
    void stepAllocatesNothing() {
        try (Environment env = Environments.create("ModelRollouts-v0",
                Map.of("dataset", datasetFile.toString(), "dynamics", "true", "rollout-length", "1000"))) {
            StepResult out = StepResult.forEnvironment(env);
            ((StateResettable) env).resetTo(new float[] {0f, 0f, 0f}, 1L, out);
            float[] a = {0.1f, 0.1f};
            env.step(a, out);
            long before = Allocations.currentThreadAllocatedBytes();
            for (int i = 0; i < 20; i++) {
                env.step(a, out);
            }
            assertEquals(0L, Allocations.currentThreadAllocatedBytes() - before);
        }
    }
}
