package io.tributary.streams.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;

/**
 * Exact, field-by-field equality of records (arrays by content, floats by raw bits so NaN payloads and
 * -0.0 must survive), recursing into nested records. Records compare arrays by reference in equals(),
 * so it cannot be used for round trips.
 */
final class RecordAssertions {
    private RecordAssertions() {
    }

    static void assertRecordEquals(Record expected, Record actual) {
        assertRecordEquals(expected, actual, expected.getClass().getSimpleName());
    }

    private static void assertRecordEquals(Record expected, Record actual, String path) {
        assertEquals(expected.getClass(), actual.getClass(), path);
        try {
            for (RecordComponent component : expected.getClass().getRecordComponents()) {
                Object e = component.getAccessor().invoke(expected);
                Object a = component.getAccessor().invoke(actual);
                assertValueEquals(e, a, path + "." + component.getName());
            }
        } catch (ReflectiveOperationException ex) {
            throw new AssertionError(ex);
        }
    }

    private static void assertValueEquals(Object e, Object a, String path) {
        if (e instanceof Record r) {
            assertRecordEquals(r, (Record) a, path);
        } else if (e instanceof float[] f) {
            float[] g = (float[]) a;
            assertEquals(f.length, g.length, path + ".length");
            for (int i = 0; i < f.length; i++) {
                if (Float.floatToRawIntBits(f[i]) != Float.floatToRawIntBits(g[i])) {
                    fail(path + "[" + i + "]: expected " + f[i] + " but was " + g[i]);
                }
            }
        } else if (e instanceof int[] i) {
            if (!Arrays.equals(i, (int[]) a)) {
                fail(path + ": expected " + Arrays.toString(i) + " but was " + Arrays.toString((int[]) a));
            }
        } else if (e instanceof boolean[] b) {
            if (!Arrays.equals(b, (boolean[]) a)) {
                fail(path + ": expected " + Arrays.toString(b) + " but was " + Arrays.toString((boolean[]) a));
            }
        } else if (e instanceof Object[] o) {
            if (!Arrays.equals(o, (Object[]) a)) {
                fail(path + ": expected " + Arrays.toString(o) + " but was " + Arrays.toString((Object[]) a));
            }
        } else if (e instanceof Double d) {
            assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits((Double) a), path);
        } else {
            assertEquals(e, a, path);
        }
    }
}
