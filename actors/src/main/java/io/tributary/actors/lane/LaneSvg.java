package io.tributary.actors.lane;

import io.tributary.simulator.lane.Road;
import io.tributary.simulator.StepResult;
import io.tributary.simulator.lane.LaneKeepingEnv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A top-down SVG of one lane-keeping test episode: above, the road in the world frame (ego-lane edges, road
 * edges, static obstacles at their near faces) with the car's path; below, the lateral offset over time on a
 * scale where centimetres show (in the world frame they are thinner than a line). The road comes from a fresh
 * {@code LaneKeeping-v0} reset on the episode's seed, so the figure shows the road driven.
 */
public final class LaneSvg {
    private static final int W = 900;
    private static final int TOP_H = 520;
    private static final int BOTTOM_H = 220;
    private static final int PAD = 40;

    private LaneSvg() {
    }

    /** Writes the figure of {@code path} for agent {@code title} to {@code file}. */
    public static void write(Path file, String title, LaneEvaluation.Path path) throws IOException {
        // The road of the episode: a fresh environment reset on its seed generates it as the episode did.
        Road road;
        try (LaneKeepingEnv env = new LaneKeepingEnv()) {
            env.reset(path.seed(), StepResult.forEnvironment(env));
            road = env.road();
        }
        int n = path.x().length;
        double endX = path.x()[n - 1];
        double endY = path.y()[n - 1];
        double sEnd = 0;
        double best = Double.MAX_VALUE;
        for (double s = 0; s <= Road.LENGTH_M; s += Road.DS) {
            double dx = road.xAt(s) - endX;
            double dy = road.yAt(s) - endY;
            if (dx * dx + dy * dy < best) {
                best = dx * dx + dy * dy;
                sEnd = s;
            }
        }
        double sMax = Math.min(Road.LENGTH_M, sEnd + 15);
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (double s = 0; s <= sMax; s += 1) {
            for (double lat : new double[] {-Road.EDGE_OFFSET_M, Road.EDGE_OFFSET_M}) {
                double h = road.headingAt(s);
                double x = road.xAt(s) - Math.sin(h) * lat;
                double y = road.yAt(s) + Math.cos(h) * lat;
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
                minY = Math.min(minY, y);
                maxY = Math.max(maxY, y);
            }
        }
        double scale = Math.min((W - 2.0 * PAD) / (maxX - minX), (TOP_H - 2.0 * PAD) / (maxY - minY));
        double ox = PAD - minX * scale;
        double oy = TOP_H - PAD + minY * scale;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", W, TOP_H + BOTTOM_H, W, TOP_H + BOTTOM_H));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\">%s: test seed %d, %d steps%s "
                + "(world frame, %.2f px/m)</text>%n", PAD, escape(title), path.seed(), n - 1,
                path.collision() ? ", collision" : path.departure() ? ", lane departure" : "", scale));
        // Road surface between the edges, then the ego-lane edges and the centre line.
        svg.append(polyline(road, sMax, -Road.EDGE_OFFSET_M, scale, ox, oy, "#999999", 1.5, null));
        svg.append(polyline(road, sMax, Road.EDGE_OFFSET_M, scale, ox, oy, "#999999", 1.5, null));
        svg.append(polyline(road, sMax, -Road.HALF_LANE_M, scale, ox, oy, "#444444", 1, null));
        svg.append(polyline(road, sMax, Road.HALF_LANE_M, scale, ox, oy, "#444444", 1, null));
        svg.append(polyline(road, sMax, 0, scale, ox, oy, "#bbbbbb", 0.8, "4,4"));
        for (int o = 0; o < road.obstacleCount(); o++) {
            double s = road.obstacleS(o);
            if (s > sMax) {
                continue;
            }
            double lat = road.obstacleNearFace(o);
            double h = road.headingAt(s);
            double x = road.xAt(s) - Math.sin(h) * lat;
            double y = road.yAt(s) + Math.cos(h) * lat;
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#d62728\"/>%n",
                    ox + x * scale, oy - y * scale));
        }
        svg.append("<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" points=\"");
        for (int i = 0; i < n; i += Math.max(1, n / 600)) {
            svg.append(String.format(Locale.ROOT, "%.1f,%.1f ", ox + path.x()[i] * scale, oy - path.y()[i] * scale));
        }
        svg.append("\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#1f77b4\">path</text>"
                + "<text x=\"%d\" y=\"%d\" fill=\"#d62728\">obstacle (near face)</text>"
                + "<text x=\"%d\" y=\"%d\" fill=\"#444444\">ego lane (3.5 m), road edges</text>%n",
                PAD, TOP_H - 12, PAD + 50, TOP_H - 12, PAD + 200, TOP_H - 12));
        svg.append(offsetPanel(path));
        svg.append("</svg>\n");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, svg.toString(), StandardCharsets.UTF_8);
    }

    private static String offsetPanel(LaneEvaluation.Path path) {
        double[] d = path.d();
        double lim = 0.05;
        for (double v : d) {
            lim = Math.max(lim, Math.abs(v));
        }
        lim = Math.min(Road.HALF_LANE_M + 0.25, lim * 1.1);
        int top = TOP_H + 20;
        int h = BOTTOM_H - 50;
        double tMax = Math.max(1, (d.length - 1) * 0.05);
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">lateral offset d (m, left positive) over time; "
                + "range +-%.3f m</text>%n", PAD, top - 4, lim));
        double y0 = top + h / 2.0;
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#bbbbbb\"/>%n",
                PAD, y0, W - PAD, y0));
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444444\"/>%n",
                PAD, top, W - 2 * PAD, h));
        b.append("<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1\" points=\"");
        for (int i = 0; i < d.length; i += Math.max(1, d.length / 800)) {
            double x = PAD + (W - 2.0 * PAD) * (i * 0.05) / tMax;
            double y = y0 - (h / 2.0) * d[i] / lim;
            b.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        b.append("\"/>\n");
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">0 s</text><text x=\"%d\" y=\"%d\">%.0f s</text>%n",
                PAD, top + h + 14, W - PAD - 30, top + h + 14, tMax));
        return b.toString();
    }

    private static String polyline(Road road, double sMax, double lat, double scale, double ox, double oy, String colour,
                                   double width, String dash) {
        StringBuilder b = new StringBuilder("<polyline fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"" + width + "\""
                + (dash == null ? "" : " stroke-dasharray=\"" + dash + "\"") + " points=\"");
        for (double s = 0; s <= sMax; s += 2) {
            double h = road.headingAt(s);
            double x = road.xAt(s) - Math.sin(h) * lat;
            double y = road.yAt(s) + Math.cos(h) * lat;
            b.append(String.format(Locale.ROOT, "%.1f,%.1f ", ox + x * scale, oy - y * scale));
        }
        return b.append("\"/>\n").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
