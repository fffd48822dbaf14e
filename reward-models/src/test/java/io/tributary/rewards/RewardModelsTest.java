package io.tributary.rewards;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.tributary.config.SettingsException;
import io.tributary.simulator.rollout.ChunkId;
import io.tributary.simulator.rollout.TrajectoryChunk;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Reward models found by name through ServiceLoader, with free-form options checked at start-up. */
class RewardModelsTest {

    private static RewardSettings settings(String overrides) {
        return RewardSettings.fromConfig(ConfigFactory.parseString(overrides).withFallback(ConfigFactory.defaultReference()).resolve());
    }

    private static String failure(String overrides) {
        return assertThrows(SettingsException.class, () -> settings(overrides)).getMessage();
    }

    private static TrajectoryChunk chunk(float... rewards) {
        int n = rewards.length;
        return new TrajectoryChunk(new ChunkId("run", UUID.randomUUID(), 0), "CartPole-v1", 0, 1, 0, 0, n, 1, new float[n],
                1, new float[n], new float[n], new float[n], rewards, new boolean[n], new boolean[n], new float[1],
                new int[0], new int[0], new int[0], 0L);
    }

    @Test
    void defaultIsTheEnvironmentRewardWithNoOptions() {
        RewardSettings s = settings("");
        assertEquals("env", s.model());
        assertEquals(Map.of(), s.options());
        try (RewardModel m = s.create()) {
            assertInstanceOf(EnvironmentRewardModel.class, m);
            assertArrayEquals(new float[] {1f, -2f}, m.scoreChunk(chunk(1f, -2f)));
        }
        assertTrue(RewardModels.names().containsAll(List.of("env", "test-scaled")), RewardModels.names().toString());
    }

    @Test
    void aProviderOnTheClasspathIsSelectedByNameAndGetsItsOptions() {
        RewardSettings s = settings("tributary.reward-models { model = test-scaled, options.factor = 2.5 }");
        assertEquals(Map.of("factor", "2.5"), s.options());
        try (RewardModel m = s.create()) {
            assertEquals("test-scaled", m.id());
            assertArrayEquals(new float[] {2.5f, -5f}, m.scoreChunk(chunk(1f, -2f)));
        }
    }

    @Test
    void badOptionsStopStartUpNamingTheirPath() {
        assertEquals("bad config: path=tributary.reward-models.options.factor, value=abc, rule=must be a finite number",
                failure("tributary.reward-models { model = test-scaled, options.factor = abc }"));
        assertEquals("bad config: path=tributary.reward-models.options.scale, value=2, rule=unknown option of reward model env;"
                + " known: []", failure("tributary.reward-models.options.scale = 2"));
        assertEquals("bad config: path=tributary.reward-models.options.legacy, value=true, rule=option no longer supported: key=legacy",
                failure("tributary.reward-models { model = test-scaled, options.legacy = true }"));
        assertEquals("bad config: path=tributary.reward-models.options.nested, value={a=1},"
                + " rule=must be a string, number or boolean (options are passed to the reward model as strings)",
                failure("tributary.reward-models.options.nested { a = 1 }"));
    }

    @Test
    void unknownModelListsTheRegisteredOnes() {
        String m = failure("tributary.reward-models.model = judge");
        assertTrue(m.startsWith("bad config: path=tributary.reward-models.model, value=judge, rule=must be a registered reward"
                + " model, one of env | hybrid-lane | test-scaled"), m);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RewardModels.create("judge", Map.of()));
        assertTrue(e.getMessage().startsWith("unknown reward model: name=judge, available=[env, hybrid-lane, test-scaled, writing-judge, writing-scalar]"), e.getMessage());
    }

    @Test
    void unknownKeysOutsideOptionsAreRejected() {
        String m = failure("tributary.reward-models.modle = env");
        assertTrue(m.startsWith("unknown config key(s): tributary.reward-models.modle"), m);
    }

    @Test
    void duplicateNamesAreRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RewardModels.index(List.of(new EnvironmentRewardModelProvider(), new EnvironmentRewardModelProvider())));
        assertTrue(e.getMessage().startsWith("duplicate reward model name: name=env"), e.getMessage());
    }
}
