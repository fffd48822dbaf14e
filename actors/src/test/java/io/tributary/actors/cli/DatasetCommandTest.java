package io.tributary.actors.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.data.DatasetFiles;
import io.tributary.simulator.data.OfflineDataset;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dataset collect} and {@code dataset export-csv} through {@link Main}, without Kafka. */
class DatasetCommandTest {
    @TempDir
    Path dir;

    @Test
    void collectsTheEdgeOfReachDatasetReproduciblyAndExportsCsv() throws Exception {
        Path a = dir.resolve("a.tds");
        Path b = dir.resolve("b.tds");
        assertEquals(0, Main.execute("dataset", "collect", "PointMass2D-v0", "--policy", "scripted", "--episodes", "200",
                "--seed", "1", "--out", a.toString()));
        assertEquals(0, Main.execute("dataset", "collect", "PointMass2D-v0", "--policy", "scripted", "--episodes", "200",
                "--seed", "1", "--out", b.toString()));
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), "same seed, same file");
        OfflineDataset d = DatasetFiles.read(a);
        assertEquals("PointMass2D-v0", d.environment());
        assertEquals(200 * 30, d.size());
        int terminals = 0;
        for (int i = 0; i < d.size(); i++) {
            assertEquals((i + 1) % 30 == 0, d.terminals()[i], "step H of every episode is terminal: i=" + i);
            terminals += d.terminals()[i] ? 1 : 0;
            assertFalse(d.timeouts()[i]);
            assertTrue(Math.abs(d.actions()[2 * i]) <= 1f && Math.abs(d.actions()[2 * i + 1]) <= 1f);
        }
        assertEquals(200, terminals);
        // The pull moves about 0.048 per step towards the bump (0.1 x mean clipped action 0.48), so from ~2.12
        // away the last states are about 0.7 away on average: the data approaches the bump but does not reach it.
        double first = 0;
        double last = 0;
        for (int i = 0; i < d.size(); i++) {
            double dist = Math.hypot(d.nextObservations()[3 * i] - 0.5, d.nextObservations()[3 * i + 1] - 0.5);
            if (i % 30 == 0) {
                first += dist / 200;
            } else if (i % 30 == 29) {
                last += dist / 200;
            }
        }
        assertTrue(first > 1.9 && last > 0.4 && last < 1.0, "mean distance to the bump after step 1=" + first
                + ", after step 30=" + last);

        Path other = dir.resolve("c.tds");
        assertEquals(0, Main.execute("dataset", "collect", "PointMass2D-v0", "--policy", "scripted", "--episodes", "200",
                "--seed", "2", "--out", other.toString()));
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(other)), "another seed differs");

        Path csv = dir.resolve("a.csv");
        assertEquals(0, Main.execute("dataset", "export-csv", a.toString(), "--out", csv.toString()));
        List<String> lines = Files.readAllLines(csv);
        assertEquals(6001, lines.size());
        assertTrue(lines.get(0).startsWith("obs_0,obs_1,obs_2,act_0,act_1,reward,"), lines.get(0));
    }

    @Test
    void randomPolicyAndBadArguments() throws Exception {
        Path r = dir.resolve("r.tds");
        assertEquals(0, Main.execute("dataset", "collect", "Pendulum-v1", "--policy", "random", "--episodes", "2",
                "--seed", "5", "--env-option", "max-episode-steps=20", "--out", r.toString()));
        OfflineDataset d = DatasetFiles.read(r);
        assertEquals(40, d.size());
        assertTrue(d.timeouts()[19] && d.timeouts()[39] && !d.timeouts()[18]);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float x : d.actions()) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        assertTrue(min >= -2f && max <= 2f && max - min > 2f, "uniform over [-2, 2]: min=" + min + ", max=" + max);

        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals(Main.EXIT_BAD_CONFIG, Main.execute("dataset", "collect", "PointMass2D-v0", "--policy", "nope",
                    "--episodes", "1", "--out", dir.resolve("x.tds").toString()));
            assertEquals(Main.EXIT_BAD_CONFIG, Main.execute("dataset", "collect", "CartPole-v1", "--policy",
                    "scripted:pointmass2d-data", "--episodes", "1", "--out", dir.resolve("x.tds").toString()));
            assertEquals(Main.EXIT_BAD_CONFIG, Main.execute("dataset", "collect", "NoSuchEnv-v0", "--policy", "random",
                    "--episodes", "1", "--out", dir.resolve("x.tds").toString()));
        } finally {
            System.setErr(old);
        }
        String msg = err.toString(StandardCharsets.UTF_8);
        assertTrue(msg.contains("value=nope") && msg.contains("PointMass2D-v0") && msg.contains("NoSuchEnv-v0"), msg);
    }
}
