package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.config.SettingsException;
import io.tributary.learner.Learners;
import io.tributary.learner.ProductionQuota;
import io.tributary.learner.ppo.PpoLearnerProvider;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TributaryConfigTest {
    private static final String BASE = "tributary.simulator.env.name = \"CartPole-v1\"";

    @Test
    void overridesApplyWithOrWithoutTheRootPrefix() {
        TributaryConfig c = TributaryConfig.parse(BASE, List.of("actors.workers=3", "tributary.learner.ppo.epochs=7",
                "run.id=abc", "simulator.env.options.max-episode-steps=50"));
        assertEquals(3, c.actors().workers());
        assertEquals(7, PpoLearnerProvider.settings(c.learnerContext("t")).epochs());
        assertEquals("abc", c.run().id());
        assertEquals(Map.of("max-episode-steps", "50"), c.simulator().envOptions());
        assertTrue(c.renderTributary().contains("workers"), "resolved config renders the tributary tree");
    }

    /** runs/<id>/config.conf is the rendered tree: it must load back as the same settings, every subtree of it. */
    @Test
    void theRenderedTreeLoadsBackAsTheSameSettings() {
        TributaryConfig c = TributaryConfig.parse(BASE, List.of("actors.workers=3", "run.seed=11", "kafka.partitions=3",
                "simulator.env.options.max-episode-steps=50", "learner.ppo.epochs=7"));
        TributaryConfig back = TributaryConfig.parse(c.renderTributary(), List.of());
        assertEquals(c.actors(), back.actors());
        assertEquals(c.run(), back.run());
        assertEquals(c.kafka(), back.kafka());
        assertEquals(c.simulator(), back.simulator());
        assertEquals(c.rewards(), back.rewards());
        assertEquals(c.config().getConfig("tributary"), back.config().getConfig("tributary"));
    }

    @Test
    void unknownKeysAnywhereAreRejectedByPath() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> TributaryConfig.parse(BASE + "\ntributary.actors.wrokers = 2\ntributary.kafak.x = 1", List.of()));
        assertTrue(e.getMessage().contains("tributary.actors.wrokers") && e.getMessage().contains("tributary.kafak.x"),
                e.getMessage());
    }

    @Test
    void badValuesNameThePathTheValueAndTheRule() {
        assertMessage("actors.max-policy-lag=-1", "path=tributary.actors.max-policy-lag", "value=-1", "must be in");
        assertMessage("run.id=\"bad id!\"", "path=tributary.run.id", "bad id!", "[A-Za-z0-9._-]");
        assertMessage("kafka.bootstrap-servers=nohostport", "path=tributary.kafka.bootstrap-servers", "host:port");
        assertMessage("learner.device=tpu", "tributary.learner.device", "tpu");
        assertMessage("simulator.env.name=NoSuchEnv-v0", "NoSuchEnv-v0", "CartPole-v1");
        assertMessage("actors.restart-backoff-max-ms=1", "restart-backoff-max-ms", "must be >=");
        assertMessage("actors.workers=many", "tributary.actors.workers", "integer");
        // An algorithm's own subtree is checked at load time too, by its provider.
        assertMessage("learner.ppo.gamma=2", "path=tributary.learner.ppo.gamma", "value=2.0", "must be in [0, 1]");
        assertMessage("learner.algorithm=a2c", "path=tributary.learner.algorithm", "value=a2c", "must be a registered algorithm, one of brpo | grpo | ppo");
        // Reward-model options are free-form for the key check (no "unknown config key"); the model itself rejects them.
        assertMessage("reward-models.options.scale=2", "path=tributary.reward-models.options.scale", "unknown option");
        assertMessage("simulator.env.options.max-episode-steps=0", "path=tributary.simulator.env.options", "max-episode-steps");
    }

    @Test
    void learnerContextCarriesTheRunBudgetSpacesAndTheDeclaredQuota() {
        TributaryConfig c = TributaryConfig.parse(BASE, List.of("run.max-env-steps=4321", "learner.ppo.batch-steps=512"));
        var ctx = c.learnerContext("r1");
        assertEquals(4321L, ctx.maxEnvSteps());
        assertEquals(4, ctx.observationSpace().flatSize());
        assertEquals("r1", ctx.runId());
        assertEquals(ProductionQuota.steps(512), Learners.quota(ctx));
        assertEquals(4321L, PpoLearnerProvider.settings(ctx).totalEnvSteps(), "annealing horizon = max-env-steps when unset");
    }

    private static void assertMessage(String override, String... parts) {
        SettingsException e = assertThrows(SettingsException.class, () -> TributaryConfig.parse(BASE, List.of(override)));
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
        }
    }
}
