package io.courier.broker.session;

import io.courier.broker.BrokerContext;
import io.courier.broker.routing.Fanout;
import io.courier.broker.routing.RetainedStore;
import io.courier.broker.routing.Route;
import io.courier.broker.routing.SharedGroupHandOff;
import io.courier.broker.session.SessionCommand.Acknowledge;
import io.courier.broker.session.SessionCommand.Attach;
import io.courier.broker.session.SessionCommand.CheckInboundQos2;
import io.courier.broker.session.SessionCommand.Detach;
import io.courier.broker.session.SessionCommand.Enqueue;
import io.courier.broker.session.SessionCommand.RecordInboundQos2;
import io.courier.broker.session.SessionCommand.ReleaseInboundQos2;
import io.courier.broker.session.SessionCommand.Subscribe;
import io.courier.broker.session.SessionCommand.Unsubscribe;
import io.courier.protocol.engine.Effect.SessionEnd;
import io.courier.protocol.engine.EngineInput;
import io.courier.protocol.message.Message;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.property.PropertyId;
import io.courier.protocol.session.Delivery;
import io.courier.protocol.session.InflightWindow;
import io.courier.protocol.session.Resend;
import io.courier.protocol.topic.InvalidTopicException;
import io.courier.protocol.topic.SubscriptionFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One MQTT session, sharded by client id and event-sourced (ARCHITECTURE.md section 3).
 *
 * <p>The session decides everything that must happen once in the whole cluster: takeover of
 * an older connection, the will and its delay, session expiry. It holds subscriptions (and
 * keeps this node's trie in step with them), the queue of messages waiting to be sent, the
 * inflight window with its packet ids, and the inbound QoS 2 receipts.
 *
 * <p><b>Persistence.</b> A session whose expiry interval is 0 ends with its connection, so it
 * applies its events in memory and never writes (ARCHITECTURE.md section 4); one that outlives
 * its connection journals every event before acting on it, so an acknowledged message is on
 * disk before the publisher's PUBACK leaves (the {@code Stored} answer is sent after the
 * write). QoS 0 deliveries go straight to the connection and are never journaled; an offline
 * session drops them (as Mosquitto does by default), counted.
 *
 * <p><b>Crash while attached.</b> Recovery that ends with a connection still attached means
 * the node died under it: that is an abnormal disconnection, so the will goes out after its
 * delay.
 *
 * <p><b>Stopping under sharding.</b> In a cluster the shards remember their entities, so a
 * persistent session that was running on a node that died or left is started again by its shard
 * on a survivor, without waiting for its client (its subscriptions must keep receiving). An
 * entity that stopped on its own would be restarted too; so when its session ends it asks its
 * shard to passivate it, which also forgets it. Every start checks itself with a {@code Wake}
 * after recovery, which stops a restarted entity whose session had already ended.
 */
public final class SessionEntity extends EventSourcedBehavior<SessionCommand, SessionEvent, SessionState> {

    public static final EntityTypeKey<SessionCommand> TYPE_KEY = EntityTypeKey.create(SessionCommand.class, "session");

    /** Persistence ids are {@code session|<client id>}. */
    public static final String PERSISTENCE_ID_PREFIX = "session|";

    private static final String WILL_TIMER = "will";
    private static final String EXPIRY_TIMER = "expiry";

    private final String clientId;
    private final BrokerContext broker;
    private final Fanout fanout;
    private final SharedGroupHandOff sharedHandOff;
    /** The hosting shard, or null outside sharding. */
    private final ActorRef<ClusterSharding.ShardCommand> shard;
    private final ActorContext<SessionCommand> context;
    private final TimerScheduler<SessionCommand> timers;
    /** The attached connection; not state: a connection does not survive a restart. */
    private ActorRef<EngineInput> connection;
    private long droppedQos0;
    /** Sharding asked this entity to stop because its shard moves to another node. */
    private boolean handingOff;

