package io.courier.broker.retained;

import io.courier.broker.retained.RetainedEvent.MessageDeleted;
import io.courier.broker.retained.RetainedEvent.MessageStored;
import io.courier.broker.routing.RetainedStore;
import io.courier.protocol.message.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.apache.pekko.persistence.typed.SnapshotAdapter;

/**
 * One partition of the cluster-wide retained store: the retained messages of the topics that
 * hash to it ({@link RetainedSettings#partitionOf}), durable and bounded by its share of the
 * global bounds. A sharded, event-sourced entity, so exactly one copy runs in the cluster and it
 * comes back by replay on another node when its node leaves or dies; its persistence id
 * {@code retained|<n>} never changes.
 *
 * <p>A retained PUBLISH with a payload replaces the message kept for its topic
 * [MQTT-3.3.1-5]; one with an empty payload deletes it and is itself not kept [MQTT-3.3.1-10]
 * [MQTT-3.3.1-11]. A new topic that would pass the partition's share of {@code max-messages} or
 * {@code max-bytes} is refused (5.0: 0x97), unless deleting this partition's expired messages
 * makes room [MQTT-3.3.2-5]; replacing is allowed whenever the result fits, deleting always.
 *
 * <p>Every change is published, after it is persisted, to every node's {@link RetainedReplica}
 * with the journal sequence number it got, so a replica applies changes in order and notices a
 * gap. A replica that is behind (or new) sends {@link Sync}: the answer is {@link
 * RetainedReplica.Unchanged} when it is up to date, else the partition's whole contents in
 * pages ({@link RetainedReplica.Contents}) stamped with the sequence number they reflect.
 */
