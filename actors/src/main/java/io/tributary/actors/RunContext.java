package io.tributary.actors;

import io.tributary.learner.PolicySpec;
import io.tributary.streams.kafka.KafkaClients;
import io.tributary.streams.kafka.Topics;
import java.nio.file.Path;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Everything the actors of one run share: the checked configuration, the run folder, the topics, the
 * Kafka clients and one idempotent producer (thread-safe, shared by workers, publisher and monitor).
 *
 * @param config          checked configuration
 * @param runId           run id
 * @param runDir          run folder
 * @param checkpointDir   checkpoint folder
 * @param topics          the run's topics
 * @param clients         Kafka client factory
 * @param producer        shared idempotent producer
 * @param policySpec      policy network architecture for this environment
 * @param resume          true when continuing an earlier run from its checkpoint
 * @param jvmStartMillis  JVM start time (wall_seconds counts from it)
 */
public record RunContext(TributaryConfig config, String runId, Path runDir, Path checkpointDir, Topics topics,
                         KafkaClients clients, KafkaProducer<byte[], byte[]> producer, PolicySpec policySpec,
                         boolean resume, long jvmStartMillis) {

    /** The policy architecture the configured algorithm publishes for the environment's spaces. */
    public static PolicySpec policySpecFor(TributaryConfig config) {
        return io.tributary.learner.Learners.policySpec(config.learnerContext("policy-spec"));
    }
}
