package io.tributary.rewards.writing;

import io.tributary.rewards.RewardOptions;
import java.util.List;
import java.util.Map;

/**
 * Every constant of the principle-based judge (and so of the scalar reward model built on it), with the
 * defaults committed before any RL run and pinned by {@code PrincipleJudgeTest}'s padding test.
 *
 * <p>Single-response quality (the scalar model's base, 0–10 points): keyword coverage
 * ({@code keywordPoints} × share of keywords used), fluency ({@code fluencyPoints} × the mean log-prob per
 * token mapped linearly from {@code fluencyFloor} (0) to {@code fluencyCeiling} (full)), no repetition
 * ({@code repetitionPoints} × (1 − duplicated-trigram share / {@code repetitionTolerance}), floored at 0),
 * length fit ({@code lengthPoints} − {@code lengthPenaltyPerToken} × words outside [L, U], floored at 0),
 * no self-explanation ({@code explanationPoints} − {@code explanationPenaltyPerToken} × explanation tokens,
 * floored at 0).
 *
 * <p>The length and explanation penalties per token are deliberately smaller than the scalar model's
 * length bonus (0.02 per token), so a single-response score can be raised by padding: that is the flaw a
 * length-biased scalar reward model has, built in on purpose. Pairwise, the judge compares the two responses
 * on the same principles and adds {@code lengthPreference} points to the response that fits [L, U] when the
 * other does not, and {@code explanationPreference} points to the one without a self-explanation when the
 * other has one; the first-shown response gets {@code firstPositionBias} points (the position bias of
 * trained judges, so both orderings matter). The raw pairwise points (at most 10 + both preferences + the
 * bias) are multiplied by 10 / that maximum, so the two scores lie in [0, 10] without clamping good responses
 * into ties (with the defaults the factor is 10 / 12.3, and the bias is 0.24 on the score scale).
 */
public record PrincipleJudgeSettings(
        double keywordPoints,
        double fluencyPoints,
        double fluencyFloor,
        double fluencyCeiling,
        double repetitionPoints,
        double repetitionTolerance,
        double lengthPoints,
        double lengthPenaltyPerToken,
        double explanationPoints,
        double explanationPenaltyPerToken,
        double lengthPreference,
        double explanationPreference,
        double firstPositionBias) {

    /** Validates ranges; the single-response points must add up to 10. */
    public PrincipleJudgeSettings {
        nonNegative("keywordPoints", keywordPoints);
        nonNegative("fluencyPoints", fluencyPoints);
        nonNegative("repetitionPoints", repetitionPoints);
        nonNegative("lengthPoints", lengthPoints);
        nonNegative("lengthPenaltyPerToken", lengthPenaltyPerToken);
        nonNegative("explanationPoints", explanationPoints);
        nonNegative("explanationPenaltyPerToken", explanationPenaltyPerToken);
        nonNegative("lengthPreference", lengthPreference);
        nonNegative("explanationPreference", explanationPreference);
        nonNegative("firstPositionBias", firstPositionBias);
        if (!(fluencyFloor < fluencyCeiling)) {
            throw new IllegalArgumentException("fluency range must satisfy floor < ceiling: fluencyFloor="
                    + fluencyFloor + ", fluencyCeiling=" + fluencyCeiling);
        }
        if (!(repetitionTolerance > 0 && repetitionTolerance <= 1)) {
            throw new IllegalArgumentException("repetitionTolerance must lie in (0, 1]: repetitionTolerance="
                    + repetitionTolerance);
        }
        double total = keywordPoints + fluencyPoints + repetitionPoints + lengthPoints + explanationPoints;
        if (Math.abs(total - 10) > 1e-9) {
            throw new IllegalArgumentException("principle points must add up to 10: total=" + total);
        }
    }

    /**
     * The committed defaults. Fluency floor/ceiling: corpus text scores about −4.2 (training model) to −5.1
     * (unseen corpus lines), shuffled corpus words −7.0, random vocabulary words −9.8 nats per token; the range
     * [−6.5, −3.5] spreads similar texts apart so that fewer pairs tie within the position bias (ties are
     * losses in BRPO and push groups into the skew filter, see docs/writing-data.md).
     */
    public static PrincipleJudgeSettings defaults() {
        return new PrincipleJudgeSettings(3.0, 3.0, -6.5, -3.5, 2.0, 0.5, 1.0, 0.004, 1.0, 0.01, 1.0, 1.0, 0.3);
    }

    /**
     * The option keys of {@link #fromOptions}, in record-component order (kebab case, for a reward model's
     * free-form {@code tributary.reward-models.options}).
     */
    public static final List<String> OPTION_KEYS = List.of("keyword-points", "fluency-points", "fluency-floor",
            "fluency-ceiling", "repetition-points", "repetition-tolerance", "length-points", "length-penalty-per-token",
            "explanation-points", "explanation-penalty-per-token", "length-preference", "explanation-preference",
            "first-position-bias");

    /**
     * Settings from a reward model's free-form options: each of {@link #OPTION_KEYS} overrides its default;
     * other keys are left to the caller (a provider rejects unknown keys with
     * {@link RewardOptions#requireKnownKeys}).
     *
     * @throws RewardOptions.BadOption naming the key when a value is not a number or breaks a rule
     */
    public static PrincipleJudgeSettings fromOptions(String model, Map<String, String> options) {
        PrincipleJudgeSettings d = defaults();
        double[] v = {d.keywordPoints, d.fluencyPoints, d.fluencyFloor, d.fluencyCeiling, d.repetitionPoints,
            d.repetitionTolerance, d.lengthPoints, d.lengthPenaltyPerToken, d.explanationPoints,
            d.explanationPenaltyPerToken, d.lengthPreference, d.explanationPreference, d.firstPositionBias};
        for (int i = 0; i < v.length; i++) {
            v[i] = RewardOptions.finiteDouble(model, options, OPTION_KEYS.get(i), v[i]);
        }
        try {
            return new PrincipleJudgeSettings(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12]);
        } catch (IllegalArgumentException e) {
            String key = OPTION_KEYS.stream().filter(options::containsKey).findFirst().orElse(OPTION_KEYS.get(0));
            throw new RewardOptions.BadOption(model, key, options.get(key), e.getMessage());
        }
    }

    /** A copy with another first-position bias. */
    public PrincipleJudgeSettings withFirstPositionBias(double bias) {
        return new PrincipleJudgeSettings(keywordPoints, fluencyPoints, fluencyFloor, fluencyCeiling, repetitionPoints,
                repetitionTolerance, lengthPoints, lengthPenaltyPerToken, explanationPoints, explanationPenaltyPerToken,
                lengthPreference, explanationPreference, bias);
    }

    private static void nonNegative(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0: " + name + "=" + v);
        }
    }
}
