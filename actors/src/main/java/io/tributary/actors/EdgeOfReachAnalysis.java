package io.tributary.actors;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.report.JsonIo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The figures of the edge-of-reach experiment, computed from one arm's {@code metrics.jsonl} by the fixed
 * definitions of issue 9 (so nobody can tune them):
 * <ul>
 *   <li>{@code q_max} = max over the fixed dataset states of {@code mean_j Q_j(s, tanh mu(s))}, float64,
 *       logged by the SAC learner every {@code probe-every} (1,000) gradient steps;</li>
 *   <li>{@code q_max_final} = the last finite logged value;</li>
 *   <li>{@code q_max_peak} = the largest value logged after the first 10% of the arm's training (steps
 *       strictly above 10% of its last logged step);</li>
 *   <li>{@code q_max_rising} = true if the arm diverged, otherwise the median of the last 5 logged values
 *       &gt; 1.1 x the median of the 5 logged values around 80% of training (centred on the value logged
 *       nearest to 80% of the last logged step);</li>
 *   <li>{@code return_final} = the last logged probe return (deterministic policy, true environment).</li>
 * </ul>
 */
public final class EdgeOfReachAnalysis {

    /** One probe row: the statistics the SAC learner logged at a gradient step; NaN where absent. */
    public record Probe(double step, double qMax, double probeReturn, double alpha, double entropy, double qStdEdge,
                        double qStdInterior, double edgeStateFraction) {
    }

    /** An arm's logged series and the step at which its critic diverged (-1 if it did not). */
    public record Series(List<Probe> probes, long divergedAtUpdate, double alphaFinal) {
        public Series {
            probes = List.copyOf(probes);
        }
    }

    private EdgeOfReachAnalysis() {
    }

    /** Reads the update rows of a run's {@code metrics.jsonl}. */
    public static Series read(Path metrics) {
        List<Probe> probes = new ArrayList<>();
        long diverged = -1;
        double alpha = Double.NaN;
        try {
            for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode row = JsonIo.parseObject(line);
                if (!"update".equals(row.path("kind").asText())) {
                    continue;
                }
                double d = number(row, "diverged_at_update");
                if (Double.isFinite(d) && d >= 0) {
                    diverged = (long) d;
                }
                double a = number(row, "alpha");
                if (Double.isFinite(a)) {
                    alpha = a;
                }
                double step = number(row, "probe_step");
                if (Double.isFinite(step)) {
                    probes.add(new Probe(step, number(row, "q_max"), number(row, "probe_return"), a, number(row, "entropy"),
                            number(row, "q_std_edge"), number(row, "q_std_interior"), number(row, "edge_state_fraction")));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + metrics, e);
        }
        return new Series(probes, diverged, alpha);
    }

    private static double number(JsonNode row, String key) {
        JsonNode n = row.path(key);
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }

    /** The last finite q_max, or NaN. */
    public static double qMaxFinal(Series s) {
        return lastFinite(s, Probe::qMax);
    }

    /** The last finite probe return, or NaN. */
    public static double returnFinal(Series s) {
        return lastFinite(s, Probe::probeReturn);
    }

    /** The largest finite q_max logged after the first 10% of training, or NaN. */
    public static double qMaxPeak(Series s) {
        if (s.probes().isEmpty()) {
            return Double.NaN;
        }
        double last = s.probes().get(s.probes().size() - 1).step();
        double peak = Double.NaN;
        for (Probe p : s.probes()) {
            if (p.step() > 0.1 * last && Double.isFinite(p.qMax()) && !(p.qMax() <= peak)) {
                peak = p.qMax();
            }
        }
        return peak;
    }

    /**
     * True if the arm diverged; otherwise whether the median of the last 5 logged q_max exceeds 1.1 x the
     * median of the 5 logged around 80% of training. Non-finite values are left out of a median.
     */
    public static boolean qMaxRising(Series s) {
        if (s.divergedAtUpdate() >= 0) {
            return true;
        }
        List<Probe> p = s.probes();
        if (p.size() < 2) {
            return false;
        }
        double last = p.get(p.size() - 1).step();
        int centre = 0;
        for (int i = 1; i < p.size(); i++) {
            if (Math.abs(p.get(i).step() - 0.8 * last) < Math.abs(p.get(centre).step() - 0.8 * last)) {
                centre = i;
            }
        }
        int from = Math.max(0, Math.min(centre - 2, p.size() - 5));
        double around = median(p.subList(from, Math.min(p.size(), from + 5)));
        double end = median(p.subList(Math.max(0, p.size() - 5), p.size()));
        return end > 1.1 * around;
    }

    /** The mean of {@code f} over the probes after the first 10% of training (finite values), or NaN. */
    public static double meanAfterWarmup(Series s, java.util.function.ToDoubleFunction<Probe> f) {
        if (s.probes().isEmpty()) {
            return Double.NaN;
        }
        double last = s.probes().get(s.probes().size() - 1).step();
        double sum = 0;
        int n = 0;
        for (Probe p : s.probes()) {
            double v = f.applyAsDouble(p);
            if (p.step() > 0.1 * last && Double.isFinite(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** The last finite value of {@code f}, or NaN. */
    public static double lastFinite(Series s, java.util.function.ToDoubleFunction<Probe> f) {
        for (int i = s.probes().size() - 1; i >= 0; i--) {
            double v = f.applyAsDouble(s.probes().get(i));
            if (Double.isFinite(v)) {
                return v;
            }
        }
        return Double.NaN;
    }

    private static double median(List<Probe> ps) {
        double[] v = ps.stream().mapToDouble(Probe::qMax).filter(Double::isFinite).toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : 0.5 * (v[v.length / 2 - 1] + v[v.length / 2]);
    }
}
