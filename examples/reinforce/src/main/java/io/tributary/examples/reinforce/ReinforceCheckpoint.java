package io.tributary.examples.reinforce;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** The checkpoint file of {@link ReinforceLearner}: {@value #FILE} in the checkpoint folder, plain {@code DataOutputStream} fields. */
final class ReinforceCheckpoint {
    /** File name inside a checkpoint folder. */
    static final String FILE = "reinforce.bin";

    private ReinforceCheckpoint() {
    }

    /** Writes the learner's weights, Adam state, counters and the pieces of its unfinished episodes into {@code dir}. */
    static void write(Path dir, ReinforceLearner l) throws IOException {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(FILE)))) {
            out.writeLong(l.version);
            out.writeLong(l.adamSteps);
            out.writeLong(l.stepsSinceUpdate);
            for (float[] a : new float[][] {l.params, l.adamM, l.adamV}) {
                writeFloats(out, a);
            }
            out.writeInt(l.episodes.size());
            for (Map.Entry<String, TreeMap<Integer, ReinforceLearner.Piece>> e : l.episodes.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().size());
                for (Map.Entry<Integer, ReinforceLearner.Piece> p : e.getValue().entrySet()) {
                    out.writeInt(p.getKey());
                    out.writeInt(p.getValue().steps());
                    out.writeBoolean(p.getValue().last());
                    out.writeDouble(p.getValue().envReward());
                    writeFloats(out, p.getValue().obs());
                    writeFloats(out, p.getValue().actions());
                    writeFloats(out, p.getValue().rewards());
                }
            }
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
            l.episodes.clear();
            l.lastSeen.clear();
            for (int e = in.readInt(); e > 0; e--) {
                TreeMap<Integer, ReinforceLearner.Piece> pieces = new TreeMap<>();
                String key = in.readUTF();
                l.episodes.put(key, pieces);
                l.lastSeen.put(key, l.version);
                for (int p = in.readInt(); p > 0; p--) {
                    int index = in.readInt();
                    int steps = in.readInt();
                    boolean last = in.readBoolean();
                    double envReward = in.readDouble();
                    pieces.put(index, new ReinforceLearner.Piece(steps, readFloats(in), readFloats(in), readFloats(in), envReward, last));
                }
            }
        }
    }

    private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        out.writeInt(a.length);
        for (float f : a) {
            out.writeFloat(f);
        }
    }

    private static float[] readFloats(DataInputStream in) throws IOException {
        float[] a = new float[in.readInt()];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readFloat();
        }
        return a;
    }

}
