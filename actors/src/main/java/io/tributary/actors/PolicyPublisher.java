package io.tributary.actors;

import io.tributary.learner.PolicySnapshot;
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

    /** The last line of defence: a policy with a NaN or infinite parameter is never published. */
    static void requireFinite(PolicySnapshot s) {
        float[][] arrays = {s.parameters(), s.observationMean(), s.observationVar()};
        String[] names = {"parameters", "observationMean", "observationVar"};
        for (int a = 0; a < arrays.length; a++) {
            for (int i = 0; i < arrays[a].length; i++) {
                if (!Float.isFinite(arrays[a][i])) {
                    throw new IllegalStateException("refusing to publish policy version " + s.version() + ": "
                            + names[a] + "[" + i + "]=" + arrays[a][i] + " is not finite");
                }
            }
        }
    }

    /** Creates the publisher. */
    public static Behavior<Command> create(RunContext ctx) {
        return Behaviors.receive(Command.class)
                .onMessage(Publish.class, p -> {
                    PolicySnapshot s = p.snapshot();
                    requireFinite(s);
                    ctx.streams().policySink().publish(s);
                    return Behaviors.same();
                })
                .build();
    }
}
