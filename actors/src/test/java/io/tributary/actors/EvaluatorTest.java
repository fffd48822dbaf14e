package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.config.SettingsException;
import io.tributary.simulator.SimulatorSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
    private static final SimulatorSettings SIGNALS = new SimulatorSettings("Signals-v0", Map.of());

    /** Pushes (action 1) before steps 1 and 3 of each episode, i.e. when the observed step count is even. */
    static final class EvenPusher implements Controller {
        final List<Long> resets = new ArrayList<>();

        @Override
        public void reset(long seed) {
            resets.add(seed);
        }

        @Override
        public void act(float[] observation, double[] info, float[] actionOut) {
            actionOut[0] = ((int) observation[0]) % 2 == 0 ? 1f : 0f;
        }
    }

    @Test
    void signalAggregatesMatchHandComputedValues() {
        EvenPusher c = new EvenPusher();
        Evaluator.Result r = Evaluator.evaluate(SIGNALS, c, "even-pusher", 2, 0);

        assertEquals(List.of(0L, 1L), c.resets, "the controller is reset with each episode's seed");
        assertEquals("even-pusher", r.controller());
        assertArrayEquals(new double[] {4, 4}, r.returns());
        assertArrayEquals(new int[] {4, 4}, r.lengths());
        assertEquals(4.0, r.lengthMean());
        assertEquals(3, r.signals().size());

        // offset = (s+1)(t-2), t=1..4: per episode mean (s+1)/2, rms (s+1)sqrt(6/4), max |x| 2(s+1); seeds 0 and 1.
        Evaluator.SignalStats offset = r.signals().get(0);
        assertEquals("offset", offset.key());
        assertEquals((0.5 + 1.0) / 2, offset.mean(), 1e-12);
        assertEquals((1 + 2) / 2.0 * Math.sqrt(1.5), offset.rms(), 1e-12);
        assertEquals((2 + 4) / 2.0, offset.maxAbs(), 1e-12);
        assertFalse(offset.flag(), "offset takes values other than 0 and 1 and has no flag suffix");
        assertTrue(Double.isNaN(offset.events()));

        // hit_flag = 2 at t=3: a flag by its name; one event per episode.
        Evaluator.SignalStats hit = r.signals().get(1);
        assertTrue(hit.flag());
        assertEquals(0.5, hit.mean(), 1e-12);
        assertEquals(1.0, hit.rms(), 1e-12);
        assertEquals(2.0, hit.maxAbs(), 1e-12);
        assertEquals(1.0, hit.events(), 1e-12);

        // pushed = the action: 1 at steps 1 and 3, so a flag by its 0/1 values with two events per episode.
        Evaluator.SignalStats pushed = r.signals().get(2);
        assertTrue(pushed.flag());
        assertEquals(0.5, pushed.mean(), 1e-12);
        assertEquals(Math.sqrt(0.5), pushed.rms(), 1e-12);
        assertEquals(1.0, pushed.maxAbs(), 1e-12);
        assertEquals(2.0, pushed.events(), 1e-12);

        assertEquals(List.of("eval_signal_offset_mean", "eval_signal_offset_rms", "eval_signal_offset_max_abs",
                "eval_signal_hit_flag_mean", "eval_signal_hit_flag_rms", "eval_signal_hit_flag_max_abs",
                "eval_signal_hit_flag_events", "eval_signal_pushed_mean", "eval_signal_pushed_rms",
                "eval_signal_pushed_max_abs", "eval_signal_pushed_events"), List.copyOf(r.signalSummaryKeys().keySet()));
        assertEquals(2.0, r.signalSummaryKeys().get("eval_signal_pushed_events"));
    }

    /**
     * Termination traces: a car steered at full lock leaves the lane in every episode, and each trace holds the last
     * steps up to the departure, with the actions chosen and the signals after them; episodes that run to their
     * step limit (Signals-v0 truncates at 4) leave none.
     */
    @Test
    void terminatedEpisodesLeaveTheirLastStepsWhenAsked() {
        SimulatorSettings lane = new SimulatorSettings("LaneKeeping-v0", Map.of());
        Controller fullLock = new Controller() {
            @Override
            public void reset(long seed) {
            }

            @Override
            public void act(float[] observation, double[] info, float[] actionOut) {
                actionOut[0] = 1f;
                actionOut[1] = 0.5f;
            }
        };
        Evaluator.Result r = Evaluator.evaluate(lane, fullLock, "full-lock", 3, 10_000, 6);
        assertEquals(0, r.failed(), "no episode threw");
        assertEquals(3, r.terminations().size(), "every episode departs: lengths " + java.util.Arrays.toString(r.lengths()));
        for (int e = 0; e < 3; e++) {
            Evaluator.TerminalTrace tr = r.terminations().get(e);
            assertEquals(10_000L + e, tr.seed());
            assertEquals(r.lengths()[e], tr.length());
            assertTrue(tr.length() < 1200 && tr.length() > 6, "length " + tr.length());
            assertEquals(6, tr.steps().size());
            int dep = tr.signalKeys().indexOf("departure");
            int offset = tr.signalKeys().indexOf("lateral_offset_m");
            for (int i = 0; i < 6; i++) {
                Evaluator.TraceStep st = tr.steps().get(i);
                assertEquals(tr.length() - 5 + i, st.step(), "steps in order, ending with the last");
                assertArrayEquals(new float[] {1f, 0.5f}, st.action());
                assertEquals(i == 5 ? 1.0 : 0.0, st.signals()[dep], "departure flag at trace step " + i);
            }
            assertTrue(Math.abs(tr.steps().get(5).signals()[offset]) > 1.75, "the last offset is past the lane edge");
        }
        assertTrue(Evaluator.evaluate(SIGNALS, new EvenPusher(), "even-pusher", 2, 0, 3).terminations().isEmpty(),
                "truncated episodes are not traced");
        assertTrue(Evaluator.evaluate(lane, fullLock, "full-lock", 1, 10_000).terminations().isEmpty(), "off by default");
    }

    @Test
    void theCartPoleLeanControllerBalancesFarAboveRandom() {
        SimulatorSettings cartPole = new SimulatorSettings("CartPole-v1", Map.of());
        Controller lean = Controllers.create("cartpole-lean", cartPole);
        Evaluator.Result r = Evaluator.evaluate(cartPole, lean, "cartpole-lean", 5, 10_000);
        // A random policy averages about 22; pushing toward the lean keeps the pole up for hundreds of steps.
        assertTrue(r.mean() >= 150, "cartpole-lean return: " + r.mean() + " " + java.util.Arrays.toString(r.returns()));
        assertEquals(r.mean(), r.lengthMean(), 1e-9, "CartPole pays 1 per step");
        assertTrue(r.signals().isEmpty(), "CartPole declares no info keys");
    }

    @Test
    void thePendulumSwingUpControllerScoresFarAboveRandom() {
        SimulatorSettings pendulum = new SimulatorSettings("Pendulum-v1", Map.of());
        Evaluator.Result swing = Evaluator.evaluate(pendulum, Controllers.create("pendulum-swingup", pendulum),
                "pendulum-swingup", 10, 100);
        // Uniformly random torques score about -1,200 (Gymnasium's figure); swinging up and holding scores a few hundred.
        assertTrue(swing.mean() > -400, "pendulum-swingup return: " + swing.mean() + " " + java.util.Arrays.toString(swing.returns()));
    }

    @Test
    void anUnknownOrUnfitControllerIsRefusedWithItsName() {
        SettingsException unknown = assertThrows(SettingsException.class,
                () -> Controllers.create("no-such", new SimulatorSettings("CartPole-v1", Map.of())));
        assertTrue(unknown.getMessage().contains("no-such") && unknown.getMessage().contains("cartpole-lean"),
                unknown.getMessage());
        IllegalArgumentException unfit = assertThrows(IllegalArgumentException.class,
                () -> Controllers.create("cartpole-lean", new SimulatorSettings("Pendulum-v1", Map.of())));
        assertTrue(unfit.getMessage().contains("Pendulum-v1"), unfit.getMessage());
    }
}
