package io.tributary.actors.local;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A standalone broker ({@code tributary kafka}) as a child JVM on a fixed loopback port and data folder,
 * which can be killed with SIGKILL and started again on the same port and folder (its topics survive).
 * The port is fixed so that clients configured with it reconnect to the restarted broker by themselves.
 */
public final class BrokerProcess implements AutoCloseable {
    /** The readiness line {@code tributary kafka} prints. */
    public static final Pattern READY = Pattern.compile("kafka broker ready: bootstrap=(\\S+)");
    private static final long START_TIMEOUT_MS = 120_000;

    private final int port;
    private final Path data;
    private final Path log;
    private final PrintStream echo;
    private final List<String> sets;
    private ChildProcess child;
    private String bootstrap;

    private BrokerProcess(int port, Path data, Path log, PrintStream echo, List<String> sets) {
        this.port = port;
        this.data = data.toAbsolutePath();
        this.log = log;
        this.echo = echo;
        this.sets = List.copyOf(sets);
    }

    /**
     * Starts {@code tributary kafka --port port --data data} (port 0 picks a free one, kept for restarts)
     * and waits until it accepts clients.
     *
     * @param sets {@code --set} overrides for the broker (e.g. {@code kafka.max-message-bytes=...})
     */
    public static BrokerProcess start(int port, Path data, Path log, PrintStream echo, List<String> sets)
            throws InterruptedException {
        BrokerProcess b = new BrokerProcess(port, data, log, echo, sets);
        b.launch();
        return b;
    }

    private void launch() throws InterruptedException {
        int p = bootstrap == null ? port : Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        List<String> args = new ArrayList<>(List.of("kafka", "--port", String.valueOf(p), "--data", data.toString()));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        child = ChildProcess.start("kafka", ChildJvm.command("1g", args), log, echo);
        bootstrap = child.awaitLine(READY, START_TIMEOUT_MS).group(1);
    }

    /** {@code host:port} for clients; the same across restarts. */
    public String bootstrapServers() {
        return bootstrap;
    }

    /** The broker's storage folder. */
    public Path data() {
        return data;
    }

    /** True while the broker process runs. */
    public boolean isAlive() {
        return child.isAlive();
    }

    /** SIGKILL (no clean shutdown); returns the exit code. */
    public int kill() throws InterruptedException {
        return child.kill();
    }

    /** Starts the broker again on the same port and folder and waits until it accepts clients. */
    public void restart() throws InterruptedException {
        if (child.isAlive()) {
            throw new IllegalStateException("broker still running: pid=" + child.pid());
        }
        launch();
    }

    /** SIGKILL then start again on the same port and folder. */
    public void killAndRestart() throws InterruptedException {
        kill();
        restart();
    }

    /** SIGTERM (clean shutdown, SIGKILL after 30 s); returns the exit code. */
    public int stop() throws InterruptedException {
        return child.stop(30_000);
    }

    @Override
    public void close() throws InterruptedException {
        if (child != null && child.isAlive()) {
            stop();
        }
    }
}
