package io.courier.broker.retained;

import io.courier.broker.retained.RetainedEvent.LegacyMigrated;
import io.courier.broker.retained.RetainedEvent.MessageDeleted;
import io.courier.broker.retained.RetainedEvent.MessageStored;
import io.courier.broker.routing.RetainedStore;
import io.courier.protocol.message.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * The upgrade path from the single-node retained store of earlier versions, which kept every
 * retained message under the one persistence id {@code retained}: it replays that id once and
 * hands each unexpired message to the partition that owns its topic, then records
 * {@link LegacyMigrated} (and snapshots the now empty state), so later starts replay almost
 * nothing and move nothing. A sharded entity with a single id, so only one copy ever writes
 * that persistence id, however many nodes start at once.
 *
 * <p>A message a partition refuses (its share of the bounds is full, which the old global bound
 * could not foresee) is counted and logged, not retried. When the partitions do not all answer
 * within {@link #PATIENCE}, nothing is recorded and the next start tries again; handing a
 * message over twice only replaces it with itself.
 */
public final class LegacyRetainedStore extends EventSourcedBehavior<
        LegacyRetainedStore.Command, RetainedEvent, RetainedMessages> {

    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "retained-legacy");

    /** The one entity id, and the persistence id the single-node store wrote. */
    public static final String PERSISTENCE_ID = "retained";

    /** How long the partitions may take to confirm every handed-over message. */
    static final Duration PATIENCE = Duration.ofSeconds(60);

    /** Commands. */
    public sealed interface Command {
    }

    /** Migrate if not done; answered with {@link Done} once nothing is left to move. */
    public record Migrate(ActorRef<Done> replyTo) implements Command {
    }

    /** Answer to {@link Migrate}: {@code complete} false when the partitions did not all answer in time. */
    public record Done(int moved, int refused, boolean complete) {
    }

    private record PartitionAnswered(RetainedStore.Retained answer) implements Command {
    }

    private enum GaveUp implements Command { INSTANCE }

    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final IntFunction<RecipientRef<RetainedPartition.Command>> partitions;
    private final RetainedSettings settings;
    private final List<ActorRef<Done>> waiting = new ArrayList<>();
    private int outstanding;
    private int moved;
    private int refused;

    private LegacyRetainedStore(ActorContext<Command> context, TimerScheduler<Command> timers, RetainedSettings settings,
                                IntFunction<RecipientRef<RetainedPartition.Command>> partitions) {
        super(PersistenceId.ofUniqueId(PERSISTENCE_ID));
        this.context = context;
        this.timers = timers;
        this.settings = settings;
        this.partitions = partitions;
    }

    public static Behavior<Command> create(RetainedSettings settings,
                                           IntFunction<RecipientRef<RetainedPartition.Command>> partitions) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                new LegacyRetainedStore(ctx, timers, settings, partitions)));
    }

    @Override
    public RetainedMessages emptyState() {
        return RetainedMessages.EMPTY;
    }

    @Override
    public CommandHandler<Command, RetainedEvent, RetainedMessages> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Migrate.class, this::onMigrate)
                .onCommand(PartitionAnswered.class, this::onAnswered)
                .onCommand(GaveUp.class, this::onGaveUp)
                .build();
    }

    private Effect<RetainedEvent, RetainedMessages> onMigrate(RetainedMessages state, Migrate cmd) {
        if (state.size() == 0) {
            cmd.replyTo().tell(new Done(0, 0, true));
            return Effect().none();
        }
        waiting.add(cmd.replyTo());
        if (outstanding > 0) {
            return Effect().none(); // already on its way
        }
        ActorRef<RetainedStore.Retained> answers = context.messageAdapter(RetainedStore.Retained.class, PartitionAnswered::new);
        long now = System.currentTimeMillis();
        moved = 0;
        refused = 0;
        for (Message m : state.messages()) {
            if (!m.isExpired(now)) { // an expired message is gone for readers already [MQTT-3.3.2-5]
                outstanding++;
                partitions.apply(settings.partitionOf(m.topic()))
                        .tell(new RetainedPartition.Retain(m, answers, outstanding, null));
            }
        }
        context.getLog().info("migrating retained messages of the single-node store to {} partitions (messages={})",
                settings.partitions(), outstanding);
        if (outstanding == 0) {
            return finish();
        }
        timers.startSingleTimer(GaveUp.INSTANCE, PATIENCE);
        return Effect().none();
    }

    private Effect<RetainedEvent, RetainedMessages> onAnswered(RetainedMessages state, PartitionAnswered a) {
        if (outstanding == 0) {
            return Effect().none(); // late, after giving up
        }
        if (a.answer().accepted()) {
            moved++;
        } else {
            refused++;
        }
        outstanding--;
        return outstanding == 0 ? finish() : Effect().none();
    }

    private Effect<RetainedEvent, RetainedMessages> finish() {
        timers.cancel(GaveUp.INSTANCE);
        int m = moved;
        int r = refused;
        return Effect().persist(new LegacyMigrated(m, r)).thenRun(s -> {
            if (r > 0) {
                context.getLog().warn("retained migration: {} messages refused by full partitions and dropped", r);
            }
            context.getLog().info("retained messages migrated to partitions (moved={}, refused={})", m, r);
            waiting.forEach(w -> w.tell(new Done(m, r, true)));
            waiting.clear();
        });
    }

    private Effect<RetainedEvent, RetainedMessages> onGaveUp(RetainedMessages state, GaveUp g) {
        if (outstanding > 0) {
            context.getLog().error("retained migration incomplete: {} messages unconfirmed after {}; the next start retries",
                    outstanding, PATIENCE);
            outstanding = 0;
            waiting.forEach(w -> w.tell(new Done(moved, refused, false)));
            waiting.clear();
        }
        return Effect().none();
    }

    @Override
    public EventHandler<RetainedMessages, RetainedEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(MessageStored.class, (state, e) -> state.store(e.message()))
                .onEvent(MessageDeleted.class, (state, e) -> state.delete(e.topic()))
                .onEvent(LegacyMigrated.class, (state, e) -> state.clear())
                .build();
    }

    /** After the migration the (empty) state is snapshotted, so a later recovery skips the old events. */
    @Override
    public boolean shouldSnapshot(RetainedMessages state, RetainedEvent event, long sequenceNr) {
        return event instanceof LegacyMigrated;
    }

    @Override
    public SnapshotAdapter<RetainedMessages> snapshotAdapter() {
        return RetainedSnapshots.COPYING;
    }
}
