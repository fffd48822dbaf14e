package io.tributary.actors;

import java.nio.file.Path;
import java.util.List;

/**
 * Built-in experiment {@code cartpole-ppo-seeds}: {@code configs/cartpole-ppo.conf} over training seeds 1, 2
 * and 3, to show how much the evaluation return and wall time vary with the seed alone.
 */
public final class CartPolePpoSeeds implements Experiment {
    @Override
    public String name() {
        return "cartpole-ppo-seeds";
    }

    @Override
    public String description() {
        return "CartPole PPO (configs/cartpole-ppo.conf) over training seeds 1,2,3: seed-to-seed spread of eval return and wall time";
    }

    @Override
    public void run(ExperimentContext context) {
        ExperimentRunner.Arm ppo = new ExperimentRunner.Arm("ppo", context.config(Path.of("configs", "cartpole-ppo.conf")));
        context.writeReport(context.runArms(List.of(ppo), context.seeds(List.of(1L, 2L, 3L))));
    }
}
