package io.tributary.learner.lm;

import io.tributary.config.SettingsException;
import io.tributary.learner.Learner;
import io.tributary.learner.LearnerContext;
import io.tributary.learner.LearnerProvider;
import io.tributary.learner.PolicySettings;
import io.tributary.learner.PolicySpec;
import io.tributary.learner.ProductionQuota;
import io.tributary.simulator.Space;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Registers the writing learner ({@link GroupLearner}) under an algorithm name with its reward mode:
 * {@link BrpoLearnerProvider} ({@code brpo}) and {@link GrpoLearnerProvider} ({@code grpo}). Settings: the
 * {@code tributary.learner.group} subtree ({@link GroupLearnerSettings}); policy: the sequence spec of
 * {@code tributary.learner.policy.sequence} ({@code policy.architecture} must be {@code sequence}); quota:
 * {@code groups-per-version} groups.
 *
 * <p>Start-up checks ({@link #policySpec}, called by {@code Learners.check} when the config is loaded), each a
 * {@link SettingsException} with path, value and rule, or an {@link IllegalArgumentException} for spaces the
 * learner cannot act in: the environment must be a writing one (prompt-token observations {@code TokenIds(P', V')},
 * one token per action {@code Discrete(V')}, as {@code Writing-v0}); {@code policy.sequence.vocab-size} must equal
 * V'; {@code policy.sequence.prompt-length} must be at least P'; {@code group.init-from} must be a readable model
 * file ({@link LmModelFile}) holding exactly that sequence spec.
 */
public abstract class GroupLearnerProvider implements LearnerProvider {
    private final String algorithm;
    private final GroupUpdateSettings.RewardMode mode;

    /** A provider of {@code algorithm} training with {@code mode}'s advantages. */
    protected GroupLearnerProvider(String algorithm, GroupUpdateSettings.RewardMode mode) {
        this.algorithm = algorithm;
        this.mode = mode;
    }

    @Override
    public final String algorithm() {
        return algorithm;
    }

    /** The reward mode of this algorithm. */
    public final GroupUpdateSettings.RewardMode rewardMode() {
        return mode;
    }

    @Override
    public final PolicySpec policySpec(LearnerContext context) {
        GroupLearnerSettings settings = settings(context);
        PolicySpec spec = context.settings().policy().sequenceSpec();
        checkSpaces(context, spec);
        checkModelFile(settings, spec);
        return spec;
    }

    @Override
    public final ProductionQuota quota(LearnerContext context) {
        return ProductionQuota.groups(settings(context).groupsPerVersion());
    }

    @Override
    public final Learner create(LearnerContext context) {
        PolicySpec spec = policySpec(context);
        return new GroupLearner(algorithm, context.settings(), settings(context), spec, context.runId());
    }

    /** The group subtree for this algorithm. */
    public final GroupLearnerSettings settings(LearnerContext context) {
        return GroupLearnerSettings.fromConfig(context.config(), algorithm, mode);
    }

    private void checkSpaces(LearnerContext context, PolicySpec spec) {
        if (!(context.observationSpace() instanceof Space.TokenIds obs)
                || !(context.actionSpace() instanceof Space.Discrete act)) {
            throw new IllegalArgumentException("algorithm " + algorithm + " needs a writing environment (prompt-token "
                    + "observations and one token per action, as Writing-v0): observationSpace="
                    + context.observationSpace() + ", actionSpace=" + context.actionSpace());
        }
        int vocab = spec.fields().get(0).vocabSize();
        if (obs.vocabSize() != vocab || act.n() != vocab) {
            throw new SettingsException(PolicySettings.PATH + ".sequence.vocab-size", vocab,
                    "must equal the environment's vocabulary: observation vocabSize=" + obs.vocabSize()
                            + ", action n=" + act.n());
        }
        int promptLength = spec.fields().get(0).size();
        if (obs.length() > promptLength) {
            throw new SettingsException(PolicySettings.PATH + ".sequence.prompt-length", promptLength,
                    "must hold the environment's longest prompt: promptTokens=" + obs.length());
        }
    }

    private static void checkModelFile(GroupLearnerSettings settings, PolicySpec spec) {
        String path = GroupLearnerSettings.PATH + ".init-from";
        Path file = Path.of(settings.initFrom());
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new SettingsException(path, settings.initFrom(), "must be a readable file made by ./tributary "
                    + "pretrain-lm --out <file>: not found at " + file.toAbsolutePath());
        }
        PolicySpec stored;
        try {
            stored = LmModelFile.readSpec(file);
        } catch (IOException e) {
            throw new SettingsException(path, settings.initFrom(), "must be a language-model file made by pretrain-lm: "
                    + e.getMessage());
        }
        if (!stored.equals(spec)) {
            throw new SettingsException(path, settings.initFrom(), "must hold a model of the configured shape "
                    + "(tributary.learner.policy.sequence): stored=" + describe(stored) + ", configured=" + describe(spec));
        }
    }

    private static String describe(PolicySpec s) {
        return String.format(Locale.ROOT, "vocab %d, embedding %d, hidden %d, prompt %d", s.fields().get(0).vocabSize(),
                s.fields().get(0).embeddingDim(), s.hiddenSizes()[0], s.fields().get(0).size());
    }
}
