package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.SimulatorSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Evaluation survives a faulty environment: bad episodes are excluded and counted, the rest are reported. */
class EvaluatorFaultsTest {
    /** Balances by pushing towards the side the pole leans to. */
    static final class Lean implements Controller {
        @Override
        public void reset(long seed) {
        }

        @Override
        public void act(float[] observation, double[] info, float[] actionOut) {
            actionOut[0] = observation[2] + observation[3] > 0 ? 1f : 0f;
        }
    }

    @Test
    void episodesThatThrowOrReturnNaNAreExcludedAndCounted() {
        SimulatorSettings sim = new SimulatorSettings("NanCartPole-v0",
                Map.of("nan-on-seeds", "100", "throw-on-seeds", "101", "nan-reward-on-seeds", "103"));
        // Before the fix: IllegalStateException "simulated environment crash: seed=101" escaped, no summary.
        Evaluator.Result r = Evaluator.evaluate(sim, new Lean(), "lean", 5, 100);
        assertEquals(3, r.failed(), "seeds 100 (NaN observation), 101 (throws), 103 (NaN reward)");
        assertEquals(2, r.returns().length, "seeds 102 and 104 evaluated");
        assertEquals(2, r.lengths().length);
        assertTrue(Double.isFinite(r.mean()) && r.mean() > 0, "mean of the good episodes: " + r.mean());
        assertTrue(Double.isFinite(r.std()));

        Evaluator.Result clean = Evaluator.evaluate(new SimulatorSettings("NanCartPole-v0", Map.of()), new Lean(), "lean", 2, 102);
        assertEquals(0, clean.failed());
        assertEquals(clean.mean(), r.mean(), 1e-9, "the same seeds give the same returns with or without the faulty ones");
    }
}
