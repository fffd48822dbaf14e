package io.tributary.streams.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.tributary.config.SettingsException;
import org.junit.jupiter.api.Test;

/** {@code tributary.kafka.retention-ms}: -1 (keep until the run is deleted) by default, else a positive number of ms. */
class KafkaSettingsRetentionTest {
    private static KafkaSettings with(String line) {
        return KafkaSettings.fromConfig(ConfigFactory.parseString(line).withFallback(ConfigFactory.defaultReference()).resolve());
    }

    @Test
    void retentionIsOffByDefaultAndCanBeSet() {
        assertEquals(-1L, with("").retentionMs());
        assertEquals(86_400_000L, with("tributary.kafka.retention-ms=86400000").retentionMs());
        assertEquals(-1L, with("").withBootstrapServers("localhost:1").retentionMs(), "kept with the bootstrap servers");
        SettingsException e = assertThrows(SettingsException.class, () -> with("tributary.kafka.retention-ms=0"));
        assertTrue(e.getMessage().contains("retention-ms"), e.getMessage());
        assertThrows(SettingsException.class, () -> with("tributary.kafka.retention-ms=-5"));
    }
}