    /** A session outside sharding (tests): it stops itself when its session ends. */
    public static Behavior<SessionCommand> create(String clientId, BrokerContext broker, Fanout fanout) {
        return create(clientId, broker, fanout, null);
    }

    /**
     * A session hosted by {@code shard}, which it asks to passivate it when its session ends
     * (null: it stops itself).
     */
    public static Behavior<SessionCommand> create(String clientId, BrokerContext broker, Fanout fanout,
                                                  ActorRef<ClusterSharding.ShardCommand> shard) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new SessionEntity(clientId, broker, fanout, shard, ctx, timers)));
    }

    private SessionEntity(String clientId, BrokerContext broker, Fanout fanout, ActorRef<ClusterSharding.ShardCommand> shard,
                          ActorContext<SessionCommand> context, TimerScheduler<SessionCommand> timers) {
        super(PersistenceId.ofUniqueId(PERSISTENCE_ID_PREFIX + clientId));
        this.clientId = clientId;
        this.broker = broker;
        this.fanout = fanout;
        this.sharedHandOff = new SharedGroupHandOff(broker, fanout);
        this.shard = shard;
        this.context = context;
        this.timers = timers;
    }

    @Override
    public SessionState emptyState() {
        return new SessionState(broker.settings().maxQueuedMessages(), broker.settings().queueOverflowPolicy());
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(broker.settings().snapshotEveryEvents(), 2).withDeleteEventsOnSnapshot();
    }

    @Override
    public org.apache.pekko.persistence.typed.SnapshotAdapter<SessionState> snapshotAdapter() {
        return new org.apache.pekko.persistence.typed.SnapshotAdapter<>() {
            @Override
            public Object toJournal(SessionState state) {
                return state.copy(); // the store serializes on its own thread
            }

            @Override
            public SessionState fromJournal(Object from) {
                return ((SessionState) from).copy();
            }
        };
    }

    @Override
    public EventHandler<SessionState, SessionEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(SessionState::apply);
    }

    @Override
    public SignalHandler<SessionState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), this::onRecovered)
                .onSignal(org.apache.pekko.actor.typed.PostStop.instance(), this::onStopped)
                .build();
    }

    @Override
    public CommandHandler<SessionCommand, SessionEvent, SessionState> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Attach.class, this::onAttach)
                .onCommand(Detach.class, this::onDetach)
                .onCommand(Enqueue.class, this::onEnqueue)
                .onCommand(Subscribe.class, this::onSubscribe)
                .onCommand(Unsubscribe.class, this::onUnsubscribe)
                .onCommand(CheckInboundQos2.class, (s, c) -> {
                    c.replyTo().tell(new SessionCommand.Qos2Verdict(c.packetId(), s.inboundQos2.contains(c.packetId())));
                    return Effect().none();
                })
                .onCommand(RecordInboundQos2.class, (s, c) -> emit(s, List.of(new SessionEvent.InboundQos2Recorded(c.packetId())),
                        after -> c.replyTo().tell(new SessionCommand.Qos2Recorded(c.packetId()))))
                .onCommand(ReleaseInboundQos2.class, this::onRelease)
                .onCommand(Acknowledge.class, this::onAcknowledge)
                // A woken session that has ended (its journal closes with Ended) has nothing to
                // keep alive for; one that exists stays, holding its trie entries and timers.
                .onCommand(SessionCommand.Wake.class, (s, c) -> !s.exists && connection == null
                        ? stopEntity() : Effect().none())
                .onCommand(SessionCommand.WillDelayElapsed.class, (s, c) -> publishWill(s))
                .onCommand(SessionCommand.ExpiryElapsed.class, this::onExpired)
                .onCommand(SessionCommand.RecoveredWhileAttached.class, this::onRecoveredWhileAttached)
                .onCommand(SessionCommand.HandOff.class, (s, c) -> {
                    handingOff = true;
                    return Effect().stop();
                })
                .build();
    }

    // ---- attach and detach -------------------------------------------------------------

    private Effect<SessionEvent, SessionState> onAttach(SessionState s, Attach a) {
        ActorRef<EngineInput> previous = connection;
        if (previous != null && !previous.equals(a.connection())) {
            previous.tell(new EngineInput.TakenOver()); // [MQTT-3.1.4-3]
        }
        timers.cancel(WILL_TIMER); // a reconnect within the delay cancels the will [MQTT-3.1.3-9]
        timers.cancel(EXPIRY_TIMER);
        // A session whose expiry is 0 ends with its network connection (3.1.2.11.2): taking it
        // over, or attaching before its ExpiryElapsed has run, finds no session to resume (the
        // note in 3.1.4 says so for takeover). Its state was never journaled, so resuming it
        // would also mix unjournaled state into a session that journals from now on.
        boolean discard = a.cleanStart() || (s.exists && s.sessionExpirySeconds == 0);
        boolean sessionPresent = s.exists && !discard; // [MQTT-3.2.2-2] [MQTT-3.2.2-3]
        // The old connection's will: it goes out if its session ends here, or if it has no delay (3.1.3.2.2).
        Message oldWill = s.will != null && (discard || s.willDelaySeconds == 0) ? s.will : null;
        // Discarding ends the old session: its shared groups' messages go to other members (4.8.2).
        SharedHandOffPlan handOff = discard ? SharedHandOffPlan.of(s, clientId, sharedHandOff) : null;
        if (discard) {
            unregisterAll(s);
        }
        SessionEvent.Attached event = new SessionEvent.Attached(a.version(), discard, a.sessionExpirySeconds(),
                a.will(), a.willDelaySeconds(), a.receiveMaximum());
        long now = System.currentTimeMillis();
        List<SessionEvent> events = new ArrayList<>();
        if (handOff != null && !handOff.isEmpty()) {
            events.add(handOff.event());
        }
        events.add(event);
        int resent = sessionPresent ? s.inflight.size() : 0;
        if (sessionPresent) {
            addSends(events, Math.max(1, a.receiveMaximum()) - resent, s.queue.size(), now);
        }
        boolean journal = s.isPersistent() || a.sessionExpirySeconds() > 0;
        return emit(s, events, journal, after -> {
            if (handOff != null) {
                sendHandOff(handOff);
            }
            if (oldWill != null) {
                route(oldWill);
            }
            connection = a.connection();
            // Online for shared subscriptions; a takeover keeps it online (same client id).
            broker.online(clientId, true);
            connection.tell(new EngineInput.SessionOpened(sessionPresent));
            List<Resend> resends = after.inflight.resendOrder();
            for (Resend r : resends.subList(0, resent)) { // [MQTT-4.4.0-1], in order [MQTT-4.6.0-1]
                connection.tell(r instanceof Resend.ResendPubRel rel
                        ? new EngineInput.Release((io.courier.protocol.packet.PubRel) rel.toPacket(now))
                        : new EngineInput.Deliver((io.courier.protocol.packet.Publish) r.toPacket(now)));
            }
            deliverFrom(after, resent, now);
        });
    }

    private Effect<SessionEvent, SessionState> onDetach(SessionState s, Detach d) {
        if (connection == null || !connection.equals(d.connection())) {
            return Effect().none(); // a late word from a connection that was taken over
        }
        connection = null;
        broker.online(clientId, false);
        return detach(s, d.how(), d.sessionExpirySeconds());
    }

    /**
     * The node died under the connection recorded as attached: an abnormal disconnection. Unless
     * the client is back already: under sharding its reconnect's Attach is what starts the entity
     * on the new node, so it is stashed during recovery and handled before this message; that
     * attach already dealt with the dead connection (its will and takeover), and detaching now
     * would cut off the live one and publish a will the reconnect cancelled [MQTT-3.1.3-9].
     */
    private Effect<SessionEvent, SessionState> onRecoveredWhileAttached(SessionState s,
                                                                       SessionCommand.RecoveredWhileAttached c) {
        if (connection != null || !s.attached) {
            return Effect().none();
        }
        return detach(s, SessionEnd.ABNORMAL, s.sessionExpirySeconds);
    }

    private Effect<SessionEvent, SessionState> detach(SessionState s, SessionEnd how, long expirySeconds) {
        boolean keepWill = how != SessionEnd.NORMAL; // DISCONNECT 0x00 discards it [MQTT-3.14.4-3]
        long now = System.currentTimeMillis();
        boolean journal = s.isPersistent();
        // The connection is gone: what it held through shared groups goes to other members now,
        // instead of waiting for this client (4.8.2 allows either; EMQX issue 12257).
        SharedHandOffPlan handOff = SharedHandOffPlan.of(s, clientId, sharedHandOff);
        List<SessionEvent> events = new ArrayList<>(2);
        events.add(new SessionEvent.Detached(now, expirySeconds, keepWill));
        if (!handOff.isEmpty()) {
            events.add(handOff.event());
        }
        return emit(s, events, journal, after -> {
            sendHandOff(handOff);
            if (after.sessionExpirySeconds == 0) {
                context.getSelf().tell(new SessionCommand.ExpiryElapsed());
                return;
            }
            armTimers(after, now);
        });
    }

    /** Will and expiry timers from the moment of detaching; the will goes at the earlier of the two. */
    private void armTimers(SessionState s, long nowMillis) {
        long sinceDetach = Math.max(0, nowMillis - s.detachedAtMillis);
        if (s.will != null) {
            long willAt = Math.min(s.willDelaySeconds, s.sessionExpirySeconds) * 1000;
            timers.startSingleTimer(WILL_TIMER, new SessionCommand.WillDelayElapsed(),
                    Duration.ofMillis(Math.max(0, willAt - sinceDetach)));
        }
        if (s.sessionExpirySeconds != SessionState.NEVER_EXPIRES) {
            timers.startSingleTimer(EXPIRY_TIMER, new SessionCommand.ExpiryElapsed(),
                    Duration.ofMillis(Math.max(0, s.sessionExpirySeconds * 1000 - sinceDetach)));
        }
    }

    private Effect<SessionEvent, SessionState> publishWill(SessionState s) {
        if (s.will == null || s.attached) {
            return Effect().none();
        }
        Message will = s.will;
        return emit(s, List.of(new SessionEvent.WillPublished()), after -> route(will));
    }

    /** The session ends: the will goes if still pending, subscriptions leave the trie, the entity stops. */
    private Effect<SessionEvent, SessionState> onExpired(SessionState s, SessionCommand.ExpiryElapsed c) {
        if (s.attached || !s.exists) {
            return s.exists ? Effect().none() : stopEntity();
        }
        Message will = s.will;
        unregisterAll(s);
        // The session terminates: its shared groups' messages SHOULD go to other members (4.8.2);
        // those of a group with no other member left go with the session, as the group has.
        SharedHandOffPlan handOff = SharedHandOffPlan.of(s, clientId, sharedHandOff);
        List<SessionEvent> events = new ArrayList<>();
        if (!handOff.isEmpty()) {
            events.add(handOff.event());
        }
        if (will != null) {
            events.add(new SessionEvent.WillPublished());
        }
        events.add(new SessionEvent.Ended());
        boolean journal = s.isPersistent() || wasJournaled(s);
        sendHandOff(handOff);
        if (handOff.stranded() > 0) {
            context.getLog().info("session {} ended holding {} shared subscription messages whose group has no "
                    + "other member; dropped with it", clientId, handOff.stranded());
        }
        if (will != null) {
            route(will);
        }
        if (journal) {
            return shard == null ? Effect().persist(events).thenStop() : Effect().persist(events).thenRun(after -> passivate());
        }
        events.forEach(s::apply);
        return stopEntity();
    }

    /** Ends this entity: passivated through its shard (so a remembering shard forgets it), else stopped. */
    private Effect<SessionEvent, SessionState> stopEntity() {
        if (shard == null) {
            return Effect().stop();
        }
        passivate();
        return Effect().none();
    }

    private void passivate() {
        if (shard != null) {
            shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
        }
    }

    private void sendHandOff(SharedHandOffPlan plan) {
        int lost = plan.send(sharedHandOff, clientId);
        if (lost > 0) {
            context.getLog().warn("session {}: {} shared subscription messages found no member to go to", clientId, lost);
        }
    }

    /** A session detached with expiry 0 may have been persistent before (DISCONNECT lowered it). */
    private boolean wasJournaled(SessionState s) {
        return lastSequenceNumber(context) > 0;
    }

    // ---- messages to the client -------------------------------------------------------

    private Effect<SessionEvent, SessionState> onEnqueue(SessionState s, Enqueue e) {
        var delivery = e.delivery();
        long now = System.currentTimeMillis();
        if (delivery.isExpired(now)) {
            reply(e, false);
            return Effect().none();
        }
        // A shared group chose this member while it was online, and it has gone since: another
        // online member takes the message, and answers the publisher's wait in our place (4.8.2).
        if (connection == null && delivery.sharedGroup() != null
                && sharedHandOff.handOff(delivery, clientId, true, e.replyTo(), e.correlationId()) != null) {
            return Effect().none();
        }
        if (!s.exists) {
            reply(e, false);
            return Effect().none();
        }
        if (delivery.qos() == Qos.AT_MOST_ONCE) {
            // QoS 0 is never queued or journaled: sent now, or dropped while offline.
            if (connection != null) {
                connection.tell(new EngineInput.Deliver(delivery.toPublish(0, false, now)));
            } else {
                droppedQos0++;
            }
            reply(e, connection != null);
            return Effect().none();
        }
        List<SessionEvent> events = new ArrayList<>(2);
        events.add(new SessionEvent.MessageQueued(delivery, now));
        int before = s.inflight.size();
        if (connection != null) {
            addSends(events, s.inflight.capacity() - before, s.queue.size() + 1, now);
        }
        return emit(s, events, after -> {
            boolean accepted = !(after.lastOffer instanceof io.courier.protocol.session.OutboundQueue.OfferOutcome.Rejected);
            reply(e, accepted);
            deliverFrom(after, before, now);
        });
    }

    private static void reply(Enqueue e, boolean accepted) {
        if (e.replyTo() != null) {
            e.replyTo().tell(new SessionCommand.Stored(e.correlationId(), accepted));
        }
    }

    private Effect<SessionEvent, SessionState> onAcknowledge(SessionState s, Acknowledge a) {
        if (connection == null || !connection.equals(a.connection())) {
            return Effect().none();
        }
        long now = System.currentTimeMillis();
        List<SessionEvent> events = new ArrayList<>(2);
        events.add(new SessionEvent.OutboundAcknowledged(a.packetId(), a.kind()));
        int before = s.inflight.size() - (s.endsFlow(a.packetId(), a.kind()) ? 1 : 0);
        addSends(events, s.inflight.capacity() - before, s.queue.size(), now);
        return emit(s, events, after -> deliverFrom(after, before, now));
    }

    /**
     * Appends one {@code MessageSent} per queued message that fits the window, so sending shares
     * the journal write of the event that made it possible (a queued message, an
     * acknowledgement, an attach): one write instead of two, and nothing left for a later
     * message to do. A {@code MessageSent} that finds only expired messages changes nothing.
     */
    private static void addSends(List<SessionEvent> events, int room, int queued, long now) {
        for (int i = Math.min(room, queued); i > 0; i--) {
            events.add(new SessionEvent.MessageSent(now));
        }
    }

    /** Sends the PUBLISH of every inflight entry from index {@code from} on: the ones just sent. */
    private void deliverFrom(SessionState after, int from, long now) {
        if (connection == null) {
            return;
        }
        List<InflightWindow.Entry> entries = after.inflight.entries();
        for (int i = from; i < entries.size(); i++) {
            InflightWindow.Entry entry = entries.get(i);
            connection.tell(new EngineInput.Deliver(entry.delivery().toPublish(entry.packetId(), false, now)));
        }
    }

    // ---- subscriptions ---------------------------------------------------------------

    private Effect<SessionEvent, SessionState> onSubscribe(SessionState s, Subscribe c) {
        if (connection == null || !connection.equals(c.connection())) {
            return Effect().none();
        }
        SubscribeOutcome outcome = SubscribeOutcome.of(c, s);
        // Into the trie before the retained messages are read: a message published meanwhile is
        // then found retained, or routed here and handled after this command, so it is neither
        // missed nor delivered before an older retained one [MQTT-4.6.0-5]. (Were the write to
        // fail, the entity stops and recovery registers only what was journaled.)
        for (SubscribeOutcome.Added added : outcome.added()) {
            broker.subscribe(added.filter(), clientId, added.route());
        }
        long now = System.currentTimeMillis();
        List<SessionEvent> events = new ArrayList<>(outcome.events());
        List<Delivery> atMostOnce = new ArrayList<>();
        for (SubscribeOutcome.Added added : outcome.added()) {
            if (added.sendRetained()) {
                RetainedDelivery.forEach(broker.retained(), added, now, d -> {
                    if (d.qos() == Qos.AT_MOST_ONCE) {
                        atMostOnce.add(d); // never queued or journaled, as any QoS 0 message
                    } else {
                        events.add(new SessionEvent.MessageQueued(d, now));
                    }
                });
            }
        }
        int queued = events.size() - outcome.events().size();
        int before = s.inflight.size();
        addSends(events, s.inflight.capacity() - before, s.queue.size() + queued, now);
        return emit(s, events, after -> {
            connection.tell(new EngineInput.Subscribed(c.packetId(), outcome.reasonCodes()));
            for (Delivery d : atMostOnce) { // retained messages follow the SUBACK
                connection.tell(new EngineInput.Deliver(d.toPublish(0, false, now)));
            }
            deliverFrom(after, before, now);
        });
    }

    private Effect<SessionEvent, SessionState> onUnsubscribe(SessionState s, Unsubscribe c) {
        if (connection == null || !connection.equals(c.connection())) {
            return Effect().none();
        }
        List<SessionEvent> events = new ArrayList<>();
        List<io.courier.protocol.packet.ReasonCode> codes = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (var entry : c.entries()) {
            if (entry.rejected() != null) {
                codes.add(entry.rejected());
            } else if (s.subscriptions.containsKey(entry.topicFilter())) {
                events.add(new SessionEvent.SubscriptionRemoved(entry.topicFilter()));
                removed.add(entry.topicFilter());
                codes.add(io.courier.protocol.packet.ReasonCode.SUCCESS);
            } else {
                codes.add(io.courier.protocol.packet.ReasonCode.NO_SUBSCRIPTION_EXISTED); // [MQTT-3.11.3-1]
            }
        }
        return emit(s, events, after -> {
            for (String filter : removed) {
                broker.unsubscribe(SubscriptionFilter.parse(filter), clientId);
            }
            connection.tell(new EngineInput.Unsubscribed(c.packetId(), codes));
        });
    }

    private Effect<SessionEvent, SessionState> onRelease(SessionState s, ReleaseInboundQos2 c) {
        if (connection == null || !connection.equals(c.connection())) {
            // A PUBREL that reached a taken-over connection: the client sends it again on its new
            // connection [MQTT-4.4.0-1], which must still find the receipt, or it gets 0x92.
            return Effect().none();
        }
        boolean known = s.inboundQos2.contains(c.packetId());
        List<SessionEvent> events = known ? List.of(new SessionEvent.InboundQos2Released(c.packetId())) : List.of();
        return emit(s, events, after -> c.connection().tell(new EngineInput.InboundReleased(c.packetId(), known)));
    }

    // ---- recovery, routing, persistence ---------------------------------------------

    /**
     * Stopped (session ended, shard handed off, node stopping): its subscriptions leave this
     * node's trie and route table entries, so no other node forwards to a node that no longer
     * hosts it and, once it is recovered elsewhere, no message reaches it twice. After a
     * hand-off an existing session is woken through sharding, which delivers the wake-up where
     * the shard now lives: recovery there puts the subscriptions back into that node's trie
     * (and route entries) before any client reconnects.
     */
    private void onStopped(SessionState s) {
        unregisterAll(s);
        broker.online(clientId, false);
        if (handingOff && s.exists && anotherNodeIsUp()) {
            broker.sessions().session(clientId).tell(new SessionCommand.Wake());
        }
    }

    /**
     * Whether a hand-off can place the session elsewhere: not when the last node stops, where a
     * wake-up would only wait in sharding's buffer until the system is gone. True outside a
     * cluster (tests with a plain actor system and a directory of their own).
     */
    private boolean anotherNodeIsUp() {
        var system = context.getSystem();
        if (!"cluster".equals(system.settings().config().getString("pekko.actor.provider"))) {
            return true;
        }
        var cluster = org.apache.pekko.cluster.typed.Cluster.get(system);
        for (var member : cluster.state().getMembers()) {
            if (member.status() == org.apache.pekko.cluster.MemberStatus.up() && !member.equals(cluster.selfMember())) {
                return true;
            }
        }
        return false;
    }

    private void onRecovered(SessionState s) {
        for (var e : s.subscriptions.entrySet()) {
            register(e.getKey(), e.getValue());
        }
        if (s.exists && s.attached) {
            context.getSelf().tell(new SessionCommand.RecoveredWhileAttached());
        } else if (s.exists) {
            armTimers(s, System.currentTimeMillis());
        }
        if (shard != null) {
            // After the commands stashed during recovery (the Attach that started it, if any): an
            // entity a remembering shard restarted for a session that has since ended stops again.
            context.getSelf().tell(new SessionCommand.Wake());
        }
    }

    private void register(String filter, Route route) {
        try {
            broker.subscribe(SubscriptionFilter.parse(filter), clientId, route);
        } catch (InvalidTopicException e) {
            context.getLog().warn("session {} holds an invalid filter {}: {}", clientId, filter, e.getMessage());
        }
    }

    private void unregisterAll(SessionState s) {
        for (String filter : s.subscriptions.keySet()) {
            broker.unsubscribe(SubscriptionFilter.parse(filter), clientId);
        }
    }

    /** Publishes a will (or any message the session itself sends), with its expiry from now. */
    private void route(Message message) {
        long now = System.currentTimeMillis();
        long expiry = message.properties().longValue(PropertyId.MESSAGE_EXPIRY_INTERVAL, -1);
        Message timed = expiry < 0 ? message : new Message(message.topic(), message.payload(), message.qos(),
                message.retain(), message.properties(), message.publisherId(), now + expiry * 1000);
        fanout.route(timed, null, 0);
        if (timed.retain()) {
            broker.retainedStore().tell(new RetainedStore.Retain(timed, context.getSystem().ignoreRef(), 0));
        }
    }

    private Effect<SessionEvent, SessionState> emit(SessionState s, List<SessionEvent> events, Consumer<SessionState> after) {
        return emit(s, events, s.isPersistent(), after);
    }

    /**
     * Journals the events when the session is (or is becoming) persistent; otherwise applies
     * them in memory at once. Either way {@code after} runs with the new state.
     */
    private Effect<SessionEvent, SessionState> emit(SessionState s, List<SessionEvent> events, boolean journal,
                                                    Consumer<SessionState> after) {
        if (events.isEmpty()) {
            after.accept(s);
            return Effect().none();
        }
        if (journal) {
            return Effect().persist(events).thenRun(after::accept);
        }
        for (SessionEvent e : events) {
            s.apply(e);
        }
        return Effect().none().thenRun(after::accept);
    }
}
