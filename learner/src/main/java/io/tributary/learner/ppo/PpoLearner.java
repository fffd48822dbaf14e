package io.tributary.learner.ppo;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.tributary.config.SettingsException;
import io.tributary.learner.Learner;
import io.tributary.learner.LearnerSettings;
import io.tributary.learner.MlpLayout;
import io.tributary.learner.PolicyInference;
import io.tributary.learner.PolicySnapshot;
import io.tributary.learner.PolicySpec;
import io.tributary.learner.RunningMeanStd;
import io.tributary.learner.SplitMix64;
import io.tributary.learner.UpdateReport;
import io.tributary.learner.nn.Adam;
import io.tributary.learner.nn.Arrays64;
import io.tributary.learner.nn.Checkpoints;
import io.tributary.learner.nn.DjlMlp;
import io.tributary.learner.nn.Initializers;
import io.tributary.rewards.ScoredChunk;
import io.tributary.simulator.rollout.TrajectoryChunk;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Proximal policy optimisation (Schulman et al. 2017) on DJL's PyTorch engine, in the CleanRL/SB3 form:
 * separate tanh MLP actor and critic, GAE(gamma, lambda) per chunk, advantages normalised per minibatch,
 * clipped surrogate, optionally clipped value loss, entropy bonus, one global gradient-norm clip over
 * both networks, Adam, {@code epochs} passes of shuffled minibatches, optional linear learning-rate
 * annealing and an optional target-KL stop.
 *
 * <p><b>Data.</b> {@link #accept} buffers scored chunks (their {@link ScoredChunk#rewards()} are trained
 * on; their actions must be the unclipped ones {@link PolicyInference#act} returned). An update
 * consumes the whole buffer. Observations are normalised with the statistics of the <em>current</em>
 * snapshot, the ones its actions were chosen with, so on-policy data starts at ratio 1; after an applied
 * update the running statistics absorb the batch's raw observations and are published with the new
 * weights.
 *
 * <p><b>Details.</b> Initialisation is orthogonal (gain sqrt 2 for hidden layers, 0.01 for the policy
 * output, 1 for the value output), zero biases, logStd 0. Minibatch advantages are normalised with the
 * unbiased std (as CleanRL); a one-sample tail joins the last minibatch. The target-KL stop is SB3's:
 * a minibatch whose approximate KL exceeds 1.5 x {@code target-kl} is not applied and ends the update.
 * Reward scaling (off by default) divides by the running std of the discounted return kept per
 * environment stream (env name, worker incarnation, env index), resets it at episode ends, and clips the
 * result to +-10, as SB3's {@code VecNormalize}. Annealing uses the env steps of applied updates.
 *
 * <p><b>Skipped updates.</b> If a minibatch's loss or gradient norm is not finite, the update is abandoned:
 * weights, Adam state and RNG are put back as they were before the update, normaliser and reward-scaling
 * statistics are left untouched, the version stays, the buffered data are dropped, and the report says
 * why ({@link #updatesSkipped()} counts them).
 *
 * <p><b>DJL notes.</b> Constants inside the autograd graph are scalar arrays owned by the minibatch's
 * sub-manager, never {@code Number} arguments (see {@code minibatchStep}); arrays built from Java data use
 * 64-byte aligned memory ({@link Arrays64}), which makes updates bit-for-bit reproducible.
 *
 * <p><b>Checkpoints.</b> {@link #save} writes one file, {@value #CHECKPOINT_FILE}, with a CRC; the buffer
 * is not part of it (resume replays from the checkpoint's offsets).
 *
 * <p>Single-threaded, like every {@link Learner}. DJL allows one gradient collector at a time per JVM,
 * so learners in one process must not update concurrently.
 */
public final class PpoLearner implements Learner {
    /** Name of the checkpoint file in a save directory. */
    public static final String CHECKPOINT_FILE = "ppo-learner.bin";

    private static final int MAGIC = 0x54505031; // "TPP1"
    private static final int FORMAT_VERSION = 1;
    private static final float LOG_2PI = (float) Math.log(2.0 * Math.PI);
    private static final float ADAM_BETA1 = 0.9f;
    private static final float ADAM_BETA2 = 0.999f;
    private static final float ADAM_EPSILON = 1e-5f;
    private static final double HIDDEN_GAIN = Math.sqrt(2.0);
    private static final double POLICY_GAIN = 0.01;
    private static final double VALUE_GAIN = 1.0;
    private static final float REWARD_CLIP = 10f;

    private final PpoSettings ppo;
    private final PolicySpec spec;
    private final String runId;
    private final Device device;
    private final NDManager manager;
    private final MlpLayout actorLayout;
    private final MlpLayout criticLayout;
    private final boolean gaussian;
    private final int obsSize;
    private final int actionSize;
    private final int actionFloats;
    /** Actor arrays (W, b per layer, then logStd if Gaussian) followed by critic arrays (W, b per layer). */
    private final NDArray[] params;
    private final int actorArrays;
    private final Adam adam;
    private final SplitMix64 rng;

    private RunningMeanStd obsRms;
    private RunningMeanStd returnRms;
    private Map<String, Double> runningReturns = new HashMap<>();
    private float[] obsMean;
    private float[] obsVar;
    private float[] obsStd;

    private List<ScoredChunk> buffer = new ArrayList<>();
    private int bufferedSteps;

    private long version;
    private long envStepsTrained;
    private long updatesApplied;
    private long updatesSkipped;
    private long snapshotCreatedAtMicros;
    private PolicySnapshot snapshot;

    /** Minibatch staging buffers (direct, native order: DJL wraps them without copying). */
    private final ByteBuffer stageObs;
    private final ByteBuffer stageActions;
    private final ByteBuffer stageOldLogp;
    private final ByteBuffer stageAdv;
    private final ByteBuffer stageReturns;
    private final ByteBuffer stageOldValues;
    private final int stageRows;

    /** Test hook: global minibatch index at which the loss is made NaN, -1 for never. */
    int nanInjectionMinibatch = -1;

    /**
     * @param settings learner settings (device, seed)
     * @param ppo      PPO hyper-parameters
     * @param spec     actor architecture; the critic uses {@code ppo.hiddenSizes()}
     * @param runId    run the snapshots belong to
     */
    public PpoLearner(LearnerSettings settings, PpoSettings ppo, PolicySpec spec, String runId) {
        this.ppo = ppo;
        this.spec = spec;
        this.runId = runId;
        this.device = resolveDevice(settings.device());
        this.gaussian = spec.head() == PolicySpec.Head.GAUSSIAN;
        this.obsSize = spec.observationSize();
        this.actionSize = spec.actionSize();
        this.actionFloats = spec.actionFloats();
        this.actorLayout = PolicyInference.layoutOf(spec);
        this.criticLayout = new MlpLayout(obsSize, ppo.hiddenSizes(), 1);
        this.rng = new SplitMix64(settings.seed());
        this.obsRms = new RunningMeanStd(obsSize);
        this.returnRms = new RunningMeanStd(1);
        refreshNormalizer();

        this.manager = NDManager.newBaseManager(device);
        this.actorArrays = 2 * actorLayout.layers() + (gaussian ? 1 : 0);
        this.params = new NDArray[actorArrays + 2 * criticLayout.layers()];
        float[] actor = Initializers.mlp(actorLayout, HIDDEN_GAIN, POLICY_GAIN, rng);
        float[] critic = Initializers.mlp(criticLayout, HIDDEN_GAIN, VALUE_GAIN, rng);
        loadParameters(actor, gaussian ? new float[actionSize] : new float[0], critic);
        this.adam = new Adam(manager, params, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON);

        this.stageRows = ppo.minibatchSize() + 1;
        this.stageObs = direct(stageRows * obsSize);
        this.stageActions = direct(stageRows * actionSize);
        this.stageOldLogp = direct(stageRows);
        this.stageAdv = direct(stageRows);
        this.stageReturns = direct(stageRows);
        this.stageOldValues = direct(stageRows);
        this.snapshotCreatedAtMicros = nowMicros();
    }

    private static Device resolveDevice(String setting) {
        Engine engine = Engine.getInstance();
        int gpus = engine.getGpuCount();
        switch (setting) {
            case "cpu":
                return Device.cpu();
            case "gpu":
                if (gpus == 0) {
                    throw new SettingsException(LearnerSettings.PATH + ".device", setting,
                            "needs a GPU, but the " + engine.getEngineName() + " " + engine.getVersion()
                                    + " engine sees none (CPU-only natives or no CUDA device); use auto or cpu");
                }
                return Device.gpu();
            case "auto":
                return gpus > 0 ? Device.gpu() : Device.cpu();
            default:
                throw new SettingsException(LearnerSettings.PATH + ".device", setting, "must be one of auto | cpu | gpu");
        }
    }

    /** Where the tensors live and on which engine, e.g. {@code cpu() on PyTorch 2.7.1 (intra-op threads: 1)}. */
    @Override
    public String deviceDescription() {
        Engine engine = Engine.getInstance();
        String threads = System.getProperty("ai.djl.pytorch.num_threads", "engine default");
        return device + " on " + engine.getEngineName() + " " + engine.getVersion() + " (intra-op threads: " + threads
                + ", GPUs visible: " + engine.getGpuCount() + ")";
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

    /** Steps held for the next update. */
    public int bufferedSteps() {
        return bufferedSteps;
    }

    /** Env steps that went into applied updates (drives learning-rate annealing). */
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
    public void accept(ScoredChunk scored) {
        TrajectoryChunk c = scored.chunk();
        if (c.observationSize() != obsSize || c.actionSize() != actionFloats) {
            throw new IllegalArgumentException("chunk shape does not fit the policy: observationSize=" + c.observationSize()
                    + ", expected=" + obsSize + ", actionSize=" + c.actionSize() + ", expected=" + actionFloats
                    + ", chunk=" + c.id());
        }
        if (c.segmentOffsets().length > 0) {
            throw new IllegalArgumentException("PPO does not train on segmented (grouped) chunks: segments="
                    + c.segmentCount() + ", chunk=" + c.id());
        }
        if (!gaussian) {
            for (int t = 0; t < c.steps(); t++) {
                float a = c.actions()[t];
                if (!(a >= 0 && a < actionSize && a == (int) a)) {
                    throw new IllegalArgumentException("actionIndex out of range: actionIndex=" + a + ", actionCount="
                            + actionSize + ", step=" + t + ", chunk=" + c.id());
                }
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
        return bufferedSteps >= ppo.batchSteps();
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

    /** A batch ready for the optimisation loop. */
    static final class Batch {
        int n;
        float[] rawObs;
        float[] obs;
        float[] actions;
        float[] oldLogp;
        float[] rewards;
        float[] values;
        float[] advantages;
        float[] returns;
        double rawRewardSum;
        RunningMeanStd newReturnRms;
        Map<String, Double> newRunningReturns;
    }

    @Override
    public UpdateReport update() {
        long start = System.nanoTime();
        List<ScoredChunk> chunks = buffer;
        int n = bufferedSteps;
        buffer = new ArrayList<>();
        bufferedSteps = 0;
        if (n < 2) {
            // Per-minibatch advantage normalisation needs two samples; one lone step is dropped.
            return new UpdateReport(version, false, "too few buffered steps: steps=" + n + ", min=2", n, 0.0, Map.of());
        }
        Batch batch = prepare(chunks, n);
        double prepareMillis = (System.nanoTime() - start) / 1e6;

        Adam.State adamBackup = adam.backup();
        NDArray[] paramBackup = backupParameters();
        long rngBackup = rng.state();
        float lr = (float) currentLearningRate();

        int mb = ppo.minibatchSize();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        int fullMinibatches = Math.max(1, n / mb);
        // A tail of one sample cannot be normalised on its own: it joins the last full minibatch.
        int tail = n - fullMinibatches * mb;
        int minibatchesPerEpoch = fullMinibatches + (tail >= 2 ? 1 : 0);

        double[] sums = new double[7];
        int measured = 0;
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
                float[] s;
                try (NDManager sub = manager.newSubManager()) {
                    s = minibatchStep(sub, batch, perm, from, to, lr, minibatchIndex);
                }
                minibatchIndex++;
                float loss = s[0];
                float gradNorm = (float) Math.sqrt(s[6]);
                if (!Float.isFinite(loss) || !Float.isFinite(gradNorm)) {
                    skipReason = "non-finite " + (!Float.isFinite(loss) ? "loss" : "gradient norm") + ": loss=" + loss
                            + ", gradNorm=" + gradNorm + ", epoch=" + epoch + ", minibatch=" + k;
                    break outer;
                }
                sums[0] += loss;
                sums[1] += s[1];
                sums[2] += s[2];
                sums[3] += s[3];
                sums[4] += s[4];
                sums[5] += s[5];
                sums[6] += gradNorm;
                measured++;
                if (s[7] > 0f) {
                    stoppedEarly = true;
                    break outer;
                }
            }
        }

        double millis = (System.nanoTime() - start) / 1e6;
        if (skipReason != null) {
            restoreParameters(paramBackup);
            adam.restore(adamBackup);
            rng.setState(rngBackup);
            updatesSkipped++;
            return new UpdateReport(version, false, skipReason, n, millis, Map.of("skipped_updates", (double) updatesSkipped));
        }
        closeAll(paramBackup);
        adamBackup.close();

        version++;
        updatesApplied++;
        envStepsTrained += n;
        if (ppo.normalizeObservations()) {
            obsRms.update(batch.rawObs, n);
            refreshNormalizer();
        }
        if (ppo.normalizeRewards()) {
            returnRms = batch.newReturnRms;
            runningReturns = batch.newRunningReturns;
        }
        snapshotCreatedAtMicros = nowMicros();
        snapshot = null;

        Map<String, Double> stats = new LinkedHashMap<>();
        double d = Math.max(1, measured);
        stats.put("loss", sums[0] / d);
        stats.put("policy_loss", sums[1] / d);
        stats.put("value_loss", sums[2] / d);
        stats.put("entropy", sums[3] / d);
        stats.put("approx_kl", sums[4] / d);
        stats.put("clip_fraction", sums[5] / d);
        stats.put("grad_norm", sums[6] / d);
        stats.put("learning_rate", (double) lr);
        stats.put("explained_variance", explainedVariance(batch));
        stats.put("mean_reward", batch.rawRewardSum / n);
        stats.put("prepare_ms", prepareMillis);
        stats.put("epochs", (double) epochsRun);
        stats.put("minibatch_steps", (double) measured);
        stats.put("stopped_early", stoppedEarly ? 1.0 : 0.0);
        stats.put("skipped_updates", (double) updatesSkipped);
        millis = (System.nanoTime() - start) / 1e6;
        return new UpdateReport(version, true, "", n, millis, stats);
    }

    /**
     * One gradient step on samples {@code perm[from..to)}. Returns {loss, policy loss, value loss,
     * entropy, approx KL, clip fraction, squared gradient norm, stopped-by-KL flag}; when the loss or
     * gradient is not finite, or the KL stop triggers, no step is taken.
     */
    private float[] minibatchStep(NDManager sub, Batch batch, int[] perm, int from, int to, float lr, int minibatchIndex) {
        int b = to - from;
        stageObs.clear();
        stageActions.clear();
        stageOldLogp.clear();
        stageAdv.clear();
        stageReturns.clear();
        stageOldValues.clear();
        double advMean = 0;
        for (int i = from; i < to; i++) {
            advMean += batch.advantages[perm[i]];
        }
        advMean /= b;
        double advVar = 0;
        for (int i = from; i < to; i++) {
            double dlt = batch.advantages[perm[i]] - advMean;
            advVar += dlt * dlt;
        }
        // Unbiased std, as torch.Tensor.std() in CleanRL.
        double advStd = Math.sqrt(advVar / (b - 1));
        for (int i = from; i < to; i++) {
            int idx = perm[i];
            for (int j = 0; j < obsSize; j++) {
                stageObs.putFloat(batch.obs[idx * obsSize + j]);
            }
            if (gaussian) {
                for (int j = 0; j < actionSize; j++) {
                    stageActions.putFloat(batch.actions[idx * actionSize + j]);
                }
            } else {
                int a = (int) batch.actions[idx];
                for (int j = 0; j < actionSize; j++) {
                    stageActions.putFloat(j == a ? 1f : 0f);
                }
            }
            stageOldLogp.putFloat(batch.oldLogp[idx]);
            stageAdv.putFloat((float) ((batch.advantages[idx] - advMean) / (advStd + 1e-8)));
            stageReturns.putFloat(batch.returns[idx]);
            stageOldValues.putFloat(batch.values[idx]);
        }
        NDArray obs = upload(sub, stageObs, new Shape(b, obsSize));
        NDArray act = upload(sub, stageActions, new Shape(b, actionSize));
        NDArray oldLogp = upload(sub, stageOldLogp, new Shape(b));
        NDArray adv = upload(sub, stageAdv, new Shape(b));
        NDArray ret = upload(sub, stageReturns, new Shape(b));
        NDArray oldV = upload(sub, stageOldValues, new Shape(b));

        float clip = (float) ppo.clip();
        // Constants are arrays owned by the sub-manager, never Number arguments: DJL's PyTorch engine turns
        // a Number into a scalar tensor over a Java direct buffer and closes it right after the op, but
        // autograd keeps that tensor for backward (mul, clamp), so backward could read freed memory.
        NDArray lo = scalar(sub, 1f - clip);
        NDArray hi = scalar(sub, 1f + clip);
        NDArray half = scalar(sub, 0.5f);
        NDArray entCoef = scalar(sub, (float) ppo.entropyCoef());
        NDArray vfCoef = scalar(sub, (float) ppo.valueCoef());
        NDArray loss;
        NDArray pgLoss;
        NDArray vLoss;
        NDArray entropy;
        NDArray approxKl;
        NDArray clipFrac;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray out = DjlMlp.forward(obs, params, 0, actorLayout);
            NDArray newLogp;
            if (gaussian) {
                NDArray logStd = params[actorArrays - 1];
                NDArray logStdSum = inScope(logStd.sum(), sub);
                NDArray invStd = inScope(logStd.neg(), sub).exp();
                NDArray z = act.sub(out).mul(invStd);
                newLogp = z.square().sum(new int[] {1}).mul(half).add(logStdSum)
                        .add(scalar(sub, 0.5f * LOG_2PI * actionSize)).neg();
                entropy = logStdSum.add(scalar(sub, actionSize * (0.5f + 0.5f * LOG_2PI)));
            } else {
                NDArray logp = out.logSoftmax(1);
                newLogp = logp.mul(act).sum(new int[] {1});
                entropy = logp.exp().mul(logp).sum(new int[] {1}).mean().neg();
            }
            NDArray logRatio = newLogp.sub(oldLogp);
            NDArray ratio = logRatio.exp();
            NDArray surr1 = ratio.mul(adv);
            NDArray surr2 = ratio.maximum(lo).minimum(hi).mul(adv);
            pgLoss = surr1.minimum(surr2).mean().neg();

            NDArray v = DjlMlp.forward(obs, params, actorArrays, criticLayout).reshape(b);
            NDArray err = v.sub(ret).square();
            if (ppo.valueClip() > 0) {
                NDArray vcLo = scalar(sub, (float) -ppo.valueClip());
                NDArray vcHi = scalar(sub, (float) ppo.valueClip());
                NDArray vClipped = oldV.add(v.sub(oldV).maximum(vcLo).minimum(vcHi));
                vLoss = err.maximum(vClipped.sub(ret).square()).mean().mul(half);
            } else {
                vLoss = err.mean().mul(half);
            }
            loss = pgLoss.sub(entropy.mul(entCoef)).add(vLoss.mul(vfCoef));
            if (minibatchIndex == nanInjectionMinibatch) {
                loss = loss.mul(scalar(sub, Float.NaN));
            }
            gc.backward(loss);
            NDArray ratioNoGrad = ratio.stopGradient();
            approxKl = ratioNoGrad.sub(1f).sub(logRatio.stopGradient()).mean();
            clipFrac = ratioNoGrad.sub(1f).abs().gt(clip).toType(DataType.FLOAT32, false).mean();
        }
        NDArray[] grads = new NDArray[params.length];
        NDArray sq = null;
        for (int i = 0; i < params.length; i++) {
            grads[i] = inScope(params[i].getGradient(), sub);
            NDArray g2 = grads[i].square().sum();
            sq = sq == null ? g2 : sq.add(g2);
        }
        float[] s = NDArrays.stack(new NDList(loss.stopGradient(), pgLoss.stopGradient(), vLoss.stopGradient(),
                entropy.stopGradient(), approxKl, clipFrac, sq)).toFloatArray();
        float[] r = Arrays.copyOf(s, 8);
        float gradNorm = (float) Math.sqrt(s[6]);
        if (!Float.isFinite(s[0]) || !Float.isFinite(gradNorm)) {
            return r; // the caller rolls back; gradients die with the replaced parameter arrays
        }
        if (ppo.targetKl() > 0 && s[4] > 1.5 * ppo.targetKl()) {
            for (NDArray g : grads) {
                g.subi(g);
            }
            r[7] = 1f;
            return r;
        }
        float scale = (float) Math.min(1.0, ppo.maxGradNorm() / (gradNorm + 1e-6));
        adam.step(params, grads, lr, scale);
        return r;
    }

    private static NDArray upload(NDManager sub, ByteBuffer stage, Shape shape) {
        stage.flip();
        return sub.create(stage, shape, DataType.FLOAT32);
    }

    /** A float scalar owned by {@code sub}, so it outlives the backward pass of the graph that uses it. */
    private static NDArray scalar(NDManager sub, float value) {
        return sub.create(value);
    }

    private static NDArray inScope(NDArray a, NDManager sub) {
        a.attach(sub);
        return a;
    }

    /** Gathers chunks, scales rewards, normalises observations, evaluates the critic and runs GAE. */
    Batch prepare(List<ScoredChunk> chunks, int n) {
        Batch b = new Batch();
        b.n = n;
        int k = chunks.size();
        b.rawObs = new float[n * obsSize];
        b.actions = new float[n * actionFloats];
        b.oldLogp = new float[n];
        b.rewards = new float[n];
        float[] bootRaw = new float[k * obsSize];
        int[] starts = new int[k];
        int pos = 0;
        for (int c = 0; c < k; c++) {
            ScoredChunk sc = chunks.get(c);
            TrajectoryChunk ch = sc.chunk();
            starts[c] = pos;
            int steps = ch.steps();
            System.arraycopy(ch.observations(), 0, b.rawObs, pos * obsSize, steps * obsSize);
            System.arraycopy(ch.actions(), 0, b.actions, pos * actionFloats, steps * actionFloats);
            System.arraycopy(ch.logProbs(), 0, b.oldLogp, pos, steps);
            System.arraycopy(sc.rewards(), 0, b.rewards, pos, steps);
            System.arraycopy(ch.bootstrapObservation(), 0, bootRaw, c * obsSize, obsSize);
            for (int t = 0; t < steps; t++) {
                b.rawRewardSum += sc.rewards()[t];
            }
            pos += steps;
        }
        if (ppo.normalizeRewards()) {
            scaleRewards(chunks, b);
        }
        b.obs = new float[n * obsSize];
        PolicyInference.normalize(b.rawObs, 0, b.obs, 0, n, obsMean, obsStd);
        float[] bootObs = new float[k * obsSize];
        PolicyInference.normalize(bootRaw, 0, bootObs, 0, k, obsMean, obsStd);

        float[] all = new float[(n + k) * obsSize];
        System.arraycopy(b.obs, 0, all, 0, b.obs.length);
        System.arraycopy(bootObs, 0, all, b.obs.length, bootObs.length);
        float[] v = criticValues(all, n + k);
        b.values = Arrays.copyOf(v, n);
        b.advantages = new float[n];
        b.returns = new float[n];
        double gamma = ppo.gamma();
        double lambda = ppo.gaeLambda();
        for (int c = 0; c < k; c++) {
            TrajectoryChunk ch = chunks.get(c).chunk();
            float next = Gae.nextValue(ch, v[n + c]);
            Gae.compute(b.rewards, b.values, starts[c], ch.steps(), next, gamma, lambda, b.advantages, b.returns);
        }
        return b;
    }

    /** SB3 VecNormalize reward scaling, per environment stream; the new state is committed only if the update applies. */
    private void scaleRewards(List<ScoredChunk> chunks, Batch b) {
        Map<String, Double> returns = new HashMap<>(runningReturns);
        float[] discounted = new float[b.n];
        int pos = 0;
        for (ScoredChunk sc : chunks) {
            TrajectoryChunk ch = sc.chunk();
            String key = ch.envName() + "/" + ch.id().workerIncarnation() + "/" + ch.envIndex();
            double ret = returns.getOrDefault(key, 0.0);
            for (int t = 0; t < ch.steps(); t++) {
                ret = ret * ppo.gamma() + sc.rewards()[t];
                discounted[pos + t] = (float) ret;
            }
            if (ch.endsEpisode()) {
                returns.remove(key);
            } else {
                returns.put(key, ret);
            }
            pos += ch.steps();
        }
        RunningMeanStd rms = returnRms.copy();
        rms.update(discounted, b.n);
        double scale = Math.sqrt(rms.var(0) + PolicyInference.VAR_EPSILON);
        for (int i = 0; i < b.n; i++) {
            double r = b.rewards[i] / scale;
            b.rewards[i] = (float) Math.max(-REWARD_CLIP, Math.min(REWARD_CLIP, r));
        }
        b.newReturnRms = rms;
        b.newRunningReturns = returns;
    }

    private static double explainedVariance(Batch b) {
        double meanR = 0;
        double meanD = 0;
        for (int i = 0; i < b.n; i++) {
            meanR += b.returns[i];
            meanD += b.returns[i] - b.values[i];
        }
        meanR /= b.n;
        meanD /= b.n;
        double varR = 0;
        double varD = 0;
        for (int i = 0; i < b.n; i++) {
            double r = b.returns[i] - meanR;
            double d = b.returns[i] - b.values[i] - meanD;
            varR += r * r;
            varD += d * d;
        }
        return varR == 0 ? Double.NaN : 1.0 - varD / varR;
    }

    // ------------------------------------------------------------------ evaluation helpers

    /** Critic values of {@code n} already-normalised observations. */
    private float[] criticValues(float[] normObs, int n) {
        try (NDManager sub = manager.newSubManager()) {
            NDArray[] detached = detachedParameters(sub);
            NDArray x = Arrays64.create(sub, normObs, new Shape(n, obsSize));
            return DjlMlp.forward(x, detached, actorArrays, criticLayout).toFloatArray();
        }
    }

    /** Actor outputs (logits or Gaussian means) for {@code n} raw observations, computed by DJL. */
    public float[] policyOutputs(float[] rawObs, int n) {
        float[] norm = new float[n * obsSize];
        PolicyInference.normalize(rawObs, 0, norm, 0, n, obsMean, obsStd);
        try (NDManager sub = manager.newSubManager()) {
            NDArray[] detached = detachedParameters(sub);
            NDArray x = Arrays64.create(sub, norm, new Shape(n, obsSize));
            return DjlMlp.forward(x, detached, 0, actorLayout).toFloatArray();
        }
    }

    /** Log-probabilities of {@code actions} for {@code n} raw observations, computed by DJL as in training. */
    public float[] logProbs(float[] rawObs, float[] actions, int n) {
        float[] norm = new float[n * obsSize];
        PolicyInference.normalize(rawObs, 0, norm, 0, n, obsMean, obsStd);
        try (NDManager sub = manager.newSubManager()) {
            NDArray[] detached = detachedParameters(sub);
            NDArray x = Arrays64.create(sub, norm, new Shape(n, obsSize));
            NDArray out = DjlMlp.forward(x, detached, 0, actorLayout);
            if (gaussian) {
                NDArray logStd = detached[actorArrays - 1];
                NDArray a = Arrays64.create(sub, actions, new Shape(n, actionSize));
                NDArray z = a.sub(out).mul(logStd.neg().exp());
                return z.square().sum(new int[] {1}).mul(-0.5f).sub(logStd.sum()).sub(0.5f * LOG_2PI * actionSize)
                        .toFloatArray();
            }
            float[] onehot = new float[n * actionSize];
            for (int i = 0; i < n; i++) {
                onehot[i * actionSize + (int) actions[i]] = 1f;
            }
            return out.logSoftmax(1).mul(Arrays64.create(sub, onehot, new Shape(n, actionSize))).sum(new int[] {1}).toFloatArray();
        }
    }

    /** Critic values for {@code n} raw observations. */
    public float[] values(float[] rawObs, int n) {
        float[] norm = new float[n * obsSize];
        PolicyInference.normalize(rawObs, 0, norm, 0, n, obsMean, obsStd);
        return criticValues(norm, n);
    }

    private NDArray[] detachedParameters(NDManager sub) {
        NDArray[] d = new NDArray[params.length];
        for (int i = 0; i < params.length; i++) {
            d[i] = inScope(params[i].stopGradient(), sub);
        }
        return d;
    }

    // ------------------------------------------------------------------ parameters

    private void loadParameters(float[] actor, float[] logStd, float[] critic) {
        NDArray[] fresh = new NDArray[params.length];
        DjlMlp.create(manager, actorLayout, actor, 0, fresh, 0);
        if (gaussian) {
            fresh[actorArrays - 1] = DjlMlp.leaf(manager, logStd, new Shape(actionSize));
        }
        DjlMlp.create(manager, criticLayout, critic, 0, fresh, actorArrays);
        for (int i = 0; i < params.length; i++) {
            if (params[i] != null) {
                params[i].close();
            }
            params[i] = fresh[i];
        }
    }

    private NDArray[] backupParameters() {
        NDArray[] copies = new NDArray[params.length];
        for (int i = 0; i < params.length; i++) {
            try (NDArray detached = params[i].stopGradient()) {
                copies[i] = detached.duplicate();
            }
        }
        return copies;
    }

    private void restoreParameters(NDArray[] copies) {
        for (int i = 0; i < params.length; i++) {
            params[i].close();
            params[i] = copies[i];
            params[i].setRequiresGradient(true);
        }
    }

    private static void closeAll(NDArray[] arrays) {
        for (NDArray a : arrays) {
            a.close();
        }
    }

    private void refreshNormalizer() {
        if (ppo.normalizeObservations()) {
            obsMean = obsRms.meanAsFloats();
            obsVar = obsRms.varAsFloats();
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
            float[] flat = DjlMlp.flatten(params, 0, actorArrays);
            snapshot = new PolicySnapshot(runId, version, algorithm(), spec, flat, obsMean.clone(), obsVar.clone(),
                    snapshotCreatedAtMicros);
        }
        return snapshot;
    }

    // ------------------------------------------------------------------ checkpoints

    /**
     * Writes {@value #CHECKPOINT_FILE}: a big-endian {@code DataOutputStream} body (magic, format, algorithm,
     * architecture, counters, RNG, normaliser states, actor, logStd, critic, Adam step and moments) followed
     * by the CRC-32 of the body as a long.
     */
    @Override
    public void save(Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeUTF(algorithm());
            out.writeInt(obsSize);
            out.writeUTF(spec.head().name());
            out.writeInt(actionSize);
            Checkpoints.writeInts(out, spec.hiddenSizes());
            Checkpoints.writeInts(out, ppo.hiddenSizes());
            out.writeLong(version);
            out.writeLong(envStepsTrained);
            out.writeLong(updatesApplied);
            out.writeLong(updatesSkipped);
            out.writeLong(snapshotCreatedAtMicros);
            out.writeLong(rng.state());
            obsRms.write(out);
            returnRms.write(out);
            List<String> keys = new ArrayList<>(runningReturns.keySet());
            keys.sort(String::compareTo);
            out.writeInt(keys.size());
            for (String key : keys) {
                out.writeUTF(key);
                out.writeDouble(runningReturns.get(key));
            }
            Checkpoints.writeFloats(out, DjlMlp.flatten(params, 0, 2 * actorLayout.layers()));
            Checkpoints.writeFloats(out, gaussian ? params[actorArrays - 1].toFloatArray() : new float[0]);
            Checkpoints.writeFloats(out, DjlMlp.flatten(params, actorArrays, 2 * criticLayout.layers()));
            adam.write(out);
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
        }
        Files.write(dir.resolve(CHECKPOINT_FILE), bytes.toByteArray());
    }

    /**
     * Reads {@value #CHECKPOINT_FILE}. The CRC and the architecture are checked and everything is parsed
     * before any state changes, so a bad file leaves the learner as it was. The buffer is cleared.
     */
    @Override
    public void restore(Path dir) throws IOException {
        Path file = dir.resolve(CHECKPOINT_FILE);
        byte[] all = Files.readAllBytes(file);
        expect(all.length > 8, "checkpoint too short: file=" + file + ", bytes=" + all.length);
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        long stored = ByteBuffer.wrap(all, all.length - 8, 8).getLong();
        expect(stored == crc.getValue(), "checkpoint CRC mismatch: file=" + file + ", stored=" + stored + ", computed=" + crc.getValue());
        ByteArrayInputStream body = new ByteArrayInputStream(all, 0, all.length - 8);
        DataInputStream in = new DataInputStream(body);
        expect(in.readInt() == MAGIC, "not a PPO learner checkpoint: file=" + file);
        int format = in.readInt();
        expect(format == FORMAT_VERSION, "unsupported checkpoint format: format=" + format + ", supported=" + FORMAT_VERSION);
        String alg = in.readUTF();
        expect(alg.equals(algorithm()), "checkpoint algorithm mismatch: stored=" + alg + ", expected=" + algorithm());
        int os = in.readInt();
        String head = in.readUTF();
        int as = in.readInt();
        int[] actorHidden = Checkpoints.readInts(in, 64, "actorHidden");
        int[] criticHidden = Checkpoints.readInts(in, 64, "criticHidden");
        expect(os == obsSize && head.equals(spec.head().name()) && as == actionSize
                        && Arrays.equals(actorHidden, spec.hiddenSizes()) && Arrays.equals(criticHidden, ppo.hiddenSizes()),
                "checkpoint architecture mismatch: stored=(observationSize=" + os + ", head=" + head + ", actionSize=" + as
                        + ", actorHidden=" + Arrays.toString(actorHidden) + ", criticHidden=" + Arrays.toString(criticHidden)
                        + "), expected=(observationSize=" + obsSize + ", head=" + spec.head() + ", actionSize=" + actionSize
                        + ", actorHidden=" + Arrays.toString(spec.hiddenSizes()) + ", criticHidden="
                        + Arrays.toString(ppo.hiddenSizes()) + ")");
        long ver = in.readLong();
        long steps = in.readLong();
        long applied = in.readLong();
        long skipped = in.readLong();
        long created = in.readLong();
        long rngState = in.readLong();
        RunningMeanStd oRms = new RunningMeanStd(obsSize);
        oRms.read(in);
        RunningMeanStd rRms = new RunningMeanStd(1);
        rRms.read(in);
        int entries = in.readInt();
        expect(entries >= 0 && entries <= all.length, "bad running-return count: count=" + entries);
        Map<String, Double> returns = new HashMap<>();
        for (int i = 0; i < entries; i++) {
            String key = in.readUTF();
            returns.put(key, in.readDouble());
        }
        float[] actor = Checkpoints.readFloats(in, actorLayout.parameterCount(), "actor");
        float[] logStd = Checkpoints.readFloats(in, gaussian ? actionSize : 0, "logStd");
        float[] critic = Checkpoints.readFloats(in, criticLayout.parameterCount(), "critic");
        Adam.Staged optimiser = adam.readStaged(in);
        expect(body.available() == 0, "trailing bytes in checkpoint: bytes=" + body.available());

        loadParameters(actor, logStd, critic);
        adam.apply(optimiser);
        version = ver;
        envStepsTrained = steps;
        updatesApplied = applied;
        updatesSkipped = skipped;
        snapshotCreatedAtMicros = created;
        rng.setState(rngState);
        obsRms = oRms;
        returnRms = rRms;
        runningReturns = returns;
        refreshNormalizer();
        buffer = new ArrayList<>();
        bufferedSteps = 0;
        snapshot = null;
    }

    private static void expect(boolean ok, String message) throws IOException {
        if (!ok) {
            throw new IOException(message);
        }
    }

    @Override
    public void close() {
        adam.close();
        manager.close();
    }

    private static ByteBuffer direct(int floats) {
        return Arrays64.allocate(floats);
    }

    private static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }
}
