package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.tributary.config.SettingsException;
import io.tributary.learner.Learners;
import io.tributary.learner.ProductionQuota;
import io.tributary.learner.lm.GroupLearnerSettings;
import io.tributary.learner.lm.GroupUpdateSettings;
import io.tributary.learner.lm.GruLanguageModel;
import io.tributary.learner.lm.LmModelFile;
import io.tributary.learner.lm.LmPretraining;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three writing configs load (given the pre-trained model file they name), select the arm's algorithm and
 * reward model, and share every learner setting the comparison needs equal.
 */
class WritingConfigsTest {
    @TempDir
    Path dir;

    private static TributaryConfig load(String name, List<String> overrides) {
        return TributaryConfig.load(Path.of("..", "configs", name), overrides);
    }

    @Test
    void theThreeArmsLoadAndDifferOnlyInAlgorithmAndRewardModel() throws Exception {
        Path model = dir.resolve("model.bin");
        try (NDManager m = NDManager.newBaseManager();
             GruLanguageModel lm = GruLanguageModel.create(m, LmPretraining.spec(TributaryConfig.resolveOnly(null, List.of())), 1)) {
            LmModelFile.write(model, lm);
        }
        List<String> init = List.of("learner.group.init-from=\"" + model.toString().replace("\\", "/") + "\"", "run.seed=17");
        TributaryConfig brpo = load("writing-brpo.conf", init);
        TributaryConfig scalar = load("writing-grpo-scalar.conf", init);
        TributaryConfig unbiased = load("writing-grpo-unbiased.conf", init);

        assertEquals("brpo", brpo.learner().algorithm());
        assertEquals("grpo", scalar.learner().algorithm());
        assertEquals("grpo", unbiased.learner().algorithm());
        assertEquals("writing-judge", brpo.rewards().model());
        assertEquals(Map.of("seed", "17"), brpo.rewards().options(), "the judge's seed is the run seed");
        assertEquals("writing-scalar", scalar.rewards().model());
        assertEquals(Map.of("bias", "0.02"), scalar.rewards().options());
        assertEquals(Map.of("bias", "0"), unbiased.rewards().options());

        GroupLearnerSettings b = GroupLearnerSettings.fromConfig(brpo.config(), "brpo", GroupUpdateSettings.RewardMode.BRPO);
        for (TributaryConfig c : List.of(scalar, unbiased)) {
            GroupLearnerSettings g = GroupLearnerSettings.fromConfig(c.config(), "grpo", GroupUpdateSettings.RewardMode.GRPO);
            assertEquals(b.update().learningRate(), g.update().learningRate());
            assertEquals(b.update().klCoef(), g.update().klCoef());
            assertEquals(b.update().clip(), g.update().clip());
            assertEquals(b.update().epochs(), g.update().epochs());
            assertEquals(b.update().minibatchSize(), g.update().minibatchSize());
            assertEquals(b.groupsPerVersion(), g.groupsPerVersion());
            assertEquals(b.maxUpdates(), g.maxUpdates());
            assertEquals(Learners.policySpec(brpo.learnerContext("t")), Learners.policySpec(c.learnerContext("t")));
        }
        assertTrue(b.maxUpdates() > 0, "the budget is in updates");
        assertTrue(b.update().klCoef() > 0, "KL to the pre-trained policy");
        assertEquals(ProductionQuota.groups(b.groupsPerVersion()), Learners.quota(brpo.learnerContext("t")));

        // without the model file the config does not load, and says what to do
        SettingsException missing = assertThrows(SettingsException.class,
                () -> load("writing-brpo.conf", List.of("learner.group.init-from=\"" + dir.resolve("none.bin") + "\"")));
        assertTrue(missing.getMessage().contains("path=tributary.learner.group.init-from")
                && missing.getMessage().contains("pretrain-lm"), missing.getMessage());
    }
}
