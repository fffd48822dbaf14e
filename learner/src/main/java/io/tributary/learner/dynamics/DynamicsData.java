package io.tributary.learner.dynamics;

import io.tributary.simulator.data.OfflineDataset;
import io.tributary.simulator.random.SplitMix64;

/**
 * A dataset prepared for a dynamics fit: inputs (observation, action) normalised with the training split's
 * mean and std, targets (Δobservation, reward), one random train/validation split, and each member's
 * bootstrap resample of the training rows.
 */
final class DynamicsData {
    /** Below this std an input dimension is constant; it is divided by 1 instead (as the reference scaler does). */
    private static final double MIN_STD = 1e-12;

    final int inputSize;
    final int targetSize;
    final float[] inputs;
    final float[] targets;
    final int[] trainRows;
    final int[] validationRows;
    final float[] inputMean;
    final float[] inputStd;
    /** Per member, {@code trainRows.length} rows drawn with replacement from the training split. */
    final int[][] bootstrap;

    DynamicsData(OfflineDataset data, int members, double validationFraction, SplitMix64 rng) {
        int n = data.size();
        int obs = data.observationSize();
        int act = data.actionSize();
        this.inputSize = obs + act;
        this.targetSize = obs + 1;
        int validation = (int) Math.round(n * validationFraction);
        if (validation < 1 || n - validation < 1) {
            throw new IllegalArgumentException("dataset too small to split: size=" + n + ", validationFraction="
                    + validationFraction + ", validation=" + validation);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        rng.shuffle(order, n);
        this.validationRows = java.util.Arrays.copyOfRange(order, 0, validation);
        this.trainRows = java.util.Arrays.copyOfRange(order, validation, n);

        float[] obsData = data.observations();
        float[] actData = data.actions();
        float[] nextData = data.nextObservations();
        float[] rewards = data.rewards();
        float[] raw = new float[n * inputSize];
        this.targets = new float[n * targetSize];
        for (int i = 0; i < n; i++) {
            System.arraycopy(obsData, i * obs, raw, i * inputSize, obs);
            System.arraycopy(actData, i * act, raw, i * inputSize + obs, act);
            for (int k = 0; k < obs; k++) {
                targets[i * targetSize + k] = nextData[i * obs + k] - obsData[i * obs + k];
            }
            targets[i * targetSize + obs] = rewards[i];
        }

        double[] sum = new double[inputSize];
        double[] sq = new double[inputSize];
        for (int row : trainRows) {
            for (int k = 0; k < inputSize; k++) {
                double v = raw[row * inputSize + k];
                sum[k] += v;
                sq[k] += v * v;
            }
        }
        this.inputMean = new float[inputSize];
        this.inputStd = new float[inputSize];
        int m = trainRows.length;
        for (int k = 0; k < inputSize; k++) {
            double mean = sum[k] / m;
            double var = Math.max(0.0, sq[k] / m - mean * mean);
            double std = Math.sqrt(var);
            inputMean[k] = (float) mean;
            inputStd[k] = (float) (std < MIN_STD ? 1.0 : std);
        }
        this.inputs = new float[n * inputSize];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < inputSize; k++) {
                inputs[i * inputSize + k] = normalise(raw[i * inputSize + k], k);
            }
        }

        this.bootstrap = new int[members][m];
        for (int e = 0; e < members; e++) {
            for (int j = 0; j < m; j++) {
                bootstrap[e][j] = trainRows[rng.nextInt(m)];
            }
        }
    }

    /** The training split's normalisation of input dimension {@code k}. */
    float normalise(float value, int k) {
        return (value - inputMean[k]) / inputStd[k];
    }
}
