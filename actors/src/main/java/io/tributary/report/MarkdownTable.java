package io.tributary.report;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Builds a GitHub-flavoured Markdown table for reports, formatting numbers to a fixed number of decimals.
 *
 * <p>Floating-point cells ({@link Double}, {@link Float}, {@link BigDecimal}) get the configured decimals;
 * integral cells are printed as-is; NaN and null cells show as {@code —}. Columns whose cells are all numbers
 * (or empty) are right-aligned unless {@link #align} says otherwise. Pipes in cells are escaped and line
 * breaks become {@code <br>}, so a cell can never break the table. Columns are padded so the raw text lines up.
 */
public final class MarkdownTable {

    /** Column alignment written into the delimiter row. */
    public enum Align {
        /** {@code :---} */
        LEFT,
        /** {@code :---:} */
        CENTER,
        /** {@code ---:} */
        RIGHT
    }

    private static final String MISSING = "\u2014";

    private final List<String> header;
    private final Align[] alignOverride;
    private final List<Object[]> rows = new ArrayList<>();
    private int decimals = 2;

    /** Creates a table with the given column headers (at least one). */
    public MarkdownTable(String... header) {
        this(Arrays.asList(header));
    }

    /** Creates a table with the given column headers (at least one). */
    public MarkdownTable(List<String> header) {
        Objects.requireNonNull(header, "header");
        if (header.isEmpty()) {
            throw new IllegalArgumentException("table needs at least one column: columns=0");
        }
        this.header = List.copyOf(header);
        this.alignOverride = new Align[header.size()];
    }

    /** Sets the number of decimals for floating-point cells (default 2). */
    public MarkdownTable decimals(int decimals) {
        if (decimals < 0 || decimals > 15) {
            throw new IllegalArgumentException("decimals out of range: decimals=" + decimals + ", allowed=0..15");
        }
        this.decimals = decimals;
        return this;
    }

    /** Forces the alignment of column {@code column} (zero-based). */
    public MarkdownTable align(int column, Align align) {
        if (column < 0 || column >= header.size()) {
            throw new IllegalArgumentException("column out of range: column=" + column + ", columns="
                    + header.size());
        }
        alignOverride[column] = Objects.requireNonNull(align, "align");
        return this;
    }

    /** Adds a row; it must have exactly one cell per column. */
    public MarkdownTable addRow(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("row has wrong number of cells: row=" + rows.size() + ", cells="
                    + cells.length + ", columns=" + header.size());
        }
        rows.add(cells.clone());
        return this;
    }

    /** Adds a row; it must have exactly one cell per column. */
    public MarkdownTable addRow(List<?> cells) {
        return addRow(cells.toArray());
    }

    /** Returns the number of data rows added so far. */
    public int rowCount() {
        return rows.size();
    }

    /** Renders the table: header line, delimiter line, one line per row, each ending in a newline. */
    public String render() {
        int columns = header.size();
        String[][] text = new String[rows.size()][columns];
        Align[] align = new Align[columns];
        int[] widths = new int[columns];
        for (int c = 0; c < columns; c++) {
            boolean numeric = !rows.isEmpty();
            boolean anyValue = false;
            for (int r = 0; r < rows.size(); r++) {
                Object cell = rows.get(r)[c];
                text[r][c] = format(cell);
                if (cell != null) {
                    anyValue = true;
                    numeric &= cell instanceof Number;
                }
            }
            align[c] = alignOverride[c] != null ? alignOverride[c] : numeric && anyValue ? Align.RIGHT : null;
            widths[c] = Math.max(3, escape(header.get(c)).length());
            for (String[] row : text) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        String[] head = new String[columns];
        for (int c = 0; c < columns; c++) {
            head[c] = escape(header.get(c));
        }
        line(out, head, widths, align);
        out.append('|');
        for (int c = 0; c < columns; c++) {
            int w = widths[c];
            String rule;
            if (align[c] == null) {
                rule = "-".repeat(w);
            } else {
                rule = switch (align[c]) {
                    case LEFT -> ":" + "-".repeat(w - 1);
                    case CENTER -> ":" + "-".repeat(w - 2) + ":";
                    case RIGHT -> "-".repeat(w - 1) + ":";
                };
            }
            out.append(' ').append(rule).append(" |");
        }
        out.append('\n');
        for (String[] row : text) {
            line(out, row, widths, align);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return render();
    }

    private static void line(StringBuilder out, String[] cells, int[] widths, Align[] align) {
        out.append('|');
        for (int c = 0; c < cells.length; c++) {
            String cell = cells[c];
            int pad = widths[c] - cell.length();
            out.append(' ');
            if (align[c] == Align.RIGHT) {
                out.append(" ".repeat(pad)).append(cell);
            } else if (align[c] == Align.CENTER) {
                out.append(" ".repeat(pad / 2)).append(cell).append(" ".repeat(pad - pad / 2));
            } else {
                out.append(cell).append(" ".repeat(pad));
            }
            out.append(" |");
        }
        out.append('\n');
    }

    private String format(Object cell) {
        if (cell == null) {
            return MISSING;
        }
        if (cell instanceof Double || cell instanceof Float) {
            double d = ((Number) cell).doubleValue();
            if (Double.isNaN(d)) {
                return MISSING;
            }
            if (Double.isInfinite(d)) {
                return d > 0 ? "\u221e" : "-\u221e";
            }
            return fixed(d);
        }
        if (cell instanceof BigDecimal bd) {
            return bd.setScale(decimals, java.math.RoundingMode.HALF_UP).toPlainString();
        }
        if (cell instanceof Long || cell instanceof Integer || cell instanceof Short || cell instanceof Byte
                || cell instanceof BigInteger) {
            return cell.toString();
        }
        if (cell instanceof Number n) {
            return fixed(n.doubleValue());
        }
        return escape(cell.toString());
    }

    private String fixed(double d) {
        String s = String.format(Locale.ROOT, "%." + decimals + "f", d);
        // -0.001 at two decimals would read "-0.00"; a signed zero only confuses a reader.
        return s.startsWith("-") && s.chars().noneMatch(ch -> ch >= '1' && ch <= '9') ? s.substring(1) : s;
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>")
                .replace("\r", "<br>");
    }
}
