package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.actors.cli.Main;
import io.tributary.config.SettingsException;
import io.tributary.report.JsonIo;
import io.tributary.streams.kafka.KafkaRunStreams;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tributary rescore} on a finished CartPole run (real embedded broker, restarted on the run's data):
 * unchanged settings give the same mean return to the last bit, a changed option or another model gives
 * another one, the new topic holds every chunk of the run once, and bad input stops it naming what is bad.
 */
class RescoreTest {
    @TempDir
    Path dir;

    @Test
    void rescoresAFinishedRunsLogWithOtherRewardSettings() throws Exception {
        // The run is scored by the examples' "shaped" reward model: 1.5 x CartPole's reward of 1 per step.
        TributaryConfig c = TestRuns.cartPole(dir, 768, "run.id=scored", "run.eval-episodes=1",
                "reward-models.model=shaped", "reward-models.options.scale=1.5");
        TrainingRun.Outcome run = TrainingRun.run(c, null, null);
        long produced = run.summary().chunksProduced();
        assertEquals(0, run.summary().chunksDeadLettered());

        Rescore.Result same = Rescore.run(run.runDir(), List.of(), "same");
        assertEquals("tributary.scored.scored", same.originalTopic());
        assertEquals("tributary.scored.scored.same", same.rescoredTopic());
        assertEquals(same.original(), same.rescored());
        assertTrue(same.originalStats().completeEpisodes() > 5, "episodes: " + same.originalStats());
        assertEquals(same.originalStats(), same.rescoredStats(), "unchanged settings: the same returns, exactly");
        assertEquals(produced, same.rescoredStats().chunks());
        assertEquals(produced, same.scored(), "every chunk of the log scored once by this invocation");
        assertEquals(0, same.rescoredStats().duplicateChunks());

        // Through the command line: a changed option doubles every reward, so the mean doubles (sums of 1.5s and 3s are exact).
        JsonNode triple = JsonIo.parse(cli(0, "rescore", "--run", run.runDir().toString(), "--set",
                "reward-models.options.scale=3", "--name", "triple"));
        double original = triple.path("original").path("mean_episode_return").asDouble();
        double tripled = triple.path("rescored").path("mean_episode_return").asDouble();
        assertEquals(same.originalStats().meanReturn(), original);
        assertNotEquals(original, tripled);
        assertEquals(2 * original, tripled);
        assertEquals("3", triple.path("rescored").path("reward_options").path("scale").asText());
        assertTrue(Files.exists(run.runDir().resolve("rescore-triple.json")));

        // Another model (the built-in env reward) starts from no options: the mean is the plain episode length.
        Rescore.Result env = Rescore.run(run.runDir(), List.of("tributary.reward-models.model=env"), "env");
        assertEquals("env", env.rescored().model());
        assertEquals(original / 1.5, env.rescoredStats().meanReturn(), 1e-9);

        // Each new topic holds exactly the chunks of the run's scored topic, each once.
        TestRuns.withRunBroker(run, c, clients -> {
            try (KafkaRunStreams streams = new KafkaRunStreams(clients, TestRuns.topics(run), "rescore-test")) {
                Set<String> ids = ids(streams, "tributary.scored.scored");
                assertEquals(produced, ids.size());
                for (String name : List.of("same", "triple", "env")) {
                    assertEquals(ids, ids(streams, "tributary.scored.scored." + name), name);
                }
            }
            return null;
        });

        // A name keeps its settings: reusing it with others is refused, naming the topic.
        SettingsException reused = assertThrows(SettingsException.class,
                () -> Rescore.run(run.runDir(), List.of("reward-models.options.scale=2"), "triple"));
        assertTrue(reused.getMessage().contains("tributary.scored.scored.triple"), reused.getMessage());
    }

    @Test
    void badInputIsRefusedNamingWhatIsBad() throws Exception {
        SettingsException missing = assertThrows(SettingsException.class,
                () -> Rescore.run(dir.resolve("no-such-run"), List.of(), "x"));
        assertTrue(missing.getMessage().contains("run folder not found") && missing.getMessage().contains("no-such-run"),
                missing.getMessage());
        // A folder with a config but no broker data: written as a run folder would be, without training.
        Path fake = dir.resolve("fake");
        Files.createDirectories(fake);
        TributaryConfig c = TestRuns.cartPole(dir, 256, "reward-models.model=shaped");
        Files.writeString(fake.resolve("config.conf"), c.renderTributary(), StandardCharsets.UTF_8);

        SettingsException notReward = assertThrows(SettingsException.class,
                () -> Rescore.run(fake, List.of("learner.ppo.epochs=3"), "x"));
        assertTrue(notReward.getMessage().contains("tributary.learner.ppo.epochs"), notReward.getMessage());
        SettingsException unknown = assertThrows(SettingsException.class,
                () -> Rescore.run(fake, List.of("reward-models.modle=env"), "x"));
        assertTrue(unknown.getMessage().contains("tributary.reward-models.modle"), unknown.getMessage());
        SettingsException option = assertThrows(SettingsException.class,
                () -> Rescore.run(fake, List.of("reward-models.options.scael=2"), "x"));
        assertTrue(option.getMessage().contains("tributary.reward-models.options.scael"), option.getMessage());
        SettingsException model = assertThrows(SettingsException.class,
                () -> Rescore.run(fake, List.of("reward-models.model=nope"), "x"));
        assertTrue(model.getMessage().contains("tributary.reward-models.model"), model.getMessage());
        SettingsException name = assertThrows(SettingsException.class,
                () -> Rescore.run(fake, List.of(), "a.b"));
        assertTrue(name.getMessage().contains("a.b"), name.getMessage());
        SettingsException noKafka = assertThrows(SettingsException.class, () -> Rescore.run(fake, List.of(), "x"));
        assertTrue(noKafka.getMessage().contains("no embedded Kafka data"), noKafka.getMessage());

        // The command line turns them into exit code 2 with the message.
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals(Main.EXIT_BAD_CONFIG, Main.execute("rescore", "--run", fake.toString(), "--set", "run.seed=3"));
        } finally {
            System.setErr(old);
        }
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("tributary.run.seed"), err.toString(StandardCharsets.UTF_8));
    }

    private static Set<String> ids(KafkaRunStreams streams, String topic) {
        List<String> all = new ArrayList<>();
        assertEquals(0, streams.readScored(topic, s -> all.add(s.chunk().id().key())));
        Set<String> distinct = new HashSet<>(all);
        assertEquals(all.size(), distinct.size(), "a chunk twice in " + topic);
        return distinct;
    }

    private static String cli(int expectedExit, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(expectedExit, Main.execute(args));
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
