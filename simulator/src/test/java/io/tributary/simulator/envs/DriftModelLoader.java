package io.tributary.simulator.envs;

import io.tributary.simulator.model.TransitionModel;
import io.tributary.simulator.model.TransitionModelLoader;
import io.tributary.simulator.random.SplitMix64;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A test-only model file format {@code test-drift}: the file holds one number d; the model moves every
 * observation value by d + action[0] and rewards 1. It proves that {@code ModelRollouts-v0} loads model
 * files through the {@link TransitionModelLoader} registry by format name.
 */
public final class DriftModelLoader implements TransitionModelLoader {
    @Override
    public String format() {
        return "test-drift";
    }

    @Override
    public TransitionModel load(Path file) throws IOException {
        float drift = Float.parseFloat(Files.readString(file).trim());
        return new TransitionModel() {
            @Override
            public int observationSize() {
                return 3;
            }

            @Override
            public int actionSize() {
                return 2;
            }

            @Override
            public double step(float[] observation, float[] action, SplitMix64 random, float[] next) {
                for (int i = 0; i < 3; i++) {
                    next[i] = observation[i] + drift + action[0];
                }
                return 1.0;
            }
        };
    }
}
