package io.tributary.learner.nn;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

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
}
