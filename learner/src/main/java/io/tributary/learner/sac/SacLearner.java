package io.tributary.learner.sac;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.tributary.learner.ChunkChecks;
import io.tributary.learner.Learner;
import io.tributary.learner.LearnerSettings;
import io.tributary.learner.PolicyInference;
import io.tributary.learner.PolicyLayout;
import io.tributary.learner.PolicySnapshot;
import io.tributary.learner.PolicySpec;
import io.tributary.learner.UpdateReport;
import io.tributary.learner.heads.TanhGaussianHead;
import io.tributary.learner.nn.Adam;
import io.tributary.learner.nn.Arrays64;
import io.tributary.learner.nn.Devices;
import io.tributary.learner.nn.DjlMlp;
import io.tributary.learner.nn.DjlPolicyNetwork;
import io.tributary.learner.nn.Initializers;
import io.tributary.rewards.ScoredChunk;
import io.tributary.simulator.Environment;
import io.tributary.simulator.Environments;
import io.tributary.simulator.StepResult;
import io.tributary.simulator.data.OfflineDataset;
import io.tributary.simulator.model.StateValueOracle;
import io.tributary.simulator.random.SplitMix64;
import io.tributary.simulator.rollout.TrajectoryChunk;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Soft actor-critic with an N-critic ensemble and EDAC's diversity term: RAVL (Sims et al. 2024) when
 * {@code critics = 10, eta = 1}, base model-based SAC when {@code critics = 2, eta = 0}; the same code.
 *
 * <p><b>Data.</b> {@link #accept} appends every step of a scored chunk to the {@link ReplayBuffer} as
 * {@code (s, a, r, s', terminated, depth)} ({@code s'} is the next step's observation, or the chunk's
 * bootstrap observation at its last step; {@code r} is the reward model's). A truncated step bootstraps,
 * a terminated one does not. When an offline dataset is given, {@link SacSettings#realPerBatch()} of
 * every batch are dataset transitions (depth 0). Gradient steps are owed at
 * {@link SacSettings#updatesPerEnvStep()} per env step received; {@link #update()} runs
 * {@link SacSettings#gradientSteps()} of them once enough steps arrived (the production quota); while the
 * buffer holds less than one batch an update takes no gradient step but still makes a version (warm-up),
 * since rollout workers wait at their quota for one.
 *
 * <p><b>One gradient step</b> (the order of the reference code): (1) alpha: {@code log alpha} takes an
 * Adam step on {@code -(log alpha * (log pi(a|s) + target entropy)).mean()}; (2) actor: on
 * {@code mean(alpha log pi(a|s) - min_j Q_j(s, a))}, {@code a} reparameterised, critics frozen; (3)
 * critics: on {@code sum_j mean (Q_j(s, a) - y)^2 + eta L_div} with
 * {@code y = r + gamma (1 - d) [min_j Qbar_j(s', a') - alpha log pi(a'|s')]}, {@code a' ~ pi(.|s')} of the
 * updated actor; (4) soft target update with rate tau. No gradient clipping. The oracle patch replaces the
 * bracket with the true {@code V*(s')} at transitions whose depth equals the rollout length k
 * ({@link #targets}).
 *
 * <p><b>Divergence.</b> A critic loss or gradient that is not finite rolls the whole update back
 * (weights, targets, alpha, optimiser moments, RNG), records the failing gradient step as
 * {@link #divergedAtUpdate()} and stops the learner: every later update is skipped and
 * {@link #stopReason()} says why, so the learner role ends the run (the run's {@code stop_reason} and
 * the {@code diverged_at_update} statistic of every update row in {@code metrics.jsonl} carry it).
 *
 * <p><b>Statistics</b> every {@link SacSettings#probeEvery()} gradient steps, in float64: {@code q_max} =
 * max over the fixed probe states of {@code mean_j Q_j(s, tanh mu(s))} (probe states: evenly spaced
 * dataset states, or the first states received when there is no dataset), and the mean ensemble standard
 * deviation of {@code Q_j(s', tanh mu(s'))} over next states of non-terminal depth-k transitions
 * ({@code q_std_edge}) and of the other non-terminal transitions ({@code q_std_interior}); terminal next
 * states are never bootstrapped from, so they count in neither.
 *
 * <p><b>Policy.</b> The actor is the published policy: an MLP with the tanh-Gaussian head
 * ({@link TanhGaussianHead}); observations are not normalised (snapshot statistics 0 and 1, fields with
 * normalisation off), so rollout workers run it with {@code PolicyInference} unchanged, sampling.
 *
 * <p><b>Checkpoints</b> ({@link SacCheckpoint}) hold weights, targets, alpha, optimiser moments, counters,
 * RNG, probe states and the whole replay buffer. Single-threaded; one gradient collector at a time per JVM.
 */
public final class SacLearner implements Learner {
    /** Name of the checkpoint file in a save directory. */
    public static final String CHECKPOINT_FILE = SacCheckpoint.FILE;

    private static final float ADAM_BETA1 = 0.9f;
    private static final float ADAM_BETA2 = 0.999f;
    private static final float ADAM_EPSILON = 1e-8f;
    private static final int STD_SAMPLES = 1024;

    private final SacSettings sac;
    private final PolicySpec spec;
    private final PolicyLayout actorLayout;
    private final CriticEnsemble critics;
    private final String runId;
    private final long seed;
    private final Device device;
    private final NDManager manager;
    private final int obsSize;
    private final int actSize;
    private final double targetEntropy;
    private final OfflineDataset dataset;
    private final StateValueOracle oracle;
    private final float[] center;
    private final float[] halfRange;

    NDArray[] actor;
    NDArray[] critic;
    NDArray[] target;
    NDArray logAlpha;
    Adam adamActor;
    Adam adamCritic;
    Adam adamAlpha;
    final SplitMix64 rng;
    ReplayBuffer buffer;
    float[] probeStates;
    int probeCount;

    long version;
    long gradientSteps;
    long updatesApplied;
    long updatesSkipped;
    long envStepsReceived;
    long pendingEnvSteps;
    long divergedAtUpdate = -1;
    long snapshotCreatedAtMicros;
    private PolicySnapshot snapshot;

    /** Test hook: the critic loss of this gradient step (1-based) is made NaN; -1 = never. */
    long nanAtGradientStep = -1;

    /**
     * @param settings learner settings (device, seed)
     * @param sac      SAC hyper-parameters
     * @param spec     the actor: an MLP with a tanh-Gaussian head over the whole observation
     * @param runId    run the snapshots belong to
     * @param dataset  offline dataset mixed into batches at {@code real-ratio}, or null
     * @param oracle   exact state values for the oracle patch, or null
     */
    public SacLearner(LearnerSettings settings, SacSettings sac, PolicySpec spec, String runId, OfflineDataset dataset,
                      StateValueOracle oracle) {
        if (spec.head() != PolicySpec.Head.TANH_GAUSSIAN || spec.architecture() != PolicySpec.Architecture.MLP) {
            throw new IllegalArgumentException("SAC needs an MLP actor with a tanh-gaussian head: architecture="
                    + spec.architecture() + ", head=" + spec.head());
        }
        this.sac = sac;
        this.spec = spec;
        this.runId = runId;
        this.seed = settings.seed();
        this.obsSize = spec.observationSize();
        this.actSize = spec.actionSize();
        if (dataset != null && (dataset.observationSize() != obsSize || dataset.actionSize() != actSize)) {
            throw new IllegalArgumentException("dataset does not fit the policy: observationSize="
                    + dataset.observationSize() + ", expected=" + obsSize + ", actionSize=" + dataset.actionSize()
                    + ", expected=" + actSize);
        }
        if (dataset != null && dataset.size() == 0) {
            throw new IllegalArgumentException("dataset is empty: environment=" + dataset.environment());
        }
        this.dataset = dataset;
        this.oracle = oracle;
        this.targetEntropy = sac.targetEntropy(actSize);
        this.center = new float[actSize];
        this.halfRange = new float[actSize];
        for (int j = 0; j < actSize; j++) {
            center[j] = (float) (0.5 * ((double) spec.actionHigh()[j] + spec.actionLow()[j]));
            halfRange[j] = (float) (0.5 * ((double) spec.actionHigh()[j] - spec.actionLow()[j]));
        }
        this.actorLayout = PolicyLayout.actor(spec);
        this.critics = new CriticEnsemble(sac.critics(), obsSize, actSize, sac.hiddenSizes());
        this.device = Devices.resolve(settings.device());
        this.rng = new SplitMix64(settings.seed());
        this.manager = NDManager.newBaseManager(device);

        float[] actorFlat = Initializers.policy(actorLayout, Math.sqrt(2.0), 0.01, rng);
        float[] criticFlat = critics.initialParameters(rng);
        this.actor = new NDArray[actorLayout.arrayCount()];
        DjlPolicyNetwork.create(manager, actorLayout, actorFlat, actor, 0);
        this.critic = critics.create(manager, criticFlat);
        this.target = constants(critics.create(manager, criticFlat));
        // its gradient is written by hand (below), so it needs no autograd record
        this.logAlpha = Arrays64.create(manager, new float[] {(float) Math.log(sac.initialAlpha())}, new Shape(1));
        this.adamActor = new Adam(manager, actor, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON);
        this.adamCritic = new Adam(manager, critic, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON);
        this.adamAlpha = new Adam(manager, new NDArray[] {logAlpha}, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON);
        this.buffer = new ReplayBuffer(sac.bufferCapacity(), obsSize, actSize);
        this.probeStates = new float[sac.probeStates() * obsSize];
        if (dataset != null) {
            int p = Math.min(sac.probeStates(), dataset.size());
            for (int i = 0; i < p; i++) {
                // evenly spaced over the dataset, so the probe set covers it without drawing from the RNG
                int k = (int) ((long) i * dataset.size() / p);
                System.arraycopy(dataset.observations(), k * obsSize, probeStates, i * obsSize, obsSize);
            }
            probeCount = p;
        }
        this.snapshotCreatedAtMicros = nowMicros();
    }

    private static NDArray[] constants(NDArray[] leaves) {
        for (NDArray a : leaves) {
            a.setRequiresGradient(false);
        }
        return leaves;
    }

    @Override
    public String algorithm() {
        return "sac";
    }

    @Override
    public String deviceDescription() {
        return Devices.describe(device);
    }

    @Override
    public long version() {
        return version;
    }

    /** The settings this learner runs with. */
    public SacSettings settings() {
        return sac;
    }

    /** The published policy's architecture. */
    public PolicySpec spec() {
        return spec;
    }

    /** Gradient steps applied so far. */
    public long gradientSteps() {
        return gradientSteps;
    }

    /** The gradient step (1-based) at which a critic turned non-finite, or -1. */
    public long divergedAtUpdate() {
        return divergedAtUpdate;
    }

    /** Transitions held in the replay buffer. */
    public int bufferSize() {
        return buffer.size();
    }

    /** Current entropy temperature. */
    public double alpha() {
        return Math.exp(logAlpha.getFloat());
    }

    /** Non-empty once a critic diverged: the learner cannot go on and the run should stop. */
    @Override
    public String stopReason() {
        return divergedAtUpdate < 0 ? "" : "critic diverged at update " + divergedAtUpdate;
    }

    @Override
    public void skipVersionsTo(long targetVersion) {
        if (targetVersion < version) {
            throw new IllegalArgumentException("cannot move the version back: version=" + version + ", target="
                    + targetVersion);
        }
        version = targetVersion;
        snapshot = null;
    }

    // ------------------------------------------------------------------ data

    @Override
    public void accept(ScoredChunk scored) {
        TrajectoryChunk c = scored.chunk();
        ChunkChecks.requireStepChunk(c, obsSize, actSize, "SAC");
        checkFinite(c.observations(), "observation", c);
        checkFinite(c.bootstrapObservation(), "bootstrapObservation", c);
        checkFinite(c.actions(), "action", c);
        boolean hasDepth = c.depth().length > 0;
        for (int t = 0; t < c.steps(); t++) {
            boolean last = t == c.steps() - 1;
            float[] nextArr = last ? c.bootstrapObservation() : c.observations();
            int nextOff = last ? 0 : (t + 1) * obsSize;
            buffer.add(c.observations(), t * obsSize, c.actions(), t * actSize, scored.rewards()[t], nextArr, nextOff,
                    c.terminated()[t], hasDepth ? c.depth()[t] : 0);
            if (probeCount < sac.probeStates() && dataset == null) {
                System.arraycopy(c.observations(), t * obsSize, probeStates, probeCount * obsSize, obsSize);
                probeCount++;
            }
        }
        envStepsReceived += c.steps();
        pendingEnvSteps += c.steps();
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
        return pendingEnvSteps >= sac.envStepsPerVersion();
    }

    private int realPerBatch() {
        return dataset == null ? 0 : sac.realPerBatch();
    }

    // ------------------------------------------------------------------ update

    @Override
    public UpdateReport update() {
        long start = System.nanoTime();
        pendingEnvSteps = Math.max(0, pendingEnvSteps - sac.envStepsPerVersion());
        if (divergedAtUpdate >= 0) {
            updatesSkipped++;
            return new UpdateReport(version, false, stopReason(), 0, 0.0, Map.of("diverged_at_update",
                    (double) divergedAtUpdate, "skipped_updates", (double) updatesSkipped));
        }
        if (buffer.size() < sac.batchSize() - realPerBatch()) {
            // warm-up: too few transitions for one batch. The version still moves on (same weights), because
            // workers wait at their quota for a new version; skipping would stall them and mislabel the data
            version++;
            updatesApplied++;
            snapshotCreatedAtMicros = nowMicros();
            snapshot = null;
            return new UpdateReport(version, true, "", 0, (System.nanoTime() - start) / 1e6, Map.of("warmup", 1.0,
                    "buffer_size", (double) buffer.size(), "diverged_at_update", (double) divergedAtUpdate,
                    "gradient_steps", (double) gradientSteps));
        }
        Backup backup = new Backup();
        Stats stats = new Stats();
        String failure = null;
        for (int s = 0; s < sac.gradientSteps(); s++) {
            long stepNumber = gradientSteps + 1;
            try (NDManager sub = manager.newSubManager()) {
                failure = gradientStep(sub, stepNumber, stats);
            }
            if (failure != null) {
                divergedAtUpdate = stepNumber;
                break;
            }
            gradientSteps = stepNumber;
            if (gradientSteps % sac.probeEvery() == 0) {
                probe(stats.values);
            }
        }
        if (failure != null) {
            backup.restore();
            updatesSkipped++;
            return new UpdateReport(version, false, stopReason() + ": " + failure, sac.gradientSteps() * sac.batchSize(),
                    (System.nanoTime() - start) / 1e6, Map.of("diverged_at_update", (double) divergedAtUpdate,
                            "skipped_updates", (double) updatesSkipped));
        }
        backup.discard();
        version++;
        updatesApplied++;
        snapshotCreatedAtMicros = nowMicros();
        snapshot = null;
        Map<String, Double> out = stats.finish();
        out.put("alpha", alpha());
        out.put("gradient_steps", (double) gradientSteps);
        out.put("buffer_size", (double) buffer.size());
        out.put("diverged_at_update", (double) divergedAtUpdate);
        out.put("skipped_updates", (double) updatesSkipped);
        return new UpdateReport(version, true, "", sac.gradientSteps() * sac.batchSize(), (System.nanoTime() - start) / 1e6,
                out);
    }

    /** One gradient step; returns null, or why the critic is not finite. */
    private String gradientStep(NDManager sub, long stepNumber, Stats stats) {
        int b = sac.batchSize();
        float alpha;
        Batch batch = sample(b);
        NDArray obs = Arrays64.create(sub, batch.obs, new Shape(b, obsSize));
        NDArray act = Arrays64.create(sub, batch.act, new Shape(b, actSize));
        NDArray next = Arrays64.create(sub, batch.next, new Shape(b, obsSize));
        NDArray noise = Arrays64.create(sub, gaussian(b * actSize), new Shape(b, actSize));
        NDArray noiseNext = Arrays64.create(sub, gaussian(b * actSize), new Shape(b, actSize));

        // (1) alpha and (2) actor share one forward pass of the current actor: alpha's loss
        // -(log alpha * (log pi + target)).mean() has the gradient -(mean log pi + target) w.r.t. log alpha (log pi
        // detached); the actor's loss then uses the updated alpha, with the critics frozen
        NDArray[] criticFrozen = detached(sub, critic);
        NDArray actorLoss;
        NDArray logp;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDList sample = policySample(sub, obs, actor, noise);
            logp = sample.get(1);
            float meanLogp = logp.stopGradient().mean().getFloat();
            NDArray alphaGrad = sub.create(new float[] {(float) -(meanLogp + targetEntropy)}, new Shape(1));
            adamAlpha.step(new NDArray[] {logAlpha}, new NDArray[] {alphaGrad}, (float) sac.learningRate(), 1f);
            alpha = (float) Math.exp(logAlpha.getFloat());
            NDArray q = CriticEnsemble.forward(CriticEnsemble.join(obs, sample.get(0)), criticFrozen);
            actorLoss = logp.mul(sub.create(alpha)).sub(q.min(new int[] {0})).mean();
            gc.backward(actorLoss);
        }
        NDArray[] actorGrads = gradients(sub, actor);
        adamActor.step(actor, actorGrads, (float) sac.learningRate(), 1f);

        // (3) critics: target from the updated actor and the target critics, then the loss
        NDArray[] actorNow = detached(sub, actor);
        NDList nextSample = policySample(sub, next, actorNow, noiseNext);
        NDArray qNext = CriticEnsemble.forward(CriticEnsemble.join(next, nextSample.get(0)), target);
        float[] minNext = qNext.min(new int[] {0}).toFloatArray();
        float[] logpNext = nextSample.get(1).toFloatArray();
        float[] y = targets(batch.rew, batch.done, minNext, logpNext, alpha, sac.gamma(), batch.depth,
                sac.rolloutLength(), oracle, batch.next, obsSize);
        NDArray yArr = Arrays64.create(sub, y, new Shape(1, b));
        NDArray criticLoss;
        NDArray diversity = null;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray q;
            if (sac.eta() > 0) {
                EdacDiversity.Result r = EdacDiversity.evaluate(sub, critics, critic, obs, act);
                q = r.q();
                diversity = r.diversity();
            } else {
                q = CriticEnsemble.forward(CriticEnsemble.join(obs, act), critic);
            }
            criticLoss = q.sub(yArr).square().mean(new int[] {1}).sum();
            if (diversity != null) {
                criticLoss = criticLoss.add(diversity.mul(sub.create((float) sac.eta())));
            }
            if (stepNumber == nanAtGradientStep) {
                criticLoss = criticLoss.mul(sub.create(Float.NaN));
            }
            gc.backward(criticLoss);
        }
        NDArray[] criticGrads = gradients(sub, critic);
        NDArray sq = null;
        for (NDArray g : criticGrads) {
            NDArray g2 = g.square().sum();
            sq = sq == null ? g2 : sq.add(g2);
        }
        float[] measured = NDArrays.stack(new NDList(criticLoss.stopGradient(), actorLoss.stopGradient(), sq,
                diversity == null ? sub.create(0f) : diversity.stopGradient(), logp.stopGradient().mean())).toFloatArray();
        if (!Float.isFinite(measured[0]) || !Float.isFinite(measured[2])) {
            for (NDArray g : criticGrads) {
                g.subi(g);
            }
            return "non-finite critic " + (!Float.isFinite(measured[0]) ? "loss" : "gradient") + ": loss=" + measured[0]
                    + ", gradNormSquared=" + measured[2] + ", gradientStep=" + stepNumber;
        }
        adamCritic.step(critic, criticGrads, (float) sac.learningRate(), 1f);

        // (4) soft target update (no autograd involved)
        float tau = (float) sac.tau();
        for (int i = 0; i < target.length; i++) {
            try (NDArray w = critic[i].stopGradient(); NDArray scaled = w.mul(tau)) {
                target[i].muli(1f - tau).addi(scaled);
            }
        }
        stats.add(measured[0], measured[1], measured[3], -measured[4]);
        return null;
    }

    /**
     * Bellman targets {@code y_i = r_i + gamma (1 - d_i) [minNext_i - alpha logpNext_i]}; with an oracle, the
     * bracket is {@code V*(s'_i)} at transitions whose depth equals {@code k} (the oracle patch).
     */
    static float[] targets(float[] rew, boolean[] done, float[] minNext, float[] logpNext, float alpha, double gamma,
                           int[] depth, int k, StateValueOracle oracle, float[] next, int obsSize) {
        int b = rew.length;
        float[] y = new float[b];
        float[] s = oracle == null ? null : new float[obsSize];
        for (int i = 0; i < b; i++) {
            double bootstrap;
            if (oracle != null && depth[i] == k) {
                System.arraycopy(next, i * obsSize, s, 0, obsSize);
                bootstrap = oracle.value(s);
            } else {
                bootstrap = (double) minNext[i] - (double) alpha * logpNext[i];
            }
            y[i] = (float) (rew[i] + (done[i] ? 0.0 : gamma * bootstrap));
        }
        return y;
    }

    private NDList policySample(NDManager sub, NDArray obs, NDArray[] params, NDArray noise) {
        NDArray out = DjlPolicyNetwork.forward(obs, params, 0, actorLayout);
        return TanhGaussianHead.INSTANCE.distribution(sub, out, null, spec).sample(noise);
    }

    private static NDArray[] detached(NDManager sub, NDArray[] params) {
        NDArray[] d = new NDArray[params.length];
        for (int i = 0; i < params.length; i++) {
            d[i] = params[i].stopGradient();
            d[i].attach(sub);
        }
        return d;
    }

    private static NDArray[] gradients(NDManager sub, NDArray[] params) {
        NDArray[] g = new NDArray[params.length];
        for (int i = 0; i < params.length; i++) {
            g[i] = params[i].getGradient();
            g[i].attach(sub);
        }
        return g;
    }

    private float[] gaussian(int n) {
        float[] z = new float[n];
        for (int i = 0; i < n; i++) {
            z[i] = (float) rng.nextGaussian();
        }
        return z;
    }

    /** A batch: {@code realPerBatch} dataset transitions first, the rest uniform from the replay buffer. */
    private Batch sample(int b) {
        Batch batch = new Batch(b, obsSize, actSize);
        int real = realPerBatch();
        for (int i = 0; i < b; i++) {
            if (i < real) {
                int k = rng.nextInt(dataset.size());
                System.arraycopy(dataset.observations(), k * obsSize, batch.obs, i * obsSize, obsSize);
                System.arraycopy(dataset.actions(), k * actSize, batch.act, i * actSize, actSize);
                batch.rew[i] = dataset.rewards()[k];
                System.arraycopy(dataset.nextObservations(), k * obsSize, batch.next, i * obsSize, obsSize);
                batch.done[i] = dataset.terminals()[k];
                batch.depth[i] = 0;
            } else {
                int k = buffer.slot(rng.nextInt(buffer.size()));
                System.arraycopy(buffer.obs, k * obsSize, batch.obs, i * obsSize, obsSize);
                System.arraycopy(buffer.act, k * actSize, batch.act, i * actSize, actSize);
                batch.rew[i] = buffer.rew[k];
                System.arraycopy(buffer.next, k * obsSize, batch.next, i * obsSize, obsSize);
                batch.done[i] = buffer.done[k];
                batch.depth[i] = buffer.depth[k];
            }
        }
        return batch;
    }

    /** One batch of transitions in Java arrays. */
    private static final class Batch {
        final float[] obs;
        final float[] act;
        final float[] rew;
        final float[] next;
        final boolean[] done;
        final int[] depth;

        Batch(int b, int obsSize, int actSize) {
            obs = new float[b * obsSize];
            act = new float[b * actSize];
            rew = new float[b];
            next = new float[b * obsSize];
            done = new boolean[b];
            depth = new int[b];
        }
    }

    // ------------------------------------------------------------------ statistics

    /**
     * Measures {@code q_max}, {@code q_std_edge} and {@code q_std_interior} (see the class comment) in
     * float64 into {@code out}. Draws from its own generator, seeded by the gradient step, so measuring
     * never changes training.
     */
    void probe(Map<String, Double> out) {
        try (NDManager sub = manager.newSubManager()) {
            NDArray[] a64 = toFloat64(sub, actor);
            NDArray[] c64 = toFloat64(sub, critic);
            if (probeCount > 0) {
                NDArray q = deterministicQ(sub, a64, c64, java.util.Arrays.copyOf(probeStates, probeCount * obsSize),
                        probeCount);
                out.put("q_max", q.mean(new int[] {0}).max().getDouble());
            }
            SplitMix64 r = new SplitMix64(seed ^ (gradientSteps * 0x9E3779B97F4A7C15L));
            float[] edge = new float[STD_SAMPLES * obsSize];
            float[] interior = new float[STD_SAMPLES * obsSize];
            int ne = 0;
            int ni = 0;
            for (int attempt = 0; attempt < 64 * STD_SAMPLES && buffer.size() > 0
                    && (ne < STD_SAMPLES || ni < STD_SAMPLES); attempt++) {
                int k = buffer.slot(r.nextInt(buffer.size()));
                if (buffer.done[k]) {
                    // a terminal transition's next state is never bootstrapped from (in PointMass2D it is a t = H
                    // state no transition starts at, so its Q is never trained): it belongs to neither group
                    continue;
                }
                boolean isEdge = buffer.depth[k] == sac.rolloutLength();
                if (isEdge && ne < STD_SAMPLES) {
                    System.arraycopy(buffer.next, k * obsSize, edge, ne++ * obsSize, obsSize);
                } else if (!isEdge && ni < STD_SAMPLES) {
                    System.arraycopy(buffer.next, k * obsSize, interior, ni++ * obsSize, obsSize);
                }
            }
            if (ne > 0) {
                out.put("q_std_edge", meanStd(deterministicQ(sub, a64, c64, java.util.Arrays.copyOf(edge, ne * obsSize), ne)));
            }
            if (ni > 0) {
                out.put("q_std_interior",
                        meanStd(deterministicQ(sub, a64, c64, java.util.Arrays.copyOf(interior, ni * obsSize), ni)));
            }
            out.put("q_std_edge_samples", (double) ne);
            out.put("q_std_interior_samples", (double) ni);
            out.put("probe_step", (double) gradientSteps);
        }
        int dims = sac.edgeDims() == 0 ? obsSize : Math.min(sac.edgeDims(), obsSize);
        if (sac.edgeRadius() > 0 && dims <= EdgeStates.MAX_DIMS) {
            out.put("edge_state_fraction", edgeStateFraction(dims));
        }
        if (!sac.probeEnv().isEmpty()) {
            out.put("probe_return", probeReturn());
        }
    }

    /**
     * The share of depth-k next states (up to 4096 drawn from the buffer, seeded by the step) farther than
     * {@code edge-radius} from every dataset state (observation or next observation) and every next state of
     * a shallower buffered transition, over the first {@code dims} observation values.
     */
    private double edgeStateFraction(int dims) {
        int n = buffer.size();
        int k = sac.rolloutLength();
        int shallow = 0;
        int edgeTotal = 0;
        for (int i = 0; i < n; i++) {
            int slot = buffer.slot(i);
            if (buffer.depth[slot] == k) {
                edgeTotal++;
            } else if (buffer.depth[slot] > 0) {
                shallow++;
            }
        }
        int data = dataset == null ? 0 : dataset.size();
        float[] refs = new float[(shallow + 2 * data) * dims];
        int r = 0;
        for (int i = 0; i < n; i++) {
            int slot = buffer.slot(i);
            if (buffer.depth[slot] > 0 && buffer.depth[slot] != k) {
                System.arraycopy(buffer.next, slot * obsSize, refs, r++ * dims, dims);
            }
        }
        for (int i = 0; i < data; i++) {
            System.arraycopy(dataset.observations(), i * obsSize, refs, r++ * dims, dims);
            System.arraycopy(dataset.nextObservations(), i * obsSize, refs, r++ * dims, dims);
        }
        int want = Math.min(edgeTotal, STD_SAMPLES * 4);
        float[] queries = new float[want * dims];
        SplitMix64 pick = new SplitMix64(seed ^ (gradientSteps * 0xD1B54A32D192ED03L));
        int q = 0;
        for (int attempt = 0; q < want && attempt < 256 * want; attempt++) {
            int slot = buffer.slot(pick.nextInt(n));
            if (buffer.depth[slot] == k) {
                System.arraycopy(buffer.next, slot * obsSize, queries, q++ * dims, dims);
            }
        }
        return EdgeStates.farFraction(queries, q, refs, r, dims, sac.edgeRadius());
    }

    /** Mean return of the deterministic policy over {@code probe-episodes} fixed-seed episodes of {@code probe-env}. */
    private double probeReturn() {
        float[] var = new float[obsSize];
        java.util.Arrays.fill(var, 1f);
        PolicyInference inf = new PolicyInference(new PolicySnapshot(runId, version, algorithm(), spec, actorFlat(),
                new float[obsSize], var, snapshotCreatedAtMicros), 1);
        SplittableRandom unused = new SplittableRandom(0);
        double total = 0;
        try (Environment env = Environments.create(sac.probeEnv(), Map.of())) {
            StepResult r = StepResult.forEnvironment(env);
            float[] o = new float[obsSize];
            float[] a = new float[actSize];
            float[] lp = new float[1];
            for (int ep = 0; ep < sac.probeEpisodes(); ep++) {
                env.reset(SacSettings.PROBE_SEED_BASE + ep, r);
                int steps = 0;
                while (!r.done()) {
                    System.arraycopy(r.observation, 0, o, 0, obsSize);
                    inf.act(o, 1, a, lp, unused, true);
                    env.step(a, r);
                    total += r.reward;
                    if (++steps > env.maxEpisodeSteps()) {
                        throw new IllegalStateException("probe episode ran past its step limit: env=" + sac.probeEnv()
                                + ", steps=" + steps);
                    }
                }
            }
        }
        return total / sac.probeEpisodes();
    }

    /** Q-values {@code (N, n)} of every critic at the actor's deterministic action, in float64. */
    private NDArray deterministicQ(NDManager sub, NDArray[] a64, NDArray[] c64, float[] states, int n) {
        double[] s64 = new double[states.length];
        for (int i = 0; i < states.length; i++) {
            s64[i] = states[i];
        }
        NDArray s = sub.create(s64, new Shape(n, obsSize));
        NDArray out = DjlPolicyNetwork.forward(s, a64, 0, actorLayout);
        double[] c = new double[actSize];
        double[] h = new double[actSize];
        for (int j = 0; j < actSize; j++) {
            c[j] = center[j];
            h[j] = halfRange[j];
        }
        NDArray mu = out.get(new NDIndex(":, 0:{}", actSize));
        NDArray a = mu.tanh().mul(sub.create(h, new Shape(actSize))).add(sub.create(c, new Shape(actSize)));
        return CriticEnsemble.forward(CriticEnsemble.join(s, a), c64);
    }

    /** Mean over states of the (population) standard deviation over critics of {@code q (N, n)}. */
    private static double meanStd(NDArray q) {
        NDArray mean = q.mean(new int[] {0}, true);
        return q.sub(mean).square().mean(new int[] {0}).sqrt().mean().getDouble();
    }

    private static NDArray[] toFloat64(NDManager sub, NDArray[] params) {
        NDArray[] out = new NDArray[params.length];
        for (int i = 0; i < params.length; i++) {
            try (NDArray d = params[i].stopGradient()) {
                out[i] = d.toType(DataType.FLOAT64, true);
                out[i].attach(sub);
            }
        }
        return out;
    }

    /** Means of the measured terms over the gradient steps of one update, plus probe values. */
    private static final class Stats {
        final Map<String, Double> values = new LinkedHashMap<>();
        private double criticLoss;
        private double actorLoss;
        private double diversity;
        private double entropy;
        private int n;

        void add(float critic, float actor, float div, float ent) {
            criticLoss += critic;
            actorLoss += actor;
            diversity += div;
            entropy += ent;
            n++;
        }

        Map<String, Double> finish() {
            Map<String, Double> out = new LinkedHashMap<>();
            out.put("critic_loss", criticLoss / n);
            out.put("actor_loss", actorLoss / n);
            out.put("diversity", diversity / n);
            out.put("entropy", entropy / n);
            out.putAll(values);
            return out;
        }
    }

    // ------------------------------------------------------------------ rollback

    /** Everything an abandoned update puts back. */
    private final class Backup {
        private final NDArray[] actorCopy = copies(actor);
        private final NDArray[] criticCopy = copies(critic);
        private final NDArray[] targetCopy = copies(target);
        private final NDArray[] alphaCopy = copies(new NDArray[] {logAlpha});
        private final Adam.State actorState = adamActor.backup();
        private final Adam.State criticState = adamCritic.backup();
        private final Adam.State alphaState = adamAlpha.backup();
        private final long rngState = rng.state();
        private final long steps = gradientSteps;

        void restore() {
            actor = replace(actor, actorCopy, true);
            critic = replace(critic, criticCopy, true);
            target = replace(target, targetCopy, false);
            logAlpha = replace(new NDArray[] {logAlpha}, alphaCopy, false)[0];
            adamActor.restore(actorState);
            adamCritic.restore(criticState);
            adamAlpha.restore(alphaState);
            rng.setState(rngState);
            gradientSteps = steps;
        }

        void discard() {
            for (NDArray[] a : new NDArray[][] {actorCopy, criticCopy, targetCopy, alphaCopy}) {
                for (NDArray x : a) {
                    x.close();
                }
            }
            actorState.close();
            criticState.close();
            alphaState.close();
        }
    }

    private static NDArray[] copies(NDArray[] params) {
        NDArray[] out = new NDArray[params.length];
        for (int i = 0; i < params.length; i++) {
            try (NDArray d = params[i].stopGradient()) {
                out[i] = d.duplicate();
            }
        }
        return out;
    }

    private static NDArray[] replace(NDArray[] current, NDArray[] copies, boolean grad) {
        for (int i = 0; i < current.length; i++) {
            current[i].close();
            copies[i].setRequiresGradient(grad);
        }
        return copies;
    }

    // ------------------------------------------------------------------ snapshots and checkpoints

    @Override
    public PolicySnapshot snapshot() {
        if (snapshot == null) {
            float[] var = new float[obsSize];
            java.util.Arrays.fill(var, 1f);
            snapshot = new PolicySnapshot(runId, version, algorithm(), spec, actorFlat(), new float[obsSize], var,
                    snapshotCreatedAtMicros);
        }
        return snapshot;
    }

    float[] actorFlat() {
        return DjlMlp.flatten(actor, 0, actor.length);
    }

    /** Native arrays held by this learner's long-lived manager (leak checks in tests). */
    int liveArrays() {
        return manager.getManagedArrays().size();
    }

    CriticEnsemble critics() {
        return critics;
    }

    PolicyLayout actorLayout() {
        return actorLayout;
    }

    /** Writes {@value #CHECKPOINT_FILE} (see {@link SacCheckpoint}). */
    @Override
    public void save(Path dir) throws IOException {
        SacCheckpoint.write(dir.resolve(CHECKPOINT_FILE), this);
    }

    /**
     * Reads {@value #CHECKPOINT_FILE}: everything is parsed and checked before any state changes, so a bad
     * file leaves the learner as it was.
     */
    @Override
    public void restore(Path dir) throws IOException {
        SacCheckpoint.Restored r = SacCheckpoint.read(dir.resolve(CHECKPOINT_FILE), this);
        NDArray[] newActor = new NDArray[actorLayout.arrayCount()];
        DjlPolicyNetwork.create(manager, actorLayout, r.actor(), newActor, 0);
        actor = replace(actor, newActor, true);
        critic = replace(critic, critics.create(manager, r.critic()), true);
        target = replace(target, critics.create(manager, r.target()), false);
        logAlpha = replace(new NDArray[] {logAlpha}, new NDArray[] {Arrays64.create(manager, new float[] {r.logAlpha()},
                new Shape(1))}, false)[0];
        adamActor.apply(r.adamActor());
        adamCritic.apply(r.adamCritic());
        adamAlpha.apply(r.adamAlpha());
        SacCheckpoint.Counters c = r.counters();
        version = c.version();
        gradientSteps = c.gradientSteps();
        updatesApplied = c.updatesApplied();
        updatesSkipped = c.updatesSkipped();
        envStepsReceived = c.envStepsReceived();
        pendingEnvSteps = c.pendingEnvSteps();
        divergedAtUpdate = c.divergedAtUpdate();
        snapshotCreatedAtMicros = c.snapshotCreatedAtMicros();
        rng.setState(c.rngState());
        probeStates = r.probeStates();
        probeCount = r.probeCount();
        buffer = r.buffer();
        snapshot = null;
    }

    @Override
    public void close() {
        adamActor.close();
        adamCritic.close();
        adamAlpha.close();
        manager.close();
    }

    private static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }
}
