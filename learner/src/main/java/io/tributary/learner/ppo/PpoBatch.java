package io.tributary.learner.ppo;

import io.tributary.rewards.ScoredChunk;
import io.tributary.simulator.rollout.ChunkTransform;
import io.tributary.simulator.rollout.TrajectoryChunk;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

/**
 * One update's data, ready for the optimisation loop: observations normalised with the statistics the
 * actions were chosen with, (optionally scaled) rewards, critic values, and GAE advantages and returns
 * per chunk, and the behaviour weights of samples another policy drew. {@link #prepare} builds it.
 */
final class PpoBatch {
    final int n;
    /** Raw observations (the normaliser absorbs them after an applied update). */
    final float[] rawObs;
    /** Normalised observations (per-field rules). */
    final float[] obs;
    final float[] actions;
    final float[] oldLogp;
    /**
     * Per-sample weight of the policy surrogate and of the KL and clip-fraction figures,
     * {@code min(1, exp(oldLogp - behaviourLogp))} for samples of chunks that carry
     * {@link ChunkTransform#BEHAVIOUR_LOG_PROB_SIGNAL}, 1 for every other; null when no chunk carries it.
     */
    final float[] weights;
    /** Mean of {@link #weights} over the samples that carry a behaviour log-prob; NaN when none does. */
    final double behaviourWeightMean;
    final float[] rewards;
    final float[] values;
    final float[] advantages;
    final float[] returns;
    final double rawRewardSum;
    /** Reward-scaling state to commit if the update applies; null when reward scaling is off. */
    final RewardScaler.Pending rewardScaling;

    private PpoBatch(int n, float[] rawObs, float[] obs, float[] actions, float[] oldLogp, float[] weights,
                     double behaviourWeightMean, float[] rewards, float[] values, float[] advantages, float[] returns, double rawRewardSum,
                     RewardScaler.Pending rewardScaling) {
        this.n = n;
        this.rawObs = rawObs;
        this.obs = obs;
        this.actions = actions;
        this.oldLogp = oldLogp;
        this.weights = weights;
        this.behaviourWeightMean = behaviourWeightMean;
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
        float[] weights = null;
        double weightSum = 0;
        int weighted = 0;
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
            int behaviour = ch.signalIndex(ChunkTransform.BEHAVIOUR_LOG_PROB_SIGNAL);
            if (behaviour >= 0) {
                if (weights == null) {
                    weights = new float[n];
                    Arrays.fill(weights, 1f);
                }
                for (int t = 0; t < steps; t++) {
                    weights[pos + t] = behaviourWeight(ch.logProbs()[t], ch.signal(t, behaviour));
                    weightSum += weights[pos + t];
                }
                weighted += steps;
            }
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
        return new PpoBatch(n, rawObs, obs, actions, oldLogp, weights, weighted == 0 ? Double.NaN : weightSum / weighted,
                rewards, values, advantages, returns, rawRewardSum, scaling);
    }

    /**
     * Truncated importance weight of a sample drawn by another policy than the one its log-prob describes:
     * {@code min(1, exp(logProb - behaviourLogProb))}, as V-trace truncates at 1. For a mirrored sample the weight is
     * the ratio of the policy's density at the mirrored action to the density with which the original was drawn; where
     * the policy is symmetric it is 1 and the copy trains like a real sample, where it is not the copy lies in the
     * policy's tail (log-probs down to -3,389 were measured) and, unweighted, its score gradient and its ratio
     * (which explodes after one step) would own the update.
     */
    static float behaviourWeight(float logProb, float behaviourLogProb) {
        return (float) Math.min(1.0, Math.exp((double) logProb - behaviourLogProb));
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
