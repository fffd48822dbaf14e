package io.tributary.simulator.lane;

import java.util.List;
import java.util.Set;

/**
 * Names of the step signals {@code LaneKeeping-v0} emits ({@code Environment.infoKeys()}, {@code StepResult.info},
 * {@code TrajectoryChunk.signals}), in their order. They are enough to recompute {@link HybridLaneReward} from
 * the signals alone, so reward models and the evaluator never parse the observation. Signs: positive lateral
 * values are to the left of the ego-lane centre, positive curvature and steering turn left.
 */
public final class LaneSignals {
    /** Signed distance of the ego box centre from the ego-lane centre, metres (left positive). */
    public static final String LATERAL_OFFSET_M = "lateral_offset_m";
    /** Ego heading minus road heading at the projection, radians (left positive). */
    public static final String HEADING_ERROR_RAD = "heading_error_rad";
    /** Ego speed, km/h. */
    public static final String SPEED_KMH = "speed_kmh";
    /** m: range from the front-bumper centre to the nearest object overlapping the ego-lane corridor, metres (100 = none). */
    public static final String CORRIDOR_RANGE_M = "corridor_range_m";
    /** 1 when the ego box overlaps an obstacle or vehicle box this step (terminal). */
    public static final String COLLISION = "collision";
    /** 1 when |lateral offset| exceeds 1.75 m this step (terminal). */
    public static final String DEPARTURE = "departure";
    /** 1 when m < 2 m held for 10 of the last 20 steps (terminal). */
    public static final String PROXIMITY_STOP = "proximity_stop";
    /** Simulated time since reset after this step, seconds. */
    public static final String SIM_TIME_S = "sim_time_s";
    /** Road curvature 8 m ahead of the projection, 1/m (left positive). */
    public static final String CURVATURE_AHEAD = "curvature_ahead";
    /** Actual front-wheel steering angle after this step, radians (left positive). */
    public static final String STEERING_RAD = "steering_rad";
    /** Road geometry the current caption announces: -1 curve right, 0 straight, +1 curve left. */
    public static final String CAPTION_CURVE = "caption_curve";
    /** Side of the obstacle the current caption announces: -1 right, 0 none, +1 left. */
    public static final String CAPTION_OBSTACLE_SIDE = "caption_obstacle_side";
    /** Shortest LiDAR range this step (noise-free), metres. */
    public static final String LIDAR_MIN_M = "lidar_min_m";
    /** The PID lane-centring correction in the observation, radians of steering (left positive). */
    public static final String PID_CORRECTION = "pid_correction";

    /** All signals in {@code infoKeys()} order. */
    public static final List<String> ALL = List.of(LATERAL_OFFSET_M, HEADING_ERROR_RAD, SPEED_KMH, CORRIDOR_RANGE_M,
            COLLISION, DEPARTURE, PROXIMITY_STOP, SIM_TIME_S, CURVATURE_AHEAD, STEERING_RAD, CAPTION_CURVE,
            CAPTION_OBSTACLE_SIDE, LIDAR_MIN_M, PID_CORRECTION);

    /** Signals whose sign flips under a left-right mirror. */
    public static final Set<String> MIRROR_NEGATED = Set.of(LATERAL_OFFSET_M, HEADING_ERROR_RAD, CURVATURE_AHEAD,
            STEERING_RAD, CAPTION_CURVE, CAPTION_OBSTACLE_SIDE, PID_CORRECTION);

    static final int I_LATERAL_OFFSET = 0;
    static final int I_HEADING_ERROR = 1;
    static final int I_SPEED = 2;
    static final int I_CORRIDOR_RANGE = 3;
    static final int I_COLLISION = 4;
    static final int I_DEPARTURE = 5;
    static final int I_PROXIMITY_STOP = 6;
    static final int I_SIM_TIME = 7;
    static final int I_CURVATURE_AHEAD = 8;
    static final int I_STEERING = 9;
    static final int I_CAPTION_CURVE = 10;
    static final int I_CAPTION_OBSTACLE_SIDE = 11;
    static final int I_LIDAR_MIN = 12;
    static final int I_PID = 13;

    private LaneSignals() {
    }
}
