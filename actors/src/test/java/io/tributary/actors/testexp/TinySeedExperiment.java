package io.tributary.actors.testexp;

import io.tributary.actors.Experiment;
import io.tributary.actors.ExperimentContext;
import io.tributary.actors.ExperimentRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A registered experiment for the CLI smoke test: one CartPole PPO arm with a tiny budget and fixed seed 7;
 * writes the standard report and one extra file of its own ({@code <name>-returns.txt}).
 */
public final class TinySeedExperiment implements Experiment {
    /** Registered name. */
    public static final String NAME = "tiny-test-experiment";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "test only: CartPole PPO, 1024 env steps, seed 7";
    }

    @Override
    public void run(ExperimentContext context) {
        ExperimentRunner.Arm arm = new ExperimentRunner.Arm("tiny", context.config(Path.of("..", "configs", "cartpole-ppo.conf"),
                "tributary.run.max-env-steps=1024", "tributary.run.eval-episodes=2", "tributary.learner.ppo.epochs=1",
                "tributary.kafka.partitions=1"));
        List<ExperimentRunner.RunRow> rows = context.runArms(List.of(arm), context.seeds(List.of(7L)));
        context.writeReport(rows);
        StringBuilder text = new StringBuilder();
        for (ExperimentRunner.RunRow r : rows) {
            text.append("seed ").append(r.seed()).append(" eval_return_mean ").append(r.outcome().evalReturnMean()).append('\n');
        }
        try {
            Files.writeString(context.output("-returns.txt"), text.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