public final class RetainedPartition extends EventSourcedBehaviorWithEnforcedReplies<
        RetainedPartition.Command, RetainedEvent, RetainedMessages> {

    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "retained-partition");

    /** The persistence id prefix; the partition number follows. */
    public static final String PERSISTENCE_PREFIX = "retained|";

    /** A page of contents stays well below Artery's default 256 KiB frame. */
    static final long PAGE_BYTES = 64 * 1024;

    /** Commands. */
    public sealed interface Command {
    }

    /**
     * Store (or, with an empty payload, delete) the retained message for its topic; answers
     * {@link RetainedStore.Retained} once durable. With {@code replica} (the publishing node's;
     * may be null) the answer goes through it, with the change, as a {@link RetainedReplica.Confirm}:
     * the replica applies the change before it passes the answer on, so once the publisher has
     * its PUBACK a subscriber on the same node finds the message, as on a single node.
     */
    public record Retain(Message message, ActorRef<RetainedStore.Retained> replyTo, long correlationId,
                         ActorRef<RetainedReplica.Command> replica) implements Command {
    }

    /**
     * A replica knows this partition up to {@code knownSeqNr} (-1: nothing); the answers carry
     * {@code request} back so the replica can tell an old answer from the one it waits for.
     */
    public record Sync(long knownSeqNr, long request, ActorRef<RetainedReplica.Command> replyTo) implements Command {
    }

    private final int partition;
    private final ActorContext<Command> context;
    private final Consumer<RetainedReplica.Changed> changes;
    private final int maxMessages;
    private final long maxBytes;
    private final int snapshotEvery;
    private long refused;

    private RetainedPartition(int partition, ActorContext<Command> context, RetainedSettings settings,
                              Consumer<RetainedReplica.Changed> changes) {
        // A journal failure stops an event-sourced actor; come back by replay instead of leaving
        // the partition's topics unwritable until sharding restarts it on the next command.
        super(PersistenceId.ofUniqueId(PERSISTENCE_PREFIX + partition),
                SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
        this.partition = partition;
        this.context = context;
        this.changes = changes;
        this.maxMessages = settings.messageShare(partition);
        this.maxBytes = settings.byteShare(partition);
        this.snapshotEvery = settings.snapshotEveryEvents();
    }

    /**
     * @param changes where each persisted change goes (every node's replica, through the
     *                node's topic actor)
     */
    public static Behavior<Command> create(int partition, RetainedSettings settings,
                                           Consumer<RetainedReplica.Changed> changes) {
        return Behaviors.setup(ctx -> new RetainedPartition(partition, ctx, settings, changes));
    }

    @Override
    public RetainedMessages emptyState() {
        return RetainedMessages.EMPTY;
    }

    @Override
    public CommandHandlerWithReply<Command, RetainedEvent, RetainedMessages> commandHandler() {
        return newCommandHandlerWithReplyBuilder().forAnyState()
                .onCommand(Retain.class, this::onRetain)
                .onCommand(Sync.class, this::onSync)
                .build();
    }

    private ReplyEffect<RetainedEvent, RetainedMessages> onRetain(RetainedMessages state, Retain cmd) {
        Message message = cmd.message();
        String topic = message.topic();
        RetainedStore.Retained accepted = new RetainedStore.Retained(cmd.correlationId(), true);
        if (message.payload().length == 0) {
            if (state.get(topic) == null) {
                return Effect().reply(cmd.replyTo(), accepted); // nothing to delete, nothing to write
            }
            return persistAndPublish(List.of(new MessageDeleted(topic)), cmd);
        }
        if (fits(state, message, 0, 0)) {
            return persistAndPublish(List.of(new MessageStored(message)), cmd);
        }
        // Expired messages are only skipped by readers, so they cost no write while there is
        // room; when there is none, they go first.
        List<String> expired = state.expiredTopics(System.currentTimeMillis());
        expired.remove(topic);
        long expiredBytes = expired.stream().mapToLong(t -> RetainedMessages.sizeOf(state.get(t))).sum();
        if (!expired.isEmpty() && fits(state, message, expired.size(), expiredBytes)) {
            List<RetainedEvent> events = new ArrayList<>(expired.size() + 1);
            expired.forEach(t -> events.add(new MessageDeleted(t)));
            events.add(new MessageStored(message));
            return persistAndPublish(events, cmd);
        }
        refused++;
        // A publisher hammering a full store must not flood the log: warn at 1, 2, 4, 8, ...
        if ((refused & (refused - 1)) == 0) {
            context.getLog().warn("retained message refused: partition full (topic={}, publisher={}, partition={}, "
                    + "messages={}, bytes={}, refused={})", topic, message.publisherId(), partition,
                    state.size(), state.bytes(), refused);
        }
        return Effect().reply(cmd.replyTo(), new RetainedStore.Retained(cmd.correlationId(), false));
    }

    /** Whether the message fits once {@code freedMessages}/{@code freedBytes} of other topics are gone. */
    private boolean fits(RetainedMessages state, Message message, int freedMessages, long freedBytes) {
        Message previous = state.get(message.topic());
        long bytes = state.bytes() - freedBytes + RetainedMessages.sizeOf(message);
        if (previous == null) {
            return state.size() - freedMessages < maxMessages && bytes <= maxBytes;
        }
        return bytes - RetainedMessages.sizeOf(previous) <= maxBytes;
    }

    /**
     * Persists the events, then tells every replica (each change with the sequence number its
     * event got; the last one is the journal's newest), then answers: directly, or through the
     * publishing node's replica (see {@link Retain}).
     */
    private ReplyEffect<RetainedEvent, RetainedMessages> persistAndPublish(List<RetainedEvent> events, Retain cmd) {
        RetainedStore.Retained accepted = new RetainedStore.Retained(cmd.correlationId(), true);
        var effect = Effect().persist(events).thenRun(state -> {
            List<RetainedReplica.Changed> published = new ArrayList<>(events.size());
            long seqNr = lastSequenceNumber(context) - events.size();
            for (RetainedEvent e : events) {
                seqNr++;
                if (e instanceof MessageStored s) {
                    published.add(new RetainedReplica.Changed(partition, seqNr, s.message().topic(), s.message()));
                } else if (e instanceof MessageDeleted d) {
                    published.add(new RetainedReplica.Changed(partition, seqNr, d.topic(), null));
                }
            }
            published.forEach(changes);
            if (cmd.replica() != null) {
                cmd.replica().tell(new RetainedReplica.Confirm(published, cmd.replyTo(), accepted));
            }
        });
        return cmd.replica() != null ? effect.thenNoReply() : effect.thenReply(cmd.replyTo(), s -> accepted);
    }

    private ReplyEffect<RetainedEvent, RetainedMessages> onSync(RetainedMessages state, Sync cmd) {
        long seqNr = lastSequenceNumber(context);
        if (cmd.knownSeqNr() == seqNr) {
            cmd.replyTo().tell(new RetainedReplica.Unchanged(partition, cmd.request(), seqNr, refused));
            return Effect().noReply();
        }
        List<Message> page = new ArrayList<>();
        long pageBytes = 0;
        for (Message m : state.messages()) {
            long size = RetainedMessages.sizeOf(m) + 64; // plus properties and framing, roughly
            if (!page.isEmpty() && pageBytes + size > PAGE_BYTES) {
                cmd.replyTo().tell(new RetainedReplica.Contents(partition, cmd.request(), seqNr, refused, page, false));
                page = new ArrayList<>();
                pageBytes = 0;
            }
            page.add(m);
            pageBytes += size;
        }
        cmd.replyTo().tell(new RetainedReplica.Contents(partition, cmd.request(), seqNr, refused, page, true));
        return Effect().noReply();
    }

    @Override
    public EventHandler<RetainedMessages, RetainedEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(MessageStored.class, (state, e) -> state.store(e.message()))
                .onEvent(MessageDeleted.class, (state, e) -> state.delete(e.topic()))
                .build();
    }

    @Override
    public SignalHandler<RetainedMessages> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), state -> context.getLog().info(
                        "retained partition recovered (partition={}, messages={}, bytes={}, seqNr={})",
                        partition, state.size(), state.bytes(), lastSequenceNumber(context)))
                .build();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(snapshotEvery, 2).withDeleteEventsOnSnapshot();
    }

    @Override
    public SnapshotAdapter<RetainedMessages> snapshotAdapter() {
        return RetainedSnapshots.COPYING;
    }
}
