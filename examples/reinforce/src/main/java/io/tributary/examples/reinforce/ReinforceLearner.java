package io.tributary.examples.reinforce;

import io.tributary.examples.reinforce.EpisodeBuffer.Piece;
import io.tributary.learner.Learner;
import io.tributary.learner.MlpLayout;
import io.tributary.learner.PolicyInference;
import io.tributary.learner.PolicyLayout;
import io.tributary.learner.PolicySnapshot;
import io.tributary.learner.PolicySpec;
import io.tributary.learner.UpdateReport;
import io.tributary.rewards.ScoredChunk;
import io.tributary.simulator.rollout.TrajectoryChunk;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * REINFORCE (Williams 1992) with reward-to-go and returns normalised over the batch (their mean is the
 * baseline), on a tanh MLP with a categorical head, gradients written out by hand and one Adam step per
 * update. An update runs once the quota's steps have arrived and trains the episodes completed by then
 * ({@link EpisodeBuffer}); unfinished ones wait for the next update (their first steps then come from an
 * older policy version, which plain REINFORCE does not correct for).
 */
public final class ReinforceLearner implements Learner {
    private final ReinforceProvider.Settings settings;
    private final PolicySpec spec;
    private final String runId;
    private final MlpLayout layout;
    final float[] params;
    private final float[] grad;
    final float[] adamM;
    final float[] adamV;
    private final float[] obsMean;
    private final float[] obsVar;
    private final float[] obsStd;
    final EpisodeBuffer episodes = new EpisodeBuffer();
    long adamSteps;
    long version;
    long stepsSinceUpdate;
    private PolicySnapshot snapshot;

