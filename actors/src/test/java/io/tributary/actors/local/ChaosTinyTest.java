package io.tributary.actors.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.report.JsonIo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tiny-budget chaos on real local clusters (a broker and three node JVMs per case): a rollout node and the
 * learner's node are killed with SIGKILL, and the broker is killed and restarted, each mid-run; the
 * accounts computed from the topics balance, nothing is lost or trained twice, and the learner's ledger
 * agrees with the scored topic. One case per test, so that each stays within the per-test time limit.
 */
class ChaosTinyTest {
    @TempDir
    Path dir;

    @Test
    void rolloutNodeKillLosesNothingAndTrainsNothingTwice() throws Exception {
        check(Chaos.Case.ROLLOUT_NODE_KILL);
    }

    @Test
    void learnerKillLosesNothingAndTrainsNothingTwice() throws Exception {
        check(Chaos.Case.LEARNER_KILL);
        // The learner moved: the surviving learner-role node restored it from a checkpoint.
        assertTrue(Files.readString(dir.resolve("tiny-learner-kill").resolve("logs").resolve("node-2.log"))
                .contains("restoring the learner from the latest checkpoint"), "node-2 restored the learner");
    }

    @Test
    void brokerRestartLosesNothingAndTrainsNothingTwice() throws Exception {
        check(Chaos.Case.BROKER_RESTART);
    }

    private void check(Chaos.Case chaosCase) throws Exception {
        List<String> overrides = List.of("tributary.run.folder=\"" + dir + "\"", "tributary.run.max-env-steps=40000",
                "tributary.run.eval-episodes=2", "tributary.run.checkpoint-every-updates=2", "tributary.learner.ppo.epochs=2",
                "tributary.actors.wait-timeout-ms=60000");
        Chaos.Report report = Chaos.run(new Chaos.Spec(Path.of("..", "configs", "cartpole-ppo.conf"), overrides, "tiny", 0.25,
                "1g", List.of(chaosCase), null));
        Path out = dir.resolve("chaos.json");
        Chaos.write(report, out);
        String name = chaosCase.key();
        JsonNode c = JsonIo.readObject(out).get("cases").get(name);
        System.out.println(name + ": " + c);
        long produced = c.get("produced").asLong();
        assertTrue(produced > 0, name + ": " + c);
        assertTrue(c.get("trained").asLong() > 0, name + ": " + c);
        assertEquals(produced, c.get("trained").asLong() + c.get("dropped_stale").asLong() + c.get("rejected").asLong()
                + c.get("dead_lettered").asLong() + c.get("unused_at_end").asLong(), name + " balances: " + c);
        assertEquals(0, c.get("lost").asLong(), name + ": " + c);
        assertEquals(0, c.get("duplicated").asLong(), name + ": " + c);
        assertTrue(c.get("accounts_checked").asBoolean(), name + ": " + c);
        assertTrue(c.get("stall_seconds").asDouble() > 0 && c.get("wall_seconds").asDouble() > 0, name + ": " + c);
    }
}
