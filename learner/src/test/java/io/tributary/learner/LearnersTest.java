package io.tributary.learner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.learner.ppo.PpoLearnerProvider;
import io.tributary.learner.ppo.PpoSettings;
import io.tributary.simulator.Space;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The algorithm registry: providers found by ServiceLoader, their quotas, specs and settings subtrees. */
class LearnersTest {
    private static final Space OBS = Space.Box.uniform(4, -1f, 1f);

    @Test
    void ppoIsFoundThroughItsServicesFile() {
        assertTrue(Learners.names().contains("ppo"), Learners.names().toString());
        assertInstanceOf(PpoLearnerProvider.class, Learners.provider("ppo"));
    }

    @Test
    void ppoDeclaresBatchStepsAsItsQuotaAndSizesItsPolicyFromItsSubtree() {
        LearnerContext c = LearnerContext.defaults("tributary.learner.ppo { batch-steps = 300, minibatch-size = 30, hidden-sizes = [7] }",
                OBS, new Space.Discrete(3), "r", 1000);
        assertEquals(new ProductionQuota(ProductionQuota.Unit.STEPS, 300), Learners.quota(c));
        PolicySpec spec = Learners.policySpec(c);
        assertEquals(PolicySpec.Head.CATEGORICAL, spec.head());
        assertEquals(4, spec.observationSize());
        assertEquals(3, spec.actionSize());
        assertArrayEquals(new int[] {7}, spec.hiddenSizes());
        LearnerContext box = LearnerContext.defaults("", OBS, Space.Box.uniform(2, -2f, 2f), "r", 1000);
        PolicySpec g = Learners.policySpec(box);
        assertEquals(PolicySpec.Head.GAUSSIAN, g.head());
        assertArrayEquals(new float[] {-2f, -2f}, g.actionLow());
        assertArrayEquals(new int[] {64, 64}, g.hiddenSizes());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Learners.policySpec(LearnerContext.defaults("", OBS, new Space.TokenIds(3, 10), "r", 1000)));
        assertTrue(e.getMessage().startsWith("unsupported action space for a policy network: actionSpace=TokenIds")
                && e.getMessage().endsWith("algorithm=ppo"), e.getMessage());
    }

    @Test
    void annealingHorizonDefaultsToTheRunBudgetAndAnExplicitValueStillWins() {
        LearnerContext unset = LearnerContext.defaults("", OBS, new Space.Discrete(2), "r", 150_000);
        assertEquals(150_000L, PpoLearnerProvider.settings(unset).totalEnvSteps());
        LearnerContext set = LearnerContext.defaults("tributary.learner.ppo.total-env-steps = 40000", OBS,
                new Space.Discrete(2), "r", 150_000);
        assertEquals(40_000L, PpoLearnerProvider.settings(set).totalEnvSteps());
        // The key stays valid when written as null too (the reference value).
        assertEquals(77L, PpoSettings.defaults("tributary.learner.ppo.total-env-steps = null", 77L).totalEnvSteps());
    }

    @Test
    void createdLearnerPublishesTheProvidersSpec() {
        LearnerContext c = LearnerContext.defaults("tributary.learner { device = cpu, ppo { batch-steps = 64, minibatch-size = 16,"
                + " hidden-sizes = [5] } }", OBS, new Space.Discrete(2), "run-x", 1000);
        try (Learner l = Learners.create(c)) {
            assertEquals("ppo", l.algorithm());
            assertEquals("run-x", l.snapshot().runId());
            assertArrayEquals(new int[] {5}, l.snapshot().spec().hiddenSizes());
            assertEquals(PolicyInference.parameterCount(Learners.policySpec(c)), l.snapshot().parameters().length);
        }
    }

    @Test
    void quotaSharesRoundUpAndCountAnExplicitUnit() {
        ProductionQuota q = ProductionQuota.steps(256);
        assertEquals(256, q.share(0));
        assertEquals(128, q.share(2));
        assertEquals(86, q.share(3));
        assertEquals(1, ProductionQuota.groups(3).share(8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProductionQuota.groups(0));
        assertEquals("quota amount must be >= 1: amount=0, unit=GROUPS", e.getMessage());
    }

    @Test
    void duplicateAndNamelessProvidersAreRefused() {
        LearnerProvider ppo = new PpoLearnerProvider();
        IllegalStateException dup = assertThrows(IllegalStateException.class, () -> Learners.index(List.of(ppo, new PpoLearnerProvider())));
        assertTrue(dup.getMessage().startsWith("duplicate algorithm name: algorithm=ppo"), dup.getMessage());
        LearnerProvider nameless = new LearnerProvider() {
            @Override
            public String algorithm() {
                return " ";
            }

            @Override
            public PolicySpec policySpec(LearnerContext context) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ProductionQuota quota(LearnerContext context) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Learner create(LearnerContext context) {
                throw new UnsupportedOperationException();
            }
        };
        assertThrows(IllegalStateException.class, () -> Learners.index(List.of(nameless)));
    }
}
