package io.tributary.actors;

import io.tributary.simulator.Environment;
import io.tributary.simulator.StepResult;
import io.tributary.simulator.data.OfflineDataset;
import io.tributary.simulator.data.OfflineDatasetBuilder;

/**
 * Collects an offline dataset by running a {@link Controller} in an environment: episode i starts from
 * environment seed {@code seed + i} and the controller is reset with the same seed (controllers decorrelate
 * their own noise from it). Each step becomes one transition; terminated steps are terminals, truncated
 * steps timeouts.
 */
public final class DatasetCollector {
    private DatasetCollector() {
    }

    /** What a collection produced. */
    public record Result(OfflineDataset dataset, double[] returns) {
        /** Mean undiscounted episode return. */
        public double meanReturn() {
            double s = 0;
            for (double r : returns) {
                s += r;
            }
            return returns.length == 0 ? 0 : s / returns.length;
        }
    }

    /** Runs {@code episodes} episodes of {@code controller} in {@code env}. */
    public static Result collect(Environment env, Controller controller, int episodes, long seed) {
        if (episodes < 1) {
            throw new IllegalArgumentException("episodes must be >= 1: episodes=" + episodes);
        }
        int obsSize = env.observationSpace().flatSize();
        int actSize = env.actionSpace().flatSize();
        OfflineDatasetBuilder b = new OfflineDatasetBuilder(env.name(), obsSize, actSize);
        StepResult out = StepResult.forEnvironment(env);
        float[] obs = new float[obsSize];
        float[] action = new float[actSize];
        double[] returns = new double[episodes];
        for (int e = 0; e < episodes; e++) {
            long s = seed + e;
            env.reset(s, out);
            controller.reset(s);
            int steps = 0;
            while (!out.done()) {
                System.arraycopy(out.observation, 0, obs, 0, obsSize);
                controller.act(obs, out.info, action);
                env.step(action, out);
                b.add(obs, action, out.reward, out.observation, out.terminated, out.truncated);
                returns[e] += out.reward;
                if (++steps > env.maxEpisodeSteps() && !out.done()) {
                    throw new IllegalStateException("episode ran past the environment's step limit without ending: env="
                            + env.name() + ", steps=" + steps + ", maxEpisodeSteps=" + env.maxEpisodeSteps());
                }
            }
        }
        return new Result(b.build(), returns);
    }
}
