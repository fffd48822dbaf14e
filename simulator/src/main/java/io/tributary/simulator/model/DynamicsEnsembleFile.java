package io.tributary.simulator.model;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The {@code dynamics-ensemble} file format: a learned dynamics ensemble's {@link DynamicsEnsembleParameters}
 * in a small big-endian binary file, so the learner (DJL) can write it and the simulator (pure Java) read it.
 *
 * <pre>
 * int    magic 0x5444594E ("TDYN"), int version 1
 * int    observationSize, actionSize, members, hiddenCount, hiddenSizes[hiddenCount]
 * int    eliteCount, elites[eliteCount]
 * float  inputMean[in], inputStd[in], maxLogvar[target], minLogvar[target]      (in = obs + act, target = obs + 1)
 * per layer l: float weights[members * in_l * out_l], float biases[members * out_l]
 * double validationMse[members]
 * long   CRC32 of every byte before it
 * </pre>
 */
public final class DynamicsEnsembleFile {
    /** Name of this format, as {@link TransitionModelLoader#format()} gives it. */
    public static final String FORMAT = "dynamics-ensemble";
    /** First four bytes of every file. */
    public static final int MAGIC = 0x5444594E;
    /** The version this code writes and reads. */
    public static final int VERSION = 1;
    private static final int MAX_DIM = 1 << 20;

    private DynamicsEnsembleFile() {
    }

    /** Writes {@code params} to {@code file} atomically (a sibling temporary file, then a rename). */
    public static void write(Path file, DynamicsEnsembleParameters params) throws IOException {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, abs.getFileName().toString(), ".tmp");
        try {
            try (OutputStream fos = Files.newOutputStream(tmp)) {
                CRC32 crc = new CRC32();
                DataOutputStream out = new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(fos), crc));
                writeBody(out, params);
                out.flush();
                new DataOutputStream(fos).writeLong(crc.getValue());
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void writeBody(DataOutputStream out, DynamicsEnsembleParameters p) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(p.observationSize());
        out.writeInt(p.actionSize());
        out.writeInt(p.members());
        int[] hidden = p.hiddenSizes();
        out.writeInt(hidden.length);
        for (int h : hidden) {
            out.writeInt(h);
        }
        int[] elites = p.elites();
        out.writeInt(elites.length);
        for (int e : elites) {
            out.writeInt(e);
        }
        writeFloats(out, p.inputMean());
        writeFloats(out, p.inputStd());
        writeFloats(out, p.maxLogvar());
        writeFloats(out, p.minLogvar());
        for (int l = 0; l < p.layers(); l++) {
            writeFloats(out, p.weightsOf(l));
            writeFloats(out, p.biasesOf(l));
        }
        for (double v : p.validationMse()) {
            out.writeDouble(v);
        }
    }

    private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        for (float v : a) {
            out.writeFloat(v);
        }
    }

    /** Reads a file written by {@link #write}; a wrong magic, version, size or checksum throws with the reason. */
    public static DynamicsEnsembleParameters read(Path file) throws IOException {
        try (InputStream fis = new BufferedInputStream(Files.newInputStream(file))) {
            CRC32 crc = new CRC32();
            DataInputStream in = new DataInputStream(new CheckedInputStream(fis, crc));
            DynamicsEnsembleParameters p;
            try {
                p = readBody(in, file);
                long expected = crc.getValue();
                long stored = new DataInputStream(fis).readLong();
                if (stored != expected) {
                    throw new IOException("dynamics ensemble file is corrupt (checksum mismatch): file=" + file
                            + ", stored=" + Long.toHexString(stored) + ", computed=" + Long.toHexString(expected));
                }
            } catch (EOFException e) {
                throw new IOException("dynamics ensemble file is truncated: file=" + file, e);
            } catch (IllegalArgumentException e) {
                throw new IOException("dynamics ensemble file holds invalid parameters: file=" + file + ": "
                        + e.getMessage(), e);
            }
            if (fis.read() != -1) {
                throw new IOException("dynamics ensemble file has trailing bytes: file=" + file);
            }
            return p;
        }
    }

    private static DynamicsEnsembleParameters readBody(DataInputStream in, Path file) throws IOException {
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new IOException("not a dynamics ensemble file (bad magic): file=" + file + ", magic=0x"
                    + Integer.toHexString(magic) + ", expected=0x" + Integer.toHexString(MAGIC));
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("unsupported dynamics ensemble file version: file=" + file + ", version=" + version
                    + ", supported=" + VERSION);
        }
        int obs = dim(in, "observationSize", file);
        int act = dim(in, "actionSize", file);
        int members = dim(in, "members", file);
        int[] hidden = new int[count(in, "hiddenCount", file, 64)];
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = dim(in, "hiddenSizes[" + i + "]", file);
        }
        int[] elites = new int[count(in, "eliteCount", file, members)];
        for (int i = 0; i < elites.length; i++) {
            elites[i] = in.readInt();
        }
        int inSize = obs + act;
        int target = obs + 1;
        float[] mean = readFloats(in, inSize);
        float[] std = readFloats(in, inSize);
        float[] maxLv = readFloats(in, target);
        float[] minLv = readFloats(in, target);
        int layers = hidden.length + 1;
        float[][] w = new float[layers][];
        float[][] b = new float[layers][];
        for (int l = 0; l < layers; l++) {
            int a = l == 0 ? inSize : hidden[l - 1];
            int o = l == layers - 1 ? 2 * target : hidden[l];
            long nw = (long) members * a * o;
            if (nw > Integer.MAX_VALUE - 16) {
                throw new IOException("dynamics ensemble layer too large: file=" + file + ", layer=" + l + ", weights=" + nw);
            }
            w[l] = readFloats(in, (int) nw);
            b[l] = readFloats(in, members * o);
        }
        double[] mse = new double[members];
        for (int i = 0; i < members; i++) {
            mse[i] = in.readDouble();
        }
        return new DynamicsEnsembleParameters(obs, act, hidden, members, elites, mean, std, maxLv, minLv, w, b, mse);
    }

    private static int dim(DataInputStream in, String name, Path file) throws IOException {
        int v = in.readInt();
        if (v <= 0 || v > MAX_DIM) {
            throw new IOException("dynamics ensemble file has a bad size: file=" + file + ", " + name + "=" + v);
        }
        return v;
    }

    private static int count(DataInputStream in, String name, Path file, int max) throws IOException {
        int v = in.readInt();
        if (v < 0 || v > max) {
            throw new IOException("dynamics ensemble file has a bad count: file=" + file + ", " + name + "=" + v
                    + ", max=" + max);
        }
        return v;
    }

    private static float[] readFloats(DataInputStream in, int n) throws IOException {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readFloat();
        }
        return a;
    }
}
