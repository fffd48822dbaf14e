package io.tributary.learner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.config.SettingsException;
import io.tributary.learner.ppo.PpoSettings;
import io.tributary.simulator.Space;
import org.junit.jupiter.api.Test;

class LearnerSettingsTest {

    private static final Space OBS = Space.Box.uniform(3, -1f, 1f);
    private static final Space ACTIONS = new Space.Discrete(2);

    /** The message of the settings error that a context over {@code overrides} raises at the start-up check. */
    private static String failure(String overrides) {
        return assertThrows(SettingsException.class,
                () -> Learners.check(LearnerContext.defaults(overrides, OBS, ACTIONS, "run", 1000))).getMessage();
    }

    @Test
    void referenceDefaultsLoad() {
        LearnerSettings s = LearnerSettings.defaults("");
        assertEquals("ppo", s.algorithm());
        assertEquals("auto", s.device());
        assertEquals(1L, s.seed());
        PpoSettings p = PpoSettings.defaults("", 123_456L);
        assertEquals(3e-4, p.learningRate(), 1e-12);
        assertFalse(p.annealLr());
        assertEquals(2048, p.batchSteps());
        assertEquals(10, p.epochs());
        assertEquals(64, p.minibatchSize());
        assertEquals(0.99, p.gamma(), 1e-12);
        assertEquals(0.95, p.gaeLambda(), 1e-12);
        assertEquals(0.2, p.clip(), 1e-12);
        assertEquals(0.0, p.valueClip());
        assertEquals(0.0, p.entropyCoef());
        assertEquals(0.5, p.valueCoef(), 1e-12);
        assertEquals(0.5, p.maxGradNorm(), 1e-12);
        assertEquals(0.0, p.targetKl());
        assertArrayEquals(new int[] {64, 64}, p.hiddenSizes());
        assertTrue(p.normalizeObservations());
        assertFalse(p.normalizeRewards());
        assertEquals(123_456L, p.totalEnvSteps(), "the annealing horizon defaults to the run's max-env-steps");
    }

    @Test
    void overridesApply() {
        String over = "tributary.learner { device = cpu, seed = 9, ppo { hidden-sizes = [32], target-kl = 0.02, anneal-lr = true,"
                + " total-env-steps = 5000 } }";
        LearnerSettings s = LearnerSettings.defaults(over);
        assertEquals("cpu", s.device());
        assertEquals(9L, s.seed());
        PpoSettings p = PpoSettings.defaults(over, 123_456L);
        assertArrayEquals(new int[] {32}, p.hiddenSizes());
        assertEquals(0.02, p.targetKl(), 1e-12);
        assertTrue(p.annealLr());
        assertEquals(5000L, p.totalEnvSteps(), "a set total-env-steps wins over max-env-steps");
    }

    @Test
    void badValuesNamePathValueAndRule() {
        assertEquals("bad config: path=tributary.learner.ppo.clip, value=-0.1, rule=must be in (0, 1]",
                failure("tributary.learner.ppo.clip = -0.1"));
        assertEquals("bad config: path=tributary.learner.ppo.gamma, value=1.5, rule=must be in [0, 1]",
                failure("tributary.learner.ppo.gamma = 1.5"));
        assertEquals("bad config: path=tributary.learner.ppo.minibatch-size, value=4096, rule=must be in [2, batch-steps=2048]",
                failure("tributary.learner.ppo.minibatch-size = 4096"));
        assertEquals("bad config: path=tributary.learner.ppo.learning-rate, value=0.0, rule=must be in (0, 1]",
                failure("tributary.learner.ppo.learning-rate = 0"));
        assertEquals("bad config: path=tributary.learner.ppo.epochs, value=0, rule=must be in [1, 1000]",
                failure("tributary.learner.ppo.epochs = 0"));
        assertEquals("bad config: path=tributary.learner.ppo.max-grad-norm, value=0.0, rule=must be > 0",
                failure("tributary.learner.ppo.max-grad-norm = 0"));
        assertEquals("bad config: path=tributary.learner.ppo.target-kl, value=-1.0, rule=must be >= 0 (0 = off)",
                failure("tributary.learner.ppo.target-kl = -1"));
        assertEquals("bad config: path=tributary.learner.ppo.hidden-sizes, value=[], rule=must list 1 to 16 widths",
                failure("tributary.learner.ppo.hidden-sizes = []"));
        assertEquals("bad config: path=tributary.learner.ppo.hidden-sizes, value=[64, 0], rule=every element must be >= 1",
                failure("tributary.learner.ppo.hidden-sizes = [64, 0]"));
        assertEquals("bad config: path=tributary.learner.ppo.gae-lambda, value=abc, rule=must be a number",
                failure("tributary.learner.ppo.gae-lambda = abc"));
        assertEquals("bad config: path=tributary.learner.ppo.normalize-rewards, value=maybe, rule=must be true or false",
                failure("tributary.learner.ppo.normalize-rewards = maybe"));
        assertEquals("bad config: path=tributary.learner.device, value=tpu, rule=must be one of auto | cpu | gpu",
                failure("tributary.learner.device = tpu"));
        assertEquals("bad config: path=tributary.learner.ppo.total-env-steps, value=0, rule=must be >= 1",
                failure("tributary.learner.ppo.total-env-steps = 0"));
        assertEquals("bad config: path=tributary.learner.algorithm, value=a2c, rule=must be a registered algorithm, one of brpo | grpo | ppo | sac"
                + " (a provider must be listed in META-INF/services/io.tributary.learner.LearnerProvider of a jar on the classpath)",
                failure("tributary.learner.algorithm = a2c"));
    }

    @Test
    void unknownKeysAreRejected() {
        String m = failure("tributary.learner.ppo.lrr = 0.1");
        assertTrue(m.startsWith("unknown config key(s): tributary.learner.ppo.lrr"), m);
    }

    @Test
    void unknownAlgorithmIsReportedBeforeItsUnknownKeys() {
        String m = failure("tributary.learner { algorithm = reinforce, reinforce.gamma = 0.9 }");
        assertTrue(m.startsWith("bad config: path=tributary.learner.algorithm, value=reinforce, rule=must be a registered"), m);
    }
}
