package io.tributary.actors.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.actors.cli.Main;
import io.tributary.report.JsonIo;
import io.tributary.streams.kafka.PolicyPublication;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** chaos.json's exact shape, the stall measure, and the chaos command's argument checks. */
class ChaosReportTest {
    @TempDir
    Path dir;

    @Test
    void reportHasExactlyTheIssuesShape() {
        Map<String, Chaos.CaseResult> cases = new LinkedHashMap<>();
        for (Chaos.Case c : Chaos.Case.values()) {
            cases.put(c.key(), new Chaos.CaseResult(100, 90, 2, 1, 1, 6, 0, 0, true, 500.0, 12.5, 300.0));
        }
        Path out = dir.resolve("results").resolve("chaos.json");
        Chaos.write(new Chaos.Report(cases), out);
        JsonNode root = JsonIo.readObject(out);
        assertEquals(List.of("cases"), names(root));
        assertEquals(List.of("rollout_node_kill", "learner_kill", "broker_restart"), names(root.get("cases")));
        JsonNode one = root.get("cases").get("learner_kill");
        assertEquals(List.of("produced", "trained", "dropped_stale", "rejected", "dead_lettered", "unused_at_end", "lost",
                "duplicated", "accounts_checked", "eval_return_mean", "stall_seconds", "wall_seconds"), names(one));
        assertEquals(6, one.get("unused_at_end").asLong());
        assertEquals(true, one.get("accounts_checked").asBoolean());
        assertEquals(12.5, one.get("stall_seconds").asDouble());
    }

    @Test
    void stallIsTheLongestGapBetweenUpdatesAfterTheFirst() {
        // v0 is the initial policy: its long gap to the first update (warm-up) is not a stall.
        List<PolicyPublication> p = new ArrayList<>(List.of(pub(0, 0, 1_000), pub(1, 1, 61_000), pub(2, 2, 62_000),
                pub(3, 3, 79_500), pub(4, 4, 80_000)));
        assertEquals(17.5, Chaos.stallSeconds(p), 1e-9);
        // Order is publication order (offsets), whatever order the list arrives in.
        java.util.Collections.reverse(p);
        assertEquals(17.5, Chaos.stallSeconds(p), 1e-9);
        assertEquals(0.0, Chaos.stallSeconds(List.of(pub(0, 0, 0), pub(1, 1, 50_000))), 1e-9);
    }

    @Test
    void chaosCommandRejectsBadArguments() {
        String cfg = Path.of("..", "configs", "cartpole-ppo.conf").toString();
        assertEquals(Main.EXIT_BAD_CONFIG, Main.execute("chaos", "--config", cfg, "--cases", "rollout_node_kill,meteor"));
        assertEquals(Main.EXIT_BAD_CONFIG, Main.execute("chaos", "--config", cfg, "--fault-at", "1.5"));
        assertEquals(Main.EXIT_BAD_CONFIG, Main.execute("chaos", "--config", dir.resolve("none.conf").toString()));
        assertThrows(IllegalArgumentException.class, () -> new Chaos.Spec(Path.of(cfg), List.of(), "p", 0.3, "3g", List.of(), null));
    }

    private static PolicyPublication pub(long offset, long version, long ts) {
        return new PolicyPublication(offset, version, ts);
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    @Test
    void theStallIsTheLongestGapBetweenUpdatesInAnyOrder() {
        // Updates every second, then a 17.7 s gap (a learner restarted elsewhere), then every second again.
        List<Long> t = new java.util.ArrayList<>(List.of(1_000L, 2_000L, 3_000L, 20_700L, 21_700L));
        java.util.Collections.reverse(t);
        assertEquals(17.7, Chaos.stallSecondsBetweenUpdates(t), 1e-9);
        assertEquals(0.0, Chaos.stallSecondsBetweenUpdates(List.of(5_000L)), 1e-9);
    }
}
