package io.tributary.streams.codec;

import java.nio.ByteOrder;
import java.util.Objects;
import org.agrona.AbstractMutableDirectBuffer;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

/**
 * Allocation-free primitives the codecs share: UTF-8 without temporary byte arrays, bulk array copies
 * and bit-packed booleans.
 */
final class Wire {
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /**
     * On a little-endian host a float[] already has the wire layout, so arrays can be copied with one
     * memcpy instead of a per-element loop; big-endian hosts take the loop.
     */
    private static final boolean NATIVE_LE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final long FLOAT_ARRAY_BASE = UnsafeApi.arrayBaseOffset(float[].class);
    private static final long INT_ARRAY_BASE = UnsafeApi.arrayBaseOffset(int[].class);

    private Wire() {
    }

    /**
     * Checks that {@code length} bytes fit at {@code index}, growing expandable buffers. A fixed buffer
     * that is too small is the caller's sizing error, reported before anything is written.
     */
    static void ensureCapacity(MutableDirectBuffer buffer, int index, int length) {
        Objects.requireNonNull(buffer, "buffer");
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0: index=" + index);
        }
        long end = (long) index + length;
        if (end > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("record does not fit a buffer: index=" + index + ", length=" + length);
        }
        if (buffer.isExpandable()) {
            buffer.checkLimit((int) end);
        } else if (end > buffer.capacity()) {
            throw new IllegalArgumentException("buffer too small: index=" + index + ", required=" + length
                    + ", capacity=" + buffer.capacity());
        }
    }

    /** Converts a computed length to int, refusing records beyond what one buffer can hold. */
    static int checkedLength(long length, String recordName) {
        if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(recordName + " too large to encode: bytes=" + length
                    + ", max=" + Integer.MAX_VALUE);
        }
        return (int) length;
    }

    /**
     * UTF-8 length of {@code s}. Unpaired surrogates are refused rather than replaced with '?', because
     * a replaced character would make the decoded record differ from the one encoded.
     */
    static long utf8Length(String s, String field) {
        int n = s.length();
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 4;
                    i++;
                } else {
                    throw new IllegalArgumentException(field + " is not valid UTF-16: unpairedSurrogateIndex=" + i);
                }
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** Writes int32 byte length + UTF-8 bytes of a string already measured by {@link #utf8Length}; returns the next index. */
    static int putString(MutableDirectBuffer buffer, int index, String s, int utf8Length) {
        buffer.putInt(index, utf8Length, LE);
        int p = index + 4;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                buffer.putByte(p++, (byte) c);
            } else if (c < 0x800) {
                buffer.putByte(p++, (byte) (0xC0 | (c >>> 6)));
                buffer.putByte(p++, (byte) (0x80 | (c & 0x3F)));
            } else if (Character.isHighSurrogate(c)) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                buffer.putByte(p++, (byte) (0xF0 | (cp >>> 18)));
                buffer.putByte(p++, (byte) (0x80 | ((cp >>> 12) & 0x3F)));
                buffer.putByte(p++, (byte) (0x80 | ((cp >>> 6) & 0x3F)));
                buffer.putByte(p++, (byte) (0x80 | (cp & 0x3F)));
            } else {
                buffer.putByte(p++, (byte) (0xE0 | (c >>> 12)));
                buffer.putByte(p++, (byte) (0x80 | ((c >>> 6) & 0x3F)));
                buffer.putByte(p++, (byte) (0x80 | (c & 0x3F)));
            }
        }
        return p;
    }

    /**
     * Relative index of the first byte that breaks well-formed UTF-8 (Unicode table 3-7: no overlong
     * forms, no surrogates, nothing above U+10FFFF), or -1 if the bytes are well-formed. Java's decoder
     * would silently replace such bytes, so they are caught here to keep decoding lossless.
     */
    static int invalidUtf8Index(DirectBuffer buffer, int index, int length) {
        int end = index + length;
        int i = index;
        while (i < end) {
            int b0 = buffer.getByte(i) & 0xFF;
            if (b0 < 0x80) {
                i++;
                continue;
            }
            int continuation;
            int lo = 0x80;
            int hi = 0xBF;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                continuation = 1;
            } else if (b0 == 0xE0) {
                continuation = 2;
                lo = 0xA0;
            } else if (b0 == 0xED) {
                continuation = 2;
                hi = 0x9F;
            } else if (b0 >= 0xE1 && b0 <= 0xEF) {
                continuation = 2;
            } else if (b0 == 0xF0) {
                continuation = 3;
                lo = 0x90;
            } else if (b0 >= 0xF1 && b0 <= 0xF3) {
                continuation = 3;
            } else if (b0 == 0xF4) {
                continuation = 3;
                hi = 0x8F;
            } else {
                return i - index;
            }
            if (end - i <= continuation) {
                return i - index;
            }
            int b1 = buffer.getByte(i + 1) & 0xFF;
            if (b1 < lo || b1 > hi) {
                return i + 1 - index;
            }
            for (int k = 2; k <= continuation; k++) {
                int b = buffer.getByte(i + k) & 0xFF;
                if (b < 0x80 || b > 0xBF) {
                    return i + k - index;
                }
            }
            i += continuation + 1;
        }
        return -1;
    }

    /** Writes int32 count + floats; returns the next index. */
    static int putFloatArray(MutableDirectBuffer buffer, int index, float[] values) {
        buffer.putInt(index, values.length, LE);
        putFloats(buffer, index + 4, values, 0, values.length);
        return index + 4 + (values.length << 2);
    }

    /** Writes int32 count + ints; returns the next index. */
    static int putIntArray(MutableDirectBuffer buffer, int index, int[] values) {
        buffer.putInt(index, values.length, LE);
        putInts(buffer, index + 4, values);
        return index + 4 + (values.length << 2);
    }

    /** Writes int32 bit count + the flags packed eight to a byte, lowest bit first; returns the next index. */
    static int putBits(MutableDirectBuffer buffer, int index, boolean[] flags) {
        int n = flags.length;
        buffer.putInt(index, n, LE);
        int p = index + 4;
        for (int base = 0; base < n; base += 8) {
            int b = 0;
            int limit = Math.min(8, n - base);
            for (int k = 0; k < limit; k++) {
                if (flags[base + k]) {
                    b |= 1 << k;
                }
            }
            buffer.putByte(p++, (byte) b);
        }
        return p;
    }

    /** Bytes that {@code bits} packed flags take. */
    static long bitBytes(long bits) {
        return (bits + 7) >>> 3;
    }

    /** Flag {@code i} of a packed bit array starting at {@code index}. */
    static boolean bit(DirectBuffer buffer, int index, int i) {
        return (buffer.getByte(index + (i >>> 3)) & (1 << (i & 7))) != 0;
    }

    /** Copies floats into the buffer; the caller has checked the capacity. */
    static void putFloats(MutableDirectBuffer buffer, int index, float[] src, int srcIndex, int count) {
        if (count == 0) {
            return;
        }
        Objects.checkFromIndexSize(srcIndex, count, src.length);
        buffer.boundsCheck(index, count << 2);
        if (NATIVE_LE && buffer instanceof AbstractMutableDirectBuffer) {
            UnsafeApi.copyMemory(src, FLOAT_ARRAY_BASE + ((long) srcIndex << 2), buffer.byteArray(),
                    buffer.addressOffset() + index, (long) count << 2);
        } else {
            for (int i = 0; i < count; i++) {
                buffer.putFloat(index + (i << 2), src[srcIndex + i], LE);
            }
        }
    }

    /** Copies ints into the buffer; the caller has checked the capacity. */
    static void putInts(MutableDirectBuffer buffer, int index, int[] src) {
        int count = src.length;
        if (count == 0) {
            return;
        }
        buffer.boundsCheck(index, count << 2);
        if (NATIVE_LE && buffer instanceof AbstractMutableDirectBuffer) {
            UnsafeApi.copyMemory(src, INT_ARRAY_BASE, buffer.byteArray(), buffer.addressOffset() + index,
                    (long) count << 2);
        } else {
            for (int i = 0; i < count; i++) {
                buffer.putInt(index + (i << 2), src[i], LE);
            }
        }
    }

    /** Copies {@code count} floats from the buffer into {@code dst}; both ranges are bounds-checked first. */
    static void getFloats(DirectBuffer buffer, int index, float[] dst, int dstIndex, int count) {
        if (count == 0) {
            return;
        }
        Objects.checkFromIndexSize(dstIndex, count, dst.length);
        buffer.boundsCheck(index, count << 2);
        if (NATIVE_LE && buffer instanceof AbstractMutableDirectBuffer) {
            UnsafeApi.copyMemory(buffer.byteArray(), buffer.addressOffset() + index, dst,
                    FLOAT_ARRAY_BASE + ((long) dstIndex << 2), (long) count << 2);
        } else {
            for (int i = 0; i < count; i++) {
                dst[dstIndex + i] = buffer.getFloat(index + (i << 2), LE);
            }
        }
    }

    /** Copies {@code count} ints from the buffer into {@code dst}; both ranges are bounds-checked first. */
    static void getInts(DirectBuffer buffer, int index, int[] dst, int dstIndex, int count) {
        if (count == 0) {
            return;
        }
        Objects.checkFromIndexSize(dstIndex, count, dst.length);
        buffer.boundsCheck(index, count << 2);
        if (NATIVE_LE && buffer instanceof AbstractMutableDirectBuffer) {
            UnsafeApi.copyMemory(buffer.byteArray(), buffer.addressOffset() + index, dst,
                    INT_ARRAY_BASE + ((long) dstIndex << 2), (long) count << 2);
        } else {
            for (int i = 0; i < count; i++) {
                dst[dstIndex + i] = buffer.getInt(index + (i << 2), LE);
            }
        }
    }

    /** Reads a float array section's elements into a new array. */
    static float[] floats(DirectBuffer buffer, int index, int count) {
        float[] a = new float[count];
        getFloats(buffer, index, a, 0, count);
        return a;
    }

    /** Reads an int array section's elements into a new array. */
    static int[] ints(DirectBuffer buffer, int index, int count) {
        int[] a = new int[count];
        getInts(buffer, index, a, 0, count);
        return a;
    }

    /** Unpacks {@code count} packed flags into a new array. */
    static boolean[] bits(DirectBuffer buffer, int index, int count) {
        boolean[] a = new boolean[count];
        for (int i = 0; i < count; i++) {
            a[i] = bit(buffer, index, i);
        }
        return a;
    }
}
