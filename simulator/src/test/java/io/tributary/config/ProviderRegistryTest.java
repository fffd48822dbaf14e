package io.tributary.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.EnvironmentProvider;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderRegistryTest {

    /** An SPI that no services file lists, so only {@link ProviderRegistry#index} sees its providers. */
    interface Widget {
        String label();
    }

    private record Plain(String label) implements Widget {
    }

    /** A second class, so a duplicate name comes from two distinct providers as on a real classpath. */
    private record Other(String label) implements Widget {
    }

    private static ProviderRegistry<Widget> widgets() {
        return new ProviderRegistry<>(Widget.class, Widget::label, "widget", ProviderRegistryTest.class.getClassLoader());
    }

    @Test
    void indexIsSortedAndUnmodifiable() {
        Map<String, Widget> index = widgets().index(List.of(new Plain("b"), new Plain("a"), new Other("c")));
        assertEquals(List.of("a", "b", "c"), List.copyOf(index.keySet()));
        assertThrows(UnsupportedOperationException.class, () -> index.put("d", new Plain("d")));
    }

    @Test
    void duplicateNamesNameBothClasses() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> widgets().withNameKey("label").index(List.of(new Plain("x"), new Other("x"))));
        assertEquals("duplicate widget name: label=x, providers=[" + Plain.class.getName() + ", " + Other.class.getName()
                + "] (each name must be registered once; remove one of them from the classpath)", e.getMessage());
    }

    @Test
    void blankReservedAndIllFormedNamesAreRefused() {
        IllegalStateException blank = assertThrows(IllegalStateException.class,
                () -> widgets().index(List.of(new Plain(" "))));
        assertEquals("widget provider has no name: provider=" + Plain.class.getName(), blank.getMessage());
        assertThrows(IllegalStateException.class, () -> widgets().index(List.of(new Plain(null))));
        IllegalStateException reserved = assertThrows(IllegalStateException.class,
                () -> widgets().reserving("none").index(List.of(new Plain("none"))));
        assertEquals("widget provider has no usable name: name=none, provider=" + Plain.class.getName()
                + " (the name is reserved)", reserved.getMessage());
        IllegalStateException pattern = assertThrows(IllegalStateException.class,
                () -> widgets().withNamesMatching("[a-z]+").index(List.of(new Plain("A b"))));
        assertTrue(pattern.getMessage().endsWith("(a name must match [a-z]+)"), pattern.getMessage());
    }

    @Test
    void unknownNameListsTheRegisteredOnesAndTheServicesFile() {
        ProviderRegistry<Widget> none = widgets();
        assertEquals(List.of(), none.names());
        assertFalse(none.isRegistered("x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> none.get("x"));
        assertEquals("unknown widget: name=x, available=[] (a provider must be listed in META-INF/services/"
                + Widget.class.getName() + " of a jar on the classpath)", e.getMessage());
        SettingsException s = assertThrows(SettingsException.class, () -> none.get("x", "tributary.widget"));
        assertEquals("bad config: path=tributary.widget, value=x, rule=must be a registered widget, one of "
                + " (a provider must be listed in META-INF/services/" + Widget.class.getName()
                + " of a jar on the classpath)", s.getMessage());
    }

    @Test
    void loadsListedProvidersOnceSortedByName() {
        ProviderRegistry<EnvironmentProvider> envs = new ProviderRegistry<>(EnvironmentProvider.class,
                EnvironmentProvider::name, "environment", ProviderRegistryTest.class.getClassLoader());
        List<String> names = envs.names();
        assertTrue(names.containsAll(List.of("CartPole-v1", "Pendulum-v1")), names.toString());
        assertEquals(names.stream().sorted().toList(), names);
        assertSame(envs.providers(), envs.providers());
        assertTrue(envs.isRegistered("CartPole-v1"));
        assertSame(envs.providers().get("CartPole-v1"), envs.get("CartPole-v1"));
        assertTrue(envs.registeredRule().startsWith("must be a registered environment, one of "
                + String.join(" | ", names) + " (a provider"), envs.registeredRule());
    }
}
