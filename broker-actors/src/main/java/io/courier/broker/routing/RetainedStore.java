package io.courier.broker.routing;

import io.courier.broker.BrokerSettings;
import io.courier.protocol.index.RetainedIndex;
import io.courier.protocol.message.Message;
import io.courier.protocol.topic.TopicName;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The node's retained messages, durable (event-sourced) and bounded by count and bytes. It
 * writes through to the node's {@code RetainedIndex} replica, which subscribers read without
 * asking the actor.
 *
 * <p>A retained PUBLISH with a payload replaces the message kept for its topic
 * [MQTT-3.3.1-5]; one with an empty payload deletes it and is itself not kept [MQTT-3.3.1-10]
 * [MQTT-3.3.1-11]. A new topic that would pass {@code courier.retained.max-messages} or
 * {@code max-bytes} (payload plus topic bytes) is refused and counted; replacing a topic's
 * message is allowed whenever the result fits, and deleting is always allowed.
 *
 * <p>The replica is written only after the event is persisted, so a reader never sees a message
 * that a crash would lose; on recovery it is rebuilt from the state, which is rebuilt only by
 * replay (snapshot plus later events). Expired messages are kept here with their expiry time;
 * readers skip them ([MQTT-3.3.2-5]), so expiry costs no journal write.
 *
 * <p>The state is a mutable map on purpose: copying a map of up to {@code max-messages} entries
 * per event would make every retained PUBLISH O(n). Three rules keep that safe:
 * <ul>
 * <li>It never leaves the actor except through {@link #snapshotAdapter()}, which hands the
 * snapshot store a copy (the store serializes it on its own thread) and copies what it loads
 * (an in-memory store hands back the very object it kept).</li>
 * <li>{@link #emptyState()} is a frozen {@link State#EMPTY}: Pekko evaluates it once per
 * behavior and starts every restart's recovery from it, so a mutated empty state would bring
 * back events the journal refused. The first event thaws it into a fresh map.</li>
 * <li>Event handlers return the state they changed, which is the one Pekko keeps.</li>
 * </ul>
 */
public final class RetainedStore extends EventSourcedBehaviorWithEnforcedReplies<
        RetainedStore.Command, RetainedStore.Event, RetainedStore.State> {

    public static final String PERSISTENCE_ID = "retained";

    /** Commands. */
    public sealed interface Command {
    }

    /**
     * Store (or, with an empty payload, delete [MQTT-3.3.1-10]) the retained message for its
     * topic; answers {@link Retained} once durable.
     */
    public record Retain(Message message, ActorRef<Retained> replyTo, long correlationId) implements Command {
    }

    /** Answer to {@link Retain}: {@code accepted} false when the store is full (5.0: 0x97). */
    public record Retained(long correlationId, boolean accepted) {
    }

    /** Asks for the store's figures; answered with {@link StatsReply}. */
    public record Stats(ActorRef<StatsReply> replyTo) implements Command {
    }

    /**
     * The store's figures: {@code refused} counts retained messages refused for the bounds since
     * this node started (a metric, not persisted).
     */
    public record StatsReply(int messages, long bytes, long refused) {
    }

    /** Events (journal). */
    public sealed interface Event {
    }

    /** A message became (or replaced) the retained message of its topic. */
    public record MessageStored(Message message) implements Event {
    }

    /** The retained message of a topic was deleted. */
    public record MessageDeleted(String topic) implements Event {
    }

    private final ActorContext<Command> context;
    private final RetainedIndex<Message> replica;
    private final int maxMessages;
    private final long maxBytes;
    private final int snapshotEvery;
    private long refused;

    private RetainedStore(ActorContext<Command> context, BrokerSettings settings, RetainedIndex<Message> replica) {
        // A journal failure stops an event-sourced actor; the store is node-wide, so it comes
        // back (recovering from the journal) instead of leaving the node without retained.
        super(PersistenceId.ofUniqueId(PERSISTENCE_ID),
                SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
        this.context = context;
        this.replica = replica;
        this.maxMessages = settings.retainedMaxMessages();
        this.maxBytes = settings.retainedMaxBytes();
        this.snapshotEvery = settings.snapshotEveryEvents();
    }

    public static Behavior<Command> create(BrokerSettings settings, RetainedIndex<Message> replica) {
        return Behaviors.setup(ctx -> new RetainedStore(ctx, settings, replica));
    }

    /** What a message costs against {@code max-bytes}: payload plus topic bytes. */
    public static long sizeOf(Message m) {
        return (long) m.payload().length + m.topic().getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public State emptyState() {
        return State.EMPTY;
    }

    @Override
    public CommandHandlerWithReply<Command, Event, State> commandHandler() {
        return newCommandHandlerWithReplyBuilder().forAnyState()
                .onCommand(Retain.class, this::onRetain)
                .onCommand(Stats.class, (state, cmd) ->
                        Effect().reply(cmd.replyTo(), new StatsReply(state.size(), state.bytes(), refused)))
                .build();
    }

    private ReplyEffect<Event, State> onRetain(State state, Retain cmd) {
        Message message = cmd.message();
        String topic = message.topic();
        Retained accepted = new Retained(cmd.correlationId(), true);
        if (message.payload().length == 0) {
            if (state.get(topic) == null) {
                return Effect().reply(cmd.replyTo(), accepted); // nothing to delete, nothing to write
            }
            return Effect().persist(new MessageDeleted(topic))
                    .thenRun(s -> replica.remove(new TopicName(topic)))
                    .thenReply(cmd.replyTo(), s -> accepted);
        }
        if (!fits(state, message)) {
            refused++;
            // A publisher hammering a full store must not flood the log: warn at 1, 2, 4, 8, ...
            if ((refused & (refused - 1)) == 0) {
                context.getLog().warn("retained message refused: store full (topic={}, publisher={}, messages={}, bytes={}, refused={})",
                        topic, message.publisherId(), state.size(), state.bytes(), refused);
            }
            return Effect().reply(cmd.replyTo(), new Retained(cmd.correlationId(), false));
        }
        return Effect().persist(new MessageStored(message))
                .thenRun(s -> replica.put(new TopicName(topic), message))
                .thenReply(cmd.replyTo(), s -> accepted);
    }

    private boolean fits(State state, Message message) {
        Message previous = state.get(message.topic());
        long size = sizeOf(message);
        if (previous == null) {
            return state.size() < maxMessages && state.bytes() + size <= maxBytes;
        }
        return state.bytes() - sizeOf(previous) + size <= maxBytes;
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(MessageStored.class, (state, e) -> state.store(e.message()))
                .onEvent(MessageDeleted.class, (state, e) -> state.delete(e.topic()))
                .build();
    }

    @Override
    public SignalHandler<State> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), this::fillReplica)
                .build();
    }

    /**
     * Makes the replica equal to the recovered state: after a restart of this actor in a running
     * node the replica may hold writes the journal never confirmed.
     */
    private void fillReplica(State state) {
        List<TopicName> stale = new ArrayList<>();
        replica.forEach((topic, m) -> {
            if (state.get(topic.value()) == null) {
                stale.add(topic);
            }
        });
        stale.forEach(replica::remove);
        for (Message m : state.messages()) {
            replica.put(new TopicName(m.topic()), m);
        }
        context.getLog().info("retained store recovered (messages={}, bytes={})", state.size(), state.bytes());
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(snapshotEvery, 2).withDeleteEventsOnSnapshot();
    }

    @Override
    public SnapshotAdapter<State> snapshotAdapter() {
        return new SnapshotAdapter<>() {
            @Override
            public Object toJournal(State state) {
                return state.copy();
            }

            @Override
            public State fromJournal(Object from) {
                return ((State) from).copy();
            }
        };
    }

    /**
     * The retained messages by topic and their total size. Mutable, confined to the actor (see
     * the class comment); the snapshot is a {@link #copy()}.
     */
    public static final class State {
        /** The store before its first event; never changed (see the class comment). */
        public static final State EMPTY = new State(true);

        private final Map<String, Message> byTopic = new HashMap<>();
        private final boolean frozen;
        private long bytes;

        public State() {
            this(false);
        }

        private State(boolean frozen) {
            this.frozen = frozen;
        }

        /** A state holding these messages (the serializer's way back). */
        public static State of(Collection<Message> messages) {
            State s = new State();
            messages.forEach(s::store);
            return s;
        }

        public int size() {
            return byTopic.size();
        }

        /** Sum of {@link RetainedStore#sizeOf} over the messages. */
        public long bytes() {
            return bytes;
        }

        public Message get(String topic) {
            return byTopic.get(topic);
        }

        public Collection<Message> messages() {
            return Collections.unmodifiableCollection(byTopic.values());
        }

        /** Applies the event to this state, or to a fresh copy if this one is frozen; returns that. */
        State store(Message m) {
            State target = frozen ? copy() : this;
            Message previous = target.byTopic.put(m.topic(), m);
            target.bytes += sizeOf(m) - (previous == null ? 0 : sizeOf(previous));
            return target;
        }

        /** Like {@link #store}. */
        State delete(String topic) {
            State target = frozen ? copy() : this;
            Message previous = target.byTopic.remove(topic);
            if (previous != null) {
                target.bytes -= sizeOf(previous);
            }
            return target;
        }

        State copy() {
            State c = new State();
            c.byTopic.putAll(byTopic);
            c.bytes = bytes;
            return c;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof State s && bytes == s.bytes && byTopic.equals(s.byTopic);
        }

        @Override
        public int hashCode() {
            return byTopic.hashCode();
        }

        @Override
        public String toString() {
            return "RetainedStore.State[messages=" + byTopic.size() + ", bytes=" + bytes + "]";
        }
    }
}
