package io.tributary.simulator.lane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Each term of the hybrid reward at chosen points. */
class HybridLaneRewardTest {
    private final HybridLaneReward reward = new HybridLaneReward(HybridLaneReward.Weights.DEFAULT);

    @Test
    void laneAccuracyAndCentring() {
        assertEquals(1.0, HybridLaneReward.laneAccuracy(0), 1e-12);
        assertEquals(0.5, HybridLaneReward.laneAccuracy(-0.875), 1e-12);
        assertEquals(0.0, HybridLaneReward.laneAccuracy(1.75), 1e-12);
        assertEquals(0.0, HybridLaneReward.centring(0), 1e-12);
        assertEquals(-2.5, HybridLaneReward.centring(1.4), 1e-12);
        assertEquals(-0.625, HybridLaneReward.centring(-0.7), 1e-12);
    }

    @Test
    void speedRegulation() {
        assertEquals(0.0, HybridLaneReward.speedRegulation(20), 1e-12);
        assertEquals(-0.25, HybridLaneReward.speedRegulation(10), 1e-12);
        assertEquals(-1.0, HybridLaneReward.speedRegulation(0), 1e-12);
    }

    @Test
    void lidarPenaltyAndBonus() {
        assertEquals(-5.0, HybridLaneReward.lidarPenalty(4), 1e-12);
        assertEquals(-2.5, HybridLaneReward.lidarPenalty(6), 1e-12);
        assertEquals(0.0, HybridLaneReward.lidarPenalty(8), 1e-12);
        assertEquals(-10.0, HybridLaneReward.lidarPenalty(0), 1e-12);
        assertEquals(-5.0, HybridLaneReward.lidarPenalty(2.5), 1e-12);
        assertEquals(0.0, HybridLaneReward.lidarPenalty(3.5), 1e-12);
        assertEquals(0.0, HybridLaneReward.lidarPenalty(100), 1e-12);
        assertEquals(5.0, HybridLaneReward.lidarBonus(3.5), 1e-12);
        assertEquals(5.0, HybridLaneReward.lidarBonus(9), 1e-12);
        assertEquals(0.0, HybridLaneReward.lidarBonus(6), 1e-12);
        assertEquals(0.0, HybridLaneReward.lidarBonus(100), 1e-12);
    }

    @Test
    void semanticAlignment() {
        assertEquals(0.0, HybridLaneReward.semanticAlignment(0, 0.3), 1e-12);
        assertEquals(1.0, HybridLaneReward.semanticAlignment(1, 0.3), 1e-12);
        assertEquals(-1.0, HybridLaneReward.semanticAlignment(-1, 0.3), 1e-12);
        assertEquals(0.5, HybridLaneReward.semanticAlignment(-1, -0.05), 1e-12);
    }

    @Test
    void weightedSumIsClipped() {
        // d = 0, v = 20, nothing ahead: 0.3 * 1 = 0.3.
        assertEquals(0.3, reward.step(0, 20, 100, 0, 0), 1e-12);
        // d = 0.7, v = 10, m = 9 (bonus 5): 0.3*0.6 + 0.2*(-0.25) + 0.3*0.5 + 0.2*(-0.625) = 0.155.
        assertEquals(0.155, reward.step(0.7, 10, 9, 0, 0), 1e-12);
        // Large penalties clip at -1: m = 0, v = 0, d = 1.75.
        assertEquals(-1.0, reward.step(1.75, 0, 0, 0, 0), 1e-12);
        HybridLaneReward semantic = new HybridLaneReward(new HybridLaneReward.Weights(1, 0, 0, 0, 1));
        assertEquals(1.0, semantic.step(0, 20, 100, 1, 0.2), 1e-12, "1 + 1 clipped to 1");
        assertEquals(0.0, semantic.step(0, 20, 100, -1, 0.2), 1e-12);
    }

    @Test
    void terminalRewardGrowsWithTimeAndNeverTurnsPositive() {
        assertEquals(-3.0, HybridLaneReward.terminal(0), 1e-12);
        assertEquals(-1.8, HybridLaneReward.terminal(60), 1e-12);
        for (double t = 0; t < 10_000; t += 0.05) {
            assertTrue(HybridLaneReward.terminal(t) <= 0, "t=" + t);
        }
        assertEquals(0.0, HybridLaneReward.terminal(1e9), 1e-12);
        assertEquals(-1.8, reward.score(0, 20, 100, 0, 0, true, 60), 1e-12);
    }

    @Test
    void scoreFromInfoUsesTheSignalOrder() {
        double[] info = new double[LaneSignals.ALL.size()];
        info[LaneSignals.ALL.indexOf(LaneSignals.LATERAL_OFFSET_M)] = 0.7;
        info[LaneSignals.ALL.indexOf(LaneSignals.SPEED_KMH)] = 10;
        info[LaneSignals.ALL.indexOf(LaneSignals.CORRIDOR_RANGE_M)] = 9;
        assertEquals(0.155, reward.score(info), 1e-12);
        info[LaneSignals.ALL.indexOf(LaneSignals.DEPARTURE)] = 1;
        info[LaneSignals.ALL.indexOf(LaneSignals.SIM_TIME_S)] = 30;
        assertEquals(-2.4, reward.score(info), 1e-12);
    }

    @Test
    void badWeightsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HybridLaneReward.Weights(0.3, -0.2, 0.3, 0.2, 0));
        assertTrue(e.getMessage().contains("weight=speed"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new HybridLaneReward.Weights(Double.NaN, 0, 0, 0, 0));
    }
}
