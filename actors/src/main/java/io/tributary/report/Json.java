package io.tributary.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Minimal dependency-free JSON writer and reader for run summaries (pretty) and metric logs (JSONL).
 *
 * <p>Writing accepts {@code null}, {@link CharSequence}, {@link Character}, {@link Enum} (its name),
 * {@link Boolean}, {@link Number}, {@link Map} with {@link String} keys (iteration order is kept, so use a
 * {@link LinkedHashMap} for a stable layout), {@link Collection}, and {@code double[]}/{@code long[]}/{@code
 * int[]}/{@code Object[]}. Non-finite floating-point numbers are written as {@code null} because JSON has no
 * representation for them. Integral types are written without a fraction; doubles keep Java's shortest
 * round-trip form ({@code 475.0}, {@code 1.0E-5}), so a write-then-parse cycle gives back the same type.
 *
 * <p>Reading produces {@link LinkedHashMap}, {@link ArrayList}, {@link String}, {@link Long} (integers that
 * fit), {@link Double} (everything else), {@link Boolean} and {@code null}.
 */
public final class Json {

    /** Nesting deeper than this is rejected so a hostile file cannot overflow the stack. */
    private static final int MAX_DEPTH = 512;

    private Json() {
    }

    /** Starts an insertion-ordered object builder, e.g. {@code Json.object().put("seed", 7).build()}. */
    public static ObjectBuilder object() {
        return new ObjectBuilder();
    }

    /** Writes {@code value} compactly on one line (no trailing newline), suitable for one JSONL record. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        writeTo(out, value, false);
        return out.toString();
    }

    /** Writes {@code value} indented by two spaces; arrays holding only scalars stay on one line. */
    public static String writePretty(Object value) {
        StringBuilder out = new StringBuilder();
        writeTo(out, value, true);
        return out.toString();
    }

    /** Appends {@code value} to {@code out}, compact or pretty. */
    public static void writeTo(Appendable out, Object value, boolean pretty) {
        StringBuilder buffer = out instanceof StringBuilder sb ? sb : new StringBuilder();
        new Writer(buffer, pretty).value(value, 0, "$");
        if (buffer != out) {
            try {
                out.append(buffer);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot append JSON output", e);
            }
        }
    }

