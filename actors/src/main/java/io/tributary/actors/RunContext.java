package io.tributary.actors;

import io.tributary.learner.PolicySpec;
import io.tributary.simulator.Environment;
import io.tributary.simulator.Space;
import io.tributary.streams.kafka.Topics;
import io.tributary.streams.port.RunStreams;
import java.nio.file.Path;

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

    /** Derives the policy architecture from an environment's spaces and the learner settings. */
    public static PolicySpec policySpecFor(TributaryConfig config) {
        try (Environment env = config.simulator().createEnvironment()) {
            int obs = env.observationSpace().flatSize();
            Space action = env.actionSpace();
            if (action instanceof Space.Discrete d) {
                return io.tributary.learner.Learners.policySpec(config.learner(), obs, PolicySpec.Head.CATEGORICAL,
                        d.n(), new float[0], new float[0]);
            }
            if (action instanceof Space.Box b) {
                return io.tributary.learner.Learners.policySpec(config.learner(), obs, PolicySpec.Head.GAUSSIAN,
                        b.flatSize(), b.low(), b.high());
            }
            throw new IllegalArgumentException("unsupported action space for the policy network: env="
                    + env.name() + ", actionSpace=" + action);
        }
    }
}
