package io.tributary.actors.dashboard;

import java.util.Locale;
import java.util.Map;

/** The terminal monitor's table: the live figures of a run, and its final figures once it finished. */
public final class MonitorTable {
    private static final String[][] LIVE = {
            {"env steps produced", "env_steps_produced"},
            {"env steps trained", "env_steps_trained"},
            {"env steps/s", "env_steps_per_second"},
            {"episodes", "episodes"},
            {"mean return (last 100)", "mean_return_100"},
            {"policy version", "policy_version"},
            {"policy lag p50 / p99", "lag_p50", "lag_p99"},
            {"chunk e2e ms p50 / p99", "e2e_ms_p50", "e2e_ms_p99"},
            {"chunks produced", "chunks_produced"},
            {"chunks trained", "chunks_trained"},
            {"chunks dropped (stale)", "chunks_dropped_stale"},
    };

    private MonitorTable() {
    }

    /** The table of {@code f} for run {@code runId}. */
    public static String render(String runId, MetricsHub.Figures f) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "run %s  (%s, %d events)%n", runId, f.finished() ? "finished" : "live",
                f.events()));
        for (String[] row : LIVE) {
            StringBuilder v = new StringBuilder();
            for (int i = 1; i < row.length; i++) {
                if (i > 1) {
                    v.append(" / ");
                }
                v.append(format(f.get(row[i])));
            }
            b.append(String.format(Locale.ROOT, "  %-26s %s%n", row[0], v));
        }
        b.append(String.format(Locale.ROOT, "  %-26s %d%s%n", "dead letters", f.deadLetters(),
                f.lastReason() == null ? "" : "  (latest: " + abbreviate(f.lastReason(), 100) + ")"));
        Map<String, Double> finals = f.finals();
        if (!finals.isEmpty()) {
            b.append("final figures (summary.json)\n");
            for (Map.Entry<String, Double> e : finals.entrySet()) {
                b.append(String.format(Locale.ROOT, "  %-26s %s%n", e.getKey(), format(e.getValue())));
            }
        }
        return b.toString();
    }

    /** A figure as the table prints it: integers without decimals, others with up to 4 significant decimals. */
    public static String format(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String abbreviate(String s, int max) {
        String one = s.replace('\n', ' ');
        return one.length() <= max ? one : one.substring(0, max - 3) + "...";
    }
}
