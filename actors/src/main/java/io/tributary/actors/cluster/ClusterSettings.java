package io.tributary.actors.cluster;

import static io.tributary.config.SettingsSupport.intIn;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.tributary.config.SettingsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Settings of one cluster node ({@code tributary.cluster}), read only by the node command.
 *
 * @param host                 artery hostname this node binds and announces
 * @param port                 artery port of this node
 * @param seedNodes            host:port of the seed nodes
 * @param roles                roles of this node (subset of {@link #ROLES})
 * @param managementPort       Pekko Management HTTP port, 0 = none
 * @param sessionTimeoutMs     Kafka group session timeout in cluster mode
 * @param transactionTimeoutMs Kafka transaction timeout in cluster mode
 * @param exitGraceMs          wait between "run finished" and leaving the cluster
 */
public record ClusterSettings(String host, int port, List<String> seedNodes, List<String> roles, int managementPort,
                              int sessionTimeoutMs, int transactionTimeoutMs, int exitGraceMs) {
    /** Config path of the subtree. */
    public static final String PATH = "tributary.cluster";
    /** The roles a node may carry. */
    public static final Set<String> ROLES = Set.of("rollout", "reward", "learner", "monitor");
    /** Name of every node's actor system (seed node addresses name it). */
    public static final String SYSTEM_NAME = "tributary";

    /** Checks the values. */
    public ClusterSettings {
        seedNodes = List.copyOf(seedNodes);
        roles = List.copyOf(roles);
        if (host.isBlank()) {
            throw new SettingsException(PATH + ".host", host, "must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new SettingsException(PATH + ".port", port, "must be in 0..65535");
        }
        if (seedNodes.isEmpty()) {
            throw new SettingsException(PATH + ".seed-nodes", seedNodes, "must name at least one host:port");
        }
        for (String s : seedNodes) {
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || colon == s.length() - 1 || !s.substring(colon + 1).chars().allMatch(Character::isDigit)) {
                throw new SettingsException(PATH + ".seed-nodes", s, "each entry must be host:port");
            }
        }
        if (roles.isEmpty()) {
            throw new SettingsException(PATH + ".roles", roles, "must name at least one of " + ROLES);
        }
        for (String r : roles) {
            if (!ROLES.contains(r)) {
                throw new SettingsException(PATH + ".roles", r, "must be one of " + ROLES);
            }
        }
        if (managementPort < 0 || managementPort > 65535) {
            throw new SettingsException(PATH + ".management-port", managementPort, "must be in 0..65535");
        }
        if (sessionTimeoutMs < 6_000 || sessionTimeoutMs > 10_000) {
            throw new SettingsException(PATH + ".kafka.session-timeout-ms", sessionTimeoutMs,
                    "must be in 6000..10000 (a dead scorer must not hold partitions for longer than 10 s)");
        }
        if (transactionTimeoutMs < 1_000 || transactionTimeoutMs > 10_000) {
            throw new SettingsException(PATH + ".kafka.transaction-timeout-ms", transactionTimeoutMs,
                    "must be in 1000..10000 (a dead scorer's open transaction must not block readers for longer than 10 s)");
        }
        if (exitGraceMs < 0) {
            throw new SettingsException(PATH + ".exit-grace-ms", exitGraceMs, "must be >= 0");
        }
    }

    /** Reads and checks {@code tributary.cluster}. */
    public static ClusterSettings fromConfig(Config c) {
        String p = PATH + ".";
        return new ClusterSettings(c.getString(p + "host").trim(), intIn(c, p + "port", 0, 65535),
                trimmed(c.getStringList(p + "seed-nodes")), trimmed(c.getStringList(p + "roles")),
                intIn(c, p + "management-port", 0, 65535), c.getInt(p + "kafka.session-timeout-ms"),
                c.getInt(p + "kafka.transaction-timeout-ms"), c.getInt(p + "exit-grace-ms"));
    }

    private static List<String> trimmed(List<String> l) {
        List<String> out = new ArrayList<>();
        for (String s : l) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    /** True when this node carries {@code role}. */
    public boolean has(String role) {
        return roles.contains(role);
    }

    /** The overrides ({@code key=value}) that put the cluster-mode Kafka settings over {@code tributary.kafka}. */
    public List<String> kafkaOverrides() {
        return List.of("kafka.session-timeout-ms=" + sessionTimeoutMs, "kafka.transaction-timeout-ms=" + transactionTimeoutMs);
    }

    /**
     * Position of this node's host:port in the seed list, else a number from its port; it keeps the worker
     * indices (and so the training seeds) of nodes apart.
     */
    public int nodeIndex() {
        int i = seedNodes.indexOf(host + ":" + port);
        return i >= 0 ? i : seedNodes.size() + Math.floorMod(port, 64);
    }

    /**
     * The actor system's configuration: {@code tributary.cluster.pekko} under {@code pekko}, this node's
     * address, roles and seed nodes, over {@code base} (the run's whole configuration).
     */
    public Config actorSystemConfig(Config base) {
        List<String> seeds = new ArrayList<>();
        for (String s : seedNodes) {
            seeds.add("pekko://" + SYSTEM_NAME + "@" + s);
        }
        Config node = ConfigFactory.empty()
                .withValue("pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(host))
                .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(port))
                .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seeds))
                .withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(roles))
                // Pekko Management (started only with a management port) binds the same host as artery.
                .withValue("pekko.management.http.hostname", ConfigValueFactory.fromAnyRef(host))
                .withValue("pekko.management.http.port", ConfigValueFactory.fromAnyRef(managementPort));
        return node.withFallback(base.getConfig(PATH + ".pekko").atKey("pekko")).withFallback(base);
    }
}
