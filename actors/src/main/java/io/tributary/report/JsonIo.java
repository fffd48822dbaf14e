package io.tributary.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one Jackson configuration for Tributary's JSON files ({@code summary.json}, {@code metrics.jsonl},
 * experiment results) and JSON printed by the CLI.
 *
 * <p>JSON has no NaN or infinity, and Jackson's default writes them as strings or bare tokens; here every
 * non-finite {@code double}/{@code float} (boxed, primitive or in an array) is written as {@code null}, so a
 * diverged run still leaves a valid file. Maps keep their iteration order and records their component
 * order. Compact output is one line (a JSONL record); pretty output indents objects by two spaces, writes
 * {@code "key": value} and keeps arrays of scalars on one line.
 */
public final class JsonIo {
    private static final ObjectMapper MAPPER = JsonMapper.builder().addModule(nonFiniteAsNull()).build();

    private static final ObjectWriter COMPACT = MAPPER.writer();

    private static final ObjectWriter PRETTY = MAPPER.writer(new DefaultPrettyPrinter(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayValueSpacing(Separators.Spacing.AFTER)
                    .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultPrettyPrinter.NopIndenter()));

    private JsonIo() {
    }

    /** The shared mapper (configure nothing on it: every file of the project is written through it). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** {@code value} compactly on one line (no trailing newline), suitable for one JSONL record. */
    public static String write(Object value) {
        try {
            return COMPACT.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON: type=" + typeOf(value) + ", cause=" + e.getMessage(), e);
        }
    }

    /** {@code value} pretty-printed (no trailing newline). */
    public static String writePretty(Object value) {
        try {
            return PRETTY.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON: type=" + typeOf(value) + ", cause=" + e.getMessage(), e);
        }
    }

    /** Writes {@code value} pretty-printed with a final newline into {@code file}, replacing it. */
    public static void writePrettyFile(Path file, Object value) {
        try {
            Files.writeString(file, writePretty(value) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Parses one JSON document into a tree; a malformed one throws with Jackson's line and column. */
    public static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), e);
        }
    }

    /** Reads {@code text} into {@code type} (a summary record, for instance). */
    public static <T> T read(String text, Class<T> type) {
        try {
            return MAPPER.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot read JSON as " + type.getSimpleName() + ": "
                    + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr(), e);
        }
    }

    /** Parses a JSON document whose top level must be an object. */
    public static ObjectNode parseObject(String text) {
        JsonNode node = parse(text);
        if (!(node instanceof ObjectNode o)) {
            throw new IllegalArgumentException("malformed JSON: expected an object at top level but found "
                    + (node == null ? "nothing" : node.getNodeType()));
        }
        return o;
    }

    /** Reads {@code file} as a JSON object. */
    public static ObjectNode readObject(Path file) {
        try {
            return parseObject(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + ": file=" + file, e);
        }
    }

    private static String typeOf(Object value) {
        return value == null ? "null" : value.getClass().getName();
    }

    private static SimpleModule nonFiniteAsNull() {
        SimpleModule m = new SimpleModule("tributary-non-finite-as-null");
        StdSerializer<Double> dbl = new StdSerializer<>(Double.class) {
            @Override
            public void serialize(Double v, JsonGenerator g, SerializerProvider p) throws IOException {
                writeDouble(v, g);
            }
        };
        StdSerializer<Float> flt = new StdSerializer<>(Float.class) {
            @Override
            public void serialize(Float v, JsonGenerator g, SerializerProvider p) throws IOException {
                if (Float.isFinite(v)) {
                    g.writeNumber(v.floatValue());
                } else {
                    g.writeNull();
                }
            }
        };
        m.addSerializer(Double.class, dbl);
        m.addSerializer(Double.TYPE, dbl);
        m.addSerializer(Float.class, flt);
        m.addSerializer(Float.TYPE, flt);
        m.addSerializer(double[].class, new StdSerializer<>(double[].class) {
            @Override
            public void serialize(double[] a, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeStartArray(a, a.length);
                for (double v : a) {
                    writeDouble(v, g);
                }
                g.writeEndArray();
            }
        });
        m.addSerializer(float[].class, new StdSerializer<>(float[].class) {
            @Override
            public void serialize(float[] a, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeStartArray(a, a.length);
                for (float v : a) {
                    if (Float.isFinite(v)) {
                        g.writeNumber(v);
                    } else {
                        g.writeNull();
                    }
                }
                g.writeEndArray();
            }
        });
        return m;
    }

    private static void writeDouble(double v, JsonGenerator g) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumber(v);
        } else {
            g.writeNull();
        }
    }
}
