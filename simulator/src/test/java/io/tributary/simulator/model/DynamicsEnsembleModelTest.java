package io.tributary.simulator.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.random.SplitMix64;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DynamicsEnsembleModelTest {
    private static final int OBS = 3;
    private static final int ACT = 1;

    /** Random parameters: 4 members of 3 -> [5, 4] -> 8; members 1 and 3 elites. */
    static DynamicsEnsembleParameters randomParams(long seed, float outputBias) {
        SplitMix64 r = new SplitMix64(seed);
        int members = 4;
        int[] hidden = {5, 4};
        int[] sizes = {OBS + ACT, 5, 4, 2 * (OBS + 1)};
        float[][] w = new float[3][];
        float[][] b = new float[3][];
        for (int l = 0; l < 3; l++) {
            w[l] = gaussians(r, members * sizes[l] * sizes[l + 1], 0.5);
            b[l] = gaussians(r, members * sizes[l + 1], 0.1);
        }
        for (int i = 0; i < b[2].length; i++) {
            b[2][i] += outputBias;
        }
        return new DynamicsEnsembleParameters(OBS, ACT, hidden, members, new int[] {3, 1},
                new float[] {0.1f, -0.2f, 0.3f, 0f}, new float[] {1.5f, 0.5f, 2f, 1f},
                new float[] {0.5f, 0.4f, 0.3f, 0.2f}, new float[] {-10f, -9f, -8f, -7f}, w, b,
                new double[] {0.4, 0.1, 0.3, 0.05});
    }

    private static float[] gaussians(SplitMix64 r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (scale * r.nextGaussian());
        }
        return a;
    }

    @Test
    void fileRoundTripKeepsEveryValue(@TempDir Path dir) throws IOException {
        DynamicsEnsembleParameters p = randomParams(7, 0f);
        Path f = dir.resolve("sub/model.dyn");
        DynamicsEnsembleFile.write(f, p);
        DynamicsEnsembleParameters q = DynamicsEnsembleFile.read(f);
        assertEquals(p, q);
        assertArrayEquals(p.elites(), q.elites());
        assertArrayEquals(p.weights()[1], q.weights()[1]);
        assertEquals(0.075, q.eliteValidationMse(), 1e-12);
        try (var files = Files.list(f.getParent())) {
            assertEquals(1, files.count(), "no temporary file left beside the model");
        }
    }

    @Test
    void corruptTruncatedOrForeignFilesAreRejected(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("model.dyn");
        DynamicsEnsembleFile.write(f, randomParams(7, 0f));
        byte[] bytes = Files.readAllBytes(f);

        byte[] flipped = bytes.clone();
        flipped[bytes.length / 2] ^= 0x10;
        Files.write(f, flipped);
        IOException e = assertThrows(IOException.class, () -> DynamicsEnsembleFile.read(f));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());

        Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 9));
        e = assertThrows(IOException.class, () -> DynamicsEnsembleFile.read(f));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        byte[] badMagic = bytes.clone();
        badMagic[0] = 'X';
        Files.write(f, badMagic);
        e = assertThrows(IOException.class, () -> DynamicsEnsembleFile.read(f));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());

        byte[] badVersion = bytes.clone();
        badVersion[7] = 9;
        Files.write(f, badVersion);
        e = assertThrows(IOException.class, () -> DynamicsEnsembleFile.read(f));
        assertTrue(e.getMessage().contains("version=9"), e.getMessage());
    }

    @Test
    void forwardMatchesAHandComputation() {
        DynamicsEnsembleParameters p = randomParams(11, 0f);
        DynamicsEnsembleModel m = new DynamicsEnsembleModel(p);
        float[] s = {0.3f, -0.7f, 1.2f};
        float[] a = {-0.4f};
        double[] mu = new double[OBS + 1];
        double[] lv = new double[OBS + 1];
        for (int member = 0; member < p.members(); member++) {
            m.predict(member, s, a, mu, lv);
            double[] x = new double[OBS + ACT];
            float[] raw = {s[0], s[1], s[2], a[0]};
            for (int i = 0; i < x.length; i++) {
                x[i] = ((double) raw[i] - p.inputMean()[i]) / p.inputStd()[i];
            }
            for (int l = 0; l < p.layers(); l++) {
                int in = p.layerSize(l);
                int out = p.layerSize(l + 1);
                double[] y = new double[out];
                for (int o = 0; o < out; o++) {
                    double acc = p.biases()[l][member * out + o];
                    for (int i = 0; i < in; i++) {
                        acc += x[i] * p.weights()[l][member * in * out + i * out + o];
                    }
                    y[o] = l < p.layers() - 1 ? acc * (1 / (1 + Math.exp(-acc))) : acc;
                }
                x = y;
            }
            for (int k = 0; k <= OBS; k++) {
                assertEquals(x[k], mu[k], 1e-9);
                double hi = p.maxLogvar()[k];
                double lo = p.minLogvar()[k];
                double clampedHigh = hi - Math.log(1 + Math.exp(hi - x[OBS + 1 + k]));
                assertEquals(lo + Math.log(1 + Math.exp(clampedHigh - lo)), lv[k], 1e-9);
                assertTrue(lv[k] <= hi && lv[k] >= lo, "log-variance within its bounds");
            }
        }
    }

    @Test
    void stepSamplesOnlyElitesWithTheirGaussian() {
        DynamicsEnsembleParameters p = randomParams(5, 0f);
        DynamicsEnsembleModel m = new DynamicsEnsembleModel(p);
        float[] s = {0.2f, 0.1f, -0.5f};
        float[] a = {0.3f};
        double[][] mu = new double[4][OBS + 1];
        double[][] lv = new double[4][OBS + 1];
        for (int k = 0; k < 4; k++) {
            m.predict(k, s, a, mu[k], lv[k]);
        }
        // Replay the model's own random stream to know which elite each step picked.
        SplitMix64 r = new SplitMix64(99);
        SplitMix64 shadow = new SplitMix64(99);
        float[] next = new float[OBS];
        int[] picks = new int[4];
        double sumZ = 0;
        double sumZ2 = 0;
        int n = 20000;
        for (int t = 0; t < n; t++) {
            int member = p.elites()[shadow.nextInt(2)];
            double[] eps = {shadow.nextGaussian(), shadow.nextGaussian(), shadow.nextGaussian(), shadow.nextGaussian()};
            double reward = m.step(s, a, r, next);
            picks[member]++;
            for (int i = 0; i < OBS; i++) {
                assertEquals(s[i] + mu[member][i] + Math.exp(0.5 * lv[member][i]) * eps[i], next[i], 1e-5);
            }
            double z = (reward - mu[member][OBS]) / Math.exp(0.5 * lv[member][OBS]);
            assertEquals(eps[OBS], z, 1e-6);
            sumZ += z;
            sumZ2 += z * z;
        }
        assertEquals(0, picks[0] + picks[2], "non-elite members are never used");
        assertEquals(0.5, picks[1] / (double) n, 0.02);
        assertEquals(0, sumZ / n, 0.03);
        assertEquals(1, sumZ2 / n, 0.05);
    }

    @Test
    void stepAllocatesNothing() {
        DynamicsEnsembleModel m = new DynamicsEnsembleModel(randomParams(3, 0f));
        SplitMix64 r = new SplitMix64(1);
        float[] s = {0.2f, 0.1f, -0.5f};
        float[] a = {0.3f};
        float[] next = new float[OBS];
        for (int i = 0; i < 20000; i++) {
            m.step(s, a, r, next); // warm up (JIT)
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.getCurrentThreadAllocatedBytes();
        long before = threads.getCurrentThreadAllocatedBytes();
        double acc = 0;
        for (int i = 0; i < 10000; i++) {
            acc += m.step(s, a, r, next);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertFalse(Double.isNaN(acc));
        assertTrue(allocated < 1024, "step allocated " + allocated + " bytes over 10000 calls");
    }

    @Test
    void loaderIsFoundByFormatName(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("m.dyn");
        DynamicsEnsembleParameters p = randomParams(2, 0f);
        DynamicsEnsembleFile.write(f, p);
        TransitionModelLoader loader = ServiceLoader.load(TransitionModelLoader.class).stream()
                .map(ServiceLoader.Provider::get).filter(l -> l.format().equals("dynamics-ensemble")).findFirst()
                .orElseThrow();
        TransitionModel model = loader.load(f);
        DynamicsEnsembleModel dm = assertInstanceOf(DynamicsEnsembleModel.class, model);
        assertEquals(p, dm.parameters());
        assertEquals(OBS, model.observationSize());
        assertEquals(ACT, model.actionSize());
    }

    @Test
    void invalidParametersAreRejected() {
        DynamicsEnsembleParameters p = randomParams(2, 0f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DynamicsEnsembleParameters(
                OBS, ACT, p.hiddenSizes(), 4, new int[] {1, 1}, p.inputMean(), p.inputStd(), p.maxLogvar(),
                p.minLogvar(), p.weights(), p.biases(), p.validationMse()));
        assertTrue(e.getMessage().contains("elite"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DynamicsEnsembleParameters(
                OBS, ACT, p.hiddenSizes(), 4, p.elites(), p.inputMean(), new float[] {1, 0, 1, 1}, p.maxLogvar(),
                p.minLogvar(), p.weights(), p.biases(), p.validationMse()));
        assertTrue(e.getMessage().contains("std=0.0"), e.getMessage());
    }
}
