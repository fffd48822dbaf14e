package io.tributary.actors;

import io.tributary.rewards.RewardModel;
import io.tributary.rewards.writing.WritingRewardModel;
import io.tributary.streams.port.Scorer;
import io.tributary.streams.port.ScoringStage;
import io.tributary.streams.port.StreamsException;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * A reward scorer: runs one transactional {@link Scorer} of the run's primary {@link ScoringStage} (rollouts → reward model → scored, offsets
 * in the same transaction, failures to the dead-letter topic). Runs on the pinned dispatcher because its
 * poll blocks. The reward model is built with the run's config; a judge over writing groups
 * ({@link WritingRewardModel}) polls at most {@code tributary.actors.judge-scorer-max-records-per-poll} records
 * per transaction and reports each group's figures to the monitor (judge-quality metrics on the metrics topic). A failed transaction restarts the scorer with backoff; the aborted batch is read again.
 */
public final class RewardScorer extends AbstractBehavior<RewardScorer.Command> {
    /** Messages of a scorer. */
    public interface Command {
    }

    /** Keep polling until the rollouts topic is fully scored, then reply and stop. */
    public record Drain(ActorRef<Drained> replyTo) implements Command {
    }

    /** Reply to {@link Drain}. */
    public record Drained(int scorer, long scored, long deadLettered) {
    }

    private enum Poll implements Command { INSTANCE }

    private final int index;
    private final Scorer loop;
    private ActorRef<Drained> drainReply;
    private int idlePollsWhileDraining;
    private boolean closed;

    /** Creates scorer {@code index}, supervised with restart-with-backoff. */
    public static Behavior<Command> create(RunContext ctx, int index) {
        return create(ctx, index, null);
    }

    /**
     * Creates scorer {@code index}; a judge scorer reports each group's figures to {@code monitor} (null: it
     * reports none, e.g. on a cluster node, whose monitor is a remote singleton the figures are not serialised for).
     */
    public static Behavior<Command> create(RunContext ctx, int index, ActorRef<Monitor.Command> monitor) {
        Behavior<Command> b = Behaviors.setup(c -> {
            // The run config goes to the model: writing-judge reads its HTTP judge settings from it.
            RewardModel model = ctx.config().rewards().create(ctx.config().config());
            int maxRecords = io.tributary.streams.port.RunStreams.DEFAULT_MAX_RECORDS_PER_POLL;
            if (model instanceof WritingRewardModel judge) {
                // A judge scores a whole group per record (pairwise calls, maybe over HTTP): few records per poll,
                // so one transaction ends well inside the transaction timeout.
                maxRecords = ctx.config().actors().judgeScorerMaxRecordsPerPoll();
                if (monitor != null) {
                    judge.setFiguresListener(f -> monitor.tell(new Monitor.JudgeGroupScored(index, f)));
                }
            }
            c.getSelf().tell(Poll.INSTANCE);
            return new RewardScorer(c, index, ctx.streams().scorer(ScoringStage.primary(ctx.topics(), index), model,
                    maxRecords));
        });
        return Behaviors.supervise(b).onFailure(StreamsException.class,
                SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2)
                        .withMaxRestarts(20));
    }

    private RewardScorer(ActorContext<Command> c, int index, Scorer loop) {
        super(c);
        this.index = index;
        this.loop = loop;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessageEquals(Poll.INSTANCE, this::onPoll)
                .onMessage(Drain.class, d -> {
                    drainReply = d.replyTo();
                    idlePollsWhileDraining = 0;
                    return this;
                })
                // A supervised restart signals PreRestart, not PostStop: close on both, or the restarted scorer's
                // predecessor keeps its consumer in the group (and its partitions) without ever polling again.
                .onSignal(PreRestart.class, s -> closeLoop())
                .onSignal(PostStop.class, s -> closeLoop())
                .build();
    }

    private Behavior<Command> closeLoop() {
        if (!closed) {
            closed = true;
            loop.close();
        }
        return this;
    }

    /**
     * Whether this scorer has consumed its partitions to their end. Empty polls alone do not say so: while
     * the broker is unreachable every poll is empty, and a scorer that called itself drained then would
     * leave unscored rollouts behind (lost in the accounts). Unknown (broker down) counts as not caught up.
     */
    private boolean caughtUp() {
        try {
            return loop.ownedBacklog() == 0;
        } catch (StreamsException e) {
            getContext().getLog().warn("scorer {} cannot check its backlog while draining, polling on: {}", index, e.getMessage());
            return false;
        }
    }

    private Behavior<Command> onPoll() {
        int n = loop.pollOnce();
        if (drainReply != null) {
            // Drained once several consecutive polls (with the group's partitions assigned) find nothing.
            idlePollsWhileDraining = n == 0 ? idlePollsWhileDraining + 1 : 0;
            if (idlePollsWhileDraining >= 10 && caughtUp()) {
                drainReply.tell(new Drained(index, loop.scoredCount(), loop.deadLetteredCount()));
                return Behaviors.stopped();
            }
        }
        getContext().getSelf().tell(Poll.INSTANCE);
        return this;
    }
}
