package io.tributary.actors;

import io.tributary.config.SettingsException;
import io.tributary.learner.PolicySettings;
import io.tributary.learner.PolicySpec;
import io.tributary.simulator.Environment;
import io.tributary.streams.kafka.KafkaClients;
import io.tributary.streams.kafka.Topics;
import java.nio.file.Path;
import java.util.List;
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

    /**
     * Derives the policy architecture from the environment's spaces and {@code tributary.learner.policy}
     * (Discrete actions: categorical head; Box actions: Gaussian, or tanh-Gaussian when configured); hidden
     * widths left empty there are PPO's.
     */
    public static PolicySpec policySpecFor(TributaryConfig config) {
        try (Environment env = config.simulator().createEnvironment()) {
            PolicySettings policy = config.learner().policy();
            List<String> unknown = policy.unknownFields(env.observationSpace());
            if (!unknown.isEmpty()) {
                throw new SettingsException(PolicySettings.FIELDS_PATH, unknown, "names fields the observation of env "
                        + env.name() + " does not have");
            }
            try {
                return PolicySpec.forSpaces(policy, env.observationSpace(), env.actionSpace(),
                        config.learner().ppo().hiddenSizes());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + ": env=" + env.name(), e);
            }
        }
    }
}
