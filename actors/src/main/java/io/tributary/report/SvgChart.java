package io.tributary.report;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Dependency-free line chart that renders to a standalone SVG document, for learning curves in reports.
 *
 * <p>Each series is a list of {@link Point}s drawn in the given order; a point with a finite {@code std}
 * contributes to a shaded ±std band (used for multi-seed means). Points whose {@code x} or {@code y} is NaN
 * or infinite are skipped (the line joins their neighbours), a series with no drawable point still gets a
 * legend entry, and a chart with no data renders empty axes with a "no data" note. Axis ranges are widened
 * to "nice" tick values (see {@link #niceTicks}) and always include every target line.
 *
 * <p>Not thread-safe; build, render and discard.
 */
public final class SvgChart {

    /** Default canvas width in pixels. */
    public static final int DEFAULT_WIDTH = 800;
    /** Default canvas height in pixels. */
    public static final int DEFAULT_HEIGHT = 450;

    /** Tableau-10: distinct, colour-blind-friendlier than pure hues, and familiar from matplotlib. */
    private static final String[] PALETTE = {
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
    /** After the palette wraps, dashes keep series with the same colour apart. */
    private static final String[] DASHES = {null, "8 4", "2 3", "8 3 2 3"};
    private static final String FONT = "DejaVu Sans, Helvetica, Arial, sans-serif";
    /** Rough advance width per character at 11px/12px; SVG has no text metrics before rendering. */
    private static final double TICK_CHAR_WIDTH = 6.6;
    private static final double LEGEND_CHAR_WIDTH = 7.2;
    private static final int LEGEND_MAX_CHARS = 26;
    private static final int MARKER_THRESHOLD = 25;

    /** One data point; {@code std} is NaN when the point has no band. */
    public record Point(double x, double y, double std) {
        /** A point without a ±std band. */
        public Point(double x, double y) {
            this(x, y, Double.NaN);
        }
    }

    private record Series(String name, List<Point> points) {
    }

    private record Target(double y, String label) {
    }

    private final String title;
    private String comment = "";
    private String xLabel = "";
    private String yLabel = "";
    private int width = DEFAULT_WIDTH;
    private int height = DEFAULT_HEIGHT;
    private final List<Series> series = new ArrayList<>();
    private final List<Target> targets = new ArrayList<>();

    /** Creates an empty chart with the given title (may be empty, not null). */
    public SvgChart(String title) {
        this.title = Objects.requireNonNull(title, "title");
    }

    /**
     * Sets an XML comment written right after the XML declaration (tools use it to mark who wrote the file);
     * it must not contain {@code --}.
     */
    public SvgChart comment(String text) {
        Objects.requireNonNull(text, "comment");
        if (text.contains("--")) {
            throw new IllegalArgumentException("an XML comment must not contain '--': comment=" + text);
        }
        this.comment = text;
        return this;
    }

    /** Sets the x-axis label. */
    public SvgChart xLabel(String label) {
        this.xLabel = Objects.requireNonNull(label, "xLabel");
        return this;
    }

    /** Sets the y-axis label. */
    public SvgChart yLabel(String label) {
        this.yLabel = Objects.requireNonNull(label, "yLabel");
        return this;
    }

    /** Sets the canvas size in pixels (defaults to 800×450). */
    public SvgChart size(int width, int height) {
        if (width < 200 || height < 150) {
            throw new IllegalArgumentException("chart size too small: width=" + width + ", height=" + height
                    + ", minimum=200x150");
        }
        this.width = width;
        this.height = height;
        return this;
    }

    /** Adds a named series drawn through {@code points} in order. */
    public SvgChart addSeries(String name, List<Point> points) {
        Objects.requireNonNull(name, "series name");
        Objects.requireNonNull(points, "series points");
        for (int i = 0; i < points.size(); i++) {
            if (points.get(i) == null) {
                throw new IllegalArgumentException("null point in series: name=" + name + ", index=" + i);
            }
        }
        series.add(new Series(name, List.copyOf(points)));
        return this;
    }

    /** Adds a named series from parallel x and y arrays. */
    public SvgChart addSeries(String name, double[] x, double[] y) {
        return addSeries(name, x, y, null);
    }

    /** Adds a named series of means with a shaded ±std band; {@code std} may be null for no band. */
    public SvgChart addSeries(String name, double[] x, double[] mean, double[] std) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(mean, "mean");
        if (x.length != mean.length || (std != null && std.length != x.length)) {
            throw new IllegalArgumentException("series arrays differ in length: name=" + name + ", x=" + x.length
                    + ", y=" + mean.length + ", std=" + (std == null ? "none" : String.valueOf(std.length)));
        }
        List<Point> points = new ArrayList<>(x.length);
        for (int i = 0; i < x.length; i++) {
            points.add(new Point(x[i], mean[i], std == null ? Double.NaN : std[i]));
        }
        return addSeries(name, points);
    }

    /** Adds a horizontal dashed line at {@code y} with a label such as "target 475" (null: "target y"). */
    public SvgChart targetLine(double y, String label) {
        if (!Double.isFinite(y)) {
            throw new IllegalArgumentException("target line must be finite: y=" + y);
        }
        targets.add(new Target(y, label != null ? label : "target " + trimNumber(y)));
        return this;
    }

    /** Writes the rendered SVG to {@code file} as UTF-8, creating parent directories. */
    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, render(), StandardCharsets.UTF_8);
    }

    /** Renders the chart as a complete standalone SVG document. */
    public String render() {
        // Data extents over drawable values; bands and targets must stay inside the axes too.
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (Point p : s.points()) {
                if (!drawable(p)) {
                    continue;
                }
                xMin = Math.min(xMin, p.x());
                xMax = Math.max(xMax, p.x());
                double spread = hasBand(p) ? p.std() : 0.0;
                yMin = Math.min(yMin, p.y() - spread);
                yMax = Math.max(yMax, p.y() + spread);
            }
        }
        boolean hasData = xMin <= xMax;
        for (Target t : targets) {
            yMin = Math.min(yMin, t.y());
            yMax = Math.max(yMax, t.y());
        }
        if (!hasData) {
            xMin = 0;
            xMax = 1;
        }
        if (yMin > yMax) {
            yMin = 0;
            yMax = 1;
        }
        double top = title.isEmpty() ? 20 : 46;
        double bottom = height - (xLabel.isEmpty() ? 30 : 52);
        double[] yTicks = niceTicks(yMin, yMax, Math.max(3, (int) ((bottom - top) / 40)));
        String[] yTickLabels = tickLabels(yTicks);

        int longestYTick = 0;
        for (String label : yTickLabels) {
            longestYTick = Math.max(longestYTick, label.length());
        }
        double legendWidth = 0;
        if (!series.isEmpty()) {
            int longestName = 0;
            for (Series s : series) {
                longestName = Math.max(longestName, legendName(s).length());
            }
            legendWidth = 40 + LEGEND_CHAR_WIDTH * Math.max(6, longestName);
        }
        double left = (yLabel.isEmpty() ? 12 : 34) + TICK_CHAR_WIDTH * longestYTick + 8;
        double right = width - (legendWidth > 0 ? 16 + legendWidth : 28);
        // X labels such as "250k" need about 70px each to stay apart.
        double[] xTicks = niceTicks(xMin, xMax, Math.max(3, (int) ((right - left) / 70)));
        String[] xTickLabels = tickLabels(xTicks);
        Frame f = new Frame(left, right, top, bottom, xTicks[0], xTicks[xTicks.length - 1], yTicks[0],
                yTicks[yTicks.length - 1]);

        StringBuilder svg = new StringBuilder(16_384);
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        if (!comment.isEmpty()) {
            svg.append("<!-- ").append(comment).append(" -->\n");
        }
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" font-family=\"").append(FONT).append("\">\n");
        svg.append("<title>").append(escapeXml(title)).append("</title>\n");
        svg.append("<defs><clipPath id=\"plot-area\"><rect x=\"").append(num(f.left)).append("\" y=\"")
                .append(num(f.top)).append("\" width=\"").append(num(f.right - f.left)).append("\" height=\"")
                .append(num(f.bottom - f.top)).append("\"/></clipPath></defs>\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");

        if (!title.isEmpty()) {
            svg.append("<text class=\"title\" x=\"").append(num(width / 2.0))
                    .append("\" y=\"28\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\" fill=\"#222\">")
                    .append(escapeXml(title)).append("</text>\n");
        }

        // Grid and tick labels.
        svg.append("<g class=\"grid\" stroke=\"#e6e6e6\" stroke-width=\"1\">\n");
        for (double t : xTicks) {
            double px = f.px(t);
            svg.append("<line x1=\"").append(num(px)).append("\" y1=\"").append(num(f.top)).append("\" x2=\"")
                    .append(num(px)).append("\" y2=\"").append(num(f.bottom)).append("\"/>\n");
        }
        for (double t : yTicks) {
            double py = f.py(t);
            svg.append("<line x1=\"").append(num(f.left)).append("\" y1=\"").append(num(py)).append("\" x2=\"")
                    .append(num(f.right)).append("\" y2=\"").append(num(py)).append("\"/>\n");
        }
        svg.append("</g>\n");
        svg.append("<g class=\"ticks\" font-size=\"11\" fill=\"#444\">\n");
        for (int i = 0; i < xTicks.length; i++) {
            svg.append("<text x=\"").append(num(f.px(xTicks[i]))).append("\" y=\"").append(num(f.bottom + 17))
                    .append("\" text-anchor=\"middle\">").append(escapeXml(xTickLabels[i])).append("</text>\n");
        }
        for (int i = 0; i < yTicks.length; i++) {
            svg.append("<text x=\"").append(num(f.left - 7)).append("\" y=\"").append(num(f.py(yTicks[i]) + 4))
                    .append("\" text-anchor=\"end\">").append(escapeXml(yTickLabels[i])).append("</text>\n");
        }
        svg.append("</g>\n");

        // Bands first so every line sits above every band.
        svg.append("<g class=\"bands\" clip-path=\"url(#plot-area)\">\n");
        for (int i = 0; i < series.size(); i++) {
            appendBand(svg, series.get(i), colour(i), f);
        }
        svg.append("</g>\n");
        svg.append("<g class=\"series\" clip-path=\"url(#plot-area)\" fill=\"none\" stroke-width=\"2\""
                + " stroke-linejoin=\"round\" stroke-linecap=\"round\">\n");
        for (int i = 0; i < series.size(); i++) {
            appendLine(svg, series.get(i), i, f);
        }
        svg.append("</g>\n");

        // Axes drawn after the data so the frame is never hidden by a line at the range edge.
        svg.append("<g class=\"axes\" stroke=\"#333\" stroke-width=\"1\">\n");
        svg.append("<line x1=\"").append(num(f.left)).append("\" y1=\"").append(num(f.bottom)).append("\" x2=\"")
                .append(num(f.right)).append("\" y2=\"").append(num(f.bottom)).append("\"/>\n");
        svg.append("<line x1=\"").append(num(f.left)).append("\" y1=\"").append(num(f.top)).append("\" x2=\"")
                .append(num(f.left)).append("\" y2=\"").append(num(f.bottom)).append("\"/>\n");
        for (double t : xTicks) {
            double px = f.px(t);
            svg.append("<line x1=\"").append(num(px)).append("\" y1=\"").append(num(f.bottom)).append("\" x2=\"")
                    .append(num(px)).append("\" y2=\"").append(num(f.bottom + 4)).append("\"/>\n");
        }
        for (double t : yTicks) {
            double py = f.py(t);
            svg.append("<line x1=\"").append(num(f.left - 4)).append("\" y1=\"").append(num(py)).append("\" x2=\"")
                    .append(num(f.left)).append("\" y2=\"").append(num(py)).append("\"/>\n");
        }
        svg.append("</g>\n");

        for (Target t : targets) {
            double py = f.py(t.y());
            svg.append("<g class=\"target\">\n");
            svg.append("<line class=\"target-line\" x1=\"").append(num(f.left)).append("\" y1=\"").append(num(py))
                    .append("\" x2=\"").append(num(f.right)).append("\" y2=\"").append(num(py))
                    .append("\" stroke=\"#555\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n");
            // Left end: learning curves start low, so that is usually clear of data; a white halo covers the rest.
            double labelY = py - 6 < f.top + 12 ? py + 15 : py - 6;
            svg.append("<text x=\"").append(num(f.left + 6)).append("\" y=\"").append(num(labelY))
                    .append("\" text-anchor=\"start\" font-size=\"12\" fill=\"#444\" stroke=\"#ffffff\""
                            + " stroke-width=\"3\" paint-order=\"stroke\">")
                    .append(escapeXml(t.label())).append("</text>\n");
            svg.append("</g>\n");
        }

        if (!hasData) {
            svg.append("<text class=\"no-data\" x=\"").append(num((f.left + f.right) / 2)).append("\" y=\"")
                    .append(num((f.top + f.bottom) / 2)).append("\" text-anchor=\"middle\" font-size=\"14\""
                            + " fill=\"#999\">no data</text>\n");
        }

        if (!xLabel.isEmpty()) {
            svg.append("<text class=\"x-label\" x=\"").append(num((f.left + f.right) / 2)).append("\" y=\"")
                    .append(num(height - 14)).append("\" text-anchor=\"middle\" font-size=\"13\" fill=\"#222\">")
                    .append(escapeXml(xLabel)).append("</text>\n");
        }
        if (!yLabel.isEmpty()) {
            double cy = (f.top + f.bottom) / 2;
            svg.append("<text class=\"y-label\" x=\"18\" y=\"").append(num(cy)).append("\" transform=\"rotate(-90 18 ")
                    .append(num(cy)).append(")\" text-anchor=\"middle\" dominant-baseline=\"middle\""
                            + " font-size=\"13\" fill=\"#222\">")
                    .append(escapeXml(yLabel)).append("</text>\n");
        }

        appendLegend(svg, f);
        svg.append("</svg>\n");
        return svg.toString();
    }

    private void appendLegend(StringBuilder svg, Frame f) {
        if (series.isEmpty()) {
            return;
        }
        double x = f.right + 16;
        svg.append("<g class=\"legend\" font-size=\"12\" fill=\"#222\">\n");
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            double y = f.top + 10 + 20 * i;
            String colour = colour(i);
            boolean band = s.points().stream().anyMatch(p -> drawable(p) && hasBand(p));
            svg.append("<g class=\"legend-entry\">");
            svg.append("<title>").append(escapeXml(s.name())).append("</title>");
            if (band) {
                svg.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(y - 6))
                        .append("\" width=\"22\" height=\"12\" fill=\"").append(colour)
                        .append("\" fill-opacity=\"0.2\"/>");
            }
            svg.append("<line x1=\"").append(num(x)).append("\" y1=\"").append(num(y)).append("\" x2=\"")
                    .append(num(x + 22)).append("\" y2=\"").append(num(y)).append("\" stroke=\"").append(colour)
                    .append("\" stroke-width=\"2.5\"");
            appendDash(svg, i);
            svg.append("/>");
            String name = legendName(s);
            svg.append("<text x=\"").append(num(x + 28)).append("\" y=\"").append(num(y + 4)).append("\">")
                    .append(escapeXml(name)).append("</text>");
            svg.append("</g>\n");
        }
        svg.append("</g>\n");
    }

    private static String legendName(Series s) {
        String name = s.name().length() > LEGEND_MAX_CHARS
                ? s.name().substring(0, LEGEND_MAX_CHARS - 1) + "\u2026" : s.name();
        return s.points().stream().anyMatch(SvgChart::drawable) ? name : name + " (no data)";
    }

    private static void appendBand(StringBuilder svg, Series s, String colour, Frame f) {
        List<Point> banded = new ArrayList<>();
        for (Point p : s.points()) {
            if (drawable(p) && hasBand(p)) {
                banded.add(p);
            }
        }
        if (banded.isEmpty()) {
            return;
        }
        if (banded.size() == 1) {
            Point p = banded.get(0);
            svg.append("<line x1=\"").append(num(f.px(p.x()))).append("\" y1=\"").append(num(f.py(p.y() - p.std())))
                    .append("\" x2=\"").append(num(f.px(p.x()))).append("\" y2=\"")
                    .append(num(f.py(p.y() + p.std()))).append("\" stroke=\"").append(colour)
                    .append("\" stroke-opacity=\"0.5\" stroke-width=\"6\"/>\n");
            return;
        }
        StringBuilder d = new StringBuilder();
        for (int i = 0; i < banded.size(); i++) {
            Point p = banded.get(i);
            d.append(i == 0 ? 'M' : 'L').append(num(f.px(p.x()))).append(',').append(num(f.py(p.y() + p.std())));
        }
        for (int i = banded.size() - 1; i >= 0; i--) {
            Point p = banded.get(i);
            d.append('L').append(num(f.px(p.x()))).append(',').append(num(f.py(p.y() - p.std())));
        }
        d.append('Z');
        svg.append("<path class=\"band\" d=\"").append(d).append("\" fill=\"").append(colour)
                .append("\" fill-opacity=\"0.18\" stroke=\"none\"/>\n");
    }

    private void appendLine(StringBuilder svg, Series s, int index, Frame f) {
        String colour = colour(index);
        StringBuilder d = new StringBuilder();
        int count = 0;
        for (Point p : s.points()) {
            if (!drawable(p)) {
                continue;
            }
            d.append(count == 0 ? 'M' : 'L').append(num(f.px(p.x()))).append(',').append(num(f.py(p.y())));
            count++;
        }
        svg.append("<path class=\"line\" data-series=\"").append(escapeXml(s.name())).append("\" d=\"")
                .append(count == 0 ? "M0,0" : d).append("\" stroke=\"").append(colour).append('"');
        if (count == 0) {
            svg.append(" visibility=\"hidden\"");
        }
        appendDash(svg, index);
        svg.append("/>\n");
        // Sparse series (e.g. periodic evaluations, or a single point) are unreadable as bare lines.
        if (count > 0 && count <= MARKER_THRESHOLD) {
            svg.append("<g class=\"markers\" fill=\"").append(colour).append("\" stroke=\"none\">");
            for (Point p : s.points()) {
                if (drawable(p)) {
                    svg.append("<circle cx=\"").append(num(f.px(p.x()))).append("\" cy=\"").append(num(f.py(p.y())))
                            .append("\" r=\"3\"/>");
                }
            }
            svg.append("</g>\n");
        }
    }

    private static void appendDash(StringBuilder svg, int index) {
        String dash = DASHES[(index / PALETTE.length) % DASHES.length];
        if (dash != null) {
            svg.append(" stroke-dasharray=\"").append(dash).append('"');
        }
    }

    private static String colour(int index) {
        return PALETTE[index % PALETTE.length];
    }

    private static boolean drawable(Point p) {
        return Double.isFinite(p.x()) && Double.isFinite(p.y());
    }

    private static boolean hasBand(Point p) {
        return Double.isFinite(p.std()) && p.std() > 0;
    }

    /** Maps data coordinates to pixels for one rendering. */
    private record Frame(double left, double right, double top, double bottom, double xLo, double xHi, double yLo,
                         double yHi) {
        double px(double x) {
            return left + (x - xLo) / (xHi - xLo) * (right - left);
        }

        double py(double y) {
            return bottom - (y - yLo) / (yHi - yLo) * (bottom - top);
        }
    }

    /**
     * Returns evenly spaced "nice" tick values (steps of 1, 2 or 5 × 10^k) whose first and last values
     * enclose {@code [min, max]}, using the finest such step that needs at most {@code maxTicks} (≥ 3) ticks; e.g.
     * 0..475 with 6 gives 0, 100, ..., 500. A degenerate range is widened around its value.
     */
    public static double[] niceTicks(double min, double max, int maxTicks) {
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("tick range must be finite: min=" + min + ", max=" + max);
        }
        if (maxTicks < 3) {
            // Two ticks cannot bracket a range that straddles a multiple of the step (e.g. -1..1).
            throw new IllegalArgumentException("maxTicks must be at least 3: maxTicks=" + maxTicks);
        }
        if (min > max) {
            double t = min;
            min = max;
            max = t;
        }
        double scale = Math.max(Math.abs(min), Math.abs(max));
        if (max - min <= 1e-12 * Math.max(1.0, scale)) {
            double pad = scale == 0 ? 1.0 : scale * 0.1;
            min -= pad;
            max += pad;
        }
        // Smallest 1-2-5 step whose tick count fits: plain Heckbert rounds the range first and can double the
        // step (0..525 would get -200..600 in steps of 200 instead of 0..600 in steps of 100).
        double raw = (max - min) / (maxTicks - 1);
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double[] multipliers = {1, 2, 5};
        int m = 0;
        while (multipliers[m] * magnitude < raw * (1 - 1e-9)) {
            if (++m == multipliers.length) {
                m = 0;
                magnitude *= 10;
            }
        }
        double step;
        double lo;
        double hi;
        int n;
        while (true) {
            step = multipliers[m] * magnitude;
            lo = Math.floor(min / step + 1e-9) * step;
            hi = Math.ceil(max / step - 1e-9) * step;
            n = (int) Math.round((hi - lo) / step) + 1;
            if (n <= maxTicks) {
                break;
            }
            if (++m == multipliers.length) {
                m = 0;
                magnitude *= 10;
            }
        }
        if (n < 2) {
            // Rounding tolerance merged both ends into one tick; an axis needs two.
            hi = lo + step;
            n = 2;
        }
        int decimals = decimalsFor(step);
        double[] ticks = new double[n];
        for (int i = 0; i < n; i++) {
            double v = BigDecimal.valueOf(lo + i * step).setScale(decimals, RoundingMode.HALF_EVEN).doubleValue();
            ticks[i] = v == 0.0 ? 0.0 : v; // no "-0"
        }
        return ticks;
    }

    private static int decimalsFor(double step) {
        return Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
    }

    /**
     * Formats tick values with one shared precision; large magnitudes use k/M/G suffixes so labels stay
     * narrow (an x axis of environment steps would otherwise read 1000000).
     */
    static String[] tickLabels(double[] ticks) {
        double step = ticks.length > 1 ? ticks[1] - ticks[0] : 1.0;
        double maxAbs = 0;
        for (double t : ticks) {
            maxAbs = Math.max(maxAbs, Math.abs(t));
        }
        String suffix = "";
        double divisor = 1;
        if (maxAbs >= 1e9) {
            suffix = "G";
            divisor = 1e9;
        } else if (maxAbs >= 1e6) {
            suffix = "M";
            divisor = 1e6;
        } else if (maxAbs >= 1e4) {
            suffix = "k";
            divisor = 1e3;
        }
        int decimals = decimalsFor(step / divisor);
        String[] labels = new String[ticks.length];
        for (int i = 0; i < ticks.length; i++) {
            double v = ticks[i] / divisor;
            if (decimals > 6) {
                labels[i] = ticks[i] == 0 ? "0" : String.format(Locale.ROOT, "%.1e", ticks[i]);
            } else {
                // A bare "0" beside "0.5M" reads better than "0.0" and needs no unit.
                labels[i] = ticks[i] == 0 && !suffix.isEmpty() ? "0"
                        : String.format(Locale.ROOT, "%." + decimals + "f", v) + (ticks[i] == 0 ? "" : suffix);
            }
        }
        return labels;
    }

    private static String trimNumber(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** Pixel coordinates with two decimals: precise enough on screen, compact in the file. */
    private static String num(double v) {
        double r = Math.round(v * 100) / 100.0;
        if (r == Math.rint(r)) {
            return Long.toString((long) r);
        }
        return Double.toString(r);
    }

    /** Escapes XML markup and drops characters XML 1.0 forbids, so any series name yields a valid file. */
    static String escapeXml(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c == '\t' || c == '\n' || c == '\r') {
                        out.append(' ');
                    } else if (c < 0x20 || c == 0xFFFE || c == 0xFFFF) {
                        out.append('\uFFFD');
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        out.append('\uFFFD');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
