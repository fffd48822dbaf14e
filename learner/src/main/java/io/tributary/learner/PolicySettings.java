package io.tributary.learner;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.tributary.config.SettingsException;
import io.tributary.config.SettingsSupport;
import io.tributary.simulator.Space;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The policy network's shape, the {@code tributary.learner.policy} subtree: architecture, activation,
 * widths, head choice, and per-field options (a free-form object keyed by observation field name, so an
 * ablation is a config file). {@link PolicySpec#forSpaces} turns it and an environment's spaces into a spec.
 *
 * @param architecture       mlp or fusion
 * @param activation         tanh or relu
 * @param hiddenSizes        MLP hidden widths / fusion trunk widths; empty = the algorithm's default
 * @param head               auto, categorical, gaussian or tanh-gaussian
 * @param branchHiddenSizes  default fusion branch widths of fields not overriding them
 * @param embeddingDim       default embedding width of token fields
 * @param fields             per-field overrides by field name
 */
public record PolicySettings(PolicySpec.Architecture architecture, PolicySpec.Activation activation, int[] hiddenSizes,
                             String head, int[] branchHiddenSizes, int embeddingDim, Map<String, FieldOptions> fields) {

    /** Config path of this subtree. */
    public static final String PATH = LearnerSettings.PATH + ".policy";
    /** The free-form per-field subtree (its children are not in reference.conf). */
    public static final String FIELDS_PATH = PATH + ".fields";
    private static final Set<String> FIELD_KEYS = Set.of("enabled", "hidden-sizes", "embedding-dim", "normalize");

    /**
     * Options of one observation field; null = not set (the defaults apply).
     *
     * @param enabled      whether the fusion network has a branch for the field
     * @param hiddenSizes  the branch's dense widths ([] = no dense layers)
     * @param embeddingDim embedding width (token fields)
     * @param normalize    normalise the field (box fields; token ids never are)
     */
    public record FieldOptions(Boolean enabled, int[] hiddenSizes, Integer embeddingDim, Boolean normalize) {
    }

    public PolicySettings {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(hiddenSizes, "hiddenSizes");
        Objects.requireNonNull(branchHiddenSizes, "branchHiddenSizes");
        if (!Set.of("auto", "categorical", "gaussian", "tanh-gaussian").contains(head)) {
            throw new SettingsException(PATH + ".head", head, "must be one of auto | categorical | gaussian | tanh-gaussian");
        }
        if (embeddingDim < 1 || embeddingDim > 4096) {
            throw new SettingsException(PATH + ".embedding-dim", embeddingDim, "must be in [1, 4096]");
        }
        hiddenSizes = hiddenSizes.clone();
        branchHiddenSizes = branchHiddenSizes.clone();
        fields = Map.copyOf(fields);
    }

    /** The defaults: today's tanh MLP with the algorithm's widths and the automatic head. */
    public static PolicySettings defaults() {
        return new PolicySettings(PolicySpec.Architecture.MLP, PolicySpec.Activation.TANH, new int[0], "auto",
                new int[] {64}, 8, Map.of());
    }

    /** Reads and checks {@code tributary.learner.policy} from a resolved configuration. */
    public static PolicySettings fromConfig(Config config) {
        String p = PATH + ".";
        String arch = config.getString(p + "architecture");
        if ("sequence".equals(arch)) {
            throw new SettingsException(p + "architecture", arch, "is reserved for the writing workload's sequence model,"
                    + " which is not built yet; use mlp | fusion");
        }
        arch = SettingsSupport.oneOf(config, p + "architecture", "mlp", "fusion");
        String act = SettingsSupport.oneOf(config, p + "activation", "tanh", "relu");
        String head = SettingsSupport.oneOf(config, p + "head", "auto", "categorical", "gaussian", "tanh-gaussian");
        int[] hidden = widths(config, p + "hidden-sizes");
        int[] branch = widths(config, p + "branch-hidden-sizes");
        int dim = SettingsSupport.intIn(config, p + "embedding-dim", 1, 4096);
        Map<String, FieldOptions> fields = new TreeMap<>();
        Config fc = config.getConfig(FIELDS_PATH);
        for (Map.Entry<String, ConfigValue> e : fc.root().entrySet()) {
            String name = e.getKey();
            String fp = FIELDS_PATH + "." + com.typesafe.config.ConfigUtil.joinPath(name);
            if (e.getValue().valueType() != ConfigValueType.OBJECT) {
                throw new SettingsException(fp, e.getValue().unwrapped(),
                        "must be an object with keys " + String.join(" | ", new java.util.TreeSet<>(FIELD_KEYS)));
            }
            Config f = fc.getConfig(com.typesafe.config.ConfigUtil.joinPath(name));
            for (String key : f.root().keySet()) {
                if (!FIELD_KEYS.contains(key)) {
                    throw new SettingsException(fp + "." + key, f.root().get(key).unwrapped(),
                            "unknown field option; must be one of " + String.join(" | ", new java.util.TreeSet<>(FIELD_KEYS)));
                }
            }
            Boolean enabled = f.hasPath("enabled") ? SettingsSupport.bool(config, fp + ".enabled") : null;
            int[] fh = f.hasPath("hidden-sizes") ? widths(config, fp + ".hidden-sizes") : null;
            Integer fd = f.hasPath("embedding-dim") ? SettingsSupport.intIn(config, fp + ".embedding-dim", 1, 4096) : null;
            Boolean norm = f.hasPath("normalize") ? SettingsSupport.bool(config, fp + ".normalize") : null;
            fields.put(name, new FieldOptions(enabled, fh, fd, norm));
        }
        return new PolicySettings(PolicySpec.Architecture.valueOf(arch.toUpperCase(java.util.Locale.ROOT)),
                PolicySpec.Activation.valueOf(act.toUpperCase(java.util.Locale.ROOT)), hidden, head, branch, dim,
                new LinkedHashMap<>(fields));
    }

    private static int[] widths(Config c, String path) {
        int[] w = SettingsSupport.positiveInts(c, path);
        if (w.length > 16) {
            throw new SettingsException(path, Arrays.toString(w), "must list at most 16 widths");
        }
        for (int h : w) {
            if (h > 8192) {
                throw new SettingsException(path, Arrays.toString(w), "every width must be in [1, 8192]");
            }
        }
        return w;
    }

    /** Hidden widths (a copy). */
    @Override
    public int[] hiddenSizes() {
        return hiddenSizes.clone();
    }

    /** The head for a discrete ({@code continuous = false}) or box action space. */
    PolicySpec.Head head(boolean continuous) {
        String rule = continuous ? "a Box action space needs auto | gaussian | tanh-gaussian"
                : "a Discrete action space needs auto | categorical";
        switch (head) {
            case "auto":
                return continuous ? PolicySpec.Head.GAUSSIAN : PolicySpec.Head.CATEGORICAL;
            case "categorical":
                if (continuous) {
                    throw new SettingsException(PATH + ".head", head, rule);
                }
                return PolicySpec.Head.CATEGORICAL;
            default:
                if (!continuous) {
                    throw new SettingsException(PATH + ".head", head, rule);
                }
                return "gaussian".equals(head) ? PolicySpec.Head.GAUSSIAN : PolicySpec.Head.TANH_GAUSSIAN;
        }
    }

    /** The observation field {@code name} of space {@code space}, with this subtree's options applied. */
    ObservationField field(String name, Space space) {
        FieldOptions o = fields.getOrDefault(name, new FieldOptions(null, null, null, null));
        boolean enabled = o.enabled() == null || o.enabled();
        int[] hidden = o.hiddenSizes() == null ? branchHiddenSizes : o.hiddenSizes();
        if (space instanceof Space.TokenIds t) {
            if (Boolean.TRUE.equals(o.normalize())) {
                throw new SettingsException(FIELDS_PATH + "." + name + ".normalize", true, "token ids are never normalised");
            }
            int dim = o.embeddingDim() == null ? embeddingDim : o.embeddingDim();
            return new ObservationField(name, ObservationField.Kind.TOKENS, t.length(), t.vocabSize(), false, enabled,
                    hidden, dim);
        }
        if (space instanceof Space.Box || space instanceof Space.Discrete) {
            boolean normalize = o.normalize() == null || o.normalize();
            return new ObservationField(name, ObservationField.Kind.BOX, space.flatSize(), 0, normalize, enabled, hidden, 0);
        }
        throw new IllegalArgumentException("nested composite observation fields are not supported: field=" + name
                + ", space=" + space);
    }

    /** Names of fields with options that the observation space does not have (likely typos). */
    public java.util.List<String> unknownFields(Space observation) {
        java.util.List<String> names = observation instanceof Space.Composite c ? c.names()
                : java.util.List.of(PolicySpec.DEFAULT_FIELD);
        java.util.List<String> unknown = new java.util.ArrayList<>();
        for (String n : fields.keySet()) {
            if (!names.contains(n)) {
                unknown.add(n);
            }
        }
        return unknown;
    }
}
