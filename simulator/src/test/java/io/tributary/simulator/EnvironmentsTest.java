package io.tributary.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.envs.CartPoleEnv;
import io.tributary.simulator.envs.PendulumEnv;
import io.tributary.simulator.example.CorridorEnv;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentsTest {

    /** A provider of a given name that is never asked to create anything. */
    private record NamedProvider(String name) implements EnvironmentProvider {
        @Override
        public Environment create(Map<String, String> options) {
            throw new UnsupportedOperationException("only the name is used in these tests");
        }
    }

    /** A second class, so a duplicate name comes from two distinct providers as on a real classpath. */
    private record OtherNamedProvider(String name) implements EnvironmentProvider {
        @Override
        public Environment create(Map<String, String> options) {
            throw new UnsupportedOperationException("only the name is used in these tests");
        }
    }

    @Test
    void serviceLoaderFindsBuiltInsAndTheTestOnlyProvider() {
        List<String> names = Environments.names();
        assertTrue(names.containsAll(List.of("CartPole-v1", "Pendulum-v1", "Corridor-v0")), names.toString());
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(String::compareTo);
        assertEquals(sorted, names);
        assertThrows(UnsupportedOperationException.class, () -> names.add("x"));
        assertTrue(Environments.isRegistered("Corridor-v0"));
        assertFalse(Environments.isRegistered("corridor-v0"));
    }

    @Test
    void createsEachByNameAsAFreshInstance() {
        Environment cartPole = Environments.create("CartPole-v1", Map.of());
        assertInstanceOf(CartPoleEnv.class, cartPole);
        assertNotSame(cartPole, Environments.create("CartPole-v1", Map.of()));
        assertInstanceOf(PendulumEnv.class, Environments.create("Pendulum-v1", Map.of()));
        Environment corridor = Environments.create("Corridor-v0", Map.of("length", "4"));
        assertInstanceOf(CorridorEnv.class, corridor);
        assertEquals("Corridor-v0", corridor.name());
        assertEquals(321, Environments.create("Pendulum-v1", Map.of("max-episode-steps", "321")).maxEpisodeSteps());
    }

    @Test
    void unknownNameListsTheAvailableOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Environments.create("MountainCar-v0", Map.of()));
        String m = e.getMessage();
        assertTrue(m.startsWith("unknown environment: name=MountainCar-v0, available=["), m);
        assertTrue(m.contains("CartPole-v1") && m.contains("Pendulum-v1") && m.contains("Corridor-v0"), m);
        assertTrue(m.contains("META-INF/services/io.tributary.simulator.EnvironmentProvider"), m);
    }

    @Test
    void rejectedOptionsAreReportedWithTheEnvironmentName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Environments.create("CartPole-v1", Map.of("bogus", "1")));
        assertTrue(e.getMessage().startsWith("cannot create environment: name=CartPole-v1"), e.getMessage());
        assertTrue(e.getMessage().contains("key=bogus, allowed=[max-episode-steps]"), e.getMessage());
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
    }

    @Test
    void duplicateNamesAreAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Environments.index(
                List.of(new NamedProvider("A-v0"), new NamedProvider("Twin-v0"), new OtherNamedProvider("Twin-v0"))));
        assertEquals("duplicate environment name: name=Twin-v0, providers=[" + NamedProvider.class.getName() + ", "
                + OtherNamedProvider.class.getName() + "] (each name must be registered once; remove one of them"
                + " from the classpath)", e.getMessage());
    }

    @Test
    void blankNamesAreRejected() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Environments.index(List.of(new NamedProvider(" "))));
        assertTrue(e.getMessage().contains(NamedProvider.class.getName()), e.getMessage());
    }

    @Test
    void indexIsSortedByName() {
        Map<String, EnvironmentProvider> index =
                Environments.index(List.of(new NamedProvider("b"), new NamedProvider("a"), new NamedProvider("c")));
        assertEquals(List.of("a", "b", "c"), List.copyOf(index.keySet()));
    }
}
