package io.tributary.learner.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Creates DJL arrays from Java floats in 64-byte aligned native memory. On the CPU the PyTorch engine
 * wraps a direct buffer without copying, and MKL/oneDNN pick kernels by alignment, so arrays built from
 * {@code ByteBuffer.allocateDirect} memory (16-byte aligned, varying from run to run) gave results that
 * differed in the last bits between runs; aligned inputs make updates bit-for-bit reproducible.
 */
public final class Arrays64 {
    private static final int ALIGNMENT = 64;

    private Arrays64() {
    }

    /** A 64-byte aligned, native-order direct buffer with room for {@code floats} floats. */
    public static ByteBuffer allocate(int floats) {
        ByteBuffer raw = ByteBuffer.allocateDirect(floats * Float.BYTES + 2 * ALIGNMENT);
        ByteBuffer aligned = raw.alignedSlice(ALIGNMENT).order(ByteOrder.nativeOrder());
        aligned.limit(floats * Float.BYTES);
        return aligned;
    }

    /** An array holding {@code data} (copied into fresh aligned memory that the array keeps alive). */
    public static NDArray create(NDManager manager, float[] data, Shape shape) {
        ByteBuffer buf = allocate(data.length);
        buf.asFloatBuffer().put(data);
        return manager.create(buf, shape, DataType.FLOAT32);
    }
}
