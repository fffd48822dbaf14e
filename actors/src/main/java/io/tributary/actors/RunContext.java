package io.tributary.actors;

import io.tributary.config.SettingsException;
import io.tributary.learner.PolicySettings;
import io.tributary.learner.PolicySpec;
import io.tributary.simulator.Environment;
import io.tributary.streams.kafka.Topics;
import io.tributary.streams.port.RunStreams;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything the actors of one run share: the checked configuration, the run folder, the topics and
 * the run's streams (sinks shared by workers, publisher and monitor; sources made per reader).
 *
 * @param config          checked configuration
 * @param runId           run id
 * @param runDir          run folder
 * @param checkpointDir   checkpoint folder
 * @param topics          the run's topics
 * @param streams         the run's streams (rollout, policy, metrics and ledger sinks; scored, policy and metrics sources; scorers)
 * @param policySpec      policy network architecture for this environment
 * @param resume          true when continuing an earlier run from its checkpoint
 * @param jvmStartMillis  JVM start time (wall_seconds counts from it)
 */
public record RunContext(TributaryConfig config, String runId, Path runDir, Path checkpointDir, Topics topics,
                         RunStreams streams, PolicySpec policySpec,
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
