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
 * @param architecture       mlp, fusion or sequence
 * @param activation         tanh or relu
 * @param hiddenSizes        MLP hidden widths / fusion trunk widths; empty = the algorithm's default
 * @param head               auto, categorical, gaussian, bounded-gaussian or tanh-gaussian
 * @param branchHiddenSizes  default fusion branch widths of fields not overriding them
 * @param embeddingDim       default embedding width of token fields
 * @param fields             per-field overrides by field name
 * @param sequence           the language model's sizes (used when architecture is sequence)
 */
public record PolicySettings(PolicySpec.Architecture architecture, PolicySpec.Activation activation, int[] hiddenSizes,
                             String head, int[] branchHiddenSizes, int embeddingDim, Map<String, FieldOptions> fields,
                             SequenceOptions sequence) {

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

    /**
     * Sizes of the sequence architecture's GRU language model, the {@code tributary.learner.policy.sequence}
     * subtree (see {@link PolicySpec#sequence}).
     *
     * @param vocabSize    token vocabulary, special tokens included (must match the tokenizer's)
     * @param embeddingDim token embedding width
     * @param hiddenSize   GRU width
     * @param promptLength prompt context length in tokens (prompts are left-padded with PAD to it)
     */
    public record SequenceOptions(int vocabSize, int embeddingDim, int hiddenSize, int promptLength) {
        public SequenceOptions {
            String p = PATH + ".sequence.";
            if (vocabSize < io.tributary.simulator.writing.SpecialTokens.FIRST_WORD + 1 || vocabSize > (1 << 20)) {
                throw new SettingsException(p + "vocab-size", vocabSize, "must be in [6, 1048576] (special tokens + a word)");
            }
            if (embeddingDim < 1 || embeddingDim > 4096) {
                throw new SettingsException(p + "embedding-dim", embeddingDim, "must be in [1, 4096]");
            }
            if (hiddenSize < 1 || hiddenSize > 8192) {
                throw new SettingsException(p + "hidden-size", hiddenSize, "must be in [1, 8192]");
            }
            if (promptLength < 1 || promptLength > 4096) {
                throw new SettingsException(p + "prompt-length", promptLength, "must be in [1, 4096]");
            }
        }

        /** The sizes measured in docs/writing-feasibility.md: vocabulary 4,000, embedding 64, GRU 128, prompt 32. */
        public static SequenceOptions defaults() {
            return new SequenceOptions(4000, 64, 128, 32);
        }
    }

    public PolicySettings {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(sequence, "sequence");
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(hiddenSizes, "hiddenSizes");
        Objects.requireNonNull(branchHiddenSizes, "branchHiddenSizes");
        if (!Set.of("auto", "categorical", "gaussian", "bounded-gaussian", "tanh-gaussian").contains(head)) {
            throw new SettingsException(PATH + ".head", head,
                    "must be one of auto | categorical | gaussian | bounded-gaussian | tanh-gaussian");
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
                new int[] {64}, 8, Map.of(), SequenceOptions.defaults());
    }

    /** Reads and checks {@code tributary.learner.policy} from a resolved configuration. */
    public static PolicySettings fromConfig(Config config) {
        String p = PATH + ".";
        String arch = SettingsSupport.oneOf(config, p + "architecture", "mlp", "fusion", "sequence");
        String act = SettingsSupport.oneOf(config, p + "activation", "tanh", "relu");
        String head = SettingsSupport.oneOf(config, p + "head", "auto", "categorical", "gaussian", "bounded-gaussian",
                "tanh-gaussian");
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
                new LinkedHashMap<>(fields), new SequenceOptions(
                        SettingsSupport.intIn(config, p + "sequence.vocab-size", Integer.MIN_VALUE, Integer.MAX_VALUE),
                        SettingsSupport.intIn(config, p + "sequence.embedding-dim", Integer.MIN_VALUE, Integer.MAX_VALUE),
                        SettingsSupport.intIn(config, p + "sequence.hidden-size", Integer.MIN_VALUE, Integer.MAX_VALUE),
                        SettingsSupport.intIn(config, p + "sequence.prompt-length", Integer.MIN_VALUE, Integer.MAX_VALUE)));
    }

    /**
     * The language model's spec from the {@code sequence} subtree; only for {@code architecture = sequence}.
     */
    public PolicySpec sequenceSpec() {
        if (architecture != PolicySpec.Architecture.SEQUENCE) {
            throw new SettingsException(PATH + ".architecture", architecture.name().toLowerCase(java.util.Locale.ROOT),
                    "must be sequence for a language-model policy");
        }
        return PolicySpec.sequence(sequence.vocabSize(), sequence.embeddingDim(), sequence.hiddenSize(),
                sequence.promptLength());
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
        String rule = continuous ? "a Box action space needs auto | gaussian | bounded-gaussian | tanh-gaussian"
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
                switch (head) {
                    case "gaussian":
                        return PolicySpec.Head.GAUSSIAN;
                    case "bounded-gaussian":
                        return PolicySpec.Head.BOUNDED_GAUSSIAN;
                    default:
                        return PolicySpec.Head.TANH_GAUSSIAN;
                }
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
