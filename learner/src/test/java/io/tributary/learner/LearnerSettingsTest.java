package io.tributary.learner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.config.SettingsException;
import io.tributary.learner.ppo.PpoSettings;
import org.junit.jupiter.api.Test;

class LearnerSettingsTest {

    private static String failure(String overrides) {
        return assertThrows(SettingsException.class, () -> LearnerSettings.defaults(overrides)).getMessage();
    }

    @Test
    void referenceDefaultsLoad() {
        LearnerSettings s = LearnerSettings.defaults("");
        assertEquals("ppo", s.algorithm());
        assertEquals("auto", s.device());
        assertEquals(1L, s.seed());
        PpoSettings p = s.ppo();
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
        assertEquals(1_000_000L, p.totalEnvSteps());
    }

    @Test
    void overridesApply() {
        LearnerSettings s = LearnerSettings.defaults(
                "tributary.learner { device = cpu, seed = 9, ppo { hidden-sizes = [32], target-kl = 0.02, anneal-lr = true } }");
        assertEquals("cpu", s.device());
        assertEquals(9L, s.seed());
        assertArrayEquals(new int[] {32}, s.ppo().hiddenSizes());
        assertEquals(0.02, s.ppo().targetKl(), 1e-12);
        assertTrue(s.ppo().annealLr());
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
        assertEquals("bad config: path=tributary.learner.algorithm, value=sac, rule=must be one of ppo",
                failure("tributary.learner.algorithm = sac"));
    }

    @Test
    void unknownKeysAreRejected() {
        String m = failure("tributary.learner.ppo.lrr = 0.1");
        assertTrue(m.startsWith("unknown config key(s): tributary.learner.ppo.lrr"), m);
    }

    @Test
    void factoryRejectsUnknownAlgorithms() {
        LearnerSettings s = LearnerSettings.defaults("");
        LearnerSettings sac = new LearnerSettings("sac", "cpu", 1L, s.ppo(), s.policy());
        PolicySpec spec = Learners.policySpec(s, 3, PolicySpec.Head.CATEGORICAL, 2, new float[0], new float[0]);
        SettingsException e = assertThrows(SettingsException.class, () -> Learners.create(sac, spec, "run"));
        assertEquals("bad config: path=tributary.learner.algorithm, value=sac, rule=must be one of ppo", e.getMessage());
        assertArrayEquals(new int[] {64, 64}, spec.hiddenSizes());
    }
}
