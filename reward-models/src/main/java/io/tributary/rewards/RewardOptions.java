package io.tributary.rewards;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks and parses the string options a {@link RewardModelProvider} receives, so every reward model
 * rejects a bad option the same way ({@link BadOption}: model, key, value, rule), and start-up can name
 * the config path {@code tributary.reward-models.options.<key>}.
 */
public final class RewardOptions {
    private RewardOptions() {
    }

    /** A bad reward-model option; {@link RewardSettings} turns it into a settings error naming the key's path. */
    public static final class BadOption extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String key;
        private final String value;
        private final String rule;

        /** Option {@code key} of {@code model} has {@code value}, which breaks {@code rule}. */
        public BadOption(String model, String key, String value, String rule) {
            super("bad reward-model option: model=" + model + ", key=" + key + ", value=" + value + ", rule=" + rule);
            this.key = key;
            this.value = value;
            this.rule = rule;
        }

        /** The option key. */
        public String key() {
            return key;
        }

        /** The value given, null when the key itself is the problem. */
        public String value() {
            return value;
        }

        /** The rule the value breaks. */
        public String rule() {
            return rule;
        }
    }

    /** Rejects any key of {@code options} not in {@code allowed}, so a misspelt option fails at start-up. */
    public static void requireKnownKeys(String model, Map<String, String> options, Set<String> allowed) {
        Objects.requireNonNull(options, "options");
        for (Map.Entry<String, String> e : options.entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw new BadOption(model, e.getKey(), e.getValue(),
                        "unknown option of reward model " + model + "; known: " + new TreeSet<>(allowed));
            }
        }
    }

    /** The finite number at {@code key}, or {@code defaultValue} when the key is absent. */
    public static double finiteDouble(String model, Map<String, String> options, String key, double defaultValue) {
        String raw = options.get(key);
        if (raw == null) {
            return defaultValue;
        }
        double v;
        try {
            v = Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            throw new BadOption(model, key, raw, "must be a finite number");
        }
        if (!Double.isFinite(v)) {
            throw new BadOption(model, key, raw, "must be a finite number");
        }
        return v;
    }

    /** The integer at {@code key} (a Java {@code long}), or {@code defaultValue} when the key is absent. */
    public static long longValue(String model, Map<String, String> options, String key, long defaultValue) {
        String raw = options.get(key);
        if (raw == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new BadOption(model, key, raw, "must be an integer in [" + Long.MIN_VALUE + ", " + Long.MAX_VALUE + "]");
        }
    }

    /** The value at {@code key}, which must be one of {@code allowed}, or {@code defaultValue} when absent. */
    public static String choice(String model, Map<String, String> options, String key, Set<String> allowed,
                                String defaultValue) {
        String raw = options.get(key);
        if (raw == null) {
            return defaultValue;
        }
        if (!allowed.contains(raw.trim())) {
            throw new BadOption(model, key, raw, "must be one of " + new TreeSet<>(allowed));
        }
        return raw.trim();
    }
}
