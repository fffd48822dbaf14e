package io.tributary.actors;

import io.tributary.learner.PolicySpec;
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

    /** The policy architecture the configured algorithm publishes for the environment's spaces. */
    public static PolicySpec policySpecFor(TributaryConfig config) {
        return io.tributary.learner.Learners.policySpec(config.learnerContext("policy-spec"));
    }

    /** The same context with {@code resume} set (a cluster's learner resumes whenever a checkpoint exists). */
    public RunContext withResume(boolean resume) {
        return new RunContext(config, runId, runDir, checkpointDir, topics, streams, policySpec, resume, jvmStartMillis);
    }
}
