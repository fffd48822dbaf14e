package io.tributary.rewards.lane;

import io.tributary.rewards.RewardModel;
import io.tributary.simulator.lane.HybridLaneReward;
import io.tributary.simulator.lane.LaneSignals;
import io.tributary.simulator.rollout.TrajectoryChunk;
import java.util.Arrays;
import java.util.List;

/**
 * The hybrid lane reward of each step, from the chunk's step signals ({@link LaneSignals}: lateral offset,
 * speed, corridor range m, the caption's announced curve, steering, the three terminal flags and sim time),
 * never from the observation. A chunk without those signals cannot be scored and is rejected naming the
 * missing one (the scorer dead-letters it). With the default weights it reproduces {@code LaneKeeping-v0}'s
 * own reward to float precision.
 *
 * @param weights the five term weights
 */
public record HybridLaneRewardModel(HybridLaneReward.Weights weights) implements RewardModel {
    /** Signals read, in this order. */
    private static final List<String> NEEDED = List.of(LaneSignals.LATERAL_OFFSET_M, LaneSignals.SPEED_KMH,
            LaneSignals.CORRIDOR_RANGE_M, LaneSignals.CAPTION_CURVE, LaneSignals.STEERING_RAD, LaneSignals.COLLISION,
            LaneSignals.DEPARTURE, LaneSignals.PROXIMITY_STOP, LaneSignals.SIM_TIME_S);

    public HybridLaneRewardModel {
        java.util.Objects.requireNonNull(weights, "weights");
    }

    @Override
    public String id() {
        return HybridLaneRewardProvider.NAME;
    }

    @Override
    public long version() {
        return 1;
    }

    @Override
    public float scoreStep(TrajectoryChunk chunk, int step) {
        return scoreChunk(chunk)[step];
    }

    @Override
    public float[] scoreChunk(TrajectoryChunk chunk) {
        String[] names = chunk.signalNames();
        int k = names.length;
        int[] at = new int[NEEDED.size()];
        for (int i = 0; i < at.length; i++) {
            at[i] = indexOf(names, NEEDED.get(i));
            if (at[i] < 0) {
                throw new IllegalArgumentException("chunk lacks the step signal the hybrid lane reward needs: signal="
                        + NEEDED.get(i) + ", env=" + chunk.envName() + ", signals=" + Arrays.toString(names));
            }
        }
        HybridLaneReward reward = new HybridLaneReward(weights);
        float[] s = chunk.signals();
        float[] out = new float[chunk.steps()];
        for (int t = 0; t < out.length; t++) {
            int b = t * k;
            boolean terminal = s[b + at[5]] != 0 || s[b + at[6]] != 0 || s[b + at[7]] != 0;
            out[t] = (float) reward.score(s[b + at[0]], s[b + at[1]], s[b + at[2]], s[b + at[3]], s[b + at[4]], terminal,
                    s[b + at[8]]);
        }
        return out;
    }

    private static int indexOf(String[] names, String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
