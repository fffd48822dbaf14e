package io.tributary.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Helpers that every module's {@code XxxSettings.fromConfig} uses to read and check its subtree, so
 * every bad value is reported the same way: path, value, rule.
 */
public final class SettingsSupport {
    private SettingsSupport() {
    }

    /**
     * Rejects keys under {@code root} that the reference configuration does not define, so a typo
     * ({@code learner.ppo.lrr}) stops start-up instead of being silently ignored.
     *
     * @param config    the resolved configuration (user file over reference.conf)
     * @param reference the reference configuration alone
     * @param root      subtree to check, e.g. {@code tributary}
     * @param openPaths paths whose children are free-form (e.g. {@code tributary.simulator.env.options})
     */
    public static void rejectUnknownKeys(Config config, Config reference, String root, Set<String> openPaths) {
        if (!config.hasPath(root)) {
            return;
        }
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> e : config.getConfig(root).entrySet()) {
            String path = root + "." + e.getKey();
            boolean open = false;
            for (String p : openPaths) {
                if (path.equals(p) || path.startsWith(p + ".")) {
                    open = true;
                    break;
                }
            }
            if (!open && !reference.hasPathOrNull(path)) {
                unknown.add(path);
            }
        }
        if (!unknown.isEmpty()) {
            unknown.sort(String::compareTo);
            throw new SettingsException("unknown config key(s): " + String.join(", ", unknown)
                    + " (rule: every key must be defined in a reference.conf; check the spelling)");
        }
    }

    /** An int at {@code path} within [min, max]. */
    public static int intIn(Config c, String path, int min, int max) {
        int v;
        try {
            v = c.getInt(path);
        } catch (ConfigException.WrongType e) {
            throw new SettingsException(path, c.getValue(path).unwrapped(), "must be an integer");
        }
        if (v < min || v > max) {
            throw new SettingsException(path, v, "must be in [" + min + ", " + max + "]");
        }
        return v;
    }

    /** A long at {@code path} within [min, max]. */
    public static long longIn(Config c, String path, long min, long max) {
        long v;
        try {
            v = c.getLong(path);
        } catch (ConfigException.WrongType e) {
            throw new SettingsException(path, c.getValue(path).unwrapped(), "must be an integer");
        }
        if (v < min || v > max) {
            throw new SettingsException(path, v, "must be in [" + min + ", " + max + "]");
        }
        return v;
    }

    /** A double at {@code path} within [min, max]. */
    public static double doubleIn(Config c, String path, double min, double max) {
        double v;
        try {
            v = c.getDouble(path);
        } catch (ConfigException.WrongType e) {
            throw new SettingsException(path, c.getValue(path).unwrapped(), "must be a number");
        }
        if (!(v >= min && v <= max)) {
            throw new SettingsException(path, v, "must be in [" + min + ", " + max + "]");
        }
        return v;
    }

    /** A boolean at {@code path}. */
    public static boolean bool(Config c, String path) {
        try {
            return c.getBoolean(path);
        } catch (ConfigException.WrongType e) {
            throw new SettingsException(path, c.getValue(path).unwrapped(), "must be true or false");
        }
    }

    /** A string at {@code path} that is one of {@code allowed}. */
    public static String oneOf(Config c, String path, String... allowed) {
        String v = c.getString(path);
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw new SettingsException(path, v, "must be one of " + String.join(" | ", allowed));
    }

    /** A list of positive ints at {@code path}. */
    public static int[] positiveInts(Config c, String path) {
        List<Integer> l;
        try {
            l = c.getIntList(path);
        } catch (ConfigException.WrongType e) {
            throw new SettingsException(path, c.getValue(path).unwrapped(), "must be a list of integers");
        }
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = l.get(i);
            if (out[i] < 1) {
                throw new SettingsException(path, l, "every element must be >= 1");
            }
        }
        return out;
    }
}
