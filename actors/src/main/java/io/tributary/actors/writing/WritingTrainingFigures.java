package io.tributary.actors.writing;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.report.JsonIo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A writing run's training figures, read from its {@code metrics.jsonl}: the learner's applied-update rows
 * (the brpo/grpo learner's stats: {@code groups}, {@code groups_trained}, {@code groups_filtered},
 * {@code mean_response_length}, {@code mean_reward_trained}) and the judge scorer's rows.
 *
 * @param updates one entry per update row, in order
 */
public record WritingTrainingFigures(List<Update> updates) {
    /**
     * One update of the policy.
     *
     * @param version           policy version after it
     * @param groups            groups in its batch
     * @param groupsTrained     the learner's trained groups (skew-filtered ones included, as the issue counts them)
     * @param groupsFiltered    groups dropped by the skew filter
     * @param meanLength        mean response length (words) of the batch
     * @param meanRewardTrained mean reward of the trained responses (NaN when none)
     */
    public record Update(long version, double groups, double groupsTrained, double groupsFiltered, double meanLength,
                         double meanRewardTrained) {
    }

    /** Copies the list. */
    public WritingTrainingFigures {
        updates = List.copyOf(updates);
    }

    /** Reads the update rows of {@code metricsJsonl}. */
    public static WritingTrainingFigures read(Path metricsJsonl) {
        List<Update> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(metricsJsonl, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode row = JsonIo.parse(line);
                if (!"update".equals(row.path("kind").asText()) || !row.path("applied").asBoolean(false)
                        || !row.has("groups")) {
                    continue;
                }
                out.add(new Update(row.path("policy_version").asLong(), num(row, "groups"), num(row, "groups_trained"),
                        num(row, "groups_filtered"), num(row, "mean_response_length"), num(row, "mean_reward_trained")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + metricsJsonl, e);
        }
        return new WritingTrainingFigures(out);
    }

    private static double num(JsonNode row, String key) {
        JsonNode v = row.get(key);
        return v == null || v.isNull() ? Double.NaN : v.asDouble();
    }

    /** Filtered groups over all groups of all updates; NaN without updates. */
    public double groupsFilteredFraction() {
        double g = 0;
        double f = 0;
        for (Update u : updates) {
            g += u.groups();
            f += zeroIfNaN(u.groupsFiltered());
        }
        return g == 0 ? Double.NaN : f / g;
    }

    /**
     * Share of groups that gave a gradient (not dropped by the skew filter) in the second half of the updates (the
     * later ⌈n/2⌉); NaN without updates. The learner's {@code groups_trained} counts filtered groups as trained (the
     * issue's accounting), so this is {@code (groups - groups_filtered) / groups}.
     */
    public double trainedFractionSecondHalf() {
        int n = updates.size();
        double g = 0;
        double t = 0;
        for (int i = n / 2; i < n; i++) {
            g += updates.get(i).groups();
            t += updates.get(i).groups() - zeroIfNaN(updates.get(i).groupsFiltered());
        }
        return g == 0 ? Double.NaN : t / g;
    }

    /**
     * Mean reward of the responses that gave a gradient, over the run (each update's figure weighted by its
     * unfiltered groups); NaN if none.
     */
    public double meanRewardTrained() {
        double w = 0;
        double s = 0;
        for (Update u : updates) {
            double used = u.groups() - zeroIfNaN(u.groupsFiltered());
            if (Double.isFinite(u.meanRewardTrained()) && used > 0) {
                w += used;
                s += used * u.meanRewardTrained();
            }
        }
        return w == 0 ? Double.NaN : s / w;
    }

    /** Update index (1-based) and mean response length of each update, for the length-over-training curve. */
    public double[][] lengthCurve() {
        double[] x = new double[updates.size()];
        double[] y = new double[updates.size()];
        for (int i = 0; i < updates.size(); i++) {
            x[i] = i + 1;
            y[i] = updates.get(i).meanLength();
        }
        return new double[][] {x, y};
    }

    private static double zeroIfNaN(double v) {
        return Double.isNaN(v) ? 0 : v;
    }
}
