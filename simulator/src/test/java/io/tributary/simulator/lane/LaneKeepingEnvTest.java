package io.tributary.simulator.lane;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.Environment;
import io.tributary.simulator.Environments;
import io.tributary.simulator.Space;
import io.tributary.simulator.StepResult;
import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Episode rules, observation layout, signals, reproducibility and allocation of {@code LaneKeeping-v0}. */
class LaneKeepingEnvTest {
    private static final int I_D = LaneKeepingEnv.GEOMETRY_OFFSET;

    /** A lane-centring controller: curvature feed-forward plus offset and heading feedback. */
    static void laneController(float[] obs, double speedKmh, float[] action) {
        double d = obs[I_D];
        double he = obs[I_D + 1];
        double k = obs[I_D + 2];
        double steer = Math.atan(Vehicle.WHEELBASE * k) - 0.3 * d - 1.0 * he;
        action[0] = (float) (steer / Vehicle.STEER_MAX);
        action[1] = (float) (speedKmh / 10 - 1);
    }

    @Test
    void registeredByNameWithTheFusedObservationLayout() {
        Environment env = Environments.create("LaneKeeping-v0", Map.of("max-episode-steps", "50", "lidar-noise-std", "0.1"));
        assertEquals(50, env.maxEpisodeSteps());
        Space.Composite space = (Space.Composite) env.observationSpace();
        assertEquals(List.of("lidar", "geometry", "pid", "tokens"), space.names());
        assertEquals(180, space.fields().get("lidar").flatSize());
        assertEquals(4, space.fields().get("geometry").flatSize());
        assertEquals(1, space.fields().get("pid").flatSize());
        Space.TokenIds tokens = (Space.TokenIds) space.fields().get("tokens");
        assertEquals(50, tokens.length());
        assertEquals(Vocabulary.shipped().size(), tokens.vocabSize());
        assertEquals(LaneKeepingEnv.TOKENS_OFFSET, space.offsetOf("tokens"));
        assertEquals(LaneKeepingEnv.PID_OFFSET, space.offsetOf("pid"));
        assertEquals(235, space.flatSize());
        assertEquals(LaneSignals.ALL, env.infoKeys());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Environments.create("LaneKeeping-v0", Map.of("lidar-noise-std", "-1")));
        assertTrue(String.valueOf(e.getMessage()).contains("lidar-noise-std") || String.valueOf(e.getCause()).contains("lidar-noise-std"));
    }

    @Test
    void observeSteeringAppendsTheLaggingFrontWheelAngle() {
        LaneKeepingEnv env = (LaneKeepingEnv) Environments.create("LaneKeeping-v0", Map.of("observe-steering", "true"));
        assertTrue(env.observesSteering());
        Space.Composite space = (Space.Composite) env.observationSpace();
        assertEquals(List.of("lidar", "geometry", "pid", "tokens", "steering"), space.names());
        assertEquals(LaneKeepingEnv.STEERING_OFFSET, space.offsetOf("steering"));
        assertEquals(236, space.flatSize());
        StepResult out = StepResult.forEnvironment(env);
        env.reset(11, out);
        assertEquals(0f, out.observation[LaneKeepingEnv.STEERING_OFFSET], 0f, "the wheel starts straight");
        float[] fullLeft = {1f, 0f};
        for (int t = 1; t <= 5; t++) {
            env.step(fullLeft, out);
            // 1 rad/s at 0.05 s per step: the wheel lags the full-lock command (0.8 rad) by design.
            assertEquals(0.05 * t, out.observation[LaneKeepingEnv.STEERING_OFFSET], 1e-6, "step " + t);
            assertEquals((float) env.ego().steering, out.observation[LaneKeepingEnv.STEERING_OFFSET], 0f);
            assertEquals(out.info[LaneSignals.I_STEERING], out.observation[LaneKeepingEnv.STEERING_OFFSET], 1e-6);
        }
        // The other fields keep their offsets, and the default has no steering field.
        assertEquals(LaneKeepingEnv.PID_OFFSET, space.offsetOf("pid"));
        assertFalse(new LaneKeepingEnv().observesSteering());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LaneKeepingEnv.fromOptions(Map.of("observe-steering", "yes")));
        assertTrue(e.getMessage().contains("observe-steering") && e.getMessage().contains("yes"), e.getMessage());
    }

    @Test
    void resetStartsNearTheLaneCentreAtTenToTwentyKmh() {
        LaneKeepingEnv env = new LaneKeepingEnv();
        StepResult out = StepResult.forEnvironment(env);
        for (long seed = 0; seed < 100; seed++) {
            env.reset(seed, out);
            assertTrue(Math.abs(out.info[LaneSignals.I_LATERAL_OFFSET]) <= 0.3 + 1e-9, "seed=" + seed);
            assertTrue(Math.abs(out.info[LaneSignals.I_HEADING_ERROR]) <= 0.05 + 1e-9, "seed=" + seed);
            double v = out.info[LaneSignals.I_SPEED];
            assertTrue(v >= 10 && v <= 20, "seed=" + seed + ", speed=" + v);
            assertEquals(0.0, out.reward, 0);
            assertFalse(out.done());
        }
    }

    @Test
    void aCentringControllerCompletesSixtySecondEpisodes() {
        LaneKeepingEnv env = new LaneKeepingEnv();
        StepResult out = StepResult.forEnvironment(env);
        float[] action = new float[2];
        for (long seed = 1; seed <= 5; seed++) {
            env.reset(seed, out);
            double maxOffset = 0;
            int steps = 0;
            boolean sawCurveCaption = false;
            while (!out.done()) {
                laneController(out.observation, 14, action);
                env.step(action, out);
                steps++;
                maxOffset = Math.max(maxOffset, Math.abs(out.info[LaneSignals.I_LATERAL_OFFSET]));
                sawCurveCaption |= out.info[LaneSignals.I_CAPTION_CURVE] != 0;
                // The reward is the hybrid reward of the step's signals, exactly as they travel (floats).
                double[] asSent = new double[out.info.length];
                for (int j = 0; j < asSent.length; j++) {
                    asSent[j] = (float) out.info[j];
                }
                assertEquals((float) new HybridLaneReward(HybridLaneReward.Weights.DEFAULT).score(asSent), out.reward, 0);
            }
            assertTrue(out.truncated && !out.terminated, "seed=" + seed + ", steps=" + steps + ", info="
                    + java.util.Arrays.toString(out.info));
            assertEquals(1200, steps);
            assertEquals(60.0, out.info[LaneSignals.I_SIM_TIME], 1e-9);
            assertTrue(maxOffset < 0.5, "seed=" + seed + ", maxOffset=" + maxOffset);
            assertTrue(sawCurveCaption, "seed=" + seed);
            assertThrows(IllegalStateException.class, () -> env.step(action, out));
        }
    }

    @Test
    void steeringOffTheLaneIsADepartureWithANegativeTerminalReward() {
        LaneKeepingEnv env = new LaneKeepingEnv();
        StepResult out = StepResult.forEnvironment(env);
        env.reset(11, out);
        float[] hardLeft = {1f, 0f};
        int steps = 0;
        double lastOffset = 0;
        while (!out.done()) {
            lastOffset = out.info[LaneSignals.I_LATERAL_OFFSET];
            env.step(hardLeft, out);
            steps++;
        }
        assertTrue(out.terminated);
        assertEquals(1.0, out.info[LaneSignals.I_DEPARTURE], 0);
        assertTrue(out.info[LaneSignals.I_LATERAL_OFFSET] > Road.HALF_LANE_M);
        assertTrue(lastOffset <= Road.HALF_LANE_M, "terminates on the first step beyond the edge");
        assertEquals(-3 + steps * 0.05 / 50, out.reward, 1e-5);
        assertTrue(out.reward < 0);
    }

    @Test
    void closingOnALeadVehicleEndsByTheProximityRuleOrACollision() {
        LaneKeepingEnv env = new LaneKeepingEnv();
        StepResult out = StepResult.forEnvironment(env);
        float[] action = new float[2];
        int proximityStops = 0;
        for (long seed = 0; seed < 60 && proximityStops < 2; seed++) {
            env.reset(seed, out);
            ArrayDeque<Boolean> window = new ArrayDeque<>();
            double minRange = Double.MAX_VALUE;
            while (!out.done()) {
                laneController(out.observation, 20, action);
                env.step(action, out);
                double m = out.info[LaneSignals.I_CORRIDOR_RANGE];
                minRange = Math.min(minRange, m);
                window.addLast(m < 2);
                if (window.size() > 20) {
                    window.removeFirst();
                }
                long close = window.stream().filter(b -> b).count();
                // The rule, recomputed from the signal: m < 2 for 10 of the last 20 steps.
                assertEquals(close >= 10, out.info[LaneSignals.I_PROXIMITY_STOP] != 0, "seed=" + seed);
                assertEquals(0.0, out.info[LaneSignals.I_DEPARTURE], 0, "seed=" + seed);
            }
            if (out.info[LaneSignals.I_PROXIMITY_STOP] != 0) {
                proximityStops++;
                assertTrue(out.terminated);
                assertTrue(out.reward <= 0);
            }
            if (out.info[LaneSignals.I_COLLISION] != 0) {
                assertTrue(out.terminated);
            }
            if (out.truncated) {
                assertTrue(minRange > 0, "seed=" + seed);
            }
        }
        assertTrue(proximityStops > 0, "no episode caught its lead vehicle at 20 km/h");
    }

    @Test
    void lidarSeesTheRoadEdgesAndCaptionsRefreshEveryTenSteps() {
        LaneKeepingEnv env = new LaneKeepingEnv();
        StepResult out = StepResult.forEnvironment(env);
        env.reset(5, out);
        // On the straight start, the side rays hit the edges at 7 m -/+ the offset.
        double d = out.info[LaneSignals.I_LATERAL_OFFSET];
        double he = out.info[LaneSignals.I_HEADING_ERROR];
        assertEquals((7 + d) / Math.cos(Math.toRadians(0.5) + he), out.observation[0], 0.05);
        assertEquals((7 - d) / Math.cos(Math.toRadians(0.5) - he), out.observation[179], 0.05);
        assertEquals(Math.min(out.observation[0], out.observation[179]), out.info[LaneSignals.I_LIDAR_MIN], 0.2);
        float[] action = new float[2];
        float[] tokens = new float[50];
        System.arraycopy(out.observation, LaneKeepingEnv.TOKENS_OFFSET, tokens, 0, 50);
        int changes = 0;
        for (int step = 1; step <= 400; step++) {
            laneController(out.observation, 18, action);
            env.step(action, out);
            float[] now = java.util.Arrays.copyOfRange(out.observation, LaneKeepingEnv.TOKENS_OFFSET,
                    LaneKeepingEnv.TOKENS_OFFSET + 50);
            if (!java.util.Arrays.equals(now, tokens)) {
                assertEquals(0, step % 10, "caption changed between refreshes at step " + step);
                changes++;
            }
            tokens = now;
        }
        assertTrue(changes > 3, "changes=" + changes);
        String text = Vocabulary.shipped().decode(env.caption().tokens);
        assertTrue(text.contains("ahead"), text);
    }

    @Test
    void sameSeedAndActionsGiveTheSameEpisode() {
        float[][] a = rollout(99, 0.0);
        float[][] b = rollout(99, 0.0);
        float[][] c = rollout(100, 0.0);
        assertArrayEquals(a[0], b[0]);
        assertArrayEquals(a[1], b[1]);
        assertFalse(java.util.Arrays.equals(a[0], c[0]));
        float[][] noisy = rollout(99, 0.5);
        float[][] noisyAgain = rollout(99, 0.5);
        assertArrayEquals(noisy[0], noisyAgain[0]);
        assertFalse(java.util.Arrays.equals(a[0], noisy[0]), "noise changes the LiDAR");
    }

    @Test
    void lidarNoiseHasTheConfiguredStandardDeviation() {
        LaneKeepingEnv clean = new LaneKeepingEnv();
        LaneKeepingEnv noisy = new LaneKeepingEnv(1200, 0.5, new GroundTruthCaptioner());
        StepResult a = StepResult.forEnvironment(clean);
        StepResult b = StepResult.forEnvironment(noisy);
        double sum = 0;
        double sumSq = 0;
        int n = 0;
        for (long seed = 0; seed < 40; seed++) {
            clean.reset(seed, a);
            noisy.reset(seed, b);
            for (int i = 0; i < 180; i++) {
                if (a.observation[i] > 5 && a.observation[i] < 95) {
                    double d = b.observation[i] - a.observation[i];
                    sum += d;
                    sumSq += d * d;
                    n++;
                }
            }
            // Noise touches the LiDAR only.
            assertArrayEquals(java.util.Arrays.copyOfRange(a.observation, 180, 235),
                    java.util.Arrays.copyOfRange(b.observation, 180, 235));
        }
        double mean = sum / n;
        double std = Math.sqrt(sumSq / n - mean * mean);
        assertTrue(n > 1000, "n=" + n);
        assertEquals(0.0, mean, 0.05);
        assertEquals(0.5, std, 0.05);
    }

    private static float[][] rollout(long seed, double noise) {
        LaneKeepingEnv env = new LaneKeepingEnv(1200, noise, new GroundTruthCaptioner());
        StepResult out = StepResult.forEnvironment(env);
        env.reset(seed, out);
        float[] action = new float[2];
        float[] obs = new float[200 * out.observation.length];
        float[] rewards = new float[200];
        for (int t = 0; t < 200 && !out.done(); t++) {
            action[0] = (float) Math.sin(t * 0.05) * 0.1f;
            action[1] = 0.5f;
            env.step(action, out);
            System.arraycopy(out.observation, 0, obs, t * out.observation.length, out.observation.length);
            rewards[t] = out.reward;
        }
        return new float[][] {obs, rewards};
    }

    @Test
    void badActionsAndMisuseAreRejected() {
        LaneKeepingEnv env = new LaneKeepingEnv();
        StepResult out = StepResult.forEnvironment(env);
        assertThrows(IllegalStateException.class, () -> env.step(new float[2], out));
        env.reset(1, out);
        assertThrows(IllegalArgumentException.class, () -> env.step(new float[] {Float.NaN, 0f}, out));
        assertThrows(IllegalArgumentException.class, () -> env.step(new float[] {0f}, out));
        assertThrows(IllegalArgumentException.class, () -> env.reset(1, new StepResult(10, 14)));
        assertThrows(IllegalArgumentException.class, () -> new LaneKeepingEnv(3001, 0, new GroundTruthCaptioner()));
        assertThrows(IllegalArgumentException.class, () -> new LaneKeepingEnv(100, Double.NaN, new GroundTruthCaptioner()));
    }

    @Test
    void stepLoopAllocatesNothing() {
        LaneKeepingEnv env = new LaneKeepingEnv(1200, 0.2, new GroundTruthCaptioner());
        StepResult out = StepResult.forEnvironment(env);
        float[] action = new float[2];
        runSteps(env, out, action, 5_000); // warm up (JIT, class loading)
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.getCurrentThreadAllocatedBytes();
        long before = threads.getCurrentThreadAllocatedBytes();
        int steps = runSteps(env, out, action, 50_000);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // Resets happen in between (they may allocate but do not); 64 KiB over 50k steps is ~1 byte a step.
        assertTrue(allocated < 64 * 1024, "allocated bytes=" + allocated + " over steps=" + steps);
    }

    private static int runSteps(LaneKeepingEnv env, StepResult out, float[] action, int n) {
        long seed = 0;
        env.reset(seed, out);
        for (int i = 0; i < n; i++) {
            laneController(out.observation, 16, action);
            env.step(action, out);
            if (out.done()) {
                env.reset(++seed, out);
            }
        }
        return n;
    }
}
