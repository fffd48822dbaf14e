package io.tributary.streams.kafka;

import java.util.List;

/**
 * The topic layout of one run: {@code tributary.<run>.rollouts | scored | policy | metrics | dlq | ledger}.
 *
 * @param runId run id (letters, digits, '.', '_', '-')
 */
public record Topics(String runId) {
    public Topics {
        if (runId == null || !runId.matches("[A-Za-z0-9._-]{1,200}")) {
            throw new IllegalArgumentException("run id must be 1-200 of [A-Za-z0-9._-]: runId=" + runId);
        }
    }

    /** Trajectory chunks from rollout workers. */
    public String rollouts() {
        return name("rollouts");
    }

    /** Scored chunks from reward scorers (transactional; read with read_committed). */
    public String scored() {
        return name("scored");
    }

    /**
     * A further scored topic of the run, {@code tributary.<run>.scored.<name>}: the run's rollouts scored
     * again by another reward model or other reward settings ({@code tributary rescore}).
     *
     * @param name letters, digits, '_' or '-' (1-100), so the name stays one segment of the topic name
     */
    public String scored(String name) {
        if (name == null || !name.matches(RESCORE_NAME_PATTERN)) {
            throw new IllegalArgumentException("rescore name must be 1-100 of [A-Za-z0-9_-]: name=" + name);
        }
        return name("scored") + "." + name;
    }

    /** What a {@link #scored(String)} name may be. */
    public static final String RESCORE_NAME_PATTERN = "[A-Za-z0-9_-]{1,100}";

    /** Versioned policy snapshots from the learner. */
    public String policy() {
        return name("policy");
    }

    /** Metric events (reward stream, latencies, counters). */
    public String metrics() {
        return name("metrics");
    }

    /** Records that failed to decode, score or train, with the reason in headers. */
    public String dlq() {
        return name("dlq");
    }

    /** Ids of chunks covered by each durable checkpoint. */
    public String ledger() {
        return name("ledger");
    }

    /** Every topic of the run. */
    public List<String> all() {
        return List.of(rollouts(), scored(), policy(), metrics(), dlq(), ledger());
    }

    private String name(String suffix) {
        return "tributary." + runId + "." + suffix;
    }
}
