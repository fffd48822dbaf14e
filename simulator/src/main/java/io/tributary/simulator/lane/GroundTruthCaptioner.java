package io.tributary.simulator.lane;

/**
 * The default {@link SceneCaptioner}: phrases the simulator's ground truth, e.g. "sharp curve left ahead ,
 * obstacle on the right shoulder 30 m , lead vehicle ahead 25 m". Curves of |kappa| below 0.01 1/m read as
 * straight, 0.035 1/m and above as sharp; distances round to the nearest 5 m (5-100). Allocation-free.
 */
public final class GroundTruthCaptioner implements SceneCaptioner {
    /** Curvature magnitude below which the road ahead reads as straight, 1/m. */
    public static final double STRAIGHT_BELOW = 0.01;
    /** Curvature magnitude from which a curve reads as sharp, 1/m. */
    public static final double SHARP_FROM = 0.035;

    private int n;

    @Override
    public void caption(SceneFacts facts, Vocabulary v, Caption out) {
        out.clear();
        n = 0;
        double k = facts.curvatureAhead;
        if (Math.abs(k) < STRAIGHT_BELOW) {
            put(out, v, "straight");
            put(out, v, "road");
            out.curve = 0;
        } else {
            put(out, v, Math.abs(k) >= SHARP_FROM ? "sharp" : "gentle");
            put(out, v, "curve");
            put(out, v, k > 0 ? "left" : "right");
            out.curve = k > 0 ? 1 : -1;
        }
        put(out, v, "ahead");
        if (facts.obstacleAhead) {
            boolean left = facts.obstacleLateral > 0;
            // Only the left side has a lane (the other one); the right of the ego lane is shoulder.
            boolean inLane = left && facts.obstacleLateral < Road.HALF_LANE_M + Road.LANE_WIDTH_M;
            put(out, v, ",");
            put(out, v, "obstacle");
            put(out, v, inLane ? "in" : "on");
            put(out, v, "the");
            put(out, v, left ? "left" : "right");
            put(out, v, inLane ? "lane" : "shoulder");
            distance(out, v, facts.obstacleDistance);
            out.obstacleSide = left ? 1 : -1;
        }
        put(out, v, ",");
        if (facts.leadAhead) {
            put(out, v, "lead");
            put(out, v, "vehicle");
            put(out, v, "ahead");
            distance(out, v, facts.leadDistance);
        } else {
            put(out, v, "clear");
            put(out, v, "road");
        }
    }

    private void distance(Caption out, Vocabulary v, double metres) {
        int bin = (int) Math.max(5, Math.min(100, Math.round(metres / 5.0) * 5));
        put(out, v, NUMBERS[bin / 5]);
        put(out, v, "m");
    }

    private static final String[] NUMBERS = new String[21];

    static {
        for (int i = 0; i < NUMBERS.length; i++) {
            NUMBERS[i] = Integer.toString(i * 5);
        }
    }

    private void put(Caption out, Vocabulary v, String word) {
        if (n < Caption.LENGTH) {
            out.tokens[n++] = v.id(word);
        }
    }
}
