package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.actors.local.BrokerProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A single-process {@code train} run against a broker in a separate JVM ({@code tributary kafka}) whose
 * broker is killed with SIGKILL mid-run and restarted on the same port and data folder: every role's
 * producers and consumers recover, the run finishes its budget, and the accounts computed from the topics
 * show nothing lost and nothing trained twice.
 */
class BrokerRestartTest {
    @TempDir
    Path dir;

    @Test
    void brokerKilledAndRestartedMidRunLosesNothingAndTrainsNothingTwice() throws Exception {
        try (BrokerProcess broker = BrokerProcess.start(freePort(), dir.resolve("kafka-data"), dir.resolve("kafka.log"),
                null, List.of())) {
            TributaryConfig c = TestRuns.cartPole(dir, 24_000, "tributary.run.id=restarted",
                    "tributary.kafka.bootstrap-servers=\"" + broker.bootstrapServers() + "\"");
            Path checkpoints = dir.resolve("restarted").resolve("checkpoints");
            AtomicReference<Throwable> killerFailure = new AtomicReference<>();
            long[] killedAt = {-1};
            Thread killer = new Thread(() -> {
                try {
                    while (latestUpdates(checkpoints) < 6) {
                        Thread.sleep(50);
                    }
                    killedAt[0] = latestUpdates(checkpoints);
                    long t0 = System.currentTimeMillis();
                    assertEquals(137, broker.kill());
                    broker.restart();
                    System.out.printf("broker killed after update %d and back after %.1f s%n", killedAt[0],
                            (System.currentTimeMillis() - t0) / 1000.0);
                } catch (Throwable t) {
                    killerFailure.set(t);
                }
            }, "broker-killer");
            killer.setDaemon(true);
            killer.start();
            TrainingRun.Outcome out = TrainingRun.run(c, null, null);
            killer.join(120_000);
            if (killerFailure.get() != null) {
                throw new AssertionError("killing or restarting the broker failed", killerFailure.get());
            }
            RunSummary s = out.summary();
            System.out.println("broker restart run: " + s);
            assertTrue(killedAt[0] >= 6, "the broker was killed mid-run");
            assertTrue(s.envSteps() >= 24_000, "finished its budget: " + s);
            assertEquals(0L, s.chunksLost(), "lost: " + s);
            assertEquals(0L, s.chunksDuplicated(), "duplicated: " + s);
            assertTrue(s.accountsChecked(), "accounts: " + s.accountsMismatch());
            assertEquals(s.chunksProduced(), s.chunksTrained() + s.chunksDroppedStale() + s.chunksRejected()
                    + s.chunksDeadLettered() + s.chunksUnusedAtEnd(), "produced is the sum: " + s);
            assertTrue(s.chunksTrained() > killedAt[0], "trained after the restart: " + s);
        }
    }

    static long latestUpdates(Path store) {
        try {
            Path latest = store.resolve("LATEST");
            if (!Files.exists(latest)) {
                return 0;
            }
            Properties p = new Properties();
            try (var r = Files.newBufferedReader(store.resolve(Files.readString(latest).trim()).resolve("checkpoint.properties"))) {
                p.load(r);
            }
            return Long.parseLong(p.getProperty("updates"));
        } catch (Exception e) {
            return 0; // a checkpoint being replaced; try again
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
