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
 * each step's rollout depth (workers fill it with the number of steps taken to reach the step's next
 * state: 1 for the first step after a reset, k for the last step of a k-step rollout). Named per-step signals that the environment declares ({@code Environment.infoKeys()}, e.g.
 * lateral offset, nearest obstacle distance, speed) travel in {@link #signals}, so a reward model can
 * score from them instead of from the observation. Unused optional arrays are empty, never null.
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
 * @param signalNames          optional names of the per-step signals (distinct, non-empty), empty if unused
 * @param signals              {@code steps * signalNames.length} signal values, step-major (step {@code t}'s
 *                             signal {@code k} at {@code t * signalNames.length + k}), empty if unused
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
        long createdAtMicros,
        String[] signalNames,
        float[] signals) {

    /** Largest number of steps one chunk may hold. */
    public static final int MAX_STEPS = 1 << 20;
    /** Largest number of named signals per step. */
    public static final int MAX_SIGNALS = 256;
    private static final String[] NO_SIGNAL_NAMES = new String[0];
    private static final float[] NO_SIGNALS = new float[0];

    /** A chunk without per-step signals (the shape before signals existed). */
    public TrajectoryChunk(ChunkId id, String envName, int envIndex, long episodeId, int chunkIndex, long policyVersion,
                           int steps, int observationSize, float[] observations, int actionSize, float[] actions,
                           float[] logProbs, float[] values, float[] rewards, boolean[] terminated, boolean[] truncated,
                           float[] bootstrapObservation, int[] segmentOffsets, int[] context, int[] depth,
                           long createdAtMicros) {
        this(id, envName, envIndex, episodeId, chunkIndex, policyVersion, steps, observationSize, observations,
                actionSize, actions, logProbs, values, rewards, terminated, truncated, bootstrapObservation,
                segmentOffsets, context, depth, createdAtMicros, NO_SIGNAL_NAMES, NO_SIGNALS);
    }

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
        Objects.requireNonNull(signalNames, "signalNames (use an empty array)");
        Objects.requireNonNull(signals, "signals (use an empty array)");
        checkSignalNames(signalNames);
        if (!((long) signals.length == (long) steps * signalNames.length)) {
            throw new IllegalArgumentException("signals length mismatch: length=" + signals.length + ", expected="
                    + (long) steps * signalNames.length + ", steps=" + steps + ", signalNames=" + signalNames.length);
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

    /** Index of the signal called {@code name}, or -1 when the chunk does not carry it. */
    public int signalIndex(String name) {
        for (int k = 0; k < signalNames.length; k++) {
            if (signalNames[k].equals(name)) {
                return k;
            }
        }
        return -1;
    }

    /** Value of signal {@code k} (an index into {@link #signalNames}) at {@code step}. */
    public float signal(int step, int k) {
        Objects.checkIndex(step, steps);
        Objects.checkIndex(k, signalNames.length);
        return signals[step * signalNames.length + k];
    }

    /** The same chunk under another id (a transformed copy that travels as a chunk of its own). */
    public TrajectoryChunk withId(ChunkId newId) {
        return new TrajectoryChunk(newId, envName, envIndex, episodeId, chunkIndex, policyVersion, steps, observationSize,
                observations, actionSize, actions, logProbs, values, rewards, terminated, truncated, bootstrapObservation,
                segmentOffsets, context, depth, createdAtMicros, signalNames, signals);
    }

    private static void checkSignalNames(String[] names) {
        if (names.length > MAX_SIGNALS) {
            throw new IllegalArgumentException("too many signals: signalNames=" + names.length + ", max=" + MAX_SIGNALS);
        }
        for (int k = 0; k < names.length; k++) {
            if (names[k] == null || names[k].isEmpty()) {
                throw new IllegalArgumentException("signal name must not be null or empty: index=" + k + ", name=" + names[k]);
            }
            for (int j = 0; j < k; j++) {
                if (names[j].equals(names[k])) {
                    throw new IllegalArgumentException("signal names must be distinct: index=" + k + ", name=" + names[k]
                            + ", firstIndex=" + j);
                }
            }
        }
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
