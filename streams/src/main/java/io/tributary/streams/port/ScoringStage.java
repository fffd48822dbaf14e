package io.tributary.streams.port;

import io.tributary.streams.kafka.Topics;
import java.util.Objects;

/**
 * Where one scoring stage reads and writes: its source topic (trajectory chunks, or scored chunks whose
 * trajectory is scored again), target topic, dead-letter topic, consumer group and transactional id. A
 * second stage (re-scoring a run's log with another reward model) is another instance of the same loop
 * with other names.
 *
 * @param sourceTopic     topic read (trajectory chunks or scored chunks)
 * @param targetTopic     topic the scored chunks are written to
 * @param dlqTopic        topic for records that fail to decode or score
 * @param consumerGroup   consumer group shared by the stage's scorers (offsets committed in the transactions)
 * @param transactionalId transactional id of this scorer; stable across restarts, so a restart fences its predecessor
 */
public record ScoringStage(String sourceTopic, String targetTopic, String dlqTopic, String consumerGroup,
                           String transactionalId) {
    public ScoringStage {
        Objects.requireNonNull(sourceTopic, "sourceTopic");
        Objects.requireNonNull(targetTopic, "targetTopic");
        Objects.requireNonNull(dlqTopic, "dlqTopic");
        Objects.requireNonNull(consumerGroup, "consumerGroup");
        Objects.requireNonNull(transactionalId, "transactionalId");
        if (sourceTopic.isEmpty() || targetTopic.isEmpty() || dlqTopic.isEmpty() || consumerGroup.isEmpty()
                || transactionalId.isEmpty()) {
            throw new IllegalArgumentException("scoring stage names must not be empty: sourceTopic=" + sourceTopic
                    + ", targetTopic=" + targetTopic + ", dlqTopic=" + dlqTopic + ", consumerGroup=" + consumerGroup
                    + ", transactionalId=" + transactionalId);
        }
        if (sourceTopic.equals(targetTopic)) {
            throw new IllegalArgumentException("a scoring stage must not write to the topic it reads: sourceTopic="
                    + sourceTopic + ", targetTopic=" + targetTopic);
        }
    }

    /** The run's own scoring stage, scorer {@code index}: rollouts → scored, today's group and transactional ids. */
    public static ScoringStage primary(Topics topics, int index) {
        return new ScoringStage(topics.rollouts(), topics.scored(), topics.dlq(), "tributary." + topics.runId() + ".scorers",
                "tributary-" + topics.runId() + "-scorer-" + index);
    }

    /**
     * The stage that re-scores the run's rollouts log under {@code name} (one scorer): rollouts →
     * {@code tributary.<run>.scored.<name>}, group {@code tributary.<run>.rescore.<name>}, transactional id
     * {@code tributary-<run>-rescore-<name>}; stable per name, so a re-started re-scoring continues where
     * its committed transactions stopped and fences an earlier one still running.
     */
    public static ScoringStage rescore(Topics topics, String name) {
        return new ScoringStage(topics.rollouts(), topics.scored(name), topics.dlq(),
                "tributary." + topics.runId() + ".rescore." + name, "tributary-" + topics.runId() + "-rescore-" + name);
    }

    /** The client id of this stage's consumer and producer (the transactional id: unique per scorer). */
    public String clientId() {
        return transactionalId;
    }
}
