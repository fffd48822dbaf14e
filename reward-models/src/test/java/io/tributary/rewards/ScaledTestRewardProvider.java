package io.tributary.rewards;

import io.tributary.simulator.rollout.TrajectoryChunk;
import java.util.Map;
import java.util.Set;

/**
 * Test-only reward model {@code test-scaled}: the environment reward times option {@code factor}
 * (default 1). Option {@code legacy} is rejected with a plain IllegalArgumentException, as a provider
 * that does not use {@link RewardOptions} would.
 */
public final class ScaledTestRewardProvider implements RewardModelProvider {
    @Override
    public String name() {
        return "test-scaled";
    }

    @Override
    public RewardModel create(Map<String, String> options) {
        if (options.containsKey("legacy")) {
            throw new IllegalArgumentException("option no longer supported: key=legacy");
        }
        RewardOptions.requireKnownKeys(name(), options, Set.of("factor"));
        float factor = (float) RewardOptions.finiteDouble(name(), options, "factor", 1.0);
        return new RewardModel() {
            @Override
            public String id() {
                return "test-scaled";
            }

            @Override
            public long version() {
                return 3;
            }

            @Override
            public float scoreStep(TrajectoryChunk chunk, int step) {
                return chunk.rewards()[step] * factor;
            }
        };
    }
}
