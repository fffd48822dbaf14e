package io.tributary.rewards.writing.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Pearson correlation between rewards and lengths on hand-made windows. */
class RewardLengthCorrelationTest {

    @Test
    void matchesAHandComputedCorrelation() {
        // rewards 1,2,3,4 against lengths 10,30,20,40: means 2.5 and 25, cov sum 40, var sums 5 and 500,
        // r = 40 / sqrt(2500) = 0.8.
        RewardLengthCorrelation c = new RewardLengthCorrelation(8);
        c.add(1, 10);
        c.add(2, 30);
        c.add(3, 20);
        c.add(4, 40);
        assertEquals(0.8, c.value(), 1e-12);
        assertEquals(4, c.size());
    }

    @Test
    void aLengthPayingRewardIsOneAndAPenaltyIsMinusOne() {
        RewardLengthCorrelation pay = new RewardLengthCorrelation(16);
        RewardLengthCorrelation penalty = new RewardLengthCorrelation(16);
        for (int len = 5; len < 50; len += 5) {
            pay.add(0.3 + 0.02 * len, len);
            penalty.add(1.0 - 0.01 * len, len);
        }
        assertEquals(1.0, pay.value(), 1e-12);
        assertEquals(-1.0, penalty.value(), 1e-12);
    }

    @Test
    void theWindowForgetsTheOldestPairs() {
        RewardLengthCorrelation c = new RewardLengthCorrelation(3);
        c.add(1, 10);
        c.add(2, 20);
        c.add(3, 30);
        assertEquals(1.0, c.value(), 1e-12);
        // Three anti-correlated pairs push the correlated ones out.
        c.add(1, 30);
        c.add(2, 20);
        c.add(3, 10);
        assertEquals(-1.0, c.value(), 1e-12);
        assertEquals(3, c.size());
        assertEquals(6, c.total());
    }

    @Test
    void undefinedCorrelationIsNaN() {
        RewardLengthCorrelation c = new RewardLengthCorrelation(4);
        assertTrue(Double.isNaN(c.value()));
        c.add(1, 10);
        assertTrue(Double.isNaN(c.value()), "one pair");
        c.add(1, 20);
        assertTrue(Double.isNaN(c.value()), "constant rewards");
        c.reset();
        c.add(1, 10);
        c.add(2, 10);
        assertTrue(Double.isNaN(c.value()), "constant lengths");
    }

    @Test
    void badInputsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new RewardLengthCorrelation(1));
        RewardLengthCorrelation c = new RewardLengthCorrelation(2);
        assertThrows(IllegalArgumentException.class, () -> c.add(Double.NaN, 3));
        assertThrows(IllegalArgumentException.class, () -> c.add(1, -1));
    }
}
