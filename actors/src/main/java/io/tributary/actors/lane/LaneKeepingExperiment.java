package io.tributary.actors.lane;

import io.tributary.actors.Experiment;
import io.tributary.actors.ExperimentContext;
import io.tributary.actors.ExperimentRunner;
import io.tributary.actors.PolicyController;
import io.tributary.actors.TributaryConfig;
import io.tributary.config.SettingsException;
import io.tributary.learner.Learner;
import io.tributary.learner.Learners;
import io.tributary.learner.PolicySnapshot;
import io.tributary.report.JsonIo;
import io.tributary.report.MarkdownTable;
import io.tributary.rewards.lane.HybridLaneRewardProvider;
import io.tributary.simulator.SimulatorSettings;
import io.tributary.simulator.lane.HybridLaneReward;
import io.tributary.simulator.lane.Vehicle;
import io.tributary.streams.kafka.CheckpointStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Built-in experiment {@code lane-keeping} (issue 8): trains {@code configs/lane-keeping-fused.conf} and its
 * two ablations ({@code -geo-lidar-pid}, {@code -geo-lidar}) with training seeds 1, 2, 3, every run in this
 * invocation under {@code runs/}, with the same real-env-step budget; evaluates each seed's policy (the final
 * one, or with {@code validation-episodes} > 0 the kept checkpoint that did best on validation seeds 30000..; see
 * {@link LaneKeepingSettings}) with deterministic mean actions, and the PID controller ({@link LanePidController}:
 * gains grid-searched on seeds 20000-20019, speed capped at the fused agent's mean speed) on test seeds
 * 10000-10099; writes
 * {@code lane-keeping.md} (agent table and per-seed rows), {@code lane-keeping.json} (exactly the keys)
 * and {@code lane-keeping-<agent>.svg} (a top-down view of one test episode per agent).
 *
 * <p>Figures: {@code rmse_m} is the mean over test episodes of each episode's {@code sqrt(mean d^2)} over the
 * whole episode, and an agent's figure the mean over its seeds; {@code rmse_std_m} the standard deviation over
 * episodes, averaged over seeds; {@code nrmse = rmse / 5} as in the paper; collisions and lane departures are
 * summed over seeds; {@code episodes} is the minimum over seeds of the episodes completed (60 s reached).
 * Knobs: {@code tributary.actors.lane-keeping.*} ({@link LaneKeepingSettings}), e.g. {@code budget-scale}.
 */
public final class LaneKeepingExperiment implements Experiment {
    /** Registered name. */
    public static final String NAME = "lane-keeping";
    /** Agents in table order, with the config each trained agent comes from. */
    static final Map<String, String> CONFIGS = new LinkedHashMap<>();
    /** The PID controller's agent name. */
    static final String PID = "pid_controller";
    /** The agent whose mean speed caps the PID controller's. */
    static final String FUSED = "fused";

    static {
        CONFIGS.put(FUSED, "lane-keeping-fused.conf");
        CONFIGS.put("geo_lidar_pid", "lane-keeping-geo-lidar-pid.conf");
        CONFIGS.put("geo_lidar", "lane-keeping-geo-lidar.conf");
    }

    /**
     * One agent's evaluation on the test seeds for one training seed (the PID controller has seed 0, and no choice).
     *
     * @param choice which of the run's policies was tested, and how it was chosen; null for the PID controller
     */
    record SeedRow(String agent, long seed, LaneEvaluation.Result result, long envSteps, double wallSeconds, String runId,
                   PolicyChoice choice) {
    }

    /**
     * The policy of a run that is tested.
     *
     * @param policy      the chosen policy
     * @param candidates  policy versions considered, newest first (just the final one without validation)
     * @param validation  the chosen policy's validation episodes, null without validation
     * @param finalOnTest the final policy's test figures when another one was chosen, else null
     */
    record PolicyChoice(PolicySnapshot policy, List<Long> candidates, LaneEvaluation.Result validation,
                        LaneEvaluation.Result finalOnTest) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Lane keeping (BLIP-FusePPO): fused vs geo+LiDAR+PID vs geo+LiDAR PPO, seeds 1,2,3, and a grid-searched "
                + "PID controller, on test seeds 10000-10099: lateral RMSE, collisions, departures, speed";
    }

    @Override
    public void run(ExperimentContext context) {
        run(context, Path.of("configs"));
    }

    /** Runs with the three configs read from {@code configs} (tests run from a module folder). */
    void run(ExperimentContext context, Path configs) {
        long start = System.currentTimeMillis();
        List<Long> seeds = context.seeds(List.of(1L, 2L, 3L));
        // Loaded once to read the knobs (the user's --set applies) and the budget shared by all three configs.
        TributaryConfig fused = context.config(configs.resolve(CONFIGS.get(FUSED)));
        LaneKeepingSettings knobs = LaneKeepingSettings.fromConfig(fused.config());
        long steps = Math.max(1, Math.round(fused.run().maxEnvSteps() * knobs.budgetScale()));
        // The runs' own final evaluation is one episode: the experiment evaluates every policy itself below.
        List<String> budget = List.of("tributary.run.max-env-steps=" + steps, "tributary.run.eval-episodes=1");
        List<SeedRow> rows = new ArrayList<>();
        Map<String, LaneEvaluation.Path> paths = new LinkedHashMap<>();
        HybridLaneReward.Weights weights = null;
        for (Map.Entry<String, String> agent : CONFIGS.entrySet()) {
            TributaryConfig loaded = context.config(configs.resolve(agent.getValue()));
            if (loaded.run().maxEnvSteps() != fused.run().maxEnvSteps()) {
                throw new SettingsException("tributary.run.max-env-steps", loaded.run().maxEnvSteps(),
                        "must be the same for all three lane-keeping configs (the fused config has "
                                + fused.run().maxEnvSteps() + "): " + agent.getValue());
            }
            // Scaled on top of everything, the user's --set included, so the scale always applies.
            TributaryConfig c = loaded.with(budget);
            HybridLaneReward.Weights w = weights(c);
            if (weights != null && !weights.equals(w)) {
                throw new SettingsException("tributary.reward-models.options", c.rewards().options(),
                        "must be the same for all three lane-keeping configs");
            }
            weights = w;
            for (ExperimentRunner.RunRow run : context.runArms(List.of(new ExperimentRunner.Arm(agent.getKey(), c)), seeds)) {
                PolicyChoice choice = choosePolicy(c, run.outcome().runDir(), run.outcome().runId(), knobs, agent.getKey());
                PolicySnapshot policy = choice.policy();
                System.err.printf("[experiment %s] evaluating %s seed %d (policy v%d) on %d test episodes%n", NAME,
                        agent.getKey(), run.seed(), policy.version(), knobs.testEpisodes());
                LaneEvaluation.Result r = LaneEvaluation.evaluate(c.simulator(), new PolicyController(policy),
                        knobs.testSeedBase(), knobs.testEpisodes());
                rows.add(new SeedRow(agent.getKey(), run.seed(), r, run.outcome().summary().envSteps(),
                        run.outcome().summary().wallSeconds(), run.outcome().runId(), choice));
                if (!paths.containsKey(agent.getKey())) {
                    paths.put(agent.getKey(), LaneEvaluation.path(c.simulator(), new PolicyController(policy), knobs.testSeedBase()));
                }
            }
        }
        SimulatorSettings sim = fused.simulator();
        double fusedSpeed = mean(rows.stream().filter(r -> r.agent().equals(FUSED)).mapToDouble(r -> r.result().meanSpeedKmh()).toArray());
        double cap = Double.isFinite(fusedSpeed) ? Math.max(0, Math.min(Vehicle.SPEED_MAX_KMH, fusedSpeed)) : Vehicle.SPEED_MAX_KMH;
        System.err.printf("[experiment %s] PID grid search (%d candidates) on seeds %d.. at a %.2f km/h cap%n", NAME,
                LanePidController.grid().size(), knobs.pidGridSeedBase(), cap);
        LanePidController.Search search = LanePidController.gridSearch(sim, cap, knobs.pidGridSeedBase(), knobs.pidGridEpisodes());
        LanePidController pid = new LanePidController(search.best(), cap, 0.0);
        rows.add(new SeedRow(PID, 0, LaneEvaluation.evaluate(sim, pid, knobs.testSeedBase(), knobs.testEpisodes()), 0, 0, "-",
                null));
        paths.put(PID, LaneEvaluation.path(sim, pid, knobs.testSeedBase()));
        double wall = (System.currentTimeMillis() - start) / 1000.0;
        write(context, rows, paths, weights, steps, wall, search, cap, knobs, seeds);
    }

    /** The hybrid weights the config's reward model scores with (the defaults unless options change them). */
    private static HybridLaneReward.Weights weights(TributaryConfig c) {
        if (!HybridLaneRewardProvider.NAME.equals(c.rewards().model())) {
            throw new SettingsException("tributary.reward-models.model", c.rewards().model(),
                    "must be " + HybridLaneRewardProvider.NAME + " for the lane-keeping experiment (its weights are reported)");
        }
        try (var model = c.rewards().create()) {
            return ((io.tributary.rewards.lane.HybridLaneRewardModel) model).weights();
        }
    }

    /**
     * The run's policy to test: the final one without validation episodes; otherwise, of the checkpoints the run
     * kept, the one with the lowest {@link LaneEvaluation.Result#gridScore} (fewest failed episodes, then lowest RMSE)
     * on the validation seeds, the newest on a tie. Only validation seeds are driven to choose; the final policy's
     * test figures are measured too when another one is chosen, so the report shows what the choice changed.
     */
    private static PolicyChoice choosePolicy(TributaryConfig c, Path runDir, String runId, LaneKeepingSettings knobs,
                                             String agent) {
        Path store = c.run().checkpointDir().isEmpty() ? runDir.resolve("checkpoints")
                : Path.of(c.run().checkpointDir()).resolve(runId);
        // Newest first; a run checkpoints at its end, so the first is the final policy.
        List<CheckpointStore.Checkpoint> kept = new CheckpointStore(store, 1).all();
        if (kept.isEmpty()) {
            throw new IllegalStateException("run " + runId + " left no checkpoint in " + store);
        }
        PolicySnapshot last = policyOf(c, runId, kept.get(0));
        if (knobs.validationEpisodes() == 0) {
            return new PolicyChoice(last, List.of(last.version()), null, null);
        }
        PolicySnapshot best = null;
        LaneEvaluation.Result bestResult = null;
        List<Long> versions = new ArrayList<>();
        for (CheckpointStore.Checkpoint cp : kept) {
            PolicySnapshot p = cp == kept.get(0) ? last : policyOf(c, runId, cp);
            LaneEvaluation.Result v = LaneEvaluation.evaluate(c.simulator(), new PolicyController(p),
                    knobs.validationSeedBase(), knobs.validationEpisodes());
            versions.add(p.version());
            System.err.printf(java.util.Locale.ROOT, "[experiment %s] %s %s: policy v%d on %d validation episodes: %d failed, "
                            + "rmse %.4f m%n", NAME, agent, runId, p.version(), knobs.validationEpisodes(),
                    v.episodes().size() - v.completed(), v.rmseMean());
            if (bestResult == null || v.gridScore() < bestResult.gridScore()) {
                best = p;
                bestResult = v;
            }
        }
        LaneEvaluation.Result finalOnTest = best == last ? null : LaneEvaluation.evaluate(c.simulator(),
                new PolicyController(last), knobs.testSeedBase(), knobs.testEpisodes());
        return new PolicyChoice(best, versions, bestResult, finalOnTest);
    }

    /** The policy stored in one checkpoint of the run. */
    private static PolicySnapshot policyOf(TributaryConfig c, String runId, CheckpointStore.Checkpoint cp) {
        try (Learner learner = Learners.create(c.learnerContext(runId + "-eval"))) {
            learner.restore(cp.learnerDir());
            return learner.snapshot();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore checkpoint " + cp.dir() + " of run " + runId, e);
        }
    }

    private static void write(ExperimentContext context, List<SeedRow> rows, Map<String, LaneEvaluation.Path> paths,
                              HybridLaneReward.Weights w, long steps, double wall, LanePidController.Search search,
                              double cap, LaneKeepingSettings knobs, List<Long> seeds) {
        Map<String, Object> agents = new LinkedHashMap<>();
        MarkdownTable table = new MarkdownTable("agent", "rmse (m)", "rmse std (m)", "nRMSE", "collisions",
                "lane departures", "mean speed (km/h)", "episodes completed (min over seeds)", "seeds").decimals(4);
        List<String> order = new ArrayList<>(CONFIGS.keySet());
        order.add(PID);
        for (String agent : order) {
            List<LaneEvaluation.Result> rs = rows.stream().filter(r -> r.agent().equals(agent)).map(SeedRow::result).toList();
            double rmse = mean(rs.stream().mapToDouble(LaneEvaluation.Result::rmseMean).toArray());
            double std = mean(rs.stream().mapToDouble(LaneEvaluation.Result::rmseStd).toArray());
            int collisions = rs.stream().mapToInt(LaneEvaluation.Result::collisions).sum();
            int departures = rs.stream().mapToInt(LaneEvaluation.Result::departures).sum();
            double speed = mean(rs.stream().mapToDouble(LaneEvaluation.Result::meanSpeedKmh).toArray());
            int episodes = rs.stream().mapToInt(LaneEvaluation.Result::completed).min().orElse(0);
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("rmse_m", rmse);
            a.put("rmse_std_m", std);
            a.put("nrmse", rmse / 5);
            a.put("collisions", collisions);
            a.put("lane_departures", departures);
            a.put("mean_speed_kmh", speed);
            a.put("episodes", episodes);
            agents.put(agent, a);
            table.addRow(agent, rmse, std, rmse / 5, collisions, departures, speed, episodes + " / " + knobs.testEpisodes(),
                    rs.size());
        }
        Map<String, Object> weights = new LinkedHashMap<>();
        weights.put("lane", w.lane());
        weights.put("speed", w.speed());
        weights.put("obstacle", w.obstacle());
        weights.put("centring", w.centring());
        weights.put("semantic", w.semantic());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("wall_seconds", wall);
        json.put("reward_weights", weights);
        json.put("env_steps_per_run", steps);
        json.put("agents", agents);
        MarkdownTable perSeed = new MarkdownTable("agent", "training seed", "rmse (m)", "rmse std (m)", "collisions",
                "lane departures", "mean speed (km/h)", "episodes completed", "policy (of versions)",
                "validation failed / rmse (m)", "final policy on test: departures / completed", "env steps trained",
                "train wall s", "run").decimals(4);
        for (SeedRow r : rows) {
            LaneEvaluation.Result e = r.result();
            PolicyChoice ch = r.choice();
            boolean pid = ch == null;
            String policy = pid ? "-" : "v" + ch.policy().version() + " (of " + ch.candidates().stream().map(v -> "v" + v)
                    .collect(java.util.stream.Collectors.joining(", ")) + ")";
            String validation = pid || ch.validation() == null ? "-" : String.format(java.util.Locale.ROOT, "%d / %.4f",
                    ch.validation().episodes().size() - ch.validation().completed(), ch.validation().rmseMean());
            String finalOnTest = pid ? "-" : ch.finalOnTest() == null ? "the same policy"
                    : ch.finalOnTest().departures() + " / " + ch.finalOnTest().completed();
            perSeed.addRow(r.agent(), pid ? "-" : r.seed(), e.rmseMean(), e.rmseStd(), e.collisions(),
                    e.departures(), e.meanSpeedKmh(), e.completed() + " / " + e.episodes().size(), policy, validation,
                    finalOnTest, pid ? "-" : r.envSteps(), pid ? "-" : r.wallSeconds(), r.runId());
        }
        MarkdownTable grid = new MarkdownTable("PID gains", "grid rmse (m)", "failed episodes").decimals(4);
        List<Integer> byScore = new ArrayList<>();
        for (int i = 0; i < search.candidates().size(); i++) {
            byScore.add(i);
        }
        byScore.sort((a, b) -> Double.compare(search.results().get(a).gridScore(), search.results().get(b).gridScore()));
        for (int i : byScore.subList(0, Math.min(5, byScore.size()))) {
            LaneEvaluation.Result r = search.results().get(i);
            grid.addRow(search.candidates().get(i).toString(), r.rmseMean(), r.episodes().size() - r.completed());
        }
        StringBuilder md = new StringBuilder();
        md.append("<!-- ").append(ExperimentRunner.mark(NAME, true)).append("; generated, rerunning replaces this file -->\n");
        md.append("# Experiment: lane-keeping (issue 8)\n\n");
        md.append(String.format(java.util.Locale.ROOT, "Every model trained in this invocation (training seeds %s, %d real env steps "
                        + "per run, mirrored samples on top), evaluated with deterministic mean actions on test seeds %d-%d "
                        + "(%d episodes); reward weights lane %.2f, speed %.2f, obstacle %.2f, centring %.2f, "
                        + "semantic %.2f; wall %.0f s for the whole experiment.%n%n", seeds, steps, knobs.testSeedBase(),
                knobs.testSeedBase() + knobs.testEpisodes() - 1, knobs.testEpisodes(), w.lane(), w.speed(), w.obstacle(),
                w.centring(), w.semantic(), wall));
        md.append("rmse = mean over test episodes of each episode's sqrt(mean d^2) to the ego-lane centre (whole episode); "
                + "an agent's figure is the mean over its seeds, rmse std the std over episodes averaged over seeds, "
                + "nRMSE = rmse / 5 as in the paper; collisions and lane departures are summed over seeds; episodes "
                + "completed is the minimum over seeds. The paper's anchor: BLIP-FusePPO 0.110 m (std 0.055).\n\n");
        md.append(knobs.validationEpisodes() == 0 ? "Each run's final policy is tested.\n\n" : String.format(java.util.Locale.ROOT,
                "Each run's tested policy is chosen among the checkpoints it kept: the one with the fewest failed "
                        + "episodes, then the lowest RMSE, on %d validation episodes (seeds %d-%d, apart from the test "
                        + "and PID-grid seeds); the same rule for every trained agent. The per-seed table gives the "
                        + "candidates and the final policy's test figures beside the chosen one's.%n%n",
                knobs.validationEpisodes(), knobs.validationSeedBase(), knobs.validationSeedBase() + knobs.validationEpisodes() - 1));
        md.append("## Agents\n\n").append(table.render()).append("\n## Per seed\n\n").append(perSeed.render());
        md.append(String.format(java.util.Locale.ROOT, "%n## PID controller%n%nGains grid-searched on seeds %d-%d (%d candidates; "
                        + "fewest failed episodes, then lowest RMSE) at a speed cap of %.2f km/h, the fused agent's mean "
                        + "speed; target speed min(cap, the speed that keeps a 10 m gap to the corridor object ahead). "
                        + "Chosen: %s. Best five:%n%n", knobs.pidGridSeedBase(), knobs.pidGridSeedBase() + knobs.pidGridEpisodes() - 1,
                search.candidates().size(), cap, search.best()));
        md.append(grid.render());
        md.append("\n## Figures\n\nOne test episode (seed ").append(knobs.testSeedBase()).append(") per agent, top-down: ");
        for (String agent : paths.keySet()) {
            md.append("`").append(NAME).append("-").append(agent.replace('_', '-')).append(".svg` ");
        }
        md.append("\n");
        try {
            Files.createDirectories(context.outDir());
            Files.writeString(context.output(".md"), md.toString(), StandardCharsets.UTF_8);
            JsonIo.writePrettyFile(context.output(".json"), json);
            for (Map.Entry<String, LaneEvaluation.Path> p : paths.entrySet()) {
                LaneSvg.write(context.output("-" + p.getKey().replace('_', '-') + ".svg"), p.getKey(), p.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the lane-keeping results into " + context.outDir(), e);
        }
    }

    private static double mean(double[] xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return xs.length == 0 ? Double.NaN : s / xs.length;
    }
}
