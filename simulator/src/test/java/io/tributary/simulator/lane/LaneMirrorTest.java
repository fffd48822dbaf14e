package io.tributary.simulator.lane;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.StepResult;
import io.tributary.simulator.rollout.ChunkId;
import io.tributary.simulator.rollout.ChunkTransform;
import io.tributary.simulator.rollout.ChunkTransforms;
import io.tributary.simulator.rollout.TrajectoryChunk;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Mirrored lane-keeping chunks are exact mirrors with log-probs from the given policy. */
class LaneMirrorTest {
    private static final int T = 64;
    private final LaneMirror mirror = new LaneMirror();

    /**
     * A deliberately asymmetric stand-in policy (a Gaussian whose mean depends on the offset, PID and one
     * LiDAR ray), so a mirrored action's log-prob differs from the original's unless it was recomputed.
     */
    private static final ChunkTransform.ActionLogProb POLICY = policy(LaneKeepingEnv.OBSERVATION_SIZE);

    /** The stand-in policy for observations of {@code size} elements (with the steering field: 236). */
    private static ChunkTransform.ActionLogProb policy(int size) {
        return (obs, n, actions, out) -> {
            for (int i = 0; i < n; i++) {
                double mean = 0.05 + 0.3 * obs[i * size + LaneKeepingEnv.GEOMETRY_OFFSET] + 0.2 * obs[i * size
                        + LaneKeepingEnv.PID_OFFSET] + 0.001 * obs[i * size + 3];
                double z0 = (actions[i * 2] - mean) / 0.5;
                double z1 = (actions[i * 2 + 1] - 0.4) / 0.5;
                out[i] = (float) (-0.5 * (z0 * z0 + z1 * z1) - 2 * Math.log(0.5) - Math.log(2 * Math.PI));
            }
        };
    }

    /** A real chunk from {@code LaneKeeping-v0} with signals, as a rollout worker builds it. */
    static TrajectoryChunk realChunk(long seed) {
        return realChunk(seed, new LaneKeepingEnv());
    }

    /** As {@link #realChunk(long)} from the given environment (e.g. one that observes the steering angle). */
    static TrajectoryChunk realChunk(long seed, LaneKeepingEnv env) {
        StepResult out = StepResult.forEnvironment(env);
        env.reset(seed, out);
        int size = out.observation.length;
        int k = LaneSignals.ALL.size();
        float[] obs = new float[T * size];
        float[] actions = new float[T * 2];
        float[] logProbs = new float[T];
        float[] rewards = new float[T];
        float[] signals = new float[T * k];
        float[] action = new float[2];
        for (int t = 0; t < T; t++) {
            System.arraycopy(out.observation, 0, obs, t * size, size);
            LaneKeepingEnvTest.laneController(out.observation, 15, action);
            action[0] += (float) Math.sin(t) * 0.2f;
            System.arraycopy(action, 0, actions, t * 2, 2);
            env.step(action, out);
            rewards[t] = out.reward;
            for (int j = 0; j < k; j++) {
                signals[t * k + j] = (float) out.info[j];
            }
        }
        policy(size).logProbs(obs, T, actions, logProbs);
        int[] depth = new int[T];
        for (int t = 0; t < T; t++) {
            depth[t] = t;
        }
        return new TrajectoryChunk(new ChunkId("run", UUID.randomUUID(), 3), LaneKeepingEnv.NAME, 1, 7, 0, 4, T, size,
                obs, 2, actions, logProbs, new float[T], rewards, new boolean[T], new boolean[T], out.observation.clone(),
                new int[0], new int[0], depth, 123L, LaneSignals.ALL.toArray(new String[0]), signals);
    }

