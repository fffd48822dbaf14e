package io.tributary.simulator.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.random.SplitMix64;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetFilesTest {
    @TempDir
    Path dir;

    static OfflineDataset sample(int n) {
        SplitMix64 rng = new SplitMix64(9L);
        OfflineDatasetBuilder b = new OfflineDatasetBuilder("PointMass2D-v0", 3, 2);
        for (int i = 0; i < n; i++) {
            float[] o = {(float) rng.nextGaussian(), (float) rng.nextGaussian(), i / 30f};
            float[] a = {(float) rng.uniform(-1, 1), (float) -rng.nextDouble()};
            float[] o2 = {o[0] + 0.1f * a[0], o[1] + 0.1f * a[1], (i + 1) / 30f};
            b.add(o, a, (float) rng.nextDouble(), o2, i % 7 == 6, i % 5 == 4);
        }
        return b.build();
    }

    static void assertSame(OfflineDataset expected, OfflineDataset actual) {
        assertEquals(expected.environment(), actual.environment());
        assertEquals(expected.observationSize(), actual.observationSize());
        assertEquals(expected.actionSize(), actual.actionSize());
        assertArrayEquals(expected.observations(), actual.observations());
        assertArrayEquals(expected.actions(), actual.actions());
        assertArrayEquals(expected.rewards(), actual.rewards());
        assertArrayEquals(expected.nextObservations(), actual.nextObservations());
        assertArrayEquals(expected.terminals(), actual.terminals());
        assertArrayEquals(expected.timeouts(), actual.timeouts());
    }

    @Test
    void roundTripKeepsEveryValueBitForBit() throws IOException {
        OfflineDataset d = sample(20_000); // spans several read chunks
        Path f = dir.resolve("d.tds");
        DatasetFiles.write(d, f);
        assertSame(d, DatasetFiles.read(f));
        // Header layout is little-endian and starts with the magic and version.
        byte[] bytes = Files.readAllBytes(f);
        assertEquals("TRIBDSET", new String(bytes, 0, 8, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(1, ByteBuffer.wrap(bytes, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
        OfflineDataset empty = sample(0);
        DatasetFiles.write(empty, f);
        assertEquals(0, DatasetFiles.read(f).size());
    }

    @Test
    void truncatedFileNamesTheFileAndField() throws IOException {
        OfflineDataset d = sample(50);
        Path f = dir.resolve("t.tds");
        DatasetFiles.write(d, f);
        byte[] bytes = Files.readAllBytes(f);
        int tail = 50 * 2; // terminals + timeouts bytes at the end
        int rewardsEnd = bytes.length - tail - 50 * 3 * 4;
        Path cut = dir.resolve("cut.tds");
        Files.write(cut, Arrays.copyOf(bytes, rewardsEnd - 3));
        IOException e = assertThrows(IOException.class, () -> DatasetFiles.read(cut));
        assertTrue(e.getMessage().contains("file=" + cut) && e.getMessage().contains("field=rewards"), e.getMessage());
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 1));
        e = assertThrows(IOException.class, () -> DatasetFiles.read(cut));
        assertTrue(e.getMessage().contains("field=timeouts"), e.getMessage());
        // Every proper prefix fails with an IOException (never an index error or a silent short read).
        for (int len = 0; len < bytes.length; len += 37) {
            Files.write(cut, Arrays.copyOf(bytes, len));
            assertThrows(IOException.class, () -> DatasetFiles.read(cut), "prefix length=" + len);
        }
        Files.write(cut, Arrays.copyOf(bytes, bytes.length + 4));
        assertThrows(IOException.class, () -> DatasetFiles.read(cut), "trailing bytes");
    }

    @Test
    void wrongFileOrVersionIsRefusedClearly() throws IOException {
        Path f = dir.resolve("x.csv");
        Files.writeString(f, "obs_0,obs_1\n1,2\n");
        IOException e = assertThrows(IOException.class, () -> DatasetFiles.read(f));
        assertTrue(e.getMessage().contains("not a Tributary dataset file") && e.getMessage().contains(f.toString()),
                e.getMessage());
        Path g = dir.resolve("v.tds");
        DatasetFiles.write(sample(3), g);
        byte[] bytes = Files.readAllBytes(g);
        bytes[8] = 2;
        Files.write(g, bytes);
        e = assertThrows(IOException.class, () -> DatasetFiles.read(g));
        assertTrue(e.getMessage().contains("version=2"), e.getMessage());
    }

    @Test
    void csvExportHasAHeaderAndOneRowPerTransition() throws IOException {
        OfflineDataset d = sample(12);
        Path f = dir.resolve("d.csv");
        DatasetFiles.exportCsv(d, f);
        List<String> lines = Files.readAllLines(f);
        assertEquals(13, lines.size());
        assertEquals("obs_0,obs_1,obs_2,act_0,act_1,reward,next_obs_0,next_obs_1,next_obs_2,terminal,timeout",
                lines.get(0));
        for (int i = 0; i < 12; i++) {
            String[] cells = lines.get(i + 1).split(",");
            assertEquals(11, cells.length);
            assertEquals(d.observations()[i * 3 + 1], Float.parseFloat(cells[1]));
            assertEquals(d.actions()[i * 2], Float.parseFloat(cells[3]));
            assertEquals(d.rewards()[i], Float.parseFloat(cells[5]));
            assertEquals(d.nextObservations()[i * 3 + 2], Float.parseFloat(cells[8]));
            assertEquals(d.terminals()[i] ? "1" : "0", cells[9]);
            assertEquals(d.timeouts()[i] ? "1" : "0", cells[10]);
        }
    }
}
