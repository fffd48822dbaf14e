package io.tributary.actors;

import io.tributary.learner.PolicyInference;
import io.tributary.learner.PolicySnapshot;
import io.tributary.simulator.Environment;
import io.tributary.simulator.SimulatorSettings;
import io.tributary.simulator.StepResult;
import java.util.SplittableRandom;

/**
 * Evaluates a policy: a fresh environment per episode, deterministic actions (argmax or mean), seeds
 * {@code seedBase .. seedBase + episodes - 1}, which training never uses.
 */
public final class Evaluator {
    /** Returns of an evaluation. */
    public record Result(double mean, double std, double[] returns, long firstSeed) {
    }

    private Evaluator() {
    }

    /** Runs {@code episodes} deterministic episodes of {@code policy}. */
    public static Result evaluate(SimulatorSettings sim, PolicySnapshot policy, int episodes, long seedBase) {
        PolicyInference inference = new PolicyInference(policy, 1);
        double[] returns = new double[episodes];
        float[] action = new float[policy.spec().actionFloats()];
        float[] logp = new float[1];
        SplittableRandom unused = new SplittableRandom(0);
        for (int ep = 0; ep < episodes; ep++) {
            try (Environment env = sim.createEnvironment()) {
                StepResult r = StepResult.forEnvironment(env);
                env.reset(seedBase + ep, r);
                double ret = 0;
                for (int t = 0; t < env.maxEpisodeSteps() + 1 && !r.done(); t++) {
                    inference.act(r.observation, 1, action, logp, unused, true);
                    env.step(action, r);
                    ret += r.reward;
                }
                returns[ep] = ret;
            }
        }
        double mean = 0;
        for (double x : returns) {
            mean += x;
        }
        mean = episodes == 0 ? Double.NaN : mean / episodes;
        double var = 0;
        for (double x : returns) {
            var += (x - mean) * (x - mean);
        }
        double std = episodes == 0 ? Double.NaN : Math.sqrt(var / episodes);
        return new Result(mean, std, returns, seedBase);
    }
}
