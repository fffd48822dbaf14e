package io.tributary.simulator.rollout;

import java.util.Objects;

/**
 * A piece of one environment's trajectory: the unit that travels from rollout workers to the learner.
 * Per-step data are primitive arrays laid out step-major. A chunk never spans two episodes: it ends
 * after {@code steps} steps or at the episode's end, so only its last step can be terminated or
 * truncated, and {@link #bootstrapObservation} is the observation after the last step.
 *
 * <p>Shapes for the other workloads: a group of variable-length token sequences (writing/BRPO) uses
 * {@link #segmentOffsets} ({@code segments + 1} offsets into the steps, one segment per response),
 * token ids as actions and {@link #context} for the prompt; model-based rollouts use {@link #depth} for
 * each step's rollout depth. Unused optional arrays are empty, never null.
 *
 * @param id                   unique id (run, worker incarnation, sequence)
 * @param envName              registered environment name
 * @param envIndex             index of the environment instance inside its worker
 * @param episodeId            episode number, unique per worker incarnation and env instance
 * @param chunkIndex           index of this chunk inside its episode
 * @param policyVersion        version of the policy that chose the actions
 * @param steps                number of steps
 * @param observationSize      floats per observation
 * @param observations         {@code steps * observationSize} observations before each action
 * @param actionSize           floats per action
 * @param actions              {@code steps * actionSize} actions taken
 * @param logProbs             behaviour-policy log-probability of each action
 * @param values               behaviour-policy value estimate of each observation (0 if none)
 * @param rewards              environment reward of each step
 * @param terminated           step reached a terminal state
 * @param truncated            step was cut by a time limit
 * @param bootstrapObservation observation after the last step ({@code observationSize} floats)
 * @param segmentOffsets       optional segment boundaries (group of sequences), empty if unused
 * @param context              optional chunk-level context token ids (e.g. a prompt), empty if unused
 * @param depth                optional per-step rollout depth (model-based), empty if unused
 * @param createdAtMicros      wall-clock time the chunk was completed, epoch microseconds
 */
public record TrajectoryChunk(
        ChunkId id,
        String envName,
        int envIndex,
        long episodeId,
        int chunkIndex,
        long policyVersion,
        int steps,
        int observationSize,
        float[] observations,
        int actionSize,
        float[] actions,
        float[] logProbs,
        float[] values,
        float[] rewards,
        boolean[] terminated,
        boolean[] truncated,
        float[] bootstrapObservation,
        int[] segmentOffsets,
        int[] context,
        int[] depth,
        long createdAtMicros) {

    /** Largest number of steps one chunk may hold. */
    public static final int MAX_STEPS = 1 << 20;

    public TrajectoryChunk {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(envName, "envName");
        if (!(steps >= 1 && steps <= MAX_STEPS)) {
            throw new IllegalArgumentException("steps out of range: steps=" + steps + ", max=" + MAX_STEPS);
        }
        if (!(observationSize >= 0)) {
            throw new IllegalArgumentException("observationSize must be >= 0: observationSize=" + observationSize);
        }
        if (!(actionSize >= 1)) {
            throw new IllegalArgumentException("actionSize must be >= 1: actionSize=" + actionSize);
        }
        if (!(envIndex >= 0)) {
            throw new IllegalArgumentException("envIndex must be >= 0: envIndex=" + envIndex);
        }
        if (!(chunkIndex >= 0)) {
            throw new IllegalArgumentException("chunkIndex must be >= 0: chunkIndex=" + chunkIndex);
        }
        if (!(policyVersion >= 0)) {
            throw new IllegalArgumentException("policyVersion must be >= 0: policyVersion=" + policyVersion);
        }
        length("observations", observations, (long) steps * observationSize);
        length("actions", actions, (long) steps * actionSize);
        length("logProbs", logProbs, steps);
        length("values", values, steps);
        length("rewards", rewards, steps);
        if (!(terminated != null && terminated.length == steps)) {
            throw new IllegalArgumentException("terminated length mismatch: length=" + (terminated == null ? -1 : terminated.length) + ", steps=" + steps);
        }
        if (!(truncated != null && truncated.length == steps)) {
            throw new IllegalArgumentException("truncated length mismatch: length=" + (truncated == null ? -1 : truncated.length) + ", steps=" + steps);
        }
        length("bootstrapObservation", bootstrapObservation, observationSize);
        Objects.requireNonNull(segmentOffsets, "segmentOffsets (use an empty array)");
        Objects.requireNonNull(context, "context (use an empty array)");
        Objects.requireNonNull(depth, "depth (use an empty array)");
        if (!(depth.length == 0 || depth.length == steps)) {
            throw new IllegalArgumentException("depth must be empty or one per step: depth.length=" + depth.length + ", steps=" + steps);
        }
        if (segmentOffsets.length > 0) {
            if (!(segmentOffsets.length >= 2 && segmentOffsets[0] == 0 && segmentOffsets[segmentOffsets.length - 1] == steps)) {
            throw new IllegalArgumentException("segmentOffsets must run from 0 to steps: first=" + segmentOffsets[0] + ", last="
                            + segmentOffsets[segmentOffsets.length - 1] + ", steps=" + steps);
        }
            for (int i = 1; i < segmentOffsets.length; i++) {
                if (!(segmentOffsets[i] > segmentOffsets[i - 1])) {
            throw new IllegalArgumentException("segmentOffsets must increase: index=" + i
                        + ", previous=" + segmentOffsets[i - 1] + ", value=" + segmentOffsets[i]);
        }
            }
        } else {
            for (int i = 0; i < steps - 1; i++) {
                if (!(!terminated[i] && !truncated[i])) {
            throw new IllegalArgumentException("only the last step of a chunk may end an episode: step=" + i + ", steps=" + steps);
        }
            }
        }
    }

    /** True if the last step ended the episode (terminated or truncated). */
    public boolean endsEpisode() {
        return terminated[steps - 1] || truncated[steps - 1];
    }

    /** Number of segments (sequences in a group), or 1 when the chunk is not segmented. */
    public int segmentCount() {
        return segmentOffsets.length == 0 ? 1 : segmentOffsets.length - 1;
    }

    private static void length(String name, float[] a, long expected) {
        if (a == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (a.length != expected) {
            throw new IllegalArgumentException(name + " length mismatch: length=" + a.length + ", expected=" + expected);
        }
    }
}
