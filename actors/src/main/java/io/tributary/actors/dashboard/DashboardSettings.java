package io.tributary.actors.dashboard;

import static io.tributary.config.SettingsSupport.bool;
import static io.tributary.config.SettingsSupport.intIn;

import com.typesafe.config.Config;
import io.tributary.config.SettingsException;

/**
 * Settings of the live dashboard ({@code tributary.actors.dashboard} in reference.conf).
 *
 * @param enabled            serve the dashboard during training
 * @param host               bind address (loopback by default)
 * @param port               port, 0 = any free one
 * @param historyEvents      events kept and replayed to a page that connects later
 * @param clientBufferEvents events buffered for one slow page
 */
public record DashboardSettings(boolean enabled, String host, int port, int historyEvents, int clientBufferEvents) {
    /** The settings subtree. */
    public static final String PATH = "tributary.actors.dashboard";

    public DashboardSettings {
        if (host == null || host.isBlank()) {
            throw new SettingsException(PATH + ".host", host, "must be a host name or address");
        }
        if (port < 0 || port > 65535) {
            throw new SettingsException(PATH + ".port", port, "must be in [0, 65535]");
        }
    }

    /** Reads and checks {@code tributary.actors.dashboard}. */
    public static DashboardSettings fromConfig(Config c) {
        String p = PATH + ".";
        return new DashboardSettings(bool(c, p + "enabled"), c.getString(p + "host").trim(),
                intIn(c, p + "port", 0, 65535), intIn(c, p + "history-events", 100, 10_000_000),
                intIn(c, p + "client-buffer-events", 16, 1_000_000));
    }

    /** The same settings with {@code enabled} set. */
    public DashboardSettings withEnabled(boolean on) {
        return new DashboardSettings(on, host, port, historyEvents, clientBufferEvents);
    }
}
