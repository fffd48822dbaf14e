package io.tributary.rewards.writing;

import java.util.List;

/**
 * GRPO's group-normalised rewards: (r_i − mean) / (std + eps), population std over the group; a group whose
 * scores are all equal gets zero advantages. Never filtered.
 */
public final class GrpoRewards {
    /** Added to the std so an almost-constant group does not blow up. */
    public static final double DEFAULT_EPS = 1e-6;

    private GrpoRewards() {
    }

    /** Normalises raw scalar scores of one group. */
    public static GroupRewards assign(double[] scores, double eps) {
        if (scores.length == 0) {
            throw new IllegalArgumentException("a group needs at least one response");
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("eps must be > 0: eps=" + eps);
        }
        double mean = 0;
        for (double s : scores) {
            mean += s;
        }
        mean /= scores.length;
        double var = 0;
        for (double s : scores) {
            var += (s - mean) * (s - mean);
        }
        double std = Math.sqrt(var / scores.length);
        double[] adv = new double[scores.length];
        double sum = 0;
        for (int i = 0; i < scores.length; i++) {
            adv[i] = (scores[i] - mean) / (std + eps);
            sum += adv[i];
        }
        return new GroupRewards(adv, scores.clone(), -1, Math.abs(sum) / scores.length, false, List.of());
    }
}
