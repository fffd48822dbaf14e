package io.tributary.actors;

import io.tributary.learner.PolicySnapshot;
import io.tributary.streams.codec.PolicySnapshotCodec;
import io.tributary.streams.kafka.FutureSupport;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Publishes policy snapshots from the learner to the policy topic, one record per version keyed by the
 * version. Each publication waits for the broker's acknowledgement (bounded by the producer's delivery
 * timeout), so a version the learner announced is durable before workers can see newer ones; a failed
 * publication throws and stops the run loudly.
 */
public final class PolicyPublisher {
    /** Messages of the publisher. */
    public interface Command {
    }

    /** Publish this snapshot. */
    public record Publish(PolicySnapshot snapshot) implements Command {
    }

    private PolicyPublisher() {
    }

    /** Creates the publisher. */
    public static Behavior<Command> create(RunContext ctx) {
        return Behaviors.receive(Command.class)
                .onMessage(Publish.class, p -> {
                    PolicySnapshot s = p.snapshot();
                    byte[] key = Long.toString(s.version()).getBytes(StandardCharsets.UTF_8);
                    FutureSupport.getOrThrow(ctx.producer().send(new ProducerRecord<>(ctx.topics().policy(), 0, key,
                                    PolicySnapshotCodec.encode(s))), "publication of policy version " + s.version(),
                            ctx.clients().settings().deliveryTimeoutMs() + 5_000L);
                    return Behaviors.same();
                })
                .build();
    }
}