    @Test
    void theCopyIsAnExactMirrorWithItsOwnStreamAndMarker() {
        TrajectoryChunk c = realChunk(3);
        List<TrajectoryChunk> out = mirror.apply(c, POLICY);
        assertEquals(2, out.size());
        assertSame(c, out.get(0));
        TrajectoryChunk m = out.get(1);
        int size = c.observationSize();
        for (int t = 0; t < T; t++) {
            for (int i = 0; i < 180; i++) {
                assertEquals(c.observations()[t * size + i], m.observations()[t * size + 179 - i], 0f);
            }
            for (int i = 0; i < 3; i++) {
                assertEquals(-c.observations()[t * size + 180 + i], m.observations()[t * size + 180 + i], 0f);
            }
            assertEquals(c.observations()[t * size + 183], m.observations()[t * size + 183], 0f, "speed kept");
            assertEquals(-c.observations()[t * size + 184], m.observations()[t * size + 184], 0f, "pid negated");
            assertEquals(-c.actions()[t * 2], m.actions()[t * 2], 0f);
            assertEquals(c.actions()[t * 2 + 1], m.actions()[t * 2 + 1], 0f);
        }
        // The caption swaps left and right.
        Vocabulary v = Vocabulary.shipped();
        int[] tokens = new int[50];
        int[] mirroredTokens = new int[50];
        for (int i = 0; i < 50; i++) {
            tokens[i] = (int) c.observations()[185 + i];
            mirroredTokens[i] = (int) m.observations()[185 + i];
        }
        String text = v.decode(tokens);
        String expected = text.replace("left", "@").replace("right", "left").replace("@", "right");
        assertEquals(expected, v.decode(mirroredTokens));
        // Bootstrap observation mirrored too.
        for (int i = 0; i < 180; i++) {
            assertEquals(c.bootstrapObservation()[i], m.bootstrapObservation()[179 - i], 0f);
        }
        assertEquals(-c.bootstrapObservation()[180], m.bootstrapObservation()[180], 0f);
        // Signals: the lateral ones negated, the rest kept, plus the augmentation marker and the behaviour log-probs.
        assertEquals(c.signalNames().length + 2, m.signalNames().length);
        for (String name : LaneSignals.ALL) {
            int i = c.signalIndex(name);
            int j = m.signalIndex(name);
            for (int t = 0; t < T; t++) {
                float expectedValue = LaneSignals.MIRROR_NEGATED.contains(name) ? -c.signal(t, i) : c.signal(t, i);
                assertEquals(expectedValue, m.signal(t, j), 0f, name + " at " + t);
            }
        }
        assertTrue(ChunkTransform.isAugmented(m));
        assertEquals(0, ChunkTransform.realSteps(m));
        assertEquals(T, ChunkTransform.realSteps(c));
        assertEquals(c.envIndex() + LaneMirror.MIRROR_ENV_INDEX_OFFSET, m.envIndex());
        assertEquals(c.policyVersion(), m.policyVersion());
        assertArrayEquals(c.rewards(), m.rewards());
        assertArrayEquals(c.depth(), m.depth());
    }

    @Test
    void theObservedSteeringAngleIsNegatedAndMirroringTwiceRestoresIt() {
        LaneKeepingEnv env = new LaneKeepingEnv(LaneKeepingEnv.DEFAULT_MAX_EPISODE_STEPS, 0, new GroundTruthCaptioner(),
                true);
        TrajectoryChunk c = realChunk(7, env);
        int size = LaneKeepingEnv.OBSERVATION_SIZE_WITH_STEERING;
        assertEquals(size, c.observationSize());
        ChunkTransform.ActionLogProb p = policy(size);
        TrajectoryChunk m = mirror.apply(c, p).get(1);
        int s = LaneKeepingEnv.STEERING_OFFSET;
        int nonZero = 0;
        for (int t = 0; t < T; t++) {
            float steering = c.observations()[t * size + s];
            nonZero += steering != 0 ? 1 : 0;
            assertEquals(-steering, m.observations()[t * size + s], 0f, "steering at " + t);
            // The rest of the layout is mirrored as without the field.
            assertEquals(-c.observations()[t * size + 180], m.observations()[t * size + 180], 0f, "offset at " + t);
            assertEquals(c.observations()[t * size], m.observations()[t * size + 179], 0f, "lidar at " + t);
        }
        assertTrue(nonZero > T / 2, "the controller steers, so the observed angle is mostly non-zero: " + nonZero);
        assertEquals(-c.bootstrapObservation()[s], m.bootstrapObservation()[s], 0f);
        assertArrayEquals(c.observations(), mirror.mirror(m, p).observations());
    }

