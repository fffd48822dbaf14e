package io.tributary.learner;

import io.tributary.learner.heads.ActionHead;
import io.tributary.learner.heads.CategoricalHead;
import io.tributary.learner.heads.GaussianHead;
import io.tributary.learner.heads.TanhGaussianHead;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Architecture of a policy network, enough to rebuild it from a flat parameter vector: the observation
 * layout (named {@link ObservationField fields}, each normalised or not), the {@link Architecture}, its
 * activation and widths, and the action {@link Head}. {@link PolicyLayout} turns a spec into offsets;
 * {@link PolicyInference} documents the flat layouts.
 *
 * @param architecture network shape
 * @param activation   nonlinearity after every hidden layer (branch layers too)
 * @param fields       observation fields in flat-observation order
 * @param hiddenSizes  hidden widths of the MLP, or of the fusion trunk (after the concatenated branches)
 * @param head         action distribution
 * @param actionSize   number of choices (categorical) or action dimensions (Gaussian heads)
 * @param actionLow    lower action bounds for Gaussian heads, empty for categorical ones
 * @param actionHigh   upper action bounds for Gaussian heads, empty for categorical ones
 */
public record PolicySpec(Architecture architecture, Activation activation, List<ObservationField> fields,
                         int[] hiddenSizes, Head head, int actionSize, float[] actionLow, float[] actionHigh) {

    /** Field name of a non-composite observation. */
    public static final String DEFAULT_FIELD = "observation";

    /** Name of the one observation field of a {@link Architecture#SEQUENCE} spec: the prompt context. */
    public static final String SEQUENCE_FIELD = "prompt";

    /**
     * Network shapes. {@link #SEQUENCE} is the writing workload's policy language model
     * ({@code io.tributary.learner.lm.GruLanguageModel}): its sampling is autoregressive and goes through
     * {@code io.tributary.learner.lm.LmSampler} (DJL inference) rather than {@link PolicyInference}, whose
     * one-forward-per-step {@code act} contract does not fit decoding with a carried state.
     */
    public enum Architecture {
        /** Dense layers over the whole (normalised) observation. */
        MLP,
        /** One branch per enabled observation field, concatenated, then a dense trunk. */
        FUSION,
        /**
         * A GRU language model. The spec reads: one {@link ObservationField.Kind#TOKENS} field
         * {@value #SEQUENCE_FIELD} whose size is the prompt context length (prompts are left-padded to it),
         * vocabulary size and embedding width; {@code hiddenSizes} = {the GRU width}; a categorical head over
         * the vocabulary ({@code actionSize == vocabSize}). The activation is not used (a GRU's gates are fixed).
         */
        SEQUENCE
    }

    /** Hidden-layer nonlinearity. */
    public enum Activation {
        /** Hyperbolic tangent (today's PPO default). */
        TANH,
        /** max(0, x). */
        RELU
    }

    /** The action distribution of a policy head; each has one {@link ActionHead} implementation. */
    public enum Head {
        /** Softmax over {@code actionSize} logits; the action is one float holding the index. */
        CATEGORICAL(CategoricalHead.INSTANCE),
        /** Independent Gaussians with a learned, state-independent log standard deviation. */
        GAUSSIAN(GaussianHead.INSTANCE),
        /**
         * As {@link #GAUSSIAN}, but the mean is the network output squashed by tanh into [low, high]; samples are
         * not squashed (PPO's bounded-mean option, see {@link GaussianHead#BOUNDED}).
         */
        BOUNDED_GAUSSIAN(GaussianHead.BOUNDED),
        /** Gaussian with state-dependent log sigma, squashed by tanh into [low, high] (what SAC needs). */
        TANH_GAUSSIAN(TanhGaussianHead.INSTANCE);

        private final ActionHead impl;

        Head(ActionHead impl) {
            this.impl = impl;
        }

        /** The maths of this head. */
        public ActionHead impl() {
            return impl;
        }

        /** Whether the head's own parameters are a state-independent {@code logStd[actionSize]}. */
        public boolean hasStateIndependentLogStd() {
            return this == GAUSSIAN || this == BOUNDED_GAUSSIAN;
        }

        /** Whether the head maps into [low, high] and so needs finite bounds with low &lt; high. */
        public boolean needsFiniteBounds() {
            return this == TANH_GAUSSIAN || this == BOUNDED_GAUSSIAN;
        }
    }

    public PolicySpec {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(fields, "fields");
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(hiddenSizes, "hiddenSizes");
        Objects.requireNonNull(actionLow, "actionLow");
        Objects.requireNonNull(actionHigh, "actionHigh");
        fields = List.copyOf(fields);
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("a policy needs at least one observation field");
        }
        long obs = 0;
        int enabled = 0;
        for (int i = 0; i < fields.size(); i++) {
            ObservationField f = fields.get(i);
            obs += f.size();
            enabled += f.enabled() ? 1 : 0;
            for (int j = 0; j < i; j++) {
                if (fields.get(j).name().equals(f.name())) {
                    throw new IllegalArgumentException("duplicate field name: field=" + f.name());
                }
            }
        }
        if (obs > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("observation too large: observationSize=" + obs);
        }
        if (architecture == Architecture.FUSION && enabled == 0) {
            throw new IllegalArgumentException("a fusion policy needs at least one enabled field: fields=" + fields);
        }
        if (actionSize < 1) {
            throw new IllegalArgumentException("actionSize must be >= 1: actionSize=" + actionSize);
        }
        for (int h : hiddenSizes) {
            if (h < 1) {
                throw new IllegalArgumentException("hidden sizes must be >= 1: hiddenSizes=" + Arrays.toString(hiddenSizes));
            }
        }
        if (head != Head.CATEGORICAL && (actionLow.length != actionSize || actionHigh.length != actionSize)) {
            throw new IllegalArgumentException("Gaussian head needs one bound per action dimension: actionSize="
                    + actionSize + ", actionLow.length=" + actionLow.length + ", actionHigh.length=" + actionHigh.length);
        }
        if (head.needsFiniteBounds()) {
            for (int i = 0; i < actionSize; i++) {
                if (!(Float.isFinite(actionLow[i]) && Float.isFinite(actionHigh[i]) && actionLow[i] < actionHigh[i])) {
                    throw new IllegalArgumentException(head + " head needs finite bounds with low < high: index="
                            + i + ", low=" + actionLow[i] + ", high=" + actionHigh[i]);
                }
            }
        }
        if (architecture == Architecture.SEQUENCE) {
            ObservationField f = fields.get(0);
            if (fields.size() != 1 || f.kind() != ObservationField.Kind.TOKENS || head != Head.CATEGORICAL
                    || actionSize != f.vocabSize() || hiddenSizes.length != 1) {
                throw new IllegalArgumentException("a sequence spec needs one token field, a categorical head over its"
                        + " vocabulary and one hidden width: fields=" + fields + ", head=" + head + ", actionSize="
                        + actionSize + ", hiddenSizes=" + Arrays.toString(hiddenSizes));
            }
        }
        hiddenSizes = hiddenSizes.clone();
        actionLow = actionLow.clone();
        actionHigh = actionHigh.clone();
    }

    /**
     * Today's policy: a tanh MLP over one normalised box field of {@code observationSize} floats (the
     * flat layout documented in {@link PolicyInference} is unchanged).
     */
    public PolicySpec(int observationSize, Head head, int actionSize, int[] hiddenSizes, float[] actionLow,
                      float[] actionHigh) {
        this(Architecture.MLP, Activation.TANH, List.of(ObservationField.box(DEFAULT_FIELD, observationSize, true)),
                hiddenSizes, head, actionSize, actionLow, actionHigh);
    }

    /**
     * The spec of a GRU language model (see {@link Architecture#SEQUENCE}).
     *
     * @param vocabSize    token vocabulary (PAD, BOS, EOS, UNK, SEP and the words)
     * @param embeddingDim token embedding width
     * @param hiddenSize   GRU width
     * @param promptLength prompt context length: every prompt is left-padded with PAD to it
     */
    public static PolicySpec sequence(int vocabSize, int embeddingDim, int hiddenSize, int promptLength) {
        return new PolicySpec(Architecture.SEQUENCE, Activation.TANH,
                List.of(ObservationField.tokens(SEQUENCE_FIELD, promptLength, vocabSize, embeddingDim, new int[0])),
                new int[] {hiddenSize}, Head.CATEGORICAL, vocabSize, new float[0], new float[0]);
    }

    /** A tanh MLP over one normalised box field (same as the six-argument constructor). */
    public static PolicySpec mlp(int observationSize, Head head, int actionSize, int[] hiddenSizes, float[] actionLow,
                                 float[] actionHigh) {
        return new PolicySpec(observationSize, head, actionSize, hiddenSizes, actionLow, actionHigh);
    }

    /**
     * A spec built from an environment's spaces and the {@code tributary.learner.policy} settings: one field
     * per entry of a {@code Composite} observation (one field {@value #DEFAULT_FIELD} otherwise); a
     * {@code Discrete} action gives a categorical head, a {@code Box} action a Gaussian one (or a bounded or
     * tanh-Gaussian one when {@code settings.head()} says so, which needs finite bounds).
     *
     * @param defaultHiddenSizes the algorithm's widths, used where the settings leave hidden sizes empty
     */
    public static PolicySpec forSpaces(PolicySettings settings, io.tributary.simulator.Space observation,
                                       io.tributary.simulator.Space action, int[] defaultHiddenSizes) {
        Objects.requireNonNull(settings, "settings");
        if (settings.architecture() == Architecture.SEQUENCE) {
            throw new io.tributary.config.SettingsException(PolicySettings.PATH + ".architecture", "sequence",
                    "a sequence policy is not built from an environment's spaces; it needs a sequence-model learner"
                    + " (PolicySettings.sequenceSpec())");
        }
        List<ObservationField> fields = new ArrayList<>();
        if (observation instanceof io.tributary.simulator.Space.Composite c) {
            for (String name : c.names()) {
                fields.add(settings.field(name, c.fields().get(name)));
            }
        } else {
            fields.add(settings.field(DEFAULT_FIELD, observation));
        }
        if (settings.architecture() == Architecture.MLP) {
            // an MLP reads every field whole: branch options do not apply, so they are left out of the spec
            fields.replaceAll(f -> new ObservationField(f.name(), f.kind(), f.size(), f.vocabSize(), f.normalize(), true,
                    new int[0], f.embeddingDim()));
        }
        int[] hidden = settings.hiddenSizes().length == 0 ? defaultHiddenSizes : settings.hiddenSizes();
        Head head;
        int actionSize;
        float[] low;
        float[] high;
        if (action instanceof io.tributary.simulator.Space.Discrete d) {
            head = settings.head(false);
            actionSize = d.n();
            low = new float[0];
            high = new float[0];
        } else if (action instanceof io.tributary.simulator.Space.Box b) {
            head = settings.head(true);
            actionSize = b.flatSize();
            low = b.low();
            high = b.high();
            if (head.needsFiniteBounds()) {
                for (int i = 0; i < actionSize; i++) {
                    if (!(Float.isFinite(low[i]) && Float.isFinite(high[i]) && low[i] < high[i])) {
                        throw new io.tributary.config.SettingsException(PolicySettings.PATH + ".head", settings.head(),
                                "squashes into the action bounds, which must be finite with low < high: index=" + i
                                        + ", low=" + low[i] + ", high=" + high[i]);
                    }
                }
            }
        } else {
            throw new IllegalArgumentException("unsupported action space for a policy network: actionSpace=" + action);
        }
        return new PolicySpec(settings.architecture(), settings.activation(), fields, hidden, head, actionSize, low, high);
    }

    /** Floats per observation: the sum of the field sizes. */
    public int observationSize() {
        int n = 0;
        for (ObservationField f : fields) {
            n += f.size();
        }
        return n;
    }

    /** Floats the network writes per action: 1 (an index) for categorical heads, else the action size. */
    public int actionFloats() {
        return head.impl().actionFloats(actionSize);
    }

    /** True for today's architecture: a tanh MLP over one normalised box field. */
    public boolean isPlainTanhMlp() {
        return architecture == Architecture.MLP && activation == Activation.TANH && fields.size() == 1
                && fields.get(0).kind() == ObservationField.Kind.BOX && fields.get(0).normalize();
    }

    /** Per observation element: true where it is normalised (see {@link ObservationField#normalize()}). */
    public boolean[] normalizedMask() {
        boolean[] mask = new boolean[observationSize()];
        int off = 0;
        for (ObservationField f : fields) {
            Arrays.fill(mask, off, off + f.size(), f.normalize());
            off += f.size();
        }
        return mask;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolicySpec s && architecture == s.architecture && activation == s.activation
                && fields.equals(s.fields) && Arrays.equals(hiddenSizes, s.hiddenSizes) && head == s.head
                && actionSize == s.actionSize && Arrays.equals(actionLow, s.actionLow)
                && Arrays.equals(actionHigh, s.actionHigh);
    }

    @Override
    public int hashCode() {
        return Objects.hash(architecture, activation, fields, Arrays.hashCode(hiddenSizes), head, actionSize,
                Arrays.hashCode(actionLow), Arrays.hashCode(actionHigh));
    }

    @Override
    public String toString() {
        return "PolicySpec[architecture=" + architecture + ", activation=" + activation + ", fields=" + fields
                + ", hiddenSizes=" + Arrays.toString(hiddenSizes) + ", head=" + head + ", actionSize=" + actionSize
                + ", actionLow=" + Arrays.toString(actionLow) + ", actionHigh=" + Arrays.toString(actionHigh) + "]";
    }
}
