package io.tributary.learner.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.tributary.config.SettingsException;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupPolicyUpdateTest {
    private static final String BRPO = "tributary.learner.group { reward-mode = brpo, learning-rate = 1.0e-2,"
            + " minibatch-size = 64 }";

    private static GroupUpdateSettings settings(String extra) {
        return GroupUpdateSettings.defaults(BRPO + "\n" + extra);
    }

    private static double sum(float[] a) {
        double s = 0;
        for (float x : a) {
            s += x;
        }
        return s;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double w = 0;
        for (int i = 0; i < a.length; i++) {
            w = Math.max(w, Math.abs(a[i] - b[i]));
        }
        return w;
    }

    private static ResponseGroup group(GruLanguageModel lm, int topic, double[] advantages, boolean filtered, long seed) {
        LmSamples s = new LmSampler(lm).sampleGroup(TinyGrammar.prompt(topic), advantages.length, 12, 1f, seed);
        return ResponseGroup.of(TinyGrammar.prompt(topic), s, advantages, filtered);
    }

    @Test
    void plusOneResponsesGainLogProbAndMinusOneResponsesLoseIt() {
        plusUpMinusDown("brpo", new double[] {1, -1, 1, -1, 0, 1, -1, -1});
        // GRPO: the same code with real-valued (group-normalised) advantages
        plusUpMinusDown("grpo", new double[] {1.3, -0.4, 0.9, -1.6, 0.2, 0.6, -0.7, -0.3});
    }

    private static void plusUpMinusDown(String mode, double[] rewards) {
        try (NDManager manager = NDManager.newBaseManager();
             GruLanguageModel lm = GruLanguageModel.create(manager, TinyGrammar.spec(), 31);
             GroupPolicyUpdate update = new GroupPolicyUpdate(lm, null,
                     settings("tributary.learner.group.reward-mode = " + mode), 1)) {
            ResponseGroup g = group(lm, 2, rewards, false, 3);
            List<int[]> prompts = java.util.Collections.nCopies(8, g.prompt());
            float[][] before = lm.logProbs(prompts, g.responses(), 1f);
            GroupUpdateResult r = update.update(List.of(g));
            float[][] after = lm.logProbs(prompts, g.responses(), 1f);
            assertFalse(r.skipped(), r.skipReason());
            assertEquals(1, r.groupsUsed());
            assertEquals(0, r.groupsFiltered());
            assertEquals(1, r.minibatchSteps());
            long tokens = g.responses().stream().mapToLong(t -> t.length).sum();
            assertEquals(tokens, r.tokens());
            assertEquals(0.0, r.clipFraction(), "ratio is 1 at the sampling policy");
            for (int i = 0; i < 8; i++) {
                double delta = sum(after[i]) - sum(before[i]);
                if (rewards[i] > 0) {
                    assertTrue(delta > 0, mode + " response " + i + " (A=" + rewards[i] + ") log-prob change " + delta);
                } else if (rewards[i] < 0) {
                    assertTrue(delta < 0, mode + " response " + i + " (A=" + rewards[i] + ") log-prob change " + delta);
                }
            }
        }
    }

    @Test
    void filteredGroupsAreCountedButGiveNoGradient() {
        try (NDManager manager = NDManager.newBaseManager();
             GruLanguageModel lm = GruLanguageModel.create(manager, TinyGrammar.spec(), 32)) {
            float[] start = lm.parameters();
            ResponseGroup trained = group(lm, 1, new double[] {1, -1, 1, -1, 0, 1, -1, 1}, false, 5);
            ResponseGroup skewed = group(lm, 3, new double[] {1, 1, 1, 1, 1, 1, 0, 1}, true, 6);

            float[] onlyTrained;
            try (GroupPolicyUpdate u = new GroupPolicyUpdate(lm, null, settings(""), 9)) {
                GroupUpdateResult alone = u.update(List.of(skewed));
                assertFalse(alone.skipped());
                assertEquals(0, alone.groupsUsed());
                assertEquals(1, alone.groupsFiltered());
                assertEquals(0, alone.tokens());
                assertEquals(0, alone.minibatchSteps());
                assertArrayEquals(start, lm.parameters(), "a filtered group alone changes nothing");
                u.update(List.of(trained));
                onlyTrained = lm.parameters();
            }
            lm.setParameters(start);
            try (GroupPolicyUpdate u = new GroupPolicyUpdate(lm, null, settings(""), 9)) {
                GroupUpdateResult both = u.update(List.of(trained, skewed));
                assertEquals(1, both.groupsUsed());
                assertEquals(1, both.groupsFiltered());
            }
            assertArrayEquals(onlyTrained, lm.parameters(), "the filtered group contributed nothing");
            // the same group unfiltered does move the weights (so the comparison above can fail)
            lm.setParameters(start);
            ResponseGroup unfiltered = new ResponseGroup(skewed.prompt(), skewed.responses(), skewed.oldLogProbs(),
                    new double[] {1, -1, 1, 1, -1, 1, 0, -1}, false);
            try (GroupPolicyUpdate u = new GroupPolicyUpdate(lm, null, settings(""), 9)) {
                u.update(List.of(trained, unfiltered));
            }
            assertTrue(maxAbsDiff(onlyTrained, lm.parameters()) > 1e-6);
        }
    }

    @Test
    void aNanRewardSkipsTheUpdateAndLeavesTheWeightsAlone() {
        for (GroupUpdateSettings.RewardMode mode : GroupUpdateSettings.RewardMode.values()) {
            try (NDManager manager = NDManager.newBaseManager();
                 GruLanguageModel lm = GruLanguageModel.create(manager, TinyGrammar.spec(), 33);
                 GroupPolicyUpdate u = new GroupPolicyUpdate(lm, null,
                         settings("tributary.learner.group { reward-mode = " + mode.name().toLowerCase() + ", minibatch-size = 8 }"), 2)) {
                ResponseGroup good = group(lm, 0, new double[] {1, -1, 1, -1, 0, 1, -1, 1}, false, 7);
                ResponseGroup bad = group(lm, 1, new double[] {1, -1, Double.NaN, -1, 0, 1, -1, 1}, false, 8);
                float[] start = lm.parameters();
                // the good group is stepped first (minibatch of 8 = one group), then the NaN one: all is put back
                GroupUpdateResult r = u.update(List.of(good, bad));
                assertTrue(r.skipped(), mode + ": " + r);
                assertTrue(r.skipReason().startsWith("non-finite loss"), r.skipReason());
                assertEquals(1, u.updatesSkipped());
                assertArrayEquals(start, lm.parameters(), mode + ": weights unchanged");
                assertEquals(0, u.adam().stepCount(), "optimiser state put back");
                GroupUpdateResult ok = u.update(List.of(good));
                assertFalse(ok.skipped());
                assertTrue(maxAbsDiff(start, lm.parameters()) > 1e-6, "a finite update still trains");
            }
        }
    }

    @Test
    void klIsZeroAtTheReferencePolicyAndPositiveAwayFromIt() {
        try (NDManager manager = NDManager.newBaseManager();
             GruLanguageModel lm = GruLanguageModel.create(manager, TinyGrammar.spec(), 34);
             GruLanguageModel reference = lm.copy(manager, false);
             GruLanguageModel other = GruLanguageModel.create(manager, TinyGrammar.spec(), 99)) {
            float[] start = lm.parameters();
            ResponseGroup g = group(lm, 2, new double[] {1, -1, 1, -1, 0, 1, -1, 1}, false, 9);
            float[] withoutKl;
            try (GroupPolicyUpdate u = new GroupPolicyUpdate(lm, null, settings(""), 3)) {
                GroupUpdateResult r = u.update(List.of(g));
                assertEquals(0.0, r.kl());
                withoutKl = lm.parameters();
            }
            lm.setParameters(start);
            try (GroupPolicyUpdate u = new GroupPolicyUpdate(lm, reference, settings("tributary.learner.group.kl-coef = 1.0"), 3)) {
                GroupUpdateResult r = u.update(List.of(g));
                assertEquals(0.0, r.kl(), 1e-7, "k3 at the reference");
                assertEquals(r.surrogateLoss(), r.loss(), 1e-7);
            }
            assertTrue(maxAbsDiff(withoutKl, lm.parameters()) < 1e-6, "the KL gradient is zero at the reference");
            lm.setParameters(start);
            try (GroupPolicyUpdate u = new GroupPolicyUpdate(lm, other, settings("tributary.learner.group.kl-coef = 1.0"), 3)) {
                GroupUpdateResult r = u.update(List.of(g));
                assertTrue(r.kl() > 1e-5, "KL to another (untrained, near-uniform) policy: " + r.kl());
                assertTrue(r.loss() > r.surrogateLoss());
            }
            assertTrue(maxAbsDiff(withoutKl, lm.parameters()) > 1e-6);
            assertThrows(IllegalArgumentException.class,
                    () -> new GroupPolicyUpdate(lm, null, settings("tributary.learner.group.kl-coef = 0.1"), 1));
        }
    }

    @Test
    void brpoRefusesAdvantagesOutsidePlusMinusOneAndZero() {
        GroupPolicyUpdate.checkAdvantages(GroupUpdateSettings.RewardMode.BRPO, new double[] {1, -1, 0, Double.NaN});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GroupPolicyUpdate.checkAdvantages(GroupUpdateSettings.RewardMode.BRPO, new double[] {1, 0.5}));
        assertEquals("a BRPO advantage must be -1, 0 or +1: index=1, advantage=0.5", e.getMessage());
        GroupPolicyUpdate.checkAdvantages(GroupUpdateSettings.RewardMode.GRPO, new double[] {1, 0.5, -2.25});
        try (NDManager manager = NDManager.newBaseManager();
             GruLanguageModel lm = GruLanguageModel.create(manager, TinyGrammar.spec(), 35);
             GroupPolicyUpdate u = new GroupPolicyUpdate(lm, null, settings(""), 1)) {
            ResponseGroup normalised = group(lm, 0, new double[] {0.5, -0.5}, false, 1);
            assertThrows(IllegalArgumentException.class, () -> u.update(List.of(normalised)));
        }
        SettingsException s = assertThrows(SettingsException.class,
                () -> GroupUpdateSettings.defaults("tributary.learner.group.reward-mode = ppo"));
        assertEquals("bad config: path=tributary.learner.group.reward-mode, value=ppo, rule=must be one of auto | brpo | grpo",
                s.getMessage());
        assertEquals(GroupUpdateSettings.RewardMode.BRPO, GroupUpdateSettings.defaults("").rewardMode());
    }
}
