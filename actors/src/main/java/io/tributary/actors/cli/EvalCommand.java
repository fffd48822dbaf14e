package io.tributary.actors.cli;

import io.tributary.actors.Evaluator;
import io.tributary.actors.TributaryConfig;
import io.tributary.config.SettingsException;
import io.tributary.learner.Learner;
import io.tributary.learner.Learners;
import io.tributary.report.Json;
import io.tributary.streams.kafka.CheckpointStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Evaluates a stored checkpoint without Kafka: restores the learner, takes its policy, runs the evaluator. */
final class EvalCommand {
    private EvalCommand() {
    }

    static String evaluate(TributaryConfig c, Path path, Integer episodes) {
        Path learnerDir = locate(path);
        try (Learner learner = Learners.create(c.learnerContext("eval"))) {
            learner.restore(learnerDir);
            int n = episodes == null ? c.run().evalEpisodes() : episodes;
            Evaluator.Result r = Evaluator.evaluate(c.simulator(), learner.snapshot(), n, c.run().evalSeedBase());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("checkpoint", learnerDir.getParent().toString());
            out.put("policy_version", learner.version());
            out.put("env", c.simulator().envName());
            out.put("eval_return_mean", r.mean());
            out.put("eval_return_std", r.std());
            out.put("eval_episodes", n);
            out.put("eval_first_seed", r.firstSeed());
            List<Double> rets = new ArrayList<>();
            for (double x : r.returns()) {
                rets.add(x);
            }
            out.put("eval_returns", rets);
            return Json.writePretty(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore checkpoint " + learnerDir, e);
        }
    }

    private static Path locate(Path p) {
        if (Files.isDirectory(p.resolve("learner"))) {
            return p.resolve("learner");
        }
        for (Path store : List.of(p, p.resolve("checkpoints"))) {
            if (Files.exists(store.resolve("LATEST"))) {
                return new CheckpointStore(store, 1).latest().orElseThrow().learnerDir();
            }
        }
        throw new SettingsException("no checkpoint found: path=" + p
                + " (give a run folder, its checkpoints folder, or a ckpt-N folder)");
    }
}
