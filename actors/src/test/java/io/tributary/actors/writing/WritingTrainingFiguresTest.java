package io.tributary.actors.writing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training figures of a writing run, from update rows as the brpo learner writes them. */
class WritingTrainingFiguresTest {
    @TempDir
    Path dir;

    @Test
    void filteredGroupsDoNotCountAsGivingAGradient() throws Exception {
        Path m = dir.resolve("metrics.jsonl");
        Files.write(m, List.of(
                "{\"kind\":\"progress\",\"policy_version\":0}",
                "{\"kind\":\"update\",\"applied\":true,\"policy_version\":1,\"groups\":8,\"groups_trained\":8,"
                        + "\"groups_filtered\":6,\"mean_response_length\":40,\"mean_reward_trained\":0.5}",
                "{\"kind\":\"update\",\"applied\":false,\"policy_version\":1,\"groups\":8}",
                "{\"kind\":\"judge\",\"policy_version\":1,\"judge_swap_consistency\":0.7}",
                "{\"kind\":\"update\",\"applied\":true,\"policy_version\":2,\"groups\":8,\"groups_trained\":8,"
                        + "\"groups_filtered\":2,\"mean_response_length\":44,\"mean_reward_trained\":-0.5}",
                "{\"kind\":\"update\",\"applied\":true,\"policy_version\":3,\"groups\":8,\"groups_trained\":8,"
                        + "\"groups_filtered\":4,\"mean_response_length\":48}"));
        WritingTrainingFigures f = WritingTrainingFigures.read(m);
        assertEquals(3, f.updates().size(), "applied update rows only");
        assertEquals(12.0 / 24, f.groupsFilteredFraction(), 1e-12);
        // second half = the later 2 of 3 updates: (6 + 4) of 16 gave a gradient
        assertEquals(10.0 / 16, f.trainedFractionSecondHalf(), 1e-12);
        // weighted by unfiltered groups: (2 x 0.5 + 6 x -0.5) / 8; the third update has no figure
        assertEquals((2 * 0.5 + 6 * -0.5) / 8, f.meanRewardTrained(), 1e-12);
        double[][] curve = f.lengthCurve();
        assertEquals(List.of(1.0, 2.0, 3.0), List.of(curve[0][0], curve[0][1], curve[0][2]));
        assertEquals(48.0, curve[1][2]);
        Files.write(m, List.of("{\"kind\":\"progress\"}"));
        assertTrue(Double.isNaN(WritingTrainingFigures.read(m).trainedFractionSecondHalf()), "no updates, no figure");
    }
}
