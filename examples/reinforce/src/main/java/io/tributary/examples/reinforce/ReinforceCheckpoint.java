package io.tributary.examples.reinforce;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The checkpoint file of {@link ReinforceLearner}: {@value #FILE} in the checkpoint folder, plain {@code DataOutputStream} fields. */
final class ReinforceCheckpoint {
    /** File name inside a checkpoint folder. */
    static final String FILE = "reinforce.bin";

    private ReinforceCheckpoint() {
    }

    /** Writes the learner's version, Adam step count, weights, Adam moments and held episode pieces into {@code dir}. */
    static void write(Path dir, ReinforceLearner l) throws IOException {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(FILE)))) {
            out.writeLong(l.version);
            out.writeLong(l.adamSteps);
            out.writeLong(l.stepsSinceUpdate);
            for (float[] a : new float[][] {l.params, l.adamM, l.adamV}) {
                writeFloats(out, a);
            }
            l.episodes.write(out);
        }
    }

    /** Puts back into {@code l} what {@link #write} wrote. */
    static void read(Path dir, ReinforceLearner l) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(dir.resolve(FILE)))) {
            l.version = in.readLong();
            l.adamSteps = in.readLong();
            l.stepsSinceUpdate = in.readLong();
            for (float[] a : new float[][] {l.params, l.adamM, l.adamV}) {
                float[] stored = readFloats(in);
                if (stored.length != a.length) {
                    throw new IOException("checkpoint does not fit the policy: stored=" + stored.length + ", expected=" + a.length);
                }
                System.arraycopy(stored, 0, a, 0, a.length);
            }
            l.episodes.read(in);
        }
    }

    static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        out.writeInt(a.length);
        for (float f : a) {
            out.writeFloat(f);
        }
    }

    static float[] readFloats(DataInputStream in) throws IOException {
        float[] a = new float[in.readInt()];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readFloat();
        }
        return a;
    }
}
