package io.tributary.streams.kafka;

import static io.tributary.config.SettingsSupport.intIn;
import static io.tributary.config.SettingsSupport.longIn;

import com.typesafe.config.Config;
import io.tributary.config.SettingsException;

/**
 * Kafka connection and topic settings ({@code tributary.kafka} in reference.conf).
 *
 * @param bootstrapServers      external cluster, or empty for the embedded broker
 * @param embeddedPort          embedded broker port (0 = any free port)
 * @param maxMessageBytes       largest record accepted end to end
 * @param partitions            partitions of the rollouts and scored topics
 * @param replicationFactor     replication factor of created topics
 * @param lingerMs              producer linger
 * @param requestTimeoutMs      client request timeout
 * @param deliveryTimeoutMs     bound on one send with its retries
 * @param maxBlockMs            bound on blocking client calls
 * @param transactionTimeoutMs  scorer transaction timeout
 * @param pollTimeoutMs         consumer poll wait
 * @param retentionMs           retention of the run's system-of-record topics (rollouts, scored, policy,
 *                              ledger, dead letters); -1 keeps their data until the run is deleted
 * @param sessionTimeoutMs      session timeout of group consumers (scorers): how long the broker waits for a
 *                              silent member before it hands its partitions to another
 */
public record KafkaSettings(String bootstrapServers, int embeddedPort, int maxMessageBytes, int partitions,
                            int replicationFactor, int lingerMs, int requestTimeoutMs, int deliveryTimeoutMs,
                            int maxBlockMs, int transactionTimeoutMs, int pollTimeoutMs, long retentionMs,
                            int sessionTimeoutMs) {

    /** Reads and checks {@code tributary.kafka}. */
    public static KafkaSettings fromConfig(Config c) {
        String p = "tributary.kafka.";
        String bootstrap = c.getString(p + "bootstrap-servers").trim();
        if (!bootstrap.isEmpty()) {
            for (String hp : bootstrap.split(",")) {
                int colon = hp.trim().lastIndexOf(':');
                if (colon <= 0 || colon == hp.trim().length() - 1) {
                    throw new SettingsException(p + "bootstrap-servers", bootstrap, "must be a comma-separated host:port list");
                }
            }
        }
        int request = intIn(c, p + "request-timeout-ms", 100, 600_000);
        int linger = intIn(c, p + "linger-ms", 0, 10_000);
        int delivery = intIn(c, p + "delivery-timeout-ms", 1_000, 3_600_000);
        if (delivery < request + linger) {
            throw new SettingsException(p + "delivery-timeout-ms", delivery,
                    "must be >= request-timeout-ms + linger-ms (" + (request + linger) + ")");
        }
        return new KafkaSettings(bootstrap,
                intIn(c, p + "embedded-port", 0, 65535),
                intIn(c, p + "max-message-bytes", 1 << 16, 1 << 30),
                intIn(c, p + "partitions", 1, 1024),
                intIn(c, p + "replication-factor", 1, 16),
                linger, request, delivery,
                intIn(c, p + "max-block-ms", 100, 3_600_000),
                intIn(c, p + "transaction-timeout-ms", 1_000, 900_000),
                intIn(c, p + "poll-timeout-ms", 1, 60_000),
                retentionMs(c, p + "retention-ms"),
                // The broker's default group.min/max.session.timeout.ms bounds are 6 s and 30 min.
                intIn(c, p + "session-timeout-ms", 6_000, 1_800_000));
    }

    private static long retentionMs(Config c, String path) {
        long v = longIn(c, path, -1, Long.MAX_VALUE);
        if (v == 0) {
            throw new SettingsException(path, v, "must be -1 (keep until the run is deleted) or a positive number of ms");
        }
        return v;
    }

    /** True when no external cluster is configured and the embedded broker must be started. */
    public boolean embedded() {
        return bootstrapServers.isEmpty();
    }

    /** The same settings pointing at {@code servers} (used once the embedded broker is up). */
    public KafkaSettings withBootstrapServers(String servers) {
        return new KafkaSettings(servers, embeddedPort, maxMessageBytes, partitions, replicationFactor, lingerMs,
                requestTimeoutMs, deliveryTimeoutMs, maxBlockMs, transactionTimeoutMs, pollTimeoutMs, retentionMs,
                sessionTimeoutMs);
    }
}
