package io.tributary.simulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An observation or action space. Every space flattens to a fixed number of floats, which is how
 * values travel on the wire and into networks; {@link Composite} keeps the named layout of a fused
 * observation so a network can split it back into branches.
 */
public sealed interface Space permits Space.Box, Space.Discrete, Space.TokenIds, Space.Composite {

    /** Number of floats this space occupies when flattened. */
    int flatSize();

    /** A real-valued box with per-element bounds (infinite bounds allowed). */
    record Box(float[] low, float[] high) implements Space {
        public Box {
            if (low == null || high == null) {
                throw new IllegalArgumentException("Box bounds must not be null");
            }
            if (low.length != high.length || low.length == 0) {
                throw new IllegalArgumentException(
                        "Box bounds must be non-empty and equal length: low.length=" + low.length
                                + ", high.length=" + high.length);
            }
            for (int i = 0; i < low.length; i++) {
                if (!(low[i] <= high[i])) {
                    throw new IllegalArgumentException("Box bound inverted: index=" + i + ", low="
                            + low[i] + ", high=" + high[i]);
                }
            }
            low = low.clone();
            high = high.clone();
        }

        /** A box of {@code size} elements, each in [low, high]. */
        public static Box uniform(int size, float low, float high) {
            float[] lo = new float[size];
            float[] hi = new float[size];
            java.util.Arrays.fill(lo, low);
            java.util.Arrays.fill(hi, high);
            return new Box(lo, hi);
        }

        @Override
        public int flatSize() {
            return low.length;
        }

        @Override
        public float[] low() {
            return low.clone();
        }

        @Override
        public float[] high() {
            return high.clone();
        }

        /** Lower bound of element {@code i} without copying. */
        public float lowAt(int i) {
            return low[i];
        }

        /** Upper bound of element {@code i} without copying. */
        public float highAt(int i) {
            return high[i];
        }
    }

    /** One choice among {@code n}; flattened as a single float holding the index. */
    record Discrete(int n) implements Space {
        public Discrete {
            if (n < 1) {
                throw new IllegalArgumentException("Discrete space needs n >= 1: n=" + n);
            }
        }

        @Override
        public int flatSize() {
            return 1;
        }
    }

    /** A fixed-length sequence of token ids in [0, vocabSize); flattened as floats (exact below 2^24). */
    record TokenIds(int length, int vocabSize) implements Space {
        public TokenIds {
            if (length < 1 || vocabSize < 1 || vocabSize > (1 << 24)) {
                throw new IllegalArgumentException("TokenIds needs length >= 1 and 1 <= vocabSize <= 2^24: length="
                        + length + ", vocabSize=" + vocabSize);
            }
        }

        @Override
        public int flatSize() {
            return length;
        }
    }

    /** Named fields laid out one after another in declaration order (a fused observation). */
    record Composite(Map<String, Space> fields) implements Space {
        public Composite {
            if (fields == null || fields.isEmpty()) {
                throw new IllegalArgumentException("Composite space needs at least one field");
            }
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }

        @Override
        public int flatSize() {
            int n = 0;
            for (Space s : fields.values()) {
                n += s.flatSize();
            }
            return n;
        }

        /** Offset of the named field in the flattened vector. */
        public int offsetOf(String field) {
            int off = 0;
            for (Map.Entry<String, Space> e : fields.entrySet()) {
                if (e.getKey().equals(field)) {
                    return off;
                }
                off += e.getValue().flatSize();
            }
            throw new IllegalArgumentException("unknown field: field=" + field + ", fields=" + fields.keySet());
        }

        /** Field names in layout order. */
        public List<String> names() {
            return new ArrayList<>(fields.keySet());
        }
    }
}
