package io.tributary.simulator.writing;

import io.tributary.simulator.Environment;
import io.tributary.simulator.EnvironmentProvider;
import java.util.Map;

/** Registers {@link WritingEnv} as {@code Writing-v0} (spaces for the config checks; sampled by the text rollout role). */
public final class WritingEnvProvider implements EnvironmentProvider {
    @Override
    public String name() {
        return WritingEnv.NAME;
    }

    @Override
    public Environment create(Map<String, String> options) {
        return WritingEnv.fromOptions(options);
    }
}
