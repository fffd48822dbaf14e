package io.tributary.learner.nn;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import io.tributary.learner.ObservationField;
import io.tributary.learner.PolicySpec;
import java.util.ArrayList;
import java.util.List;

/** Length-prefixed primitive arrays for the learners' {@code DataOutputStream} checkpoint files. */
public final class Checkpoints {
    private Checkpoints() {
    }

    /** Writes the length, then the floats. */
    public static void writeFloats(DataOutput out, float[] a) throws IOException {
        out.writeInt(a.length);
        for (float f : a) {
            out.writeFloat(f);
        }
    }

    /** Reads floats written by {@link #writeFloats}, checking the length. */
    public static float[] readFloats(DataInput in, int expected, String what) throws IOException {
        int n = in.readInt();
        if (n != expected) {
            throw new IOException("checkpoint length mismatch: field=" + what + ", stored=" + n + ", expected=" + expected);
        }
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readFloat();
        }
        return a;
    }

    /** Writes the length, then the ints. */
    public static void writeInts(DataOutput out, int[] a) throws IOException {
        out.writeInt(a.length);
        for (int x : a) {
            out.writeInt(x);
        }
    }

    /** Reads ints written by {@link #writeInts}. */
    public static int[] readInts(DataInput in, int max, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > max) {
            throw new IOException("checkpoint length out of range: field=" + what + ", length=" + n + ", max=" + max);
        }
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readInt();
        }
        return a;
    }

    /** Writes a whole {@link PolicySpec} (enum names, fields, widths, bounds). */
    public static void writeSpec(DataOutput out, PolicySpec spec) throws IOException {
        out.writeUTF(spec.architecture().name());
        out.writeUTF(spec.activation().name());
        out.writeInt(spec.fields().size());
        for (ObservationField f : spec.fields()) {
            out.writeUTF(f.name());
            out.writeUTF(f.kind().name());
            out.writeInt(f.size());
            out.writeInt(f.vocabSize());
            out.writeBoolean(f.normalize());
            out.writeBoolean(f.enabled());
            writeInts(out, f.hiddenSizes());
            out.writeInt(f.embeddingDim());
        }
        writeInts(out, spec.hiddenSizes());
        out.writeUTF(spec.head().name());
        out.writeInt(spec.actionSize());
        writeFloats(out, spec.actionLow());
        writeFloats(out, spec.actionHigh());
    }

    /** Reads what {@link #writeSpec} wrote; any defect is an {@link IOException} naming it. */
    public static PolicySpec readSpec(DataInput in) throws IOException {
        try {
            PolicySpec.Architecture architecture = PolicySpec.Architecture.valueOf(in.readUTF());
            PolicySpec.Activation activation = PolicySpec.Activation.valueOf(in.readUTF());
            int count = in.readInt();
            if (count < 1 || count > 4096) {
                throw new IOException("checkpoint field count out of range: count=" + count);
            }
            List<ObservationField> fields = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                ObservationField.Kind kind = ObservationField.Kind.valueOf(in.readUTF());
                int size = in.readInt();
                int vocab = in.readInt();
                boolean normalize = in.readBoolean();
                boolean enabled = in.readBoolean();
                int[] hidden = readInts(in, 64, "field.hiddenSizes");
                int dim = in.readInt();
                fields.add(new ObservationField(name, kind, size, vocab, normalize, enabled, hidden, dim));
            }
            int[] hidden = readInts(in, 64, "hiddenSizes");
            PolicySpec.Head head = PolicySpec.Head.valueOf(in.readUTF());
            int actionSize = in.readInt();
            float[] low = readFloatsUpTo(in, 1 << 20, "actionLow");
            float[] high = readFloatsUpTo(in, 1 << 20, "actionHigh");
            return new PolicySpec(architecture, activation, fields, hidden, head, actionSize, low, high);
        } catch (IllegalArgumentException e) {
            throw new IOException("bad policy spec in checkpoint: " + e.getMessage(), e);
        }
    }

    private static float[] readFloatsUpTo(DataInput in, int max, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > max) {
            throw new IOException("checkpoint length out of range: field=" + what + ", length=" + n + ", max=" + max);
        }
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readFloat();
        }
        return a;
    }
}