    ReinforceLearner(ReinforceProvider.Settings settings, PolicySpec spec, long seed, String runId) {
        this.settings = settings;
        this.spec = spec;
        this.runId = runId;
        // An MLP's trunk is the whole network (trunk offset 0, no head tail for a categorical head).
        this.layout = PolicyLayout.actor(spec).trunk();
        int n = layout.parameterCount();
        this.params = new float[n];
        this.grad = new float[n];
        this.adamM = new float[n];
        this.adamV = new float[n];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int l = 0; l < layout.layers(); l++) {
            // Scaled Gaussian weights (small on the output layer, so the first policy is near uniform), zero biases.
            int in = layout.size(l);
            double scale = (l == layout.layers() - 1 ? 0.01 : 1.0) / Math.sqrt(in);
            for (int i = 0; i < in * layout.size(l + 1); i++) {
                params[layout.weightOffset(l) + i] = (float) (rng.nextGaussian() * scale);
            }
        }
        this.obsMean = new float[spec.observationSize()];
        this.obsVar = new float[spec.observationSize()];
        Arrays.fill(obsVar, 1f);
        this.obsStd = PolicyInference.normalizerStd(obsVar);
        this.snapshot = newSnapshot();
    }

    @Override public String algorithm() { return ReinforceProvider.NAME; }

    @Override public String deviceDescription() { return "cpu (plain Java)"; }

    @Override public long version() { return version; }

    /**
     * On resume the role moves the counter above every version the killed run published; the open
     * episodes' last-seen versions move with it, so the skip does not make them look abandoned.
     */
    @Override public void skipVersionsTo(long target) {
        if (target < version) {
            throw new IllegalArgumentException("cannot move the version back: version=" + version + ", target=" + target);
        }
        episodes.shiftVersions(target - version);
        version = target;
        snapshot = newSnapshot();
    }

    @Override public PolicySnapshot snapshot() { return snapshot; }

    @Override
    public void accept(ScoredChunk scored) {
        TrajectoryChunk c = scored.chunk();
        if (c.observationSize() != spec.observationSize() || c.actionSize() != 1) {
            throw new IllegalArgumentException("chunk shape does not fit the policy: observationSize=" + c.observationSize()
                    + ", actionSize=" + c.actionSize() + ", chunk=" + c.id());
        }
        episodes.add(scored, version);
        stepsSinceUpdate += c.steps();
    }

    @Override public boolean readyToUpdate() { return stepsSinceUpdate >= settings.batchSteps(); }

    @Override
    public UpdateReport update() {
        long start = System.nanoTime();
        // 1. The complete episodes and the discounted reward-to-go of every step, from the scored rewards.
        List<List<Piece>> complete = episodes.takeComplete();
        List<Piece> batch = new ArrayList<>();
        List<float[]> returns = new ArrayList<>();
        int samples = 0;
        double scoredReturns = 0;
        double envReturns = 0;
        for (List<Piece> episode : complete) {
            float g = 0f;
            float[][] rtg = new float[episode.size()][];
            for (int p = episode.size() - 1; p >= 0; p--) {
                Piece piece = episode.get(p);
                rtg[p] = new float[piece.steps()];
                for (int t = piece.steps() - 1; t >= 0; t--) {
                    g = piece.rewards()[t] + (float) settings.gamma() * g;
                    rtg[p][t] = g;
                    scoredReturns += piece.rewards()[t];
                }
                envReturns += piece.envReward();
                samples += piece.steps();
            }
            batch.addAll(episode);
            returns.addAll(Arrays.asList(rtg));
        }
        // 2. Advantages: returns normalised over the batch.
        double sum = 0;
        double sumSq = 0;
        for (float[] r : returns) {
            for (float x : r) {
                sum += x;
                sumSq += (double) x * x;
            }
        }
        double mean = samples == 0 ? 0 : sum / samples;
        double std = samples == 0 ? 1 : Math.sqrt(Math.max(sumSq / samples - mean * mean, 0)) + 1e-8;
        // 3. Gradient of the loss -mean(advantage * log pi(a|s)), accumulated sample by sample.
        Arrays.fill(grad, 0f);
        float[][] act = new float[layout.layers() + 1][];
        float[][] delta = new float[layout.layers() + 1][];
        for (int k = 0; k <= layout.layers(); k++) {
            act[k] = new float[layout.size(k)];
            delta[k] = new float[layout.size(k)];
        }
        double loss = 0;
        for (int b = 0; b < batch.size(); b++) {
            Piece piece = batch.get(b);
            for (int t = 0; t < piece.steps(); t++) {
                PolicyInference.normalize(piece.obs(), t * spec.observationSize(), act[0], 0, 1, obsMean, obsStd);
                forward(act);
                float[] logits = act[layout.layers()];
                float max = Float.NEGATIVE_INFINITY;
                for (float z : logits) {
                    max = Math.max(max, z);
                }
                double z = 0;
                for (float l : logits) {
                    z += Math.exp(l - max);
                }
                int a = (int) piece.actions()[t];
                double advantage = (returns.get(b)[t] - mean) / std;
                loss -= advantage * (logits[a] - max - Math.log(z)) / samples;
                float[] d = delta[layout.layers()];
                for (int j = 0; j < logits.length; j++) {
                    double p = Math.exp(logits[j] - max) / z;
                    d[j] = (float) ((p - (j == a ? 1 : 0)) * advantage / samples);
                }
                backward(act, delta);
            }
        }
        // 4. One Adam step, unless the gradient is not finite (then weights and version stay).
        double norm = 0;
        for (float g : grad) {
            norm += (double) g * g;
        }
        if (!Double.isFinite(norm) || !Double.isFinite(loss)) {
            stepsSinceUpdate = 0;
            return new UpdateReport(version, false, "non-finite loss or gradient: loss=" + loss, samples, millisSince(start), Map.of());
        }
        if (samples > 0) {
            adam();
        }
        version++;
        stepsSinceUpdate = 0;
        snapshot = newSnapshot();
        // An episode with no new piece for two versions will not complete: give it up, and count its steps.
        int abandonedSteps = episodes.abandonOlderThan(version - 2);
        return new UpdateReport(version, true, "", samples, millisSince(start), Map.of("policy_loss", loss,
                "grad_norm", Math.sqrt(norm), "episodes_trained", (double) complete.size(),
                "scored_return_mean", complete.isEmpty() ? Double.NaN : scoredReturns / complete.size(),
                "env_return_mean", complete.isEmpty() ? Double.NaN : envReturns / complete.size(),
                "open_episode_steps", (double) episodes.openSteps(), "abandoned_steps", (double) abandonedSteps));
    }

    /** act[0] holds the normalised observation; fills act[1..] (tanh on hidden layers, raw logits last). */
    private void forward(float[][] act) {
        for (int l = 0; l < layout.layers(); l++) {
            int in = layout.size(l);
            int out = layout.size(l + 1);
            System.arraycopy(params, layout.biasOffset(l), act[l + 1], 0, out);
            for (int i = 0; i < in; i++) {
                int row = layout.weightOffset(l) + i * out;
                for (int j = 0; j < out; j++) {
                    act[l + 1][j] += act[l][i] * params[row + j];
                }
            }
            if (l < layout.layers() - 1) {
                for (int j = 0; j < out; j++) {
                    act[l + 1][j] = (float) Math.tanh(act[l + 1][j]);
                }
            }
        }
    }

    /** delta[last] holds d loss / d logits; adds every layer's weight and bias gradient into {@link #grad}. */
    private void backward(float[][] act, float[][] delta) {
        for (int l = layout.layers() - 1; l >= 0; l--) {
            int in = layout.size(l);
            int out = layout.size(l + 1);
            float[] d = delta[l + 1];
            for (int j = 0; j < out; j++) {
                grad[layout.biasOffset(l) + j] += d[j];
            }
            for (int i = 0; i < in; i++) {
                int row = layout.weightOffset(l) + i * out;
                float back = 0f;
                for (int j = 0; j < out; j++) {
                    grad[row + j] += act[l][i] * d[j];
                    back += params[row + j] * d[j];
                }
                delta[l][i] = back * (1f - act[l][i] * act[l][i]); // tanh' of the layer below (unused for l = 0)
            }
        }
    }

    private void adam() {
        adamSteps++;
        double bc1 = 1 - Math.pow(0.9, adamSteps);
        double bc2 = 1 - Math.pow(0.999, adamSteps);
        for (int i = 0; i < params.length; i++) {
            adamM[i] = 0.9f * adamM[i] + 0.1f * grad[i];
            adamV[i] = 0.999f * adamV[i] + 0.001f * grad[i] * grad[i];
            params[i] -= (float) (settings.learningRate() * (adamM[i] / bc1) / (Math.sqrt(adamV[i] / bc2) + 1e-8));
        }
    }

    private PolicySnapshot newSnapshot() {
        return new PolicySnapshot(runId, version, ReinforceProvider.NAME, spec, params.clone(), obsMean.clone(),
                obsVar.clone(), System.currentTimeMillis() * 1000L);
    }

    private static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    /** Weights, Adam state, version and the pieces of unfinished episodes ({@link ReinforceCheckpoint}). */
    @Override
    public void save(Path dir) throws IOException {
        ReinforceCheckpoint.write(dir, this);
    }

    @Override
    public void restore(Path dir) throws IOException {
        ReinforceCheckpoint.read(dir, this);
        snapshot = newSnapshot();
    }

    @Override
    public void close() {
    }
}
