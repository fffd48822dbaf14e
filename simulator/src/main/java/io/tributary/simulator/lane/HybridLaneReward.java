package io.tributary.simulator.lane;

/**
 * The BLIP-FusePPO hybrid lane-keeping reward, computed from step signals only (see {@link LaneSignals}), in
 * metres: lane accuracy {@code r_d = 1 - |d|/d_max} (d_max 1.75 m), speed regulation
 * {@code r_v = -(v - 20)^2/400} (km/h), the LiDAR-range penalty and bonus on m (the corridor range), centring
 * {@code r_c = -2.5 (|d|/d_c)^2} (d_c 1.4 m) and a semantic-alignment term, combined as
 * <pre>
 *   r = clip(w_lane r_d + w_speed r_v + w_obstacle (p + b)/10 + w_centring r_c + w_semantic r_s, -1, 1)
 * </pre>
 * A terminating step (collision, departure, proximity stop) earns {@code -3 + min(t, 150)/50} instead, so
 * surviving longer costs less but a termination never pays. {@code LaneKeeping-v0}'s own reward is this at
 * {@link Weights#DEFAULT}. Stateless and allocation-free.
 */
public final class HybridLaneReward {
    /** Lateral offset that ends lane accuracy (the lane's half-width), metres. */
    public static final double D_MAX = 1.75;
    /** Centring scale, metres. */
    public static final double D_C = 1.4;
    /** Speed the regulation term aims at, km/h. */
    public static final double TARGET_SPEED_KMH = 20.0;
    /** Sim time at which the terminal reward reaches 0 and stops growing, seconds. */
    public static final double TERMINAL_TIME_CAP_S = 150.0;
    /** Steering angle at which semantic alignment saturates, radians. */
    public static final double SEMANTIC_STEER_SCALE = 0.1;

    /**
     * Weights of the five terms.
     *
     * @param lane      weight of lane accuracy r_d
     * @param speed     weight of speed regulation r_v
     * @param obstacle  weight of the LiDAR penalty and bonus (p + b)/10
     * @param centring  weight of centring r_c
     * @param semantic  weight of semantic alignment r_s
     */
    public record Weights(double lane, double speed, double obstacle, double centring, double semantic) {
        /** The released code's weights (0.3, 0.2, 0.3, 0.2) and no semantic term. */
        public static final Weights DEFAULT = new Weights(0.3, 0.2, 0.3, 0.2, 0.0);

        public Weights {
            check("lane", lane);
            check("speed", speed);
            check("obstacle", obstacle);
            check("centring", centring);
            check("semantic", semantic);
        }

        private static void check(String name, double w) {
            if (!Double.isFinite(w) || w < 0) {
                throw new IllegalArgumentException("reward weight must be finite and >= 0: weight=" + name + ", value=" + w);
            }
        }
    }

    private final Weights weights;

    /** A reward with the given weights. */
    public HybridLaneReward(Weights weights) {
        this.weights = java.util.Objects.requireNonNull(weights, "weights");
    }

    /** The weights. */
    public Weights weights() {
        return weights;
    }

    /** Lane accuracy r_d = 1 - |d| / d_max. */
    public static double laneAccuracy(double lateralOffsetM) {
        return 1 - Math.abs(lateralOffsetM) / D_MAX;
    }

    /** Speed regulation r_v = -(v - 20)^2 / 400, v in km/h. */
    public static double speedRegulation(double speedKmh) {
        double e = speedKmh - TARGET_SPEED_KMH;
        return -e * e / 400;
    }

    /** LiDAR penalty p: -5 (8 - m)/4 for 4 <= m <= 8, -10 + 2m for m < 2.8, else 0. */
    public static double lidarPenalty(double m) {
        if (m >= 4 && m <= 8) {
            return -5 * (8 - m) / 4;
        }
        if (m < 2.8) {
            return -10 + 2 * m;
        }
        return 0;
    }

    /** LiDAR bonus b: 5 for 3 <= m <= 4 or 8 <= m <= 10, else 0. */
    public static double lidarBonus(double m) {
        return (m >= 3 && m <= 4) || (m >= 8 && m <= 10) ? 5 : 0;
    }

    /** Centring r_c = -2.5 (|d| / d_c)^2. */
    public static double centring(double lateralOffsetM) {
        double q = lateralOffsetM / D_C;
        return -2.5 * q * q;
    }

    /**
     * Semantic alignment r_s: when the caption announces a curve (+1 left, -1 right), the steering's agreement
     * with it, {@code curve * clip(steering / 0.1, -1, 1)} (steering into the curve earns up to 1, against it
     * down to -1); 0 when it announces a straight. The released code has no such term; this is Tributary's.
     */
    public static double semanticAlignment(double captionCurve, double steeringRad) {
        if (captionCurve == 0) {
            return 0;
        }
        double agree = Math.max(-1, Math.min(1, steeringRad / SEMANTIC_STEER_SCALE));
        return Math.signum(captionCurve) * agree;
    }

    /** Terminal reward {@code -3 + min(t, 150)/50}: never positive. */
    public static double terminal(double simTimeS) {
        return -3 + Math.min(Math.max(0, simTimeS), TERMINAL_TIME_CAP_S) / 50;
    }

    /** The non-terminal step reward: the weighted sum clipped to [-1, 1]. */
    public double step(double lateralOffsetM, double speedKmh, double corridorRangeM, double captionCurve,
                       double steeringRad) {
        double r = weights.lane() * laneAccuracy(lateralOffsetM)
                + weights.speed() * speedRegulation(speedKmh)
                + weights.obstacle() * (lidarPenalty(corridorRangeM) + lidarBonus(corridorRangeM)) / 10
                + weights.centring() * centring(lateralOffsetM)
                + weights.semantic() * semanticAlignment(captionCurve, steeringRad);
        return Math.max(-1, Math.min(1, r));
    }

    /** The reward of one step from its signals: {@link #terminal} when the step ended the episode, else {@link #step}. */
    public double score(double lateralOffsetM, double speedKmh, double corridorRangeM, double captionCurve,
                        double steeringRad, boolean terminated, double simTimeS) {
        return terminated ? terminal(simTimeS)
                : step(lateralOffsetM, speedKmh, corridorRangeM, captionCurve, steeringRad);
    }

    /** The reward from a step's info values in {@link LaneSignals#ALL} order. */
    public double score(double[] info) {
        boolean terminated = info[LaneSignals.I_COLLISION] != 0 || info[LaneSignals.I_DEPARTURE] != 0
                || info[LaneSignals.I_PROXIMITY_STOP] != 0;
        return score(info[LaneSignals.I_LATERAL_OFFSET], info[LaneSignals.I_SPEED], info[LaneSignals.I_CORRIDOR_RANGE],
                info[LaneSignals.I_CAPTION_CURVE], info[LaneSignals.I_STEERING], terminated, info[LaneSignals.I_SIM_TIME]);
    }
}
