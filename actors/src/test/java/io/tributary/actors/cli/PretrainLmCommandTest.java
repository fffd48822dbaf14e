package io.tributary.actors.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.learner.PolicySpec;
import io.tributary.learner.lm.LmModelFile;
import io.tributary.report.JsonIo;
import io.tributary.simulator.writing.WordTokenizer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tiny-budget, fixed-seed smoke test of {@code pretrain-lm} (tiny model sizes by --set). */
class PretrainLmCommandTest {
    private static final List<String> TINY = List.of("--set", "learner.policy.sequence.embedding-dim=8",
            "--set", "learner.policy.sequence.hidden-size=16", "--set", "learner.lm-pretrain.pairs=64",
            "--set", "learner.lm-pretrain.batch-size=4", "--set", "learner.lm-pretrain.check-every=2",
            "--set", "learner.lm-pretrain.check-samples=4", "--set", "learner.device=cpu");

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(List<String> args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.execute(args.toArray(new String[0]));
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static List<String> args(String... head) {
        List<String> a = new ArrayList<>(List.of(head));
        a.addAll(TINY);
        return a;
    }

    @Test
    void pretrainsATinyModelWithProgressLinesAndWritesTheModelAndItsFigures() throws Exception {
        Path model = dir.resolve("lm/model.bin");
        // the writing config names a model file that does not exist yet: pretrain-lm is what makes it
        Run r = run(args("pretrain-lm", "--config", Path.of("..", "configs", "writing-brpo.conf").toString(),
                "--out", model.toString(), "--seed", "3", "--max-steps", "4"));
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("step      2  loss "), r.out());
        assertTrue(r.out().contains("step      4  loss "), r.out());
        assertTrue(r.out().contains("tokens/s  ended before cap"), r.out());
        assertTrue(r.out().contains("max-steps reached, stop rule NOT met after 4 steps")
                || r.out().contains("stop rule met after"), r.out());

        assertEquals(PolicySpec.sequence(WordTokenizer.STANDARD_SIZE, 8, 16, 32), LmModelFile.readSpec(model));
        JsonNode figures = JsonIo.mapper().readTree(Files.readString(dir.resolve("lm/model.bin.json")));
        int steps = figures.get("steps").asInt();
        assertTrue(steps == 2 || steps == 4, "stops at a check: " + steps);
        assertEquals(steps / 2, figures.get("checks").size());
        assertEquals(3, figures.get("seed").asLong());
        assertEquals(64, figures.get("pairs").asInt());
        assertTrue(figures.get("tokens").asLong() >= 4L * steps * 2, "each pair has text and EOS");
        double ended = figures.get("ended_before_cap").asDouble();
        assertTrue(ended >= 0 && ended <= 1);
        assertEquals(ended >= 0.95, figures.get("target_reached").asBoolean());
    }

    @Test
    void badArgumentsAndSettingsExitWithCodeTwoNamingThePath() {
        Path model = dir.resolve("never.bin");
        Run zero = run(args("pretrain-lm", "--out", model.toString(), "--max-steps", "0"));
        assertEquals(Main.EXIT_BAD_CONFIG, zero.code());
        assertTrue(zero.err().contains("path=--max-steps, value=0"), zero.err());
        Run vocab = run(args("pretrain-lm", "--out", model.toString(), "--set", "learner.policy.sequence.vocab-size=3000"));
        assertEquals(Main.EXIT_BAD_CONFIG, vocab.code());
        assertTrue(vocab.err().contains("path=tributary.learner.policy.sequence.vocab-size, value=3000, rule=must equal the "
                + "writing tokenizer's vocabulary: 4000"), vocab.err());
        Run typo = run(args("pretrain-lm", "--out", model.toString(), "--set", "learner.lm-pretrain.max-step=3"));
        assertEquals(Main.EXIT_BAD_CONFIG, typo.code());
        assertTrue(typo.err().contains("tributary.learner.lm-pretrain.max-step"), typo.err());
        assertTrue(!Files.exists(model), "nothing written on a bad config");
    }
}
