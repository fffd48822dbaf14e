package io.tributary.rewards.writing.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.rewards.writing.JudgeVerdict;
import io.tributary.rewards.writing.PairwiseJudge.PairOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Swap consistency on hand-made outcomes. */
class SwapConsistencyTest {
    private static JudgeVerdict v(double a, double b) {
        return new JudgeVerdict(List.of(), "", a, b);
    }

    /** (a, b) scored in the a-first ordering, then (b, a) scored in the b-first ordering. */
    private static PairOutcome pair(double aFirstA, double aFirstB, double bFirstB, double bFirstA) {
        return new PairOutcome(v(aFirstA, aFirstB), v(bFirstB, bFirstA));
    }

    @Test
    void countsPairsWhoseWinnerIsTheSameInBothOrderings() {
        List<PairOutcome> outcomes = List.of(
                pair(8, 3, 3, 8),   // a wins both: consistent
                pair(2, 6, 7, 1),   // b wins both: consistent
                pair(7, 4, 7, 4),   // the first-shown wins each time: inconsistent
                pair(5, 5, 3, 6));  // tie in one ordering: inconsistent
        SwapConsistency s = new SwapConsistency();
        s.addAll(outcomes);
        assertEquals(4, s.pairs());
        assertEquals(2, s.consistentPairs());
        assertEquals(1, s.ties());
        assertEquals(0.5, s.value());
        assertEquals(0.5, SwapConsistency.of(outcomes));
    }

    @Test
    void aJudgeThatAlwaysPrefersTheFirstShownScoresZero() {
        SwapConsistency s = new SwapConsistency();
        for (int i = 0; i < 10; i++) {
            s.add(pair(6 + i % 3, 5, 6, 5 - i % 2));
        }
        assertEquals(0.0, s.value());
    }

    @Test
    void emptyIsNaNAndResetForgets() {
        SwapConsistency s = new SwapConsistency();
        assertTrue(Double.isNaN(s.value()));
        s.add(pair(8, 3, 3, 8));
        assertEquals(1.0, s.value());
        s.reset();
        assertEquals(0, s.pairs());
        assertTrue(Double.isNaN(s.value()));
    }
}
