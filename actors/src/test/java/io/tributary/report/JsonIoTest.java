package io.tributary.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonIoTest {

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
    void compactAndPrettyOutputRoundTripNestedStructures() throws Exception {
        Map<String, Object> original = nested();
        String compact = JsonIo.write(original);
        String pretty = JsonIo.writePretty(original);
        JsonNode back = JsonIo.parse(compact);

        assertEquals(back, JsonIo.parse(pretty), "compact and pretty hold the same document");
        assertEquals(TRICKY, back.path("inner").path("text").asText());
        assertEquals(TRICKY, back.path("list").get(5).path("text").asText());
        assertEquals("v", back.path("key with \"quotes\" and \u00e9").asText());
        assertEquals(Long.MIN_VALUE, back.path("alpha").asLong());
        assertEquals(-1.5e-7, back.path("tiny").asDouble());
        assertEquals(1e300, back.path("huge").asDouble());
        assertTrue(back.path("nothing").isNull());
        assertEquals("[1,2.5,null,\"s\",[[],[3]]", JsonIo.write(back.path("list")).substring(0, 24));
        assertEquals(0, back.path("inner").path("emptyMap").size());
        assertFalse(compact.contains("\n"), "JSONL records must fit on one line: " + compact);
        assertTrue(pretty.contains("\n  \"zeta\": 1,"), pretty);
        // Key order survives both directions.
        List<String> keys = new ArrayList<>();
        JsonIo.parseObject(compact).fieldNames().forEachRemaining(keys::add);
        assertEquals(List.copyOf(original.keySet()), keys);
        // Integers stay integers, doubles keep their fraction.
        assertTrue(JsonIo.parse(compact).path("max").isIntegralNumber());
        assertEquals(Long.MAX_VALUE, JsonIo.parse(compact).path("max").asLong());
        assertTrue(JsonIo.parse(compact).path("whole").isFloatingPointNumber());
    }

    /** A record with primitive and boxed non-finite fields, as summaries have. */
    record Figures(double mean, Double boxed, float f, double[] curve, float[] fs, List<Double> returns) {
    }

    @Test
    void nonFiniteNumbersAreWrittenAsNullEverywhere() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nan", Double.NaN);
        m.put("inf", Double.POSITIVE_INFINITY);
        m.put("ninf", Double.NEGATIVE_INFINITY);
        m.put("fnan", Float.NaN);
        m.put("arr", new double[] {1.0, Double.NaN});
        assertEquals("{\"nan\":null,\"inf\":null,\"ninf\":null,\"fnan\":null,\"arr\":[1.0,null]}", JsonIo.write(m));
        String rec = JsonIo.write(new Figures(Double.NaN, Double.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                new double[] {Double.NaN, 2.0}, new float[] {Float.NaN, 0.5f}, Arrays.asList(1.0, Double.NaN)));
        assertEquals("{\"mean\":null,\"boxed\":null,\"f\":null,\"curve\":[null,2.0],\"fs\":[null,0.5],"
                + "\"returns\":[1.0,null]}", rec);
        // The pretty form is valid JSON too.
        assertTrue(JsonIo.parse(JsonIo.writePretty(m)).path("nan").isNull());
    }

    @Test
    void numbersKeepTheirKind() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("steps", 200_000L);
        m.put("int", 7);
        m.put("ret", 475.0);
        m.put("f", 0.1f);
        assertEquals("{\"steps\":200000,\"int\":7,\"ret\":475.0,\"f\":0.1}", JsonIo.write(m));
    }

    @Test
    void prettyKeepsScalarArraysOnOneLineAndIndentsObjectsByTwo() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("curve", List.of(1L, 2L, 3L));
        m.put("e", List.of());
        m.put("o", Map.of());
        m.put("inner", Map.of("a", 1));
        assertEquals("{\n  \"curve\": [1, 2, 3],\n  \"e\": [],\n  \"o\": {},\n  \"inner\": {\n    \"a\": 1\n  }\n}",
                JsonIo.writePretty(m));
    }

    @Test
    void malformedInputNamesLineAndColumn() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JsonIo.parse("{\n  \"a\": 1,\n  \"b\" 2\n}"));
        assertTrue(e.getMessage().contains("line 3, column 7"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JsonIo.parse("[NaN]"));
        assertThrows(IllegalArgumentException.class, () -> JsonIo.parse("{\"a\": 1,}"));
    }

    @Test
    void parseObjectRejectsOtherTopLevelValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonIo.parseObject("[1]"));
        assertTrue(e.getMessage().contains("expected an object"), e.getMessage());
        ObjectNode o = JsonIo.parseObject(" { } ");
        assertEquals(0, o.size());
    }

    @Test
    void unsupportedValuesAreRejectedWithTheirType() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JsonIo.write(Map.of("outer", List.of(1L, new Object()))));
        assertTrue(e.getMessage().contains("cannot write JSON"), e.getMessage());
    }
}
