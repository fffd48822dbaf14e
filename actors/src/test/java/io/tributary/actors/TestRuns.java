package io.tributary.actors;

import io.tributary.streams.kafka.EmbeddedKafkaBroker;
import io.tributary.streams.kafka.KafkaClients;
import io.tributary.streams.kafka.KafkaSettings;
import io.tributary.streams.kafka.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Tiny-budget run configurations shared by the integration tests (fixed seeds, small batches). */
final class TestRuns {
    private TestRuns() {
    }

    /** A CartPole run of {@code steps} env steps into {@code folder}. */
    static TributaryConfig cartPole(Path folder, long steps, String... extra) {
        List<String> o = new ArrayList<>(List.of(
                "tributary.run.folder=\"" + folder + "\"",
                "tributary.run.max-env-steps=" + steps,
                "tributary.run.eval-episodes=3",
                "tributary.run.checkpoint-every-updates=2",
                "tributary.actors.wait-timeout-ms=60000",
                "tributary.learner.ppo.batch-steps=256",
                "tributary.learner.ppo.epochs=2",
                "tributary.learner.ppo.minibatch-size=128",
                "tributary.kafka.partitions=2"));
        o.addAll(List.of(extra));
        return TributaryConfig.load(Path.of("..", "configs", "cartpole-ppo.conf"), o);
    }

    /** Re-opens a finished run's embedded broker storage and applies {@code read} to it. */
    static <T> T withRunBroker(TrainingRun.Outcome outcome, TributaryConfig c, Function<KafkaClients, T> read) {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(outcome.runDir().resolve("kafka"), 0,
                c.kafka().maxMessageBytes())) {
            KafkaSettings ks = c.kafka().withBootstrapServers(broker.bootstrapServers());
            return read.apply(new KafkaClients(ks));
        }
    }

    /** Topics of a finished run. */
    static Topics topics(TrainingRun.Outcome outcome) {
        return new Topics(outcome.runId());
    }
}
