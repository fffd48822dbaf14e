package io.tributary.learner.dynamics;

import io.tributary.simulator.StepResult;
import io.tributary.simulator.data.OfflineDataset;
import io.tributary.simulator.envs.PendulumEnv;
import io.tributary.simulator.random.SplitMix64;

/** Pendulum-v1 transitions under uniformly random torques, generated in the test (no files). */
final class PendulumTransitions {
    private PendulumTransitions() {
    }

    static OfflineDataset random(int episodes, int stepsPerEpisode, long seed) {
        int n = episodes * stepsPerEpisode;
        float[] obs = new float[n * 3];
        float[] act = new float[n];
        float[] rew = new float[n];
        float[] next = new float[n * 3];
        boolean[] term = new boolean[n];
        boolean[] timeouts = new boolean[n];
        SplitMix64 rng = new SplitMix64(seed);
        try (PendulumEnv env = new PendulumEnv(stepsPerEpisode)) {
            StepResult r = StepResult.forEnvironment(env);
            float[] a = new float[1];
            int i = 0;
            for (int ep = 0; ep < episodes; ep++) {
                env.reset(seed * 1000 + ep, r);
                for (int t = 0; t < stepsPerEpisode; t++) {
                    System.arraycopy(r.observation, 0, obs, i * 3, 3);
                    a[0] = (float) rng.uniform(-2, 2);
                    act[i] = a[0];
                    env.step(a, r);
                    System.arraycopy(r.observation, 0, next, i * 3, 3);
                    rew[i] = r.reward;
                    timeouts[i] = r.truncated;
                    i++;
                }
            }
        }
        return new OfflineDataset(PendulumEnv.NAME, 3, 1, obs, act, rew, next, term, timeouts);
    }

    /** Mean over target values (Δs then r) of their variance: the MSE of always predicting the mean. */
    static double targetVariance(OfflineDataset d) {
        int n = d.size();
        int obs = d.observationSize();
        double total = 0;
        for (int k = 0; k <= obs; k++) {
            double s = 0;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                double v = k < obs ? d.nextObservations()[i * obs + k] - d.observations()[i * obs + k] : d.rewards()[i];
                s += v;
                sq += v * v;
            }
            double m = s / n;
            total += sq / n - m * m;
        }
        return total / (obs + 1);
    }
}