    @Test
    void logProbsAreThoseOfTheMirroredActionsUnderThePolicy() {
        TrajectoryChunk c = realChunk(4);
        TrajectoryChunk m = mirror.apply(c, POLICY).get(1);
        float[] expected = new float[T];
        POLICY.logProbs(m.observations(), T, m.actions(), expected);
        assertArrayEquals(expected, m.logProbs());
        // The stand-in policy is asymmetric, so copying the originals would have been wrong.
        assertNotEquals(java.util.Arrays.toString(c.logProbs()), java.util.Arrays.toString(m.logProbs()));
    }

    @Test
    void theCopyKeepsTheLogProbsItsActionsWereReallyDrawnWith() {
        TrajectoryChunk c = realChunk(8);
        TrajectoryChunk m = mirror.apply(c, POLICY).get(1);
        int k = m.signalIndex(ChunkTransform.BEHAVIOUR_LOG_PROB_SIGNAL);
        assertTrue(k >= 0, "signal " + ChunkTransform.BEHAVIOUR_LOG_PROB_SIGNAL + " missing: "
                + java.util.Arrays.toString(m.signalNames()));
        assertEquals(-1, c.signalIndex(ChunkTransform.BEHAVIOUR_LOG_PROB_SIGNAL), "the original is on-policy");
        for (int t = 0; t < T; t++) {
            assertEquals(c.logProbs()[t], m.signal(t, k), 0f, "behaviour log-prob at " + t);
        }
        // Mirroring the copy again (tests only) keeps the draw's log-probs and the column layout.
        TrajectoryChunk twice = mirror.mirror(m, POLICY);
        assertArrayEquals(m.signalNames(), twice.signalNames());
        for (int t = 0; t < T; t++) {
            assertEquals(c.logProbs()[t], twice.signal(t, k), 0f);
        }
    }

    @Test
    void mirroringTwiceIsTheIdentity() {
        TrajectoryChunk c = realChunk(5);
        TrajectoryChunk once = mirror.mirror(c, POLICY);
        TrajectoryChunk twice = mirror.mirror(once, POLICY);
        assertArrayEquals(c.observations(), twice.observations());
        assertArrayEquals(c.actions(), twice.actions());
        assertArrayEquals(c.bootstrapObservation(), twice.bootstrapObservation());
        assertArrayEquals(c.logProbs(), twice.logProbs());
        for (String name : LaneSignals.ALL) {
            for (int t = 0; t < T; t++) {
                assertEquals(c.signal(t, c.signalIndex(name)), twice.signal(t, twice.signalIndex(name)), 0f);
            }
        }
        // A mirrored chunk passing through the transform again is not mirrored once more.
        assertEquals(List.of(once), mirror.apply(once, POLICY));
    }

    @Test
    void theHybridRewardIsMirrorInvariantSoRewardsAreCopied() {
        TrajectoryChunk c = realChunk(6);
        TrajectoryChunk m = mirror.apply(c, POLICY).get(1);
        HybridLaneReward semantic = new HybridLaneReward(new HybridLaneReward.Weights(0.3, 0.2, 0.3, 0.2, 0.5));
        double[] a = new double[LaneSignals.ALL.size()];
        double[] b = new double[LaneSignals.ALL.size()];
        for (int t = 0; t < T; t++) {
            for (int j = 0; j < a.length; j++) {
                a[j] = c.signal(t, c.signalIndex(LaneSignals.ALL.get(j)));
                b[j] = m.signal(t, m.signalIndex(LaneSignals.ALL.get(j)));
            }
            assertEquals(semantic.score(a), semantic.score(b), 1e-12);
            assertEquals((float) new HybridLaneReward(
                    HybridLaneReward.Weights.DEFAULT).score(b), m.rewards()[t], 0f);
        }
    }

    @Test
    void registeredByNameAndRefusesToGuessLogProbs() {
        assertInstanceOf(LaneMirror.class, ChunkTransforms.create("lane-mirror"));
        TrajectoryChunk c = realChunk(7);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> mirror.apply(c));
        assertTrue(e.getMessage().contains("log-probs"), e.getMessage());
        TrajectoryChunk other = new TrajectoryChunk(c.id(), "CartPole-v1", 0, 1, 0, 0, 1, 4, new float[4], 1,
                new float[1], new float[1], new float[1], new float[1], new boolean[1], new boolean[1], new float[4],
                new int[0], new int[0], new int[0], 0L);
        assertEquals(List.of(other), mirror.apply(other, POLICY));
        assertEquals(List.of(other), mirror.apply(other));
    }
}
