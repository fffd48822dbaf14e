package io.tributary.actors.dashboard;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4) for tests: every line is a
 * {@code # HELP}/{@code # TYPE} comment or a sample {@code name{labels} value}; anything else throws.
 */
final class PrometheusText {
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*)\\})?"
                    + " (-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)( -?[0-9]+)?");
    private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*");

    private PrometheusText() {
    }

    /** Samples by {@code name{labels}} exactly as written (labels in the exporter's order). */
    static Map<String, Double> parse(String text) {
        Map<String, Double> out = new LinkedHashMap<>();
        int n = 0;
        for (String line : text.split("\n")) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                if (!COMMENT.matcher(line).matches()) {
                    throw new IllegalArgumentException("bad comment line " + n + ": " + line);
                }
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("bad sample line " + n + ": " + line);
            }
            String key = m.group(1) + (m.group(2) == null ? "" : m.group(2));
            if (out.put(key, Double.parseDouble(m.group(4).replace("+Inf", "Infinity").replace("-Inf", "-Infinity"))) != null) {
                throw new IllegalArgumentException("duplicate sample line " + n + ": " + line);
            }
        }
        return out;
    }

    /** The sum of samples named {@code name} whose labels contain every {@code label="value"} of {@code labels}. */
    static double sum(Map<String, Double> samples, String name, String... labels) {
        double s = 0;
        boolean found = false;
        for (Map.Entry<String, Double> e : samples.entrySet()) {
            String k = e.getKey();
            if (!(k.equals(name) || k.startsWith(name + "{"))) {
                continue;
            }
            boolean all = true;
            for (String l : labels) {
                all &= k.contains(l);
            }
            if (all) {
                s += e.getValue();
                found = true;
            }
        }
        if (!found) {
            throw new AssertionError("no sample " + name + " with " + String.join(",", labels) + " in " + samples.keySet());
        }
        return s;
    }
}
