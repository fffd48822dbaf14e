package io.tributary.simulator.lane;

import io.tributary.simulator.rollout.ChunkTransform;
import io.tributary.simulator.rollout.TrajectoryChunk;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Left-right mirror augmentation for {@code LaneKeeping-v0} (BLIP-FusePPO stores every transition's mirror
 * explicitly): each chunk is sent with its mirrored copy. In the copy the LiDAR scan is reversed, lateral
 * offset, heading error, curvature, PID correction and (when observed) the steering angle are negated (speed
 * kept), caption tokens swap {@code left}/{@code right}, the steering action is negated (target speed kept), the bootstrap observation is
 * mirrored, and the signals in {@link LaneSignals#MIRROR_NEGATED} are negated. Rewards are copied: the
 * hybrid reward is mirror-invariant. The copy's log-probabilities are those of the mirrored actions under the
 * policy version that produced the chunk (given by the worker), and the signal
 * {@link ChunkTransform#BEHAVIOUR_LOG_PROB_SIGNAL} keeps the original actions' log-probs, the probability with which
 * the mirrored actions were really drawn (they differ where the policy is not symmetric, and a learner weights the
 * copy's samples by their ratio); its value estimates are 0 (unknown), its
 * {@code envIndex} is shifted by {@link #MIRROR_ENV_INDEX_OFFSET} so reward normalisation and per-episode
 * reward state keep a stream of their own, and it carries {@link ChunkTransform#AUGMENTED_SIGNAL} = 1 so step
 * budgets count only real steps. Chunks of other environments, or already mirrored, pass through alone.
 */
public final class LaneMirror implements ChunkTransform {
    /** Registered transform name. */
    public static final String NAME = "lane-mirror";
    /** Added to a mirrored chunk's env index (its own reward-normalisation and episode stream). */
    public static final int MIRROR_ENV_INDEX_OFFSET = 1 << 16;

    private final Vocabulary vocabulary = Vocabulary.shipped();

    /**
     * Without the policy the mirrored actions' log-probabilities cannot be computed, and a guessed value would
     * bias the PPO ratio, so this form refuses lane-keeping chunks.
     */
    @Override
    public List<TrajectoryChunk> apply(TrajectoryChunk chunk) {
        if (!mirrorable(chunk)) {
            return List.of(chunk);
        }
        throw new UnsupportedOperationException("lane-mirror needs the policy that produced the chunk to compute the "
                + "mirrored actions' log-probs: call apply(chunk, policy); chunk=" + chunk.id());
    }

    @Override
    public List<TrajectoryChunk> apply(TrajectoryChunk chunk, ActionLogProb policy) {
        Objects.requireNonNull(policy, "policy");
        if (!mirrorable(chunk)) {
            return List.of(chunk);
        }
        return List.of(chunk, mirror(chunk, policy));
    }

    private static boolean mirrorable(TrajectoryChunk chunk) {
        if (!LaneKeepingEnv.NAME.equals(chunk.envName()) || ChunkTransform.isAugmented(chunk)) {
            return false;
        }
        int size = chunk.observationSize();
        if ((size != LaneKeepingEnv.OBSERVATION_SIZE && size != LaneKeepingEnv.OBSERVATION_SIZE_WITH_STEERING)
                || chunk.actionSize() != 2) {
            throw new IllegalArgumentException("not a LaneKeeping-v0 chunk layout: observationSize="
                    + size + ", expected=" + LaneKeepingEnv.OBSERVATION_SIZE + " or "
                    + LaneKeepingEnv.OBSERVATION_SIZE_WITH_STEERING + " (observe-steering), actionSize="
                    + chunk.actionSize() + ", expected=2, chunk=" + chunk.id());
        }
        return true;
    }

    /** The mirrored copy of {@code chunk} (same id: the worker gives it one of its own). */
    TrajectoryChunk mirror(TrajectoryChunk chunk, ActionLogProb policy) {
        int n = chunk.steps();
        int size = chunk.observationSize();
        float[] obs = new float[n * size];
        for (int t = 0; t < n; t++) {
            mirrorObservation(chunk.observations(), t * size, obs, t * size, size);
        }
        float[] actions = new float[n * 2];
        for (int t = 0; t < n; t++) {
            mirrorAction(chunk.actions(), t * 2, actions, t * 2);
        }
        float[] logProbs = new float[n];
        policy.logProbs(obs, n, actions, logProbs);
        for (int t = 0; t < n; t++) {
            if (!Float.isFinite(logProbs[t])) {
                throw new IllegalStateException("policy gave a non-finite log-prob for a mirrored action: step=" + t
                        + ", logProb=" + logProbs[t] + ", chunk=" + chunk.id());
            }
        }
        float[] bootstrap = new float[size];
        mirrorObservation(chunk.bootstrapObservation(), 0, bootstrap, 0, size);
        String[] names = chunk.signalNames();
        int k = names.length;
        // A chunk that already has the added columns (mirroring a mirror, in tests) keeps its layout; its behaviour
        // log-probs stay, since they belong to the draw that produced the actions.
        int marker = chunk.signalIndex(AUGMENTED_SIGNAL);
        int behaviour = chunk.signalIndex(BEHAVIOUR_LOG_PROB_SIGNAL);
        int width = k;
        if (marker < 0) {
            marker = width++;
        }
        boolean keepBehaviour = behaviour >= 0;
        if (!keepBehaviour) {
            behaviour = width++;
        }
        String[] mirroredNames = Arrays.copyOf(names, width);
        mirroredNames[marker] = AUGMENTED_SIGNAL;
        mirroredNames[behaviour] = BEHAVIOUR_LOG_PROB_SIGNAL;
        float[] signals = new float[n * width];
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < k; j++) {
                float v = chunk.signals()[t * k + j];
                signals[t * width + j] = LaneSignals.MIRROR_NEGATED.contains(names[j]) ? -v : v;
            }
            signals[t * width + marker] = 1f;
            if (!keepBehaviour) {
                signals[t * width + behaviour] = chunk.logProbs()[t];
            }
        }
        return new TrajectoryChunk(chunk.id(), chunk.envName(), chunk.envIndex() + MIRROR_ENV_INDEX_OFFSET,
                chunk.episodeId(), chunk.chunkIndex(), chunk.policyVersion(), n, size, obs, 2, actions, logProbs,
                new float[n], chunk.rewards().clone(), chunk.terminated().clone(), chunk.truncated().clone(), bootstrap,
                chunk.segmentOffsets().clone(), chunk.context().clone(), chunk.depth().clone(), chunk.createdAtMicros(),
                mirroredNames, signals);
    }

    /**
     * Writes the mirror of the {@code size}-element observation at {@code src[srcOff..]} into {@code dst[dstOff..]}
     * (may not alias); {@link LaneKeepingEnv#OBSERVATION_SIZE_WITH_STEERING} also negates the steering angle.
     */
    public void mirrorObservation(float[] src, int srcOff, float[] dst, int dstOff, int size) {
        for (int i = 0; i < LaneKeepingEnv.LIDAR_RAYS; i++) {
            dst[dstOff + LaneKeepingEnv.LIDAR_OFFSET + i] = src[srcOff + LaneKeepingEnv.LIDAR_OFFSET
                    + LaneKeepingEnv.LIDAR_RAYS - 1 - i];
        }
        int g = LaneKeepingEnv.GEOMETRY_OFFSET;
        dst[dstOff + g] = -src[srcOff + g];
        dst[dstOff + g + 1] = -src[srcOff + g + 1];
        dst[dstOff + g + 2] = -src[srcOff + g + 2];
        dst[dstOff + g + 3] = src[srcOff + g + 3];
        dst[dstOff + LaneKeepingEnv.PID_OFFSET] = -src[srcOff + LaneKeepingEnv.PID_OFFSET];
        for (int i = 0; i < Caption.LENGTH; i++) {
            int token = (int) src[srcOff + LaneKeepingEnv.TOKENS_OFFSET + i];
            if (token < 0 || token >= vocabulary.size() || token != src[srcOff + LaneKeepingEnv.TOKENS_OFFSET + i]) {
                throw new IllegalArgumentException("caption token out of the vocabulary: index=" + i + ", token="
                        + src[srcOff + LaneKeepingEnv.TOKENS_OFFSET + i] + ", vocabSize=" + vocabulary.size());
            }
            dst[dstOff + LaneKeepingEnv.TOKENS_OFFSET + i] = vocabulary.mirror(token);
        }
        if (size == LaneKeepingEnv.OBSERVATION_SIZE_WITH_STEERING) {
            dst[dstOff + LaneKeepingEnv.STEERING_OFFSET] = -src[srcOff + LaneKeepingEnv.STEERING_OFFSET];
        }
    }

    /** Writes the mirror of the action at {@code src[srcOff..]}: steering negated, target speed kept. */
    public static void mirrorAction(float[] src, int srcOff, float[] dst, int dstOff) {
        dst[dstOff] = -src[srcOff];
        dst[dstOff + 1] = src[srcOff + 1];
    }
}
