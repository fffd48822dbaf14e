package io.tributary.learner.ppo;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tributary.config.SettingsException;
import io.tributary.learner.ChunkChecks;
import io.tributary.learner.Learner;
import io.tributary.learner.LearnerSettings;
import io.tributary.learner.ObservationField;
import io.tributary.learner.PolicyInference;
import io.tributary.learner.PolicySnapshot;
import io.tributary.learner.PolicySpec;
import io.tributary.learner.RunningMeanStd;
import io.tributary.learner.UpdateReport;
import io.tributary.learner.heads.ActionHead;
import io.tributary.learner.nn.Adam;
import io.tributary.learner.nn.Arrays64;
import io.tributary.learner.nn.Devices;
import io.tributary.learner.nn.Initializers;
import io.tributary.rewards.ScoredChunk;
import io.tributary.simulator.random.SplitMix64;
import io.tributary.simulator.rollout.ChunkTransform;
import io.tributary.simulator.rollout.TrajectoryChunk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Proximal policy optimisation (Schulman et al. 2017) on DJL's PyTorch engine, in the CleanRL/SB3 form.
 * {@link #update()} reads top to bottom: prepare the batch (GAE, reward scaling: {@link PpoBatch}), loop
 * epochs over shuffled minibatches, compute the named loss terms ({@link PpoLoss}), clip the global
 * gradient norm, take an Adam step. The actor is any {@link PolicySpec} architecture with a categorical or
 * Gaussian head ({@link ActionHead}); the critic has the same architecture, its own weights and a
 * one-wide linear output ({@link ActorCritic}).
 *
 * <p><b>Data.</b> {@link #accept} buffers scored chunks (their {@link ScoredChunk#rewards()} are trained
 * on; their actions must be the unclipped ones {@link PolicyInference#act} returned). An update
 * consumes the whole buffer. Observations are normalised with the statistics of the <em>current</em>
 * snapshot, the ones its actions were chosen with, so on-policy data starts at ratio 1; after an applied
 * update the running statistics absorb the batch's raw observations and are published with the new
 * weights. Fields with normalisation off (and token ids) are fed raw.
 *
 * <p><b>Details.</b> Initialisation is orthogonal (gain sqrt 2 for hidden layers, 0.01 for the policy
 * output, 1 for the value output), zero biases, logStd {@code initial-log-std} (default 0). Minibatch advantages are normalised with the
 * unbiased std (as CleanRL); a one-sample tail joins the last minibatch. The target-KL stop is SB3's:
 * a minibatch whose approximate KL exceeds 1.5 x {@code target-kl} is not applied and ends the update. With
 * {@code dual-clip} c the surrogate of a negative advantage is at least c A ({@link PpoLoss}), so a sample whose
 * ratio exploded adds no gradient instead of owning the minibatch's clipped gradient. With
 * {@code bound-loss-coef} a Gaussian mean beyond its widened action bounds is pulled back ({@link PpoLoss}).
 * Reward scaling (off by default) is {@link RewardScaler}. Annealing uses the env steps of applied updates.
 *
 * <p><b>Real env steps and augmented samples.</b> {@code batch-steps} counts <em>real</em> env steps: a chunk a
 * {@link ChunkTransform} added (signal {@value ChunkTransform#AUGMENTED_SIGNAL} = 1, e.g. a lane-mirror copy)
 * is buffered and trained on, but adds nothing to the count that triggers an update, nor to
 * {@link #envStepsTrained()}, which drives annealing. With the mirror on, an update of {@code batch-steps}
 * = 2048 therefore trains on about 4096 samples (minibatches are cut from all of them); without any augmented
 * chunk nothing changes. The budget, the worker quota and this count agree, so the learning-rate schedule
 * ends with {@code max-env-steps}. A mirror that arrives after the update its original completed joins the
 * next batch, one version behind, like any lagged chunk (its log-probs are those of its own version).
 *
 * <p><b>Samples another policy drew.</b> A chunk carrying {@value ChunkTransform#BEHAVIOUR_LOG_PROB_SIGNAL} (a
 * lane-mirror copy: its actions are the mirrors of actions drawn at the original states) is off-policy where the
 * policy is not symmetric. Its samples are weighted by {@code w = min(1, exp(logProb - behaviourLogProb))} in the
 * surrogate and in the KL and clip-fraction figures (the KL stop reads the weighted KL); the value loss uses them
 * unweighted. Unweighted, a copy deep in the policy's tail (log-probs down to -3,389 measured on lane keeping) owned
 * the gradient and tripped the KL stop after one to three minibatches, update after update. The report's
 * {@code behaviour_weight_mean} is the mean weight of such samples.
 *
 * <p><b>Skipped updates.</b> If a minibatch's loss or gradient norm is not finite, the update is abandoned:
 * weights, Adam state and RNG are put back as they were before the update, normaliser and reward-scaling
 * statistics are left untouched, the version stays, the buffered data are dropped, and the report says
 * why ({@link #updatesSkipped()} counts them).
 *
 * <p><b>DJL notes.</b> Constants inside the autograd graph are scalar arrays owned by the minibatch's
 * sub-manager, never {@code Number} arguments (see {@link PpoLoss#backward}); arrays built from Java data
 * use 64-byte aligned memory ({@link Arrays64}), which makes updates bit-for-bit reproducible.
 *
 * <p><b>Checkpoints.</b> {@link #save} writes one file, {@value #CHECKPOINT_FILE} ({@link PpoCheckpoint});
 * the buffer is not part of it (resume replays from the checkpoint's offsets).
 *
 * <p>Single-threaded, like every {@link Learner}. DJL allows one gradient collector at a time per JVM,
 * so learners in one process must not update concurrently.
 */
public final class PpoLearner implements Learner {
    /** Name of the checkpoint file in a save directory. */
    public static final String CHECKPOINT_FILE = PpoCheckpoint.FILE;

    private static final float ADAM_BETA1 = 0.9f;
    private static final float ADAM_BETA2 = 0.999f;
    private static final float ADAM_EPSILON = 1e-5f;
    private static final double HIDDEN_GAIN = Math.sqrt(2.0);
    private static final double POLICY_GAIN = 0.01;
    private static final double VALUE_GAIN = 1.0;

    private final PpoSettings ppo;
    private final PolicySpec spec;
    private final ActionHead head;
    private final String runId;
    private final Device device;
    private final NDManager manager;
    private final ActorCritic net;
    private final Adam adam;
    private final SplitMix64 rng;
    private final Minibatch.Stager stager;
    private final int obsSize;
    private final int actionFloats;
    private final boolean[] normalizedMask;

    private RunningMeanStd obsRms;
    /** Element ranges [from, to) of the fields normalised with pooled statistics (pooled-normalization-fields). */
    private final int[][] pooledRanges;
    private final RewardScaler rewardScaler = new RewardScaler();
    private float[] obsMean;
    private float[] obsVar;
    private float[] obsStd;

    private List<ScoredChunk> buffer = new ArrayList<>();
    /** Samples buffered (real and augmented). */
    private int bufferedSteps;
    /** Real env steps among them (what {@code batch-steps} counts). */
    private int bufferedRealSteps;

    private long version;
    private long envStepsTrained;
    private long updatesApplied;
    private long updatesSkipped;
    private long snapshotCreatedAtMicros;
    private PolicySnapshot snapshot;

    /** Test hook: global minibatch index at which the loss is made NaN, -1 for never. */
    int nanInjectionMinibatch = -1;

    /**
     * @param settings learner settings (device, seed)
     * @param ppo      PPO hyper-parameters
     * @param spec     actor architecture; the critic has the same one with a one-wide output
     * @param runId    run the snapshots belong to
     * @throws IllegalArgumentException for a tanh-Gaussian head (PPO here needs a closed-form entropy)
     * @throws SettingsException         for {@code bound-loss-coef} > 0 with a head that has no mean in action units
     */
    public PpoLearner(LearnerSettings settings, PpoSettings ppo, PolicySpec spec, String runId) {
        if (spec.head() == PolicySpec.Head.TANH_GAUSSIAN) {
            throw new IllegalArgumentException("PPO supports categorical and gaussian heads: head=" + spec.head()
                    + " (tanh-gaussian is for SAC-style learners; set tributary.learner.policy.head = auto, gaussian"
                    + " or bounded-gaussian)");
        }
        if (ppo.boundLossCoef() > 0 && !spec.head().hasStateIndependentLogStd()) {
            throw new SettingsException(PpoSettings.PATH + ".bound-loss-coef", ppo.boundLossCoef(),
                    "needs a Gaussian policy head (it bounds the mean in action units); the head is " + spec.head()
                            + ": set it to 0");
        }
        this.ppo = ppo;
        this.spec = spec;
        this.head = spec.head().impl();
        this.runId = runId;
        this.device = Devices.resolve(settings.device());
        this.obsSize = spec.observationSize();
        this.actionFloats = spec.actionFloats();
        this.normalizedMask = spec.normalizedMask();
        this.rng = new SplitMix64(settings.seed());
        this.obsRms = new RunningMeanStd(obsSize);
        this.pooledRanges = pooledRanges(ppo, spec);
        // Checked before any native memory is taken: a list of the wrong length stops start-up naming the key.
        double[] logStd0 = spec.head().hasStateIndependentLogStd() ? ppo.initialLogStd(spec.actionSize()) : new double[0];
        refreshNormalizer();

        this.manager = NDManager.newBaseManager(device);
        this.net = new ActorCritic(manager, spec);
        float[] actor = Initializers.policy(net.actor, HIDDEN_GAIN, POLICY_GAIN, logStd0, rng);
        float[] critic = Initializers.policy(net.critic, HIDDEN_GAIN, VALUE_GAIN, rng);
        net.load(actor, critic);
        this.adam = new Adam(manager, net.params, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON);
        this.stager = new Minibatch.Stager(ppo.minibatchSize() + 1, obsSize, head, spec.actionSize());
        this.snapshotCreatedAtMicros = nowMicros();
    }

    /** Where the tensors live and on which engine, e.g. {@code cpu() on PyTorch 2.7.1 (intra-op threads: 1)}. */
    @Override
    public String deviceDescription() {
        return Devices.describe(device);
    }

    @Override
    public String algorithm() {
        return "ppo";
    }

    @Override
    public long version() {
        return version;
    }

    /** Updates skipped because a loss or gradient norm was not finite. */
    public long updatesSkipped() {
        return updatesSkipped;
    }

    /** Updates applied. */
    public long updatesApplied() {
        return updatesApplied;
    }

    /** Samples held for the next update, augmented ones included. */
    public int bufferedSteps() {
        return bufferedSteps;
    }

    /** Real env steps held for the next update (augmented chunks excluded); an update starts at {@code batch-steps}. */
    public int bufferedRealSteps() {
        return bufferedRealSteps;
    }

    /** Real env steps that went into applied updates (drives learning-rate annealing; augmented samples excluded). */
    public long envStepsTrained() {
        return envStepsTrained;
    }

    /** Native arrays held by this learner's manager (leak checks in tests). */
    int liveArrays() {
        return manager.getManagedArrays().size();
    }

    /** The architecture of the published policy. */
    public PolicySpec spec() {
        return spec;
    }

    @Override
    public void skipVersionsTo(long target) {
        if (target < version) {
            throw new IllegalArgumentException("cannot move the version back: version=" + version + ", target=" + target);
        }
        version = target;
        snapshot = null;
    }

    @Override
    public void accept(ScoredChunk scored) {
        TrajectoryChunk c = scored.chunk();
        ChunkChecks.requireStepChunk(c, obsSize, actionFloats, "PPO");
        for (int t = 0; t < c.steps(); t++) {
            try {
                head.checkAction(c.actions(), t * actionFloats, spec.actionSize());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + ", step=" + t + ", chunk=" + c.id(), e);
            }
        }
        checkFinite(c.observations(), "observation", c);
        checkFinite(c.bootstrapObservation(), "bootstrapObservation", c);
        checkFinite(c.actions(), "action", c);
        checkFinite(c.logProbs(), "logProb", c);
        if (bufferedSteps > Integer.MAX_VALUE - c.steps()) {
            throw new IllegalStateException("buffer overflow: bufferedSteps=" + bufferedSteps + ", steps=" + c.steps());
        }
        buffer.add(scored);
        bufferedSteps += c.steps();
        bufferedRealSteps += ChunkTransform.realSteps(c);
    }

    private static void checkFinite(float[] a, String what, TrajectoryChunk c) {
        for (int i = 0; i < a.length; i++) {
            if (!Float.isFinite(a[i])) {
                throw new IllegalArgumentException(what + " is not finite: index=" + i + ", value=" + a[i] + ", chunk=" + c.id());
            }
        }
    }

    @Override
    public boolean readyToUpdate() {
        return bufferedRealSteps >= ppo.batchSteps();
    }

    /** Learning rate the next update will use. */
    public double currentLearningRate() {
        if (!ppo.annealLr()) {
            return ppo.learningRate();
        }
        double frac = 1.0 - (double) envStepsTrained / ppo.totalEnvSteps();
        return ppo.learningRate() * Math.max(0.0, frac);
    }

    // ------------------------------------------------------------------ update

    @Override
    public UpdateReport update() {
        long start = System.nanoTime();
        List<ScoredChunk> chunks = buffer;
        int n = bufferedSteps;
        int real = bufferedRealSteps;
        buffer = new ArrayList<>();
        bufferedSteps = 0;
        bufferedRealSteps = 0;
        if (n < 2) {
            // Per-minibatch advantage normalisation needs two samples; one lone step is dropped.
            return new UpdateReport(version, false, "too few buffered steps: steps=" + n + ", min=2", n, 0.0, Map.of());
        }

        // 1. prepare the batch: normalised observations, scaled rewards, critic values, GAE
        PpoBatch batch = prepare(chunks, n);
        double prepareMillis = (System.nanoTime() - start) / 1e6;

        // everything an abandoned update must put back
        Adam.State adamBackup = adam.backup();
        NDArray[] paramBackup = net.backup();
        long rngBackup = rng.state();
        float lr = (float) currentLearningRate();

        // 2. epochs over shuffled minibatches; a one-sample tail joins the last full minibatch
        int mb = ppo.minibatchSize();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        int fullMinibatches = Math.max(1, n / mb);
        int tail = n - fullMinibatches * mb;
        int minibatchesPerEpoch = fullMinibatches + (tail >= 2 ? 1 : 0);

        PpoLoss.Averages averages = new PpoLoss.Averages();
        int minibatchIndex = 0;
        int epochsRun = 0;
        boolean stoppedEarly = false;
        String skipReason = null;
        outer:
        for (int epoch = 0; epoch < ppo.epochs(); epoch++) {
            epochsRun++;
            rng.shuffle(perm, n);
            for (int k = 0; k < minibatchesPerEpoch; k++) {
                int from = k * mb;
                int to = k == minibatchesPerEpoch - 1 ? n : Math.min(n, from + mb);
                PpoLoss loss;
                try (NDManager sub = manager.newSubManager()) {
                    loss = minibatchStep(sub, stager.stage(sub, batch, perm, from, to), lr, minibatchIndex++);
                }
                if (!loss.finite()) {
                    skipReason = "non-finite " + (!Float.isFinite(loss.loss()) ? "loss" : "gradient norm") + ": loss="
                            + loss.loss() + ", gradNorm=" + loss.gradNorm() + ", epoch=" + epoch + ", minibatch=" + k;
                    break outer;
                }
                averages.add(loss);
                if (loss.stoppedByKl()) {
                    stoppedEarly = true;
                    break outer;
                }
            }
        }

        if (skipReason != null) {
            net.restore(paramBackup);
            adam.restore(adamBackup);
            rng.setState(rngBackup);
            updatesSkipped++;
            return new UpdateReport(version, false, skipReason, n, (System.nanoTime() - start) / 1e6,
                    Map.of("skipped_updates", (double) updatesSkipped));
        }
        ActorCritic.discard(paramBackup);
        adamBackup.close();

        // 3. the update applies: new version, statistics absorb the batch
        version++;
        updatesApplied++;
        envStepsTrained += real;
        if (ppo.normalizeObservations()) {
            obsRms.update(batch.rawObs, n);
            refreshNormalizer();
        }
        if (batch.rewardScaling != null) {
            rewardScaler.commit(batch.rewardScaling);
        }
        snapshotCreatedAtMicros = nowMicros();
        snapshot = null;

        Map<String, Double> stats = new LinkedHashMap<>();
        averages.putInto(stats);
        stats.put("learning_rate", (double) lr);
        stats.put("explained_variance", batch.explainedVariance());
        stats.put("mean_reward", batch.rawRewardSum / n);
        stats.put("real_env_steps", (double) real);
        stats.put("prepare_ms", prepareMillis);
        stats.put("epochs", (double) epochsRun);
        stats.put("minibatch_steps", (double) averages.count());
        stats.put("stopped_early", stoppedEarly ? 1.0 : 0.0);
        stats.put("skipped_updates", (double) updatesSkipped);
        stats.put("samples", (double) n);
        if (batch.weights != null) {
            // How much of the mirrored (or otherwise re-drawn) data trained: 1 for a symmetric policy.
            stats.put("behaviour_weight_mean", batch.behaviourWeightMean);
        }
        double millis = (System.nanoTime() - start) / 1e6;
        // In metrics.jsonl's update rows: the figure a step budget is sized from (prepare, epochs, statistics).
        stats.put("update_ms", millis);
        return new UpdateReport(version, true, "", n, millis, stats);
    }

    /**
     * One gradient step: loss and gradients, then (unless the loss is not finite or the KL stop triggers)
     * the global-norm clip and an Adam step.
     */
    private PpoLoss minibatchStep(NDManager sub, Minibatch m, float lr, int minibatchIndex) {
        NDArray[] grads = new NDArray[net.params.length];
        PpoLoss loss = PpoLoss.backward(sub, net, m, ppo, minibatchIndex == nanInjectionMinibatch, grads);
        if (!loss.finite()) {
            return loss; // the caller rolls back; gradients die with the replaced parameter arrays
        }
        if (ppo.targetKl() > 0 && loss.approxKl() > 1.5 * ppo.targetKl()) {
            for (NDArray g : grads) {
                g.subi(g);
            }
            return loss.stopped();
        }
        float scale = (float) Math.min(1.0, ppo.maxGradNorm() / (loss.gradNorm() + 1e-6));
        adam.step(net.params, grads, lr, scale);
        return loss;
    }

    /** Gathers chunks, scales rewards, normalises observations, evaluates the critic and runs GAE. */
    PpoBatch prepare(List<ScoredChunk> chunks, int n) {
        return PpoBatch.prepare(chunks, n, obsSize, actionFloats, this::normalize,
                ppo.normalizeRewards() ? rewardScaler : null, this::criticValues, ppo);
    }

    // ------------------------------------------------------------------ evaluation helpers

    private float[] normalize(float[] raw, int rows) {
        float[] norm = new float[rows * obsSize];
        PolicyInference.normalize(raw, 0, norm, 0, rows, obsMean, obsStd, normalizedMask);
        return norm;
    }

    /** Critic values of {@code n} already-normalised observations. */
    private float[] criticValues(float[] normObs, int n) {
        try (NDManager sub = manager.newSubManager()) {
            NDArray x = Arrays64.create(sub, normObs, new Shape(n, obsSize));
            return net.criticValues(x, net.detached(sub)).toFloatArray();
        }
    }

    /** Actor outputs (the head's output width per row) for {@code n} raw observations, computed by DJL. */
    public float[] policyOutputs(float[] rawObs, int n) {
        try (NDManager sub = manager.newSubManager()) {
            NDArray x = Arrays64.create(sub, normalize(rawObs, n), new Shape(n, obsSize));
            return net.actorOutputs(x, net.detached(sub)).toFloatArray();
        }
    }

    /** Log-probabilities of {@code actions} for {@code n} raw observations, computed by DJL as in training. */
    public float[] logProbs(float[] rawObs, float[] actions, int n) {
        try (NDManager sub = manager.newSubManager()) {
            NDArray[] detached = net.detached(sub);
            NDArray x = Arrays64.create(sub, normalize(rawObs, n), new Shape(n, obsSize));
            NDArray out = net.actorOutputs(x, detached);
            int width = head.stagedActionWidth(spec.actionSize());
            ByteBuffer staged = Arrays64.allocate(n * width);
            for (int i = 0; i < n; i++) {
                head.stageAction(actions, i * actionFloats, spec.actionSize(), staged);
            }
            staged.flip();
            NDArray a = sub.create(staged, new Shape(n, width), ai.djl.ndarray.types.DataType.FLOAT32);
            return head.distribution(sub, out, net.actorTail(detached), spec).logProb(a).toFloatArray();
        }
    }

    /** Critic values for {@code n} raw observations. */
    public float[] values(float[] rawObs, int n) {
        return criticValues(normalize(rawObs, n), n);
    }

    /**
     * The element ranges of {@code pooled-normalization-fields}; each name must be a normalised box field of the
     * policy's observation, so a misspelt or unsuitable field stops start-up instead of being ignored.
     */
    private static int[][] pooledRanges(PpoSettings ppo, PolicySpec spec) {
        List<String> names = ppo.pooledNormalizationFields();
        int[][] ranges = new int[names.size()][];
        for (int k = 0; k < names.size(); k++) {
            String name = names.get(k);
            int off = 0;
            for (ObservationField f : spec.fields()) {
                if (f.name().equals(name)) {
                    if (f.kind() != ObservationField.Kind.BOX || !f.normalize() || !ppo.normalizeObservations()) {
                        throw new SettingsException(PpoSettings.PATH + ".pooled-normalization-fields", names,
                                "field " + name + " is not normalised (it must be a box field with normalize on, and "
                                        + "normalize-observations must be true)");
                    }
                    ranges[k] = new int[] {off, off + f.size()};
                }
                off += f.size();
            }
            if (ranges[k] == null) {
                throw new SettingsException(PpoSettings.PATH + ".pooled-normalization-fields", names,
                        "no observation field named " + name + "; the fields are "
                                + spec.fields().stream().map(ObservationField::name).toList());
            }
        }
        return ranges;
    }

    private void refreshNormalizer() {
        if (ppo.normalizeObservations()) {
            obsMean = obsRms.meanAsFloats();
            obsVar = obsRms.varAsFloats();
            for (int[] range : pooledRanges) {
                RunningMeanStd.poolInPlace(obsMean, obsVar, range[0], range[1]);
            }
        } else {
            obsMean = new float[obsSize];
            obsVar = new float[obsSize];
            Arrays.fill(obsVar, 1f);
        }
        obsStd = PolicyInference.normalizerStd(obsVar);
    }

    @Override
    public PolicySnapshot snapshot() {
        if (snapshot == null) {
            snapshot = new PolicySnapshot(runId, version, algorithm(), spec, net.actorFlat(), obsMean.clone(),
                    obsVar.clone(), snapshotCreatedAtMicros);
        }
        return snapshot;
    }

    // ------------------------------------------------------------------ checkpoints

    /** Writes {@value #CHECKPOINT_FILE} (see {@link PpoCheckpoint}). */
    @Override
    public void save(Path dir) throws IOException {
        PpoCheckpoint.write(dir, algorithm(), spec, new PpoCheckpoint.Counters(version, envStepsTrained, updatesApplied,
                        updatesSkipped, snapshotCreatedAtMicros, rng.state()), obsRms, ppo.pooledNormalizationFields(), rewardScaler,
                net.actorFlat(),
                net.criticFlat(), adam);
    }

    /**
     * Reads {@value #CHECKPOINT_FILE}. The CRC and the architecture are checked and everything is parsed
     * before any state changes, so a bad file leaves the learner as it was. The buffer is cleared.
     */
    @Override
    public void restore(Path dir) throws IOException {
        PpoCheckpoint.Restored r = PpoCheckpoint.read(dir, algorithm(), spec, ppo.pooledNormalizationFields(),
                net.actor.parameterCount(), net.critic.parameterCount(), adam);
        net.load(r.actor(), r.critic());
        adam.apply(r.adam());
        PpoCheckpoint.Counters c = r.counters();
        version = c.version();
        envStepsTrained = c.envStepsTrained();
        updatesApplied = c.updatesApplied();
        updatesSkipped = c.updatesSkipped();
        snapshotCreatedAtMicros = c.snapshotCreatedAtMicros();
        rng.setState(c.rngState());
        obsRms = r.obsRms();
        rewardScaler.commit(r.rewardScaling());
        refreshNormalizer();
        buffer = new ArrayList<>();
        bufferedSteps = 0;
        bufferedRealSteps = 0;
        snapshot = null;
    }

    @Override
    public void close() {
        adam.close();
        manager.close();
    }

    private static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }
}
