package io.tributary.learner.ppo;

import io.tributary.rewards.ScoredChunk;
import io.tributary.simulator.rollout.TrajectoryChunk;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

/**
 * One update's data, ready for the optimisation loop: observations normalised with the statistics the
 * actions were chosen with, (optionally scaled) rewards, critic values, and GAE advantages and returns
 * per chunk. {@link #prepare} builds it.
 */
final class PpoBatch {
    final int n;
    /** Raw observations (the normaliser absorbs them after an applied update). */
    final float[] rawObs;
    /** Normalised observations (per-field rules). */
    final float[] obs;
    final float[] actions;
    final float[] oldLogp;
    final float[] rewards;
    final float[] values;
    final float[] advantages;
    final float[] returns;
    final double rawRewardSum;
    /** Reward-scaling state to commit if the update applies; null when reward scaling is off. */
    final RewardScaler.Pending rewardScaling;

    private PpoBatch(int n, float[] rawObs, float[] obs, float[] actions, float[] oldLogp, float[] rewards,
                     float[] values, float[] advantages, float[] returns, double rawRewardSum,
                     RewardScaler.Pending rewardScaling) {
        this.n = n;
        this.rawObs = rawObs;
        this.obs = obs;
        this.actions = actions;
        this.oldLogp = oldLogp;
        this.rewards = rewards;
        this.values = values;
        this.advantages = advantages;
        this.returns = returns;
        this.rawRewardSum = rawRewardSum;
        this.rewardScaling = rewardScaling;
    }

    /** How observations are normalised: {@code normalize(raw, rows)} returns the network input. */
    interface Normalizer {
        float[] normalize(float[] raw, int rows);
    }

    /**
     * Gathers chunks, scales rewards (if {@code scaler} is not null), normalises observations, evaluates
     * the critic on every step and every chunk's bootstrap observation, and runs GAE per chunk.
     *
     * @param critic values of {@code rows} normalised observations
     */
    static PpoBatch prepare(List<ScoredChunk> chunks, int n, int obsSize, int actionFloats, Normalizer normalizer,
                            RewardScaler scaler, BiFunction<float[], Integer, float[]> critic, PpoSettings ppo) {
        int k = chunks.size();
        float[] rawObs = new float[n * obsSize];
        float[] actions = new float[n * actionFloats];
        float[] oldLogp = new float[n];
        float[] rewards = new float[n];
        float[] bootRaw = new float[k * obsSize];
        int[] starts = new int[k];
        double rawRewardSum = 0;
        int pos = 0;
        for (int c = 0; c < k; c++) {
            ScoredChunk sc = chunks.get(c);
            TrajectoryChunk ch = sc.chunk();
            starts[c] = pos;
            int steps = ch.steps();
            System.arraycopy(ch.observations(), 0, rawObs, pos * obsSize, steps * obsSize);
            System.arraycopy(ch.actions(), 0, actions, pos * actionFloats, steps * actionFloats);
            System.arraycopy(ch.logProbs(), 0, oldLogp, pos, steps);
            System.arraycopy(sc.rewards(), 0, rewards, pos, steps);
            System.arraycopy(ch.bootstrapObservation(), 0, bootRaw, c * obsSize, obsSize);
            for (int t = 0; t < steps; t++) {
                rawRewardSum += sc.rewards()[t];
            }
            pos += steps;
        }
        RewardScaler.Pending scaling = scaler == null ? null : scaler.scale(chunks, rewards, n, ppo.gamma());

        float[] obs = normalizer.normalize(rawObs, n);
        float[] bootObs = normalizer.normalize(bootRaw, k);
        float[] all = new float[(n + k) * obsSize];
        System.arraycopy(obs, 0, all, 0, obs.length);
        System.arraycopy(bootObs, 0, all, obs.length, bootObs.length);
        float[] v = critic.apply(all, n + k);

        float[] values = Arrays.copyOf(v, n);
        float[] advantages = new float[n];
        float[] returns = new float[n];
        for (int c = 0; c < k; c++) {
            TrajectoryChunk ch = chunks.get(c).chunk();
            float next = Gae.nextValue(ch, v[n + c]);
            Gae.compute(rewards, values, starts[c], ch.steps(), next, ppo.gamma(), ppo.gaeLambda(), advantages, returns);
        }
        return new PpoBatch(n, rawObs, obs, actions, oldLogp, rewards, values, advantages, returns, rawRewardSum, scaling);
    }

    /** 1 - Var(returns - values) / Var(returns); NaN when the returns do not vary. */
    double explainedVariance() {
        double meanR = 0;
        double meanD = 0;
        for (int i = 0; i < n; i++) {
            meanR += returns[i];
            meanD += returns[i] - values[i];
        }
        meanR /= n;
        meanD /= n;
        double varR = 0;
        double varD = 0;
        for (int i = 0; i < n; i++) {
            double r = returns[i] - meanR;
            double d = returns[i] - values[i] - meanD;
            varR += r * r;
            varD += d * d;
        }
        return varR == 0 ? Double.NaN : 1.0 - varD / varR;
    }
}