    /** Returns {@code s} as a quoted JSON string literal with all required escapes. */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2);
        Writer.string(out, s);
        return out.toString();
    }

    /** Parses one JSON value; trailing non-whitespace is an error. */
    public static Object parse(String text) {
        Parser parser = new Parser(text);
        parser.skipWhitespace();
        Object value = parser.value(0);
        parser.skipWhitespace();
        if (parser.pos < text.length()) {
            throw parser.error("end of input");
        }
        return value;
    }

    /** Parses a JSON document whose top level must be an object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object value = parse(text);
        if (!(value instanceof Map)) {
            throw new JsonParseException("Malformed JSON at position 0 (line 1, column 1): expected an object at"
                    + " top level but found " + describe(value), 0, 1, 1);
        }
        return (Map<String, Object>) value;
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof List) {
            return "an array";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        return "a number";
    }

    /** Fluent builder of an insertion-ordered JSON object. */
    public static final class ObjectBuilder {
        private final LinkedHashMap<String, Object> map = new LinkedHashMap<>();

        private ObjectBuilder() {
        }

        /** Sets {@code key} to {@code value}; a later put of the same key replaces the value in place. */
        public ObjectBuilder put(String key, Object value) {
            if (key == null) {
                throw new IllegalArgumentException("JSON object key must not be null: value=" + value);
            }
            map.put(key, value);
            return this;
        }

        /** Returns the built map (a live {@link LinkedHashMap}; further puts on this builder show up in it). */
        public Map<String, Object> build() {
            return map;
        }

        /** Writes the object compactly on one line. */
        public String write() {
            return Json.write(map);
        }

        /** Writes the object pretty-printed. */
        public String writePretty() {
            return Json.writePretty(map);
        }

        @Override
        public String toString() {
            return write();
        }
    }

    /** Thrown by {@link Json#parse} with the offending position and what was expected there. */
    public static final class JsonParseException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final int position;
        private final int line;
        private final int column;

        JsonParseException(String message, int position, int line, int column) {
            super(message);
            this.position = position;
            this.line = line;
            this.column = column;
        }

        /** Zero-based character offset of the error. */
        public int position() {
            return position;
        }

        /** One-based line of the error. */
        public int line() {
            return line;
        }

        /** One-based column of the error. */
        public int column() {
            return column;
        }
    }

    private static final class Writer {
        private final StringBuilder out;
        private final boolean pretty;

        Writer(StringBuilder out, boolean pretty) {
            this.out = out;
            this.pretty = pretty;
        }

        void value(Object v, int depth, String path) {
            if (depth > MAX_DEPTH) {
                throw new IllegalArgumentException("JSON nesting too deep (cycle?): path=" + path
                        + ", maxDepth=" + MAX_DEPTH);
            }
            if (v == null) {
                out.append("null");
            } else if (v instanceof CharSequence || v instanceof Character) {
                string(out, v.toString());
            } else if (v instanceof Enum<?> e) {
                string(out, e.name());
            } else if (v instanceof Boolean b) {
                out.append(b.booleanValue());
            } else if (v instanceof Number n) {
                number(n);
            } else if (v instanceof Map<?, ?> m) {
                object(m, depth, path);
            } else if (v instanceof Collection<?> c) {
                array(new ArrayList<>(c), depth, path);
            } else if (v instanceof Object[] a) {
                array(Arrays.asList(a), depth, path);
            } else if (v instanceof double[] a) {
                List<Object> list = new ArrayList<>(a.length);
                for (double d : a) {
                    list.add(d);
                }
                array(list, depth, path);
            } else if (v instanceof long[] a) {
                List<Object> list = new ArrayList<>(a.length);
                for (long l : a) {
                    list.add(l);
                }
                array(list, depth, path);
            } else if (v instanceof int[] a) {
                List<Object> list = new ArrayList<>(a.length);
                for (int i : a) {
                    list.add(i);
                }
                array(list, depth, path);
            } else {
                throw new IllegalArgumentException("unsupported JSON value type: path=" + path + ", type="
                        + v.getClass().getName());
            }
        }

        private void number(Number n) {
            if (n instanceof Double || n instanceof Float) {
                double d = n.doubleValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    out.append("null");
                } else if (n instanceof Float f) {
                    // Float.toString keeps the float's own shortest form (0.1f -> "0.1", not 0.10000000149...).
                    out.append(f.toString());
                } else {
                    out.append(Double.toString(d));
                }
            } else if (n instanceof BigDecimal bd) {
                out.append(bd.toString());
            } else if (n instanceof BigInteger || n instanceof Long || n instanceof Integer || n instanceof Short
                    || n instanceof Byte) {
                out.append(n.toString());
            } else {
                // AtomicLong, LongAdder, DoubleAdder and the like: go through double unless integral.
                double d = n.doubleValue();
                long l = n.longValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    out.append("null");
                } else if (d == (double) l) {
                    out.append(l);
                } else {
                    out.append(Double.toString(d));
                }
            }
        }

        private void object(Map<?, ?> m, int depth, String path) {
            if (m.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("JSON object keys must be strings: path=" + path + ", key="
                            + e.getKey() + ", keyType=" + (e.getKey() == null ? "null"
                            : e.getKey().getClass().getName()));
                }
                if (!first) {
                    out.append(',');
                }
                first = false;
                newline(depth + 1);
                string(out, key);
                out.append(pretty ? ": " : ":");
                value(e.getValue(), depth + 1, path + "." + key);
            }
            newline(depth);
            out.append('}');
        }

        private void array(List<?> list, int depth, String path) {
            if (list.isEmpty()) {
                out.append("[]");
                return;
            }
            boolean flat = !pretty || list.stream().noneMatch(x -> x instanceof Map || x instanceof Collection
                    || x instanceof Object[] || x instanceof double[] || x instanceof long[] || x instanceof int[]);
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(pretty && flat ? ", " : ",");
                }
                if (!flat) {
                    newline(depth + 1);
                }
                value(list.get(i), depth + 1, path + "[" + i + "]");
            }
            if (!flat) {
                newline(depth);
            }
            out.append(']');
        }

        private void newline(int depth) {
            if (pretty) {
                out.append('\n');
                out.append("  ".repeat(depth));
            }
        }

        static void string(StringBuilder out, String s) {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> {
                        // U+2028/2029 are legal JSON but break JavaScript and some line-oriented tools.
                        boolean unpairedSurrogate = Character.isSurrogate(c) && !pairedAt(s, i);
                        if (c < 0x20 || c == '\u2028' || c == '\u2029' || c == 0x7f || unpairedSurrogate) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }

        private static boolean pairedAt(String s, int i) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            }
            return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
        }
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            if (text == null) {
                throw new IllegalArgumentException("JSON text must not be null");
            }
            this.text = text;
        }

        Object value(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("at most " + MAX_DEPTH + " levels of nesting");
            }
            if (pos >= text.length()) {
                throw error("a value");
            }
            char c = text.charAt(pos);
            return switch (c) {
                case '{' -> object(depth);
                case '[' -> array(depth);
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield number();
                    }
                    throw error("a value (object, array, string, number, true, false or null)");
                }
            };
        }

        private Map<String, Object> object(int depth) {
            pos++; // '{'
            LinkedHashMap<String, Object> map = new LinkedHashMap<>();
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipWhitespace();
                if (peek() != '"') {
                    throw error("a string key");
                }
                String key = string();
                skipWhitespace();
                expect(':');
                skipWhitespace();
                map.put(key, value(depth + 1));
                skipWhitespace();
                char c = peek();
                if (c == ',') {
                    pos++;
                } else if (c == '}') {
                    pos++;
                    return map;
                } else {
                    throw error("',' or '}'");
                }
            }
        }

        private List<Object> array(int depth) {
            pos++; // '['
            List<Object> list = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                return list;
            }
            while (true) {
                skipWhitespace();
                list.add(value(depth + 1));
                skipWhitespace();
                char c = peek();
                if (c == ',') {
                    pos++;
                } else if (c == ']') {
                    pos++;
                    return list;
                } else {
                    throw error("',' or ']'");
                }
            }
        }

        private String string() {
            pos++; // opening quote
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= text.length()) {
                    throw error("closing '\"' of string");
                }
                char c = text.charAt(pos);
                if (c == '"') {
                    pos++;
                    return sb.toString();
                }
                if (c < 0x20) {
                    throw error("an escaped control character (raw control characters are not allowed in"
                            + " strings)");
                }
                if (c != '\\') {
                    sb.append(c);
                    pos++;
                    continue;
                }
                pos++;
                if (pos >= text.length()) {
                    throw error("an escape character after '\\'");
                }
                char e = text.charAt(pos);
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case '/' -> sb.append('/');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        int code = 0;
                        for (int k = 1; k <= 4; k++) {
                            int at = pos + k;
                            int digit = at < text.length() ? Character.digit(text.charAt(at), 16) : -1;
                            if (digit < 0) {
                                pos = Math.min(at, text.length());
                                throw error("4 hex digits after '\\u'");
                            }
                            code = code * 16 + digit;
                        }
                        sb.append((char) code);
                        pos += 4;
                    }
                    default -> throw error("one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
                }
                pos++;
            }
        }

        private Object number() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            if (peek() == '0') {
                pos++;
            } else if (isDigit(peek())) {
                while (isDigit(peek())) {
                    pos++;
                }
            } else {
                throw error("a digit");
            }
            boolean integral = true;
            if (peek() == '.') {
                integral = false;
                pos++;
                if (!isDigit(peek())) {
                    throw error("a digit after '.'");
                }
                while (isDigit(peek())) {
                    pos++;
                }
            }
            if (peek() == 'e' || peek() == 'E') {
                integral = false;
                pos++;
                if (peek() == '+' || peek() == '-') {
                    pos++;
                }
                if (!isDigit(peek())) {
                    throw error("a digit in the exponent");
                }
                while (isDigit(peek())) {
                    pos++;
                }
            }
            String literal = text.substring(start, pos);
            if (integral) {
                try {
                    return Long.parseLong(literal);
                } catch (NumberFormatException tooBig) {
                    // Out of long range: fall through to double, as most JSON readers do.
                }
            }
            return Double.parseDouble(literal);
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, pos)) {
                throw error("'" + word + "'");
            }
            pos += word.length();
            return value;
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("'" + c + "'");
            }
            pos++;
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        void skipWhitespace() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    pos++;
                } else {
                    return;
                }
            }
        }

        JsonParseException error(String expected) {
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < pos && i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            int column = pos - lineStart + 1;
            String found;
            if (pos >= text.length()) {
                found = "end of input";
            } else {
                char c = text.charAt(pos);
                found = c < 0x20 || c == 0x7f ? String.format("character U+%04X", (int) c) : "'" + c + "'";
            }
            String message = "Malformed JSON at position " + pos + " (line " + line + ", column " + column
                    + "): expected " + expected + " but found " + found + near();
            return new JsonParseException(message, pos, line, column);
        }

        private String near() {
            if (text.isEmpty()) {
                return "";
            }
            int from = Math.max(0, pos - 20);
            int to = Math.min(text.length(), pos + 20);
            String snippet = text.substring(from, to).replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
            return " near \"" + snippet + "\"";
        }
    }
}
