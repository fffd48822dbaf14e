package io.tributary.actors.dashboard;

import io.tributary.streams.codec.MetricEvent;
import io.tributary.streams.port.DeadLetterRecord;
import io.tributary.streams.port.DeadLetterSource;
import io.tributary.streams.port.MetricsSource;
import io.tributary.streams.port.RunStreams;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The loop that owns a run's metrics and dead-letter readers: one thread ({@code tributary-monitor-follower}),
 * a {@link #doWork()} step that polls both and hands what arrived to a {@link MetricsHub}. Reads from
 * the beginning of the topics, so a finished run replays and a running one is followed.
 */
public final class RunFollower implements AutoCloseable {
    private final RunStreams streams;
    private final MetricsHub hub;
    private final Thread thread;
    private final CountDownLatch opened = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;
    private volatile int idlePolls;
    private volatile MetricsSource metrics;
    private volatile DeadLetterSource deadLetters;

    /** Starts following {@code streams}' metrics and dead-letter topics into {@code hub}. */
    public static RunFollower start(RunStreams streams, MetricsHub hub) {
        RunFollower f = new RunFollower(streams, hub);
        f.thread.start();
        return f;
    }

    private RunFollower(RunStreams streams, MetricsHub hub) {
        this.streams = streams;
        this.hub = hub;
        this.thread = new Thread(this::loop, "tributary-monitor-follower");
        this.thread.setDaemon(true);
    }

    private void loop() {
        try (MetricsSource m = streams.metricsSource(); DeadLetterSource d = streams.deadLetterSource()) {
            metrics = m;
            deadLetters = d;
            opened.countDown();
            while (running) {
                doWork();
            }
        } catch (RuntimeException e) {
            // The monitor shows what it has; the failure is reported by failure() and by the CLI.
            failure.set(e);
            System.err.println("[tributary] monitor stopped following run " + hub.runId() + ": " + e);
        } finally {
            opened.countDown();
        }
    }

    /** Polls both readers once; returns the number of records handed to the hub. */
    int doWork() {
        int work = 0;
        for (MetricEvent e : metrics.poll()) {
            hub.accept(e);
            work++;
        }
        for (DeadLetterRecord r : deadLetters.poll()) {
            hub.accept(r);
            work++;
        }
        hub.rolloutRecords(deadLetters.rolloutRecords());
        // Empty polls in a row mean the follower has read everything published so far.
        idlePolls = work == 0 ? idlePolls + 1 : 0;
        return work;
    }

    /** True while the latest polls found nothing new (everything published so far is read). */
    public boolean caughtUp() {
        return idlePolls >= 2;
    }

    /** The failure that stopped the loop, or null. */
    public Throwable failure() {
        return failure.get();
    }

    /** True while the loop runs. */
    public boolean alive() {
        return thread.isAlive();
    }

    @Override
    public void close() {
        running = false;
        try {
            opened.await(30, TimeUnit.SECONDS);
            MetricsSource m = metrics;
            DeadLetterSource d = deadLetters;
            if (m != null) {
                m.wakeup();
            }
            if (d != null) {
                d.wakeup();
            }
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
