package io.tributary.actors.writing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.actors.ExperimentContext;
import io.tributary.actors.Experiments;
import io.tributary.report.JsonIo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writing experiment end to end at a tiny budget (fixed seed): pre-training (50 steps) and the three
 * arms (2 updates each, G = 4) in child JVMs through Kafka, then the fixed evaluation (40 held-out prompts,
 * n = 320 pairs) in this JVM, and its files with the issue's exact keys. It checks the plumbing and that the
 * figures are measured (they differ between arms and lie in their ranges), not the scientific result (that
 * needs the full budget).
 */
class WritingExperimentSmokeTest {
    @TempDir
    Path dir;

    static final List<String> ARM_KEYS = List.of("length_start", "length_end", "explanation_tokens_end",
            "win_rate_vs_pretrained", "win_rate_ci95", "swap_consistency", "groups_filtered_frac",
            "trained_frac_second_half", "mean_reward_trained");

    @Test
    void tinyRunWritesTheReportWithTheIssuesKeys() throws Exception {
        assertTrue(Experiments.registered().containsKey("writing"), "registered as ./tributary experiment writing");
        Path out = dir.resolve("results");
        new WritingExperiment(Path.of("..", "configs")).run(new ExperimentContext("writing", out, List.of(7L), List.of(
                "tributary.run.folder=\"" + dir.resolve("runs") + "\"",
                "tributary.kafka.partitions=1",
                "tributary.actors.workers=1",
                "tributary.actors.text-rollout.group-size=4",
                "tributary.learner.policy.sequence.embedding-dim=8",
                "tributary.learner.policy.sequence.hidden-size=16",
                // 50 steps at a high rate: enough for the tiny model to end its samples (~40 words), so the fixed
                // evaluation does not sample every response to its cap
                "tributary.learner.lm-pretrain.max-steps=50",
                "tributary.learner.lm-pretrain.check-every=50",
                "tributary.learner.lm-pretrain.check-samples=8",
                "tributary.learner.lm-pretrain.batch-size=8",
                "tributary.learner.lm-pretrain.pairs=256",
                "tributary.learner.lm-pretrain.learning-rate=1e-2",
                "tributary.learner.group.groups-per-version=2",
                "tributary.learner.group.max-updates=2",
                "tributary.learner.group.minibatch-size=8")));
        JsonNode j = JsonIo.readObject(out.resolve("writing.json"));
        Set<String> top = new HashSet<>();
        j.fieldNames().forEachRemaining(top::add);
        assertEquals(Set.of("wall_seconds", "settings", "grpo_scalar", "grpo_unbiased", "brpo_judge"), top);
        Set<String> settings = new HashSet<>();
        j.path("settings").fieldNames().forEachRemaining(settings::add);
        assertEquals(Set.of("G", "lr", "kl_coef", "updates"), settings);
        assertEquals(4, j.path("settings").path("G").asInt());
        assertEquals(2, j.path("settings").path("updates").asInt());
        Set<String> winRates = new HashSet<>();
        for (String arm : List.of("grpo_scalar", "grpo_unbiased", "brpo_judge")) {
            JsonNode a = j.path(arm);
            Set<String> keys = new HashSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            assertEquals(Set.copyOf(ARM_KEYS), keys, arm);
            double lengthEnd = a.path("length_end").asDouble();
            assertTrue(lengthEnd > 0, arm + ": " + a);
            double w = a.path("win_rate_vs_pretrained").asDouble();
            assertTrue(w >= 0 && w <= 1, arm + ": " + a);
            assertTrue(a.path("win_rate_ci95").get(0).asDouble() <= w && w <= a.path("win_rate_ci95").get(1).asDouble(),
                    arm + ": " + a);
            double swap = a.path("swap_consistency").asDouble();
            assertTrue(swap >= 0 && swap <= 1, arm + ": " + a);
            double filtered = a.path("groups_filtered_frac").asDouble();
            assertTrue(filtered >= 0 && filtered <= 1, arm + ": " + a);
            double trained = a.path("trained_frac_second_half").asDouble();
            assertTrue(trained >= 0 && trained <= 1, arm + ": " + a);
            assertEquals(j.path("grpo_scalar").path("length_start").asDouble(), a.path("length_start").asDouble(), 0.0,
                    "every arm starts from the same pre-trained model");
            winRates.add(a.path("win_rate_vs_pretrained").asText() + "/" + a.path("length_end").asText());
        }
        assertTrue(winRates.size() > 1, "measured per arm, not constants: " + winRates);
        assertNotEquals(0.0, j.path("wall_seconds").asDouble());
        String md = Files.readString(out.resolve("writing.md"), StandardCharsets.UTF_8);
        assertTrue(md.contains("brpo_judge") && md.contains("Must-show checks"), md);
        String svg = Files.readString(out.resolve("writing-length.svg"), StandardCharsets.UTF_8);
        assertTrue(svg.contains("grpo_unbiased"), "length curves per arm");
        assertTrue(md.contains("### brpo_judge") && md.contains("### pre-trained"), "sample responses of every policy");
    }
}
