package io.tributary.actors.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.Environment;
import io.tributary.simulator.Environments;
import io.tributary.simulator.StepResult;
import io.tributary.simulator.data.DatasetFiles;
import io.tributary.simulator.data.OfflineDataset;
import io.tributary.simulator.envs.PendulumEnv;
import io.tributary.simulator.model.DynamicsEnsembleFile;
import io.tributary.simulator.model.DynamicsEnsembleParameters;
import io.tributary.simulator.random.SplitMix64;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tiny-budget, fixed-seed smoke test of {@code dynamics fit}. */
class DynamicsCommandTest {
    @TempDir
    Path dir;

    /** Pendulum transitions under random torques; {@code badReward} >= 0 puts an overflowing reward there. */
    private static OfflineDataset pendulum(int episodes, int badReward) {
        int n = episodes * 200;
        float[] obs = new float[n * 3];
        float[] act = new float[n];
        float[] rew = new float[n];
        float[] next = new float[n * 3];
        boolean[] timeouts = new boolean[n];
        SplitMix64 rng = new SplitMix64(5);
        try (PendulumEnv env = new PendulumEnv()) {
            StepResult r = StepResult.forEnvironment(env);
            float[] a = new float[1];
            int i = 0;
            for (int ep = 0; ep < episodes; ep++) {
                env.reset(ep, r);
                for (int t = 0; t < 200; t++, i++) {
                    System.arraycopy(r.observation, 0, obs, i * 3, 3);
                    a[0] = (float) rng.uniform(-2, 2);
                    act[i] = a[0];
                    env.step(a, r);
                    System.arraycopy(r.observation, 0, next, i * 3, 3);
                    rew[i] = i == badReward ? 1e30f : r.reward;
                    timeouts[i] = r.truncated;
                }
            }
        }
        return new OfflineDataset(PendulumEnv.NAME, 3, 1, obs, act, rew, next, new boolean[n], timeouts);
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void fitPrintsProgressAndWritesALoadableModel() throws Exception {
        Path data = dir.resolve("pendulum.tds");
        DatasetFiles.write(pendulum(3, -1), data);
        Path model = dir.resolve("models/pendulum.dyn");
        Run r = run("dynamics", "fit", "--dataset", data.toString(), "--out", model.toString(), "--seed", "3",
                "--set", "learner.dynamics.hidden-sizes=[16,16]", "--set", "learner.dynamics.max-epochs=3",
                "--set", "learner.dynamics.members=4", "--set", "learner.dynamics.elites=2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("600 transitions"), r.out());
        for (int e = 1; e <= 3; e++) {
            assertTrue(r.out().contains(String.format("epoch %4d  train NLL", e)), r.out());
        }
        Matcher m = Pattern.compile("validation MSE ([0-9.eE+-]+) \\(mean of elites").matcher(r.out());
        assertTrue(m.find(), r.out());
        DynamicsEnsembleParameters p = DynamicsEnsembleFile.read(model);
        assertEquals(4, p.members());
        assertEquals(2, p.elites().length);
        assertEquals(p.eliteValidationMse(), Double.parseDouble(m.group(1)), 1e-5 * p.eliteValidationMse());

        // The file drives ModelRollouts-v0 as its learned dynamics: k-step rollouts from dataset states.
        try (Environment env = Environments.create("ModelRollouts-v0", Map.of("dataset", data.toString(),
                "dynamics", model.toString(), "rollout-length", "4"))) {
            StepResult out = StepResult.forEnvironment(env);
            env.reset(1, out);
            float[] start = out.observation.clone();
            int steps = 0;
            while (!out.done()) {
                env.step(new float[] {0.5f}, out);
                steps++;
                for (float v : out.observation) {
                    assertTrue(Float.isFinite(v));
                }
            }
            assertEquals(4, steps);
            assertTrue(out.truncated);
            assertFalse(java.util.Arrays.equals(start, out.observation), "the model moved the state");
        }
    }

    @Test
    void aNonFiniteFitFailsAndWritesNothing() throws Exception {
        Path data = dir.resolve("bad.tds");
        DatasetFiles.write(pendulum(2, 123), data);
        Path model = dir.resolve("bad.dyn");
        Run r = run("dynamics", "fit", "--dataset", data.toString(), "--out", model.toString(),
                "--set", "learner.dynamics.hidden-sizes=[8]");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("not finite"), r.err());
        assertFalse(Files.exists(model));
    }

    @Test
    void badSettingsOrAMissingDatasetExitWithTheConfigCode() {
        Run r = run("dynamics", "fit", "--dataset", dir.resolve("none.tds").toString(), "--out",
                dir.resolve("x.dyn").toString());
        assertEquals(Main.EXIT_BAD_CONFIG, r.code());
        assertTrue(r.err().contains("--dataset"), r.err());
        r = run("dynamics", "fit", "--dataset", "x", "--out", "y", "--set", "learner.dynamics.elites=9");
        assertEquals(Main.EXIT_BAD_CONFIG, r.code());
        assertTrue(r.err().contains("tributary.learner.dynamics.elites"), r.err());
    }
}
