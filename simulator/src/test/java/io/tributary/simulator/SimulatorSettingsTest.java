package io.tributary.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tributary.config.SettingsException;
import io.tributary.simulator.example.CorridorEnv;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatorSettingsTest {

    private static Config withReference(String hocon) {
        return ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve();
    }

    @Test
    void referenceDefaultsToCartPoleWithNoOptions() {
        SimulatorSettings s = SimulatorSettings.fromConfig(ConfigFactory.defaultReference());
        assertEquals("CartPole-v1", s.envName());
        assertEquals(Map.of(), s.envOptions());
        assertEquals(500, s.createEnvironment().maxEpisodeSteps());
    }

    @Test
    void readsNameAndOptionsAsStrings() {
        SimulatorSettings s = SimulatorSettings.fromConfig(withReference(
                "tributary.simulator.env { name = \"Corridor-v0\", options { length = 5, max-episode-steps = \"20\" } }"));
        assertEquals("Corridor-v0", s.envName());
        assertEquals(Map.of("length", "5", "max-episode-steps", "20"), s.envOptions());
        Environment env = s.createEnvironment();
        assertInstanceOf(CorridorEnv.class, env);
        assertEquals(20, env.maxEpisodeSteps());
    }

    @Test
    void numbersAndBooleansKeepTheirWrittenText() {
        SimulatorSettings s = SimulatorSettings.fromConfig(withReference(
                "tributary.simulator.env.options { a = 300, b = 1.5, c = true, \"d.e\" = x }"));
        assertEquals(Map.of("a", "300", "b", "1.5", "c", "true", "d.e", "x"), s.envOptions());
    }

    @Test
    void unregisteredNameNamesPathValueAndAvailableNames() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> SimulatorSettings.fromConfig(withReference("tributary.simulator.env.name = Acrobot-v1")));
        String m = e.getMessage();
        assertTrue(m.startsWith("bad config: path=tributary.simulator.env.name, value=Acrobot-v1, rule=must be a"
                + " registered environment name, one of "), m);
        assertTrue(m.contains("CartPole-v1") && m.contains("Pendulum-v1") && m.contains("Corridor-v0"), m);
    }

    @Test
    void nonStringNameIsRejected() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> SimulatorSettings.fromConfig(withReference("tributary.simulator.env.name = [a, b]")));
        assertTrue(e.getMessage().contains("path=tributary.simulator.env.name"), e.getMessage());
    }

    @Test
    void optionsMustBeAnObjectOfScalars() {
        SettingsException notObject = assertThrows(SettingsException.class,
                () -> SimulatorSettings.fromConfig(withReference("tributary.simulator.env.options = \"length=5\"")));
        assertTrue(notObject.getMessage().startsWith("bad config: path=tributary.simulator.env.options, value=length=5"),
                notObject.getMessage());
        SettingsException nested = assertThrows(SettingsException.class,
                () -> SimulatorSettings.fromConfig(withReference("tributary.simulator.env.options.walls { n = 2 }")));
        assertTrue(nested.getMessage().startsWith("bad config: path=tributary.simulator.env.options.walls, "),
                nested.getMessage());
        SettingsException list = assertThrows(SettingsException.class,
                () -> SimulatorSettings.fromConfig(withReference("tributary.simulator.env.options.sizes = [1, 2]")));
        assertTrue(list.getMessage().contains("path=tributary.simulator.env.options.sizes"), list.getMessage());
    }

    @Test
    void misspeltKeysUnderTheSubtreeAreRejected() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> SimulatorSettings.fromConfig(withReference("tributary.simulator.env.nmae = Pendulum-v1")));
        assertTrue(e.getMessage().contains("tributary.simulator.env.nmae"), e.getMessage());
    }

    @Test
    void recordValidatesAndCopiesOptions() {
        assertThrows(IllegalArgumentException.class, () -> new SimulatorSettings(" ", Map.of()));
        Map<String, String> options = new HashMap<>(Map.of("length", "3"));
        SimulatorSettings s = new SimulatorSettings("Corridor-v0", options);
        options.put("length", "9");
        assertEquals("3", s.envOptions().get("length"));
        assertThrows(UnsupportedOperationException.class, () -> s.envOptions().put("x", "y"));
    }
}
