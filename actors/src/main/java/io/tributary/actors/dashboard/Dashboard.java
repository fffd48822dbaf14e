package io.tributary.actors.dashboard;

import io.tributary.streams.port.RunStreams;
import org.apache.pekko.actor.ClassicActorSystemProvider;

/**
 * A run's live dashboard: a {@link MetricsHub} fed by a {@link RunFollower} from the run's topics and
 * served by a {@link DashboardServer}. Started by {@code train --dashboard} in the training process and
 * by {@code monitor --dashboard}; a cluster node with a monitor role starts the same with its own actor
 * system and the run's streams.
 */
public final class Dashboard implements AutoCloseable {
    private final MetricsHub hub;
    private final RunFollower follower;
    private final DashboardServer server;

    private Dashboard(MetricsHub hub, RunFollower follower, DashboardServer server) {
        this.hub = hub;
        this.follower = follower;
        this.server = server;
    }

    /** Follows run {@code runId} through {@code streams} and serves its dashboard in {@code system}. */
    public static Dashboard start(ClassicActorSystemProvider system, RunStreams streams, String runId,
                                  DashboardSettings settings) {
        MetricsHub hub = new MetricsHub(runId, settings.historyEvents());
        RunFollower follower = RunFollower.start(streams, hub);
        DashboardServer server;
        try {
            server = DashboardServer.start(system, hub, settings);
        } catch (RuntimeException e) {
            follower.close();
            throw e;
        }
        System.err.println("[tributary] dashboard " + server.url());
        return new Dashboard(hub, follower, server);
    }

    /** The hub behind the page. */
    public MetricsHub hub() {
        return hub;
    }

    /** The follower of the run's topics. */
    public RunFollower follower() {
        return follower;
    }

    /** The page's URL. */
    public String url() {
        return server.url();
    }

    /** The server's bound address. */
    public java.net.InetSocketAddress address() {
        return server.address();
    }

    @Override
    public void close() {
        server.close();
        follower.close();
    }
}
