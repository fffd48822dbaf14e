package io.tributary.simulator.lane;

import io.tributary.simulator.Environment;
import io.tributary.simulator.Space;
import io.tributary.simulator.StepResult;
import io.tributary.simulator.envs.ActionChecks;
import io.tributary.simulator.envs.EnvOptions;
import io.tributary.simulator.random.SplitMix64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code LaneKeeping-v0}: a kinematic-bicycle car ({@link Vehicle}) on a seeded two-lane road of straights and
 * clothoid curves ({@link Road}) with static obstacles and constant-speed lead vehicles, after BLIP-FusePPO.
 *
 * <p>Observation (a {@link Space.Composite}, in this order): {@code lidar} 180 ranges in metres
 * ({@link Lidar}, optional Gaussian noise), {@code geometry} (lateral offset m, heading error rad, curvature
 * 8 m ahead 1/m, speed km/h), {@code pid} the PID lane-centring correction ({@link PidCorrection},
 * observation only), {@code tokens} 50 caption token ids from the {@link SceneCaptioner}, refreshed every
 * {@value #CAPTION_PERIOD} steps; with the option {@code observe-steering = true} also {@code steering}, the
 * front-wheel angle in radians (rate-limited, so it lags the command: without it the state is not Markov). Action:
 * two floats in [-1, 1]: steering {@code a0 * 0.8} rad, target speed {@code (a1 + 1) * 10} km/h.
 *
 * <p>Episodes: start at the lane centre +-U(0.3) m, heading +-U(0.05) rad, 10-20 km/h; terminated by a
 * collision (ego box overlapping an obstacle or vehicle box), a lane departure (|d| > 1.75 m) or m < 2 m for
 * 10 of the last 20 steps; truncated at {@code max-episode-steps} (default 1,200 = 60 s). m is the range from
 * the front-bumper centre to the nearest obstacle or vehicle whose footprint overlaps the ego-lane corridor
 * (|lateral| <= 1.75 m); roadside obstacles count for collisions, rays and captions only (a deviation from the
 * released code, where m is the minimum LiDAR range: there the bonus pays the car to drift towards passing
 * obstacles). Reward: {@link HybridLaneReward} at default weights; step signals: {@link LaneSignals}.
 * {@code step} allocates nothing.
 */
public final class LaneKeepingEnv implements Environment {
    /** Registered name. */
    public static final String NAME = "LaneKeeping-v0";
    /** 60 s at 0.05 s per step. */
    public static final int DEFAULT_MAX_EPISODE_STEPS = 1200;
    /**
     * Longest allowed episode, 150 s: at 20 km/h the car and its 220 m LiDAR window stay on the 1,200 m road,
     * and the terminal reward's time cap is reached exactly at the end.
     */
    public static final int MAX_EPISODE_STEPS_LIMIT = 3000;
    /** Option: standard deviation of Gaussian LiDAR noise, metres (default 0). */
    public static final String LIDAR_NOISE_STD = "lidar-noise-std";
    /** Steps between caption refreshes. */
    public static final int CAPTION_PERIOD = 10;
    /** Observation field names, as fusion configs refer to them. */
    public static final String FIELD_LIDAR = "lidar";
    /** Observation field names, as fusion configs refer to them. */
    public static final String FIELD_GEOMETRY = "geometry";
    /** Observation field names, as fusion configs refer to them. */
    public static final String FIELD_PID = "pid";
    /** Observation field names, as fusion configs refer to them. */
    public static final String FIELD_TOKENS = "tokens";
    /** Observation field name of the front-wheel angle (only with {@link #OBSERVE_STEERING}). */
    public static final String FIELD_STEERING = "steering";
    /** Option: also observe the front-wheel angle (default false: the observation). */
    public static final String OBSERVE_STEERING = "observe-steering";
    /** Offsets of the fields in the flat observation. */
    public static final int LIDAR_OFFSET = 0;
    /** Offsets of the fields in the flat observation. */
    public static final int GEOMETRY_OFFSET = Lidar.RAYS;
    /** Offsets of the fields in the flat observation. */
    public static final int PID_OFFSET = GEOMETRY_OFFSET + 4;
    /** Offsets of the fields in the flat observation. */
    public static final int TOKENS_OFFSET = PID_OFFSET + 1;
    /** Flat observation size (235) without the steering field. */
    public static final int OBSERVATION_SIZE = TOKENS_OFFSET + Caption.LENGTH;
    /** Offset of the steering field, the last element when it is observed. */
    public static final int STEERING_OFFSET = OBSERVATION_SIZE;
    /** Flat observation size (236) with the steering field. */
    public static final int OBSERVATION_SIZE_WITH_STEERING = OBSERVATION_SIZE + 1;
    /** LiDAR rays. */
    public static final int LIDAR_RAYS = Lidar.RAYS;
    /** LiDAR range, metres. */
    public static final double LIDAR_RANGE_M = Lidar.RANGE_M;
    /** Arc length ahead of the car where the geometric state reads the curvature, metres. */
    public static final double CURVATURE_LOOKAHEAD_M = 8.0;
    /** Proximity termination: m below this ... */
    public static final double PROXIMITY_M = 2.0;
    /** ... for this many ... */
    public static final int PROXIMITY_STEPS = 10;
    /** ... of the last this many steps. */
    public static final int PROXIMITY_WINDOW = 20;

    private static final Set<String> OPTION_KEYS = Set.of(EnvOptions.MAX_EPISODE_STEPS, LIDAR_NOISE_STD,
            OBSERVE_STEERING);
    private static final Space.Box ACTION_SPACE = Space.Box.uniform(2, -1f, 1f);
    private static final long NOISE_SEED_SALT = 0x5DEECE66DL;

    private final int maxEpisodeSteps;
    private final double lidarNoiseStd;
    private final boolean observeSteering;
    private final int observationSize;
    private final Space.Composite observationSpace;
    private final Vocabulary vocabulary;
    private final SceneCaptioner captioner;
    private final HybridLaneReward reward = new HybridLaneReward(HybridLaneReward.Weights.DEFAULT);
    private final Road road = new Road();
    private final SplitMix64 rng = new SplitMix64(0);
    private final SplitMix64 noise = new SplitMix64(0);
    private final Vehicle ego = new Vehicle();
    private final Boxes boxes = new Boxes(Road.MAX_OBSTACLES + Road.MAX_LEADS);
    private final Lidar lidar = new Lidar();
    private final double[] ranges = new double[Lidar.RAYS];
    private final Road.Projection projection = new Road.Projection();
    private final PidCorrection pid = new PidCorrection();
    private final Caption caption = new Caption();
    private final SceneFacts facts = new SceneFacts();
    private final boolean[] near = new boolean[PROXIMITY_WINDOW];
    private int nearCount;
    private int hint;
    private int steps;
    private boolean started;
    private boolean running;
    // Per-step state written into the observation and signals.
    private double lateral;
    private double headingError;
    private double curvatureAhead;
    private double corridorRange;
    private double pidOutput;
    private double lidarMin;

    /** The default environment: 1,200-step episodes, noise-free LiDAR, ground-truth captions. */
    public LaneKeepingEnv() {
        this(DEFAULT_MAX_EPISODE_STEPS, 0.0, new GroundTruthCaptioner());
    }

    /** An environment with the given step limit, LiDAR noise (metres) and captioner; steering not observed. */
    public LaneKeepingEnv(int maxEpisodeSteps, double lidarNoiseStd, SceneCaptioner captioner) {
        this(maxEpisodeSteps, lidarNoiseStd, captioner, false);
    }

    /** An environment with the given step limit, LiDAR noise (metres), captioner and steering observation. */
    public LaneKeepingEnv(int maxEpisodeSteps, double lidarNoiseStd, SceneCaptioner captioner,
            boolean observeSteering) {
        if (maxEpisodeSteps < 1 || maxEpisodeSteps > MAX_EPISODE_STEPS_LIMIT) {
            throw new IllegalArgumentException("maxEpisodeSteps must be in [1, " + MAX_EPISODE_STEPS_LIMIT
                    + "] (the road is 1,200 m long): maxEpisodeSteps=" + maxEpisodeSteps);
        }
        if (!(lidarNoiseStd >= 0) || !Double.isFinite(lidarNoiseStd)) {
            throw new IllegalArgumentException("lidarNoiseStd must be finite and >= 0: lidarNoiseStd=" + lidarNoiseStd);
        }
        this.maxEpisodeSteps = maxEpisodeSteps;
        this.lidarNoiseStd = lidarNoiseStd;
        this.captioner = java.util.Objects.requireNonNull(captioner, "captioner");
        this.vocabulary = Vocabulary.shipped();
        this.observeSteering = observeSteering;
        this.observationSize = observeSteering ? OBSERVATION_SIZE_WITH_STEERING : OBSERVATION_SIZE;
        this.observationSpace = observationSpace(vocabulary, observeSteering);
    }

    /**
     * Builds from provider options: {@code max-episode-steps} (default 1200), {@code lidar-noise-std} (default 0),
     * {@code observe-steering} (default false).
     */
    public static LaneKeepingEnv fromOptions(Map<String, String> options) {
        EnvOptions.requireKnownKeys(NAME, options, OPTION_KEYS);
        int steps = EnvOptions.positiveInt(NAME, options, EnvOptions.MAX_EPISODE_STEPS, DEFAULT_MAX_EPISODE_STEPS);
        double noiseStd = 0.0;
        String raw = options.get(LIDAR_NOISE_STD);
        if (raw != null) {
            try {
                noiseStd = Double.parseDouble(raw.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("environment option must be a number >= 0: env=" + NAME + ", key="
                        + LIDAR_NOISE_STD + ", value=" + raw, e);
            }
            if (!(noiseStd >= 0) || !Double.isFinite(noiseStd)) {
                throw new IllegalArgumentException("environment option must be a number >= 0: env=" + NAME + ", key="
                        + LIDAR_NOISE_STD + ", value=" + raw);
            }
        }
        boolean steering = EnvOptions.bool(NAME, options, OBSERVE_STEERING, false);
        return new LaneKeepingEnv(steps, noiseStd, new GroundTruthCaptioner(), steering);
    }

    /** The composite observation space (lidar 180, geometry 4, pid 1, tokens 50). */
    public static Space.Composite observationSpace(Vocabulary vocabulary) {
        return observationSpace(vocabulary, false);
    }

    /** The composite observation space, with the {@code steering} field (1) last when {@code observeSteering}. */
    public static Space.Composite observationSpace(Vocabulary vocabulary, boolean observeSteering) {
        Map<String, Space> fields = new LinkedHashMap<>();
        fields.put(FIELD_LIDAR, Space.Box.uniform(Lidar.RAYS, 0f, (float) Lidar.RANGE_M));
        fields.put(FIELD_GEOMETRY, new Space.Box(new float[] {-3f, (float) -Math.PI, -0.1f, 0f},
                new float[] {3f, (float) Math.PI, 0.1f, (float) Vehicle.SPEED_MAX_KMH}));
        fields.put(FIELD_PID, Space.Box.uniform(1, (float) -PidCorrection.OUTPUT_CLIP, (float) PidCorrection.OUTPUT_CLIP));
        fields.put(FIELD_TOKENS, new Space.TokenIds(Caption.LENGTH, vocabulary.size()));
        if (observeSteering) {
            fields.put(FIELD_STEERING, Space.Box.uniform(1, (float) -Vehicle.STEER_MAX, (float) Vehicle.STEER_MAX));
        }
        return new Space.Composite(fields);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Space observationSpace() {
        return observationSpace;
    }

    @Override
    public Space actionSpace() {
        return ACTION_SPACE;
    }

    @Override
    public int maxEpisodeSteps() {
        return maxEpisodeSteps;
    }

    @Override
    public List<String> infoKeys() {
        return LaneSignals.ALL;
    }

    /** The road of the current episode (read-only use: tests, renderers). */
    public Road road() {
        return road;
    }

    /** The ego vehicle of the current episode (read-only use: tests, renderers, scripted controllers). */
    public Vehicle ego() {
        return ego;
    }

    /** The current caption (read-only use). */
    public Caption caption() {
        return caption;
    }

    /** Whether the front-wheel angle is observed (the last element, {@link #STEERING_OFFSET}). */
    public boolean observesSteering() {
        return observeSteering;
    }

    /** Steps taken in the current episode. */
    public int elapsedSteps() {
        return steps;
    }

    @Override
    public void reset(long seed, StepResult out) {
        checkResult(out);
        rng.reseed(seed);
        road.generate(rng);
        noise.reseed(seed ^ NOISE_SEED_SALT);
        double s0 = Road.START_S;
        double lat0 = rng.uniform(-0.3, 0.3);
        double he0 = rng.uniform(-0.05, 0.05);
        double v0 = rng.uniform(10, 20) / 3.6;
        double h = road.headingAt(s0) + he0;
        double cx = road.xAt(s0) - Math.sin(road.headingAt(s0)) * lat0;
        double cy = road.yAt(s0) + Math.cos(road.headingAt(s0)) * lat0;
        ego.set(cx - Vehicle.CENTRE_AHEAD * Math.cos(h), cy - Vehicle.CENTRE_AHEAD * Math.sin(h), h, v0, 0);
        boxes.count = 0;
        for (int o = 0; o < road.obstacleCount; o++) {
            boxes.set(o, road.obstacleX[o], road.obstacleY[o], road.obstacleHeading[o], road.obstacleLength[o],
                    road.obstacleWidth[o], road.obstacleS[o], road.obstacleLat[o]);
        }
        hint = Road.index(s0);
        steps = 0;
        nearCount = 0;
        java.util.Arrays.fill(near, false);
        pid.reset();
        started = true;
        running = true;
        out.clear();
        sense(out, true);
    }

    @Override
    public void step(float[] action, StepResult out) {
        if (!running) {
            throw new IllegalStateException((started ? "episode is over" : "step before reset") + ": env=" + NAME
                    + ", steps=" + steps + " (call reset first)");
        }
        checkResult(out);
        ActionChecks.requireLength(action, 2);
        ActionChecks.requireNoNaN(action);
        double a0 = Math.max(-1, Math.min(1, action[0]));
        double a1 = Math.max(-1, Math.min(1, action[1]));
        ego.step(a0 * Vehicle.STEER_MAX, (a1 + 1) * 10 / 3.6);
        steps++;
        out.clear();
        sense(out, steps % CAPTION_PERIOD == 0);
        boolean collision = collision();
        boolean departure = Math.abs(lateral) > Road.HALF_LANE_M;
        int slot = steps % PROXIMITY_WINDOW;
        boolean close = corridorRange < PROXIMITY_M;
        nearCount += (close ? 1 : 0) - (near[slot] ? 1 : 0);
        near[slot] = close;
        boolean proximity = nearCount >= PROXIMITY_STEPS;
        double[] info = out.info;
        info[LaneSignals.I_COLLISION] = collision ? 1 : 0;
        info[LaneSignals.I_DEPARTURE] = departure ? 1 : 0;
        info[LaneSignals.I_PROXIMITY_STOP] = proximity ? 1 : 0;
        out.terminated = collision || departure || proximity;
        out.truncated = !out.terminated && steps >= maxEpisodeSteps;
        // Signals travel as floats (TrajectoryChunk.signals): round them first, so a reward model scoring
        // the chunk's signals reproduces this reward exactly.
        for (int j = 0; j < info.length; j++) {
            info[j] = (float) info[j];
        }
        out.reward = (float) reward.score(info);
        running = !out.done();
    }

    /** Projects the car, moves the lead vehicles, scans, updates PID and (when due) the caption; writes obs and signals. */
    private void sense(StepResult out, boolean refreshCaption) {
        double t = steps * Vehicle.DT;
        for (int k = 0; k < road.leadCount; k++) {
            double s = road.leadS(k, t);
            boxes.set(road.obstacleCount + k, road.xAt(s), road.yAt(s), road.headingAt(s), Road.VEHICLE_LENGTH,
                    Road.VEHICLE_WIDTH, s, 0);
        }
        hint = road.project(ego.centreX(), ego.centreY(), hint, projection);
        double s = projection.s;
        lateral = projection.lateral;
        headingError = wrap(ego.heading - projection.heading);
        curvatureAhead = road.curvatureAt(s + CURVATURE_LOOKAHEAD_M);
        double bx = ego.x + Vehicle.BUMPER_AHEAD * Math.cos(ego.heading);
        double by = ego.y + Vehicle.BUMPER_AHEAD * Math.sin(ego.heading);
        corridorRange = corridorRange(s, bx, by);
        lidar.begin(bx, by, ego.heading, ranges, 0);
        lidar.addEdges(road, s, ranges, 0);
        lidar.addBoxes(boxes, ranges, 0);
        pidOutput = pid.update(lateral);
        if (refreshCaption) {
            describe(s);
            captioner.caption(facts, vocabulary, caption);
        }
        float[] obs = out.observation;
        double min = Lidar.RANGE_M;
        for (int i = 0; i < Lidar.RAYS; i += 2) {
            double r0 = ranges[i];
            double r1 = ranges[i + 1];
            min = Math.min(min, Math.min(r0, r1));
            if (lidarNoiseStd > 0) {
                // Box-Muller gives two independent normals per draw: one for each of a pair of rays.
                double radius = lidarNoiseStd * Math.sqrt(-2.0 * Math.log(1.0 - noise.nextDouble()));
                double angle = 2.0 * Math.PI * noise.nextDouble();
                r0 = Math.max(0, Math.min(Lidar.RANGE_M, r0 + radius * Math.cos(angle)));
                r1 = Math.max(0, Math.min(Lidar.RANGE_M, r1 + radius * Math.sin(angle)));
            }
            obs[LIDAR_OFFSET + i] = (float) r0;
            obs[LIDAR_OFFSET + i + 1] = (float) r1;
        }
        lidarMin = min;
        obs[GEOMETRY_OFFSET] = (float) lateral;
        obs[GEOMETRY_OFFSET + 1] = (float) headingError;
        obs[GEOMETRY_OFFSET + 2] = (float) curvatureAhead;
        obs[GEOMETRY_OFFSET + 3] = (float) (ego.speed * 3.6);
        obs[PID_OFFSET] = (float) pidOutput;
        for (int i = 0; i < Caption.LENGTH; i++) {
            obs[TOKENS_OFFSET + i] = caption.tokens[i];
        }
        if (observeSteering) {
            obs[STEERING_OFFSET] = (float) ego.steering;
        }
        double[] info = out.info;
        info[LaneSignals.I_LATERAL_OFFSET] = lateral;
        info[LaneSignals.I_HEADING_ERROR] = headingError;
        info[LaneSignals.I_SPEED] = ego.speed * 3.6;
        info[LaneSignals.I_CORRIDOR_RANGE] = corridorRange;
        info[LaneSignals.I_SIM_TIME] = t;
        info[LaneSignals.I_CURVATURE_AHEAD] = curvatureAhead;
        info[LaneSignals.I_STEERING] = ego.steering;
        info[LaneSignals.I_CAPTION_CURVE] = caption.curve;
        info[LaneSignals.I_CAPTION_OBSTACLE_SIDE] = caption.obstacleSide;
        info[LaneSignals.I_LIDAR_MIN] = lidarMin;
        info[LaneSignals.I_PID] = pidOutput;
    }

    /** m: distance from the bumper to the nearest box ahead whose footprint overlaps the ego-lane corridor. */
    private double corridorRange(double s, double bx, double by) {
        double best = Lidar.RANGE_M;
        double sFront = s + Vehicle.BUMPER_AHEAD - Vehicle.CENTRE_AHEAD;
        for (int i = 0; i < boxes.count; i++) {
            double ds = boxes.s[i] - sFront;
            if (ds + boxes.halfLength[i] < 0 || ds - boxes.halfLength[i] > Lidar.RANGE_M) {
                continue;
            }
            if (Math.abs(boxes.lat[i]) - boxes.halfWidth[i] > Road.HALF_LANE_M) {
                continue;
            }
            best = Math.min(best, boxes.distanceTo(i, bx, by));
        }
        return best;
    }

    private boolean collision() {
        double cx = ego.centreX();
        double cy = ego.centreY();
        double s = projection.s;
        for (int i = 0; i < boxes.count; i++) {
            if (Math.abs(boxes.s[i] - s) > 10) {
                continue;
            }
            if (boxes.overlaps(i, cx, cy, ego.heading, Road.VEHICLE_LENGTH / 2, Road.VEHICLE_WIDTH / 2)) {
                return true;
            }
        }
        return false;
    }

    /** Fills the ground-truth facts the captioner phrases. */
    private void describe(double s) {
        double best = 0;
        for (double a = 5; a <= 40; a += 1) {
            double k = road.curvatureAt(s + a);
            if (Math.abs(k) > Math.abs(best)) {
                best = k;
            }
        }
        facts.curvatureAhead = best;
        facts.obstacleAhead = false;
        facts.leadAhead = false;
        facts.obstacleDistance = Double.MAX_VALUE;
        facts.leadDistance = Double.MAX_VALUE;
        for (int o = 0; o < road.obstacleCount; o++) {
            double d = road.obstacleS[o] - s;
            if (d >= 0 && d <= 60 && d < facts.obstacleDistance) {
                facts.obstacleAhead = true;
                facts.obstacleDistance = d;
                facts.obstacleLateral = road.obstacleLat[o];
            }
        }
        for (int k = 0; k < road.leadCount; k++) {
            int i = road.obstacleCount + k;
            double d = boxes.s[i] - s - Road.VEHICLE_LENGTH;
            if (d >= 0 && d <= 60 && d < facts.leadDistance) {
                facts.leadAhead = true;
                facts.leadDistance = d;
            }
        }
    }

    private static double wrap(double a) {
        double r = (a + Math.PI) % (2 * Math.PI);
        if (r < 0) {
            r += 2 * Math.PI;
        }
        return r - Math.PI;
    }

    private void checkResult(StepResult out) {
        if (out.observation.length != observationSize || out.info.length != LaneSignals.ALL.size()) {
            throw new IllegalArgumentException("StepResult size mismatch: observation=" + out.observation.length
                    + ", expectedObservation=" + observationSize + ", info=" + out.info.length + ", expectedInfo="
                    + LaneSignals.ALL.size());
        }
    }
}
