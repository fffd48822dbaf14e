package io.tributary.learner.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GaeTest {
    private static final float[] REWARDS = {1f, 0f, 2f};
    private static final float[] VALUES = {0.5f, 0.4f, 0.3f};

    @Test
    void terminatedChunkBootstrapsFromZero() {
        float[] adv = new float[3];
        float[] ret = new float[3];
        Gae.compute(REWARDS, VALUES, 0, 3, 0f, 0.9, 0.8, adv, ret);
        // delta2 = 2 - 0.3 = 1.7; delta1 = 0 + 0.9*0.3 - 0.4 = -0.13; delta0 = 1 + 0.9*0.4 - 0.5 = 0.86
        // A2 = 1.7; A1 = -0.13 + 0.72*1.7 = 1.094; A0 = 0.86 + 0.72*1.094 = 1.64768
        assertEquals(1.64768, adv[0], 1e-6);
        assertEquals(1.094, adv[1], 1e-6);
        assertEquals(1.7, adv[2], 1e-6);
        assertEquals(2.14768, ret[0], 1e-6);
        assertEquals(1.494, ret[1], 1e-6);
        assertEquals(2.0, ret[2], 1e-6);
    }

    @Test
    void unfinishedChunkBootstrapsFromTheNextValue() {
        float[] adv = new float[5];
        float[] ret = new float[5];
        float[] r = {9f, 1f, 0f, 2f, 9f};
        float[] v = {9f, 0.5f, 0.4f, 0.3f, 9f};
        Gae.compute(r, v, 1, 3, 1.0f, 0.9, 0.8, adv, ret);
        // delta2 = 2 + 0.9 - 0.3 = 2.6; A1 = -0.13 + 0.72*2.6 = 1.742; A0 = 0.86 + 0.72*1.742 = 2.11424
        assertEquals(0f, adv[0]);
        assertEquals(2.11424, adv[1], 1e-6);
        assertEquals(1.742, adv[2], 1e-6);
        assertEquals(2.6, adv[3], 1e-6);
        assertEquals(0f, adv[4]);
        assertEquals(2.61424, ret[1], 1e-6);
    }

    @Test
    void lambdaOneGivesDiscountedReturnsAndZeroGivesTd() {
        float[] adv = new float[3];
        float[] ret = new float[3];
        Gae.compute(REWARDS, VALUES, 0, 3, 0.7f, 0.9, 1.0, adv, ret);
        assertEquals(1 + 0.9 * (0 + 0.9 * (2 + 0.9 * 0.7)), ret[0], 1e-6);
        Gae.compute(REWARDS, VALUES, 0, 3, 0.7f, 0.9, 0.0, adv, ret);
        assertEquals(1 + 0.9 * 0.4 - 0.5, adv[0], 1e-6);
        assertEquals(2 + 0.9 * 0.7 - 0.3, adv[2], 1e-6);
    }
}
