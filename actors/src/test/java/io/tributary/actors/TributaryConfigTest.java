package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.config.SettingsException;
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
        assertEquals(7, c.learner().ppo().epochs());
        assertEquals("abc", c.run().id());
        assertEquals(Map.of("max-episode-steps", "50"), c.simulator().envOptions());
        assertTrue(c.renderTributary().contains("workers"), "resolved config renders the tributary tree");
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
    }

    private static void assertMessage(String override, String... parts) {
        SettingsException e = assertThrows(SettingsException.class, () -> TributaryConfig.parse(BASE, List.of(override)));
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
        }
    }
}
