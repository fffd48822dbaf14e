package io.tributary.simulator.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HDF5 reader on small files that the test writes with jhdf's own writer (jhdf 0.9.4 can write HDF5), so
 * no network and no shipped binary are needed.
 */
class Hdf5DatasetsTest {
    @TempDir
    Path dir;

    private static float[][] rows(int n, int width, float base) {
        float[][] m = new float[n][width];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < width; k++) {
                m[i][k] = base + i + 0.25f * k;
            }
        }
        return m;
    }

    /** A D4RL-style file of 6 rows: two episodes of 3, the first ends in a timeout, the second terminally. */
    private Path d4rl(boolean withNext) {
        Path f = dir.resolve(withNext ? "with-next.hdf5" : "no-next.hdf5");
        try (WritableHdfFile h5 = HdfFile.write(f)) {
            h5.putDataset("observations", rows(6, 3, 0f));
            h5.putDataset("actions", rows(6, 2, 100f));
            h5.putDataset("rewards", new double[] {0.5, 1.5, 2.5, 3.5, 4.5, 5.5}); // float64, as some files hold
            h5.putDataset("terminals", new boolean[] {false, false, false, false, false, true});
            h5.putDataset("timeouts", new boolean[] {false, false, true, false, false, false});
            if (withNext) {
                h5.putDataset("next_observations", rows(6, 3, 1000f));
            }
        }
        return f;
    }

    @Test
    void readsD4rlWithNextObservations() throws IOException {
        OfflineDataset d = Hdf5Datasets.read(d4rl(true), "Hopper-v2");
        assertEquals("Hopper-v2", d.environment());
        assertEquals(6, d.size());
        assertEquals(3, d.observationSize());
        assertEquals(2, d.actionSize());
        assertEquals(4f + 0.5f, d.observations()[4 * 3 + 2]);
        assertEquals(100f + 5 + 0.25f, d.actions()[5 * 2 + 1]);
        assertArrayEquals(new float[] {0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f}, d.rewards());
        assertEquals(1000f + 2, d.nextObservations()[2 * 3]);
        assertArrayEquals(new boolean[] {false, false, false, false, false, true}, d.terminals());
        assertArrayEquals(new boolean[] {false, false, true, false, false, false}, d.timeouts());
    }

    @Test
    void derivesNextObservationsAsD4rlDoesWhenAbsent() throws IOException {
        OfflineDataset d = Hdf5Datasets.read(d4rl(false), "Hopper-v2");
        // Row 2 (timeout: its successor is not in the file) and row 5 (the last) are dropped.
        assertEquals(4, d.size());
        assertArrayEquals(new float[] {0.5f, 1.5f, 3.5f, 4.5f}, d.rewards());
        for (int i = 0; i < 4; i++) {
            int row = i < 2 ? i : i + 1;
            assertEquals(row, d.observations()[i * 3], 0f, "i=" + i);
            assertEquals(row + 1, d.nextObservations()[i * 3], 0f, "next of i=" + i);
            assertFalse(d.timeouts()[i]);
        }
    }

    @Test
    void readsMinariEpisodes() throws IOException {
        Path f = dir.resolve("minari.hdf5");
        try (WritableHdfFile h5 = HdfFile.write(f)) {
            for (int e = 0; e < 2; e++) {
                WritableGroup g = h5.putGroup("episode_" + e);
                int t = 3 + e;
                g.putDataset("observations", rows(t + 1, 2, 10f * e));
                g.putDataset("actions", rows(t, 1, -1f));
                g.putDataset("rewards", new float[t]);
                boolean[] term = new boolean[t];
                boolean[] trunc = new boolean[t];
                (e == 0 ? term : trunc)[t - 1] = true;
                g.putDataset("terminations", term);
                g.putDataset("truncations", trunc);
            }
        }
        OfflineDataset d = Hdf5Datasets.read(f, "Pendulum-v1");
        assertEquals(3 + 4, d.size());
        assertEquals(1f, d.nextObservations()[0], 0f);
        assertEquals(10f, d.observations()[3 * 2], 0f, "episode 1 starts after episode 0's 3 steps");
        assertEquals(14f, d.nextObservations()[6 * 2], 0f);
        assertTrue(d.terminals()[2]);
        assertTrue(d.timeouts()[6]);
    }

    @Test
    void missingOrMisshapenDatasetsNameTheFileAndDataset() throws IOException {
        Path f = dir.resolve("bad.hdf5");
        try (WritableHdfFile h5 = HdfFile.write(f)) {
            h5.putDataset("observations", rows(4, 3, 0f));
            h5.putDataset("actions", rows(4, 2, 0f));
            h5.putDataset("rewards", new float[4]);
        }
        IOException e = assertThrows(IOException.class, () -> Hdf5Datasets.read(f, "x"));
        assertTrue(e.getMessage().contains("dataset=/terminals") && e.getMessage().contains(f.toString()),
                e.getMessage());
        Path g = dir.resolve("short.hdf5");
        try (WritableHdfFile h5 = HdfFile.write(g)) {
            h5.putDataset("observations", rows(4, 3, 0f));
            h5.putDataset("actions", rows(3, 2, 0f));
            h5.putDataset("rewards", new float[4]);
            h5.putDataset("terminals", new boolean[4]);
        }
        e = assertThrows(IOException.class, () -> Hdf5Datasets.read(g, "x"));
        assertTrue(e.getMessage().contains("dataset=actions") && e.getMessage().contains("rows=3"), e.getMessage());
        Path notHdf = dir.resolve("plain.hdf5");
        Files.writeString(notHdf, "not an hdf5 file");
        assertThrows(IOException.class, () -> Hdf5Datasets.read(notHdf, "x"));
    }

    @Test
    void offlineDatasetsPicksTheReaderByExtension() throws IOException {
        Path h5 = d4rl(true);
        assertEquals(6, OfflineDatasets.read(h5, "Hopper-v2").size());
        assertThrows(IllegalArgumentException.class, () -> OfflineDatasets.read(h5, null),
                "HDF5 files need an environment name");
        Path tds = dir.resolve("x.tds");
        DatasetFiles.write(DatasetFilesTest.sample(5), tds);
        OfflineDataset d = OfflineDatasets.read(tds, null);
        assertEquals("PointMass2D-v0", d.environment(), "Tributary files name their environment");
        assertEquals(5, d.size());
    }
}
