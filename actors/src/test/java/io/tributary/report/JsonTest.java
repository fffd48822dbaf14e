package io.tributary.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    private static final String TRICKY = "quote\" backslash\\ slash/ nl\n cr\r tab\t bs\b ff\f nul\u0000 us\u001f del\u007f"
            + " é 中文 😀 ls\u2028 ps\u2029";

    private static Map<String, Object> nested() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("text", TRICKY);
        inner.put("empty", "");
        inner.put("emptyList", new ArrayList<>());
        inner.put("emptyMap", new LinkedHashMap<>());
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("zeta", 1L);
        root.put("alpha", -9223372036854775808L);
        root.put("max", Long.MAX_VALUE);
        root.put("pi", 3.141592653589793);
        root.put("tiny", -1.5e-7);
        root.put("huge", 1e300);
        root.put("whole", 475.0);
        root.put("yes", true);
        root.put("no", false);
        root.put("nothing", null);
        root.put("key with \"quotes\" and \u00e9", "v");
        root.put("list", Arrays.asList(1L, 2.5, null, "s", List.of(List.of(), List.of(3L)), inner));
        root.put("inner", inner);
        return root;
    }

    @Test
    void compactAndPrettyOutputRoundTripNestedStructures() {
        Map<String, Object> original = nested();
        String compact = Json.write(original);
        String pretty = Json.writePretty(original);

        assertEquals(original, Json.parse(compact));
        assertEquals(original, Json.parse(pretty));
        assertFalse(compact.contains("\n"), "JSONL records must fit on one line: " + compact);
        assertTrue(pretty.contains("\n  \"zeta\": 1,"), pretty);
        // Key order survives both directions.
        assertEquals(List.copyOf(original.keySet()), List.copyOf(Json.parseObject(compact).keySet()));
    }

    @Test
    void escapesAreWrittenAsJsonRequires() {
        String written = Json.quote("a\"b\\c\nd\u0001e\u2028");
        assertEquals("\"a\\\"b\\\\c\\nd\\u0001e\\u2028\"", written);
        assertEquals("é😀", Json.parse("\"\\u00e9\\ud83d\\ude00\""));
        assertEquals("é😀", Json.parse("\"é😀\""));
        assertEquals("/", Json.parse("\"\\/\""));
    }

    @Test
    void nonFiniteNumbersAreWrittenAsNull() {
        Map<String, Object> m = Json.object().put("nan", Double.NaN).put("inf", Double.POSITIVE_INFINITY)
                .put("ninf", Double.NEGATIVE_INFINITY).put("fnan", Float.NaN).put("arr", new double[] {1.0, Double.NaN})
                .build();
        assertEquals("{\"nan\":null,\"inf\":null,\"ninf\":null,\"fnan\":null,\"arr\":[1.0,null]}", Json.write(m));
    }

    @Test
    void numbersKeepTheirKind() {
        assertEquals("{\"steps\":200000,\"int\":7,\"ret\":475.0,\"f\":0.1}",
                Json.object().put("steps", 200_000L).put("int", 7).put("ret", 475.0).put("f", 0.1f).write());
        assertInstanceOf(Long.class, Json.parse("42"));
        assertInstanceOf(Double.class, Json.parse("42.0"));
        assertInstanceOf(Double.class, Json.parse("4e2"));
        assertEquals(-0.5, Json.parse("-5E-1"));
        assertInstanceOf(Double.class, Json.parse("123456789012345678901234567890"));
    }

    @Test
    void prettyKeepsScalarArraysOnOneLine() {
        String pretty = Json.writePretty(Json.object().put("curve", List.of(1L, 2L, 3L)).put("e", List.of()).build());
        assertEquals("{\n  \"curve\": [1, 2, 3],\n  \"e\": []\n}", pretty);
    }

    @Test
    void parsesLiteralsAndWhitespace() {
        assertNull(Json.parse(" null "));
        assertEquals(Boolean.TRUE, Json.parse("\ttrue\r\n"));
        assertEquals(List.of(), Json.parse("[ ]"));
        assertEquals(Map.of(), Json.parse("{ }"));
    }

    @Test
    void malformedInputNamesPositionAndExpectation() {
        assertError("{\"a\": 1,}", 8, "expected a string key but found '}'");
        assertError("{\"a\" 1}", 5, "expected ':' but found '1'");
        assertError("[1, 2", 5, "expected ',' or ']' but found end of input");
        assertError("tru", 0, "expected 'true'");
        assertError("\"abc", 4, "expected closing '\"' of string");
        assertError("{} x", 3, "expected end of input but found 'x'");
        assertError("\"\\x\"", 2, "expected one of");
        assertError("\"\\u12G4\"", 5, "expected 4 hex digits");
        assertError("01", 1, "expected end of input");
        assertError("-", 1, "expected a digit");
        assertError("1.", 2, "expected a digit after '.'");
        assertError("\"a\nb\"", 2, "raw control characters");
        assertError("", 0, "expected a value");
        assertError("[NaN]", 1, "expected a value");

        Json.JsonParseException e = assertThrows(Json.JsonParseException.class,
                () -> Json.parse("{\n  \"a\": 1,\n  \"b\" 2\n}"));
        assertEquals(3, e.line());
        assertEquals(7, e.column());
        assertTrue(e.getMessage().contains("line 3, column 7"), e.getMessage());
    }

    @Test
    void parseObjectRejectsOtherTopLevelValues() {
        Json.JsonParseException e = assertThrows(Json.JsonParseException.class, () -> Json.parseObject("[1]"));
        assertTrue(e.getMessage().contains("expected an object"), e.getMessage());
    }

    @Test
    void unsupportedValuesAndKeysAreRejectedWithTheirPath() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.write(Map.of("outer", List.of(1L, new Object()))));
        assertTrue(e.getMessage().contains("path=$.outer[1]"), e.getMessage());
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, 2)));
        assertTrue(k.getMessage().contains("keys must be strings"), k.getMessage());
    }

    private static void assertError(String text, int position, String fragment) {
        Json.JsonParseException e = assertThrows(Json.JsonParseException.class, () -> Json.parse(text),
                () -> "should fail: " + text);
        assertEquals(position, e.position(), e.getMessage());
        assertTrue(e.getMessage().contains("position " + position), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), () -> "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }
}
