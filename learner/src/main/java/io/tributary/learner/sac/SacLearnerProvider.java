package io.tributary.learner.sac;

import io.tributary.config.SettingsException;
import io.tributary.learner.Learner;
import io.tributary.learner.LearnerContext;
import io.tributary.learner.LearnerProvider;
import io.tributary.learner.Learners;
import io.tributary.learner.ObservationField;
import io.tributary.learner.PolicySettings;
import io.tributary.learner.PolicySpec;
import io.tributary.learner.ProductionQuota;
import io.tributary.simulator.Space;
import io.tributary.simulator.data.OfflineDataset;
import io.tributary.simulator.data.OfflineDatasets;
import io.tributary.simulator.model.StateValueOracle;
import io.tributary.simulator.model.StateValueOracleProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Registers {@link SacLearner} as algorithm {@code sac} (settings {@code tributary.learner.sac}). The
 * policy is an MLP over the whole observation with ReLU hidden layers of {@code sac.hidden-sizes} and the
 * tanh-Gaussian head over the Box action's bounds, observations unnormalised; {@code policy.head} may be
 * {@code auto} or {@code tanh-gaussian}, {@code policy.architecture} must be {@code mlp}, and
 * {@code policy.activation} is not read (SAC's networks use ReLU, as the reference code). The quota is
 * {@link SacSettings#envStepsPerVersion()} env steps per version.
 */
public final class SacLearnerProvider implements LearnerProvider {
    private static final String ENV_NAME = "tributary.simulator.env.name";

    @Override
    public String algorithm() {
        return "sac";
    }

    @Override
    public PolicySpec policySpec(LearnerContext context) {
        return spec(context, settings(context));
    }

    @Override
    public ProductionQuota quota(LearnerContext context) {
        return ProductionQuota.steps(settings(context).envStepsPerVersion());
    }

    @Override
    public Learner create(LearnerContext context) {
        SacSettings sac = settings(context);
        PolicySpec spec = spec(context, sac);
        OfflineDataset dataset = null;
        if (!sac.dataset().isEmpty()) {
            String env = context.config().hasPath(ENV_NAME) ? context.config().getString(ENV_NAME) : "";
            dataset = readDataset(sac.dataset(), env);
        }
        return new SacLearner(context.settings(), sac, spec, context.runId(), dataset, oracle(sac));
    }

    /**
     * Reads the offline dataset file named by {@code sac.dataset} (Tributary's format, or D4RL/Minari HDF5
     * labelled with {@code environment}).
     */
    static OfflineDataset readDataset(String file, String environment) {
        try {
            return OfflineDatasets.read(Path.of(file), environment);
        } catch (IOException | RuntimeException e) {
            throw new SettingsException(SacSettings.PATH + ".dataset", file, "must be a readable dataset file: " + e.getMessage());
        }
    }

    /** SAC's settings for this context. */
    public static SacSettings settings(LearnerContext context) {
        return SacSettings.fromConfig(context.config());
    }

    /** The oracle named by {@code sac.oracle}, or null when unset. */
    static StateValueOracle oracle(SacSettings sac) {
        if (sac.oracle().isEmpty()) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (StateValueOracleProvider p : ServiceLoader.load(StateValueOracleProvider.class,
                SacLearnerProvider.class.getClassLoader())) {
            if (p.name().equals(sac.oracle())) {
                return p.create(sac.gamma());
            }
            names.add(p.name());
        }
        throw new SettingsException(SacSettings.PATH + ".oracle", sac.oracle(),
                "must name an environment with a StateValueOracleProvider on the classpath: registered=" + names);
    }

    /** The actor's spec: the configured fields as one MLP input, ReLU, tanh-Gaussian head. */
    static PolicySpec spec(LearnerContext context, SacSettings sac) {
        PolicySettings policy = context.settings().policy();
        if (policy.architecture() != PolicySpec.Architecture.MLP) {
            throw new SettingsException(PolicySettings.PATH + ".architecture", policy.architecture().name().toLowerCase(),
                    "must be mlp for algorithm sac (its critics read the whole observation)");
        }
        if (!policy.head().equals("auto") && !policy.head().equals("tanh-gaussian")) {
            throw new SettingsException(PolicySettings.PATH + ".head", policy.head(),
                    "must be auto or tanh-gaussian for algorithm sac");
        }
        if (!(context.actionSpace() instanceof Space.Box)) {
            throw new IllegalArgumentException("algorithm sac needs a Box action space: actionSpace=" + context.actionSpace());
        }
        PolicySpec base = Learners.policySpec(context, sac.hiddenSizes());
        List<ObservationField> fields = new ArrayList<>();
        for (ObservationField f : base.fields()) {
            if (f.kind() != ObservationField.Kind.BOX) {
                throw new IllegalArgumentException("algorithm sac needs box observation fields: field=" + f.name()
                        + ", kind=" + f.kind());
            }
            fields.add(new ObservationField(f.name(), f.kind(), f.size(), f.vocabSize(), false, true, new int[0],
                    f.embeddingDim()));
        }
        return new PolicySpec(PolicySpec.Architecture.MLP, PolicySpec.Activation.RELU, fields, sac.hiddenSizes(),
                PolicySpec.Head.TANH_GAUSSIAN, base.actionSize(), base.actionLow(), base.actionHigh());
    }
}
