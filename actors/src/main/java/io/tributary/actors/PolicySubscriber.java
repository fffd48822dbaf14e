package io.tributary.actors;

import io.tributary.learner.PolicySnapshot;
import io.tributary.streams.port.PolicySource;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Follows the policy topic for this process and hands every newer policy version to the subscribed
 * rollout workers. Runs on the pinned dispatcher because its poll blocks.
 */
public final class PolicySubscriber extends AbstractBehavior<PolicySubscriber.Command> {
    /** Messages of the subscriber. */
    public interface Command {
    }

    /** A worker wants every new policy (and the latest one at once, if known). */
    public record Subscribe(ActorRef<RolloutWorker.PolicyUpdate> worker) implements Command {
    }

    private enum Poll implements Command { INSTANCE }

    private final PolicySource feed;
    // A restarted worker keeps its ref and subscribes again: a set delivers each policy to it once.
    private final java.util.Set<ActorRef<RolloutWorker.PolicyUpdate>> subscribers = new java.util.LinkedHashSet<>();
    private PolicySnapshot latest;

    /** Creates the subscriber; {@code fromLatest} as in {@link io.tributary.streams.port.RunStreams#policies}. */
    public static Behavior<Command> create(RunContext ctx, boolean fromLatest) {
        return Behaviors.setup(c -> {
            c.getSelf().tell(Poll.INSTANCE);
            return new PolicySubscriber(c, ctx.streams().policies(fromLatest));
        });
    }

    private PolicySubscriber(ActorContext<Command> c, PolicySource feed) {
        super(c);
        this.feed = feed;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Subscribe.class, s -> {
                    if (subscribers.add(s.worker())) {
                        getContext().watch(s.worker());
                    }
                    if (latest != null) {
                        s.worker().tell(new RolloutWorker.PolicyUpdate(latest));
                    }
                    return this;
                })
                .onMessageEquals(Poll.INSTANCE, this::onPoll)
                .onSignal(org.apache.pekko.actor.typed.Terminated.class, t -> {
                    subscribers.removeIf(r -> r.equals(t.getRef()));
                    return this;
                })
                .onSignal(PostStop.class, s -> {
                    feed.close();
                    return this;
                })
                .build();
    }

    private Behavior<Command> onPoll() {
        PolicySnapshot s = feed.poll();
        if (s != null) {
            latest = s;
            for (ActorRef<RolloutWorker.PolicyUpdate> w : subscribers) {
                w.tell(new RolloutWorker.PolicyUpdate(s));
            }
        }
        getContext().getSelf().tell(Poll.INSTANCE);
        return this;
    }
}
