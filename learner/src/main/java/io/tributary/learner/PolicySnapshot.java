package io.tributary.learner;

import java.util.Objects;

/**
 * A published policy version: what the learner streams back to rollout workers. Parameters are a flat
 * vector in the layout of {@link PolicyInference} for {@link #spec}; observation statistics let workers
 * normalise exactly as the learner does.
 *
 * @param runId            run that produced it
 * @param version          policy version (0 = initial weights), strictly increasing within a run
 * @param algorithm        algorithm name, e.g. {@code ppo}
 * @param spec             network architecture
 * @param parameters       actor parameters, flat
 * @param observationMean  running mean used to normalise observations
 * @param observationVar   running variance used to normalise observations
 * @param createdAtMicros  wall-clock time of publication, epoch microseconds
 */
public record PolicySnapshot(String runId, long version, String algorithm, PolicySpec spec, float[] parameters,
                             float[] observationMean, float[] observationVar, long createdAtMicros) {
    public PolicySnapshot {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(parameters, "parameters");
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0: version=" + version);
        }
        if (observationMean == null || observationMean.length != spec.observationSize()
                || observationVar == null || observationVar.length != spec.observationSize()) {
            throw new IllegalArgumentException("observation statistics must have observationSize="
                    + spec.observationSize() + " elements");
        }
    }
}
