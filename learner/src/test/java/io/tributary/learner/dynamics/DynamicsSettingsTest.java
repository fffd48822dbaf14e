package io.tributary.learner.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.config.SettingsException;
import io.tributary.learner.LearnerSettings;
import org.junit.jupiter.api.Test;

class DynamicsSettingsTest {

    @Test
    void referenceDefaultsAreThePapersSettingsWithSmallerNetworks() {
        DynamicsSettings s = DynamicsSettings.defaults("");
        assertEquals(7, s.members());
        assertEquals(5, s.elites());
        assertArrayEquals(new int[] {64, 64, 64, 64}, s.hiddenSizes());
        assertEquals(1e-3, s.learningRate(), 1e-15);
        assertEquals(256, s.batchSize());
        assertEquals(0.2, s.validationFraction(), 1e-15);
        assertEquals(5, s.patience());
        assertEquals(0.01, s.improvementThreshold(), 1e-15);
        assertEquals(200, s.maxEpochs());
        assertEquals(0.01, s.logvarBoundCoef(), 1e-15);
    }

    @Test
    void overridesApplyAndTheLearnerSubtreeAcceptsThem() {
        String over = "tributary.learner.dynamics { members = 3, elites = 2, hidden-sizes = [200, 200] }";
        DynamicsSettings s = DynamicsSettings.defaults(over);
        assertEquals(3, s.members());
        assertEquals(2, s.elites());
        assertArrayEquals(new int[] {200, 200}, s.hiddenSizes());
        LearnerSettings.defaults(over); // known keys: no unknown-key error
    }

    @Test
    void badValuesNameThePathTheValueAndTheRule() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> DynamicsSettings.defaults("tributary.learner.dynamics.elites = 8"));
        assertTrue(e.getMessage().contains("tributary.learner.dynamics.elites") && e.getMessage().contains("8")
                && e.getMessage().contains("members=7"), e.getMessage());
        e = assertThrows(SettingsException.class,
                () -> DynamicsSettings.defaults("tributary.learner.dynamics.validation-fraction = 1"));
        assertTrue(e.getMessage().contains("validation-fraction"), e.getMessage());
        e = assertThrows(SettingsException.class,
                () -> DynamicsSettings.defaults("tributary.learner.dynamics.hidden-sizes = []"));
        assertTrue(e.getMessage().contains("hidden-sizes"), e.getMessage());
        e = assertThrows(SettingsException.class,
                () -> LearnerSettings.defaults("tributary.learner.dynamics.member = 3"));
        assertTrue(e.getMessage().contains("tributary.learner.dynamics.member"), e.getMessage());
    }
}
