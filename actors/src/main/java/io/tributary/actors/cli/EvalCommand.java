package io.tributary.actors.cli;

import io.tributary.actors.Controller;
import io.tributary.actors.Controllers;
import io.tributary.actors.Evaluator;
import io.tributary.actors.PolicyController;
import io.tributary.actors.TributaryConfig;
import io.tributary.config.SettingsException;
import io.tributary.learner.Learner;
import io.tributary.learner.Learners;
import io.tributary.learner.PolicySnapshot;
import io.tributary.report.JsonIo;
import io.tributary.streams.kafka.CheckpointStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates without Kafka: a stored checkpoint (restores the learner and takes its policy) or a registered
 * scripted controller; prints returns, episode lengths and the environment's signal aggregates as JSON.
 */
final class EvalCommand {
    private EvalCommand() {
    }

    /** Evaluates the policy of the checkpoint at {@code path}; returns the JSON report. */
    static String evaluate(TributaryConfig c, Path path, Integer episodes) {
        return evaluate(c, path, episodes, 0);
    }

    /**
     * As {@link #evaluate(TributaryConfig, Path, Integer)}, with the last {@code traceSteps} steps of every episode
     * that terminated before its step limit under {@code terminations} (0: none).
     */
    static String evaluate(TributaryConfig c, Path path, Integer episodes, int traceSteps) {
        Restored restored = restorePolicy(c, path);
        int n = episodes == null ? c.run().evalEpisodes() : episodes;
        Evaluator.Result r = Evaluator.evaluate(c.simulator(), new PolicyController(restored.policy()), "policy", n,
                c.run().evalSeedBase(), traceSteps);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("checkpoint", restored.learnerDir().getParent().toString());
        out.put("policy_version", restored.version());
        return report(c, r, out);
    }

    /** A policy restored from a checkpoint, with where it came from. */
    record Restored(PolicySnapshot policy, Path learnerDir, long version) {
    }

    /**
     * Restores the learner of {@code c} from the checkpoint at {@code path} (a run folder, its checkpoints
     * folder or one ckpt-N folder) and takes its policy; shared by {@code eval} and {@code dataset collect}.
     */
    static Restored restorePolicy(TributaryConfig c, Path path) {
        Path learnerDir = locate(path);
        try (Learner learner = Learners.create(c.learnerContext("eval"))) {
            learner.restore(learnerDir);
            return new Restored(learner.snapshot(), learnerDir, learner.version());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore checkpoint " + learnerDir, e);
        }
    }

    /** Evaluates the registered scripted controller {@code name}; returns the JSON report. */
    static String evaluateController(TributaryConfig c, String name, Integer episodes, int traceSteps) {
        Controller controller = Controllers.create(name, c.simulator());
        int n = episodes == null ? c.run().evalEpisodes() : episodes;
        Evaluator.Result r = Evaluator.evaluate(c.simulator(), controller, name, n, c.run().evalSeedBase(), traceSteps);
        return report(c, r, new LinkedHashMap<>());
    }

    private static String report(TributaryConfig c, Evaluator.Result r, Map<String, Object> out) {
        out.put("controller", r.controller());
        out.put("env", c.simulator().envName());
        out.put("eval_return_mean", r.mean());
        out.put("eval_return_std", r.std());
        out.put("eval_episodes", r.returns().length);
        out.put("eval_first_seed", r.firstSeed());
        out.put("eval_returns", r.returns());
        out.put("eval_episode_lengths", r.lengths());
        out.put("eval_episode_length_mean", r.lengthMean());
        out.putAll(r.signalSummaryKeys());
        if (!r.terminations().isEmpty()) {
            out.put("terminations", terminations(r.terminations()));
        }
        return JsonIo.writePretty(out);
    }

    /** Each traced termination as {seed, length, steps: [{step, action, <signal>: value, ...}]}. */
    private static List<Map<String, Object>> terminations(List<Evaluator.TerminalTrace> traces) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Evaluator.TerminalTrace tr : traces) {
            List<Map<String, Object>> steps = new ArrayList<>();
            for (Evaluator.TraceStep st : tr.steps()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("step", st.step());
                row.put("action", st.action());
                for (int i = 0; i < tr.signalKeys().size(); i++) {
                    row.put(tr.signalKeys().get(i), st.signals()[i]);
                }
                steps.add(row);
            }
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("seed", tr.seed());
            t.put("length", tr.length());
            t.put("steps", steps);
            out.add(t);
        }
        return out;
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
