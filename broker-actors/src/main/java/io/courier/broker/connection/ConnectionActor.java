package io.courier.broker.connection;

import io.courier.broker.BrokerSettings;
import io.courier.broker.routing.Fanout;
import io.courier.broker.routing.RetainedStore;
import io.courier.broker.session.SessionCommand;
import io.courier.protocol.codec.DecodeContext;
import io.courier.protocol.codec.DecodeException;
import io.courier.protocol.codec.MqttDecoder;
import io.courier.protocol.engine.Connection;
import io.courier.protocol.engine.ConnectionState;
import io.courier.protocol.engine.Effect;
import io.courier.protocol.engine.EngineInput;
import io.courier.protocol.engine.Step;
import io.courier.protocol.message.Message;
import io.courier.protocol.packet.Disconnect;
import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.ReasonCode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.typed.javadsl.ActorSink;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner of one network connection (ARCHITECTURE.md section 3): it decodes the client's
 * bytes, runs the pure {@code ProtocolEngine} and carries out the effects the engine returns.
 *
 * <p>Bytes arrive one chunk at a time and the next chunk is asked for only once this one is
 * handled, so a slow broker slows the client's socket instead of filling the heap; while too
 * many of the client's QoS 1/2 PUBLISHes wait for their acknowledgement (the Receive Maximum
 * the broker announces), reading stops altogether. What goes out is collected per handled
 * message and offered as one write to a bounded queue; a client that does not read fills it,
 * and its connection fails rather than the broker buffering for it.
 *
 * <p>A QoS 1/2 PUBLISH is acknowledged only when every matching session has the message (and
 * the retained store, for a retained one): see {@link PublishAcknowledgements}. No ask is made
 * per packet; every answer comes back as a message, matched by correlation id.
 *
 * <p>Keep alive does not re-arm a timer per packet: the time of the last packet is noted, and a
 * single timer, when it fires, either expires the connection or aims itself at the new limit.
 *
 * <p>Nothing thrown here may escape: an exception is a bug in Courier, closes this connection
 * only, and is logged with the client id.
 */
public final class ConnectionActor extends AbstractBehavior<ConnectionActor.Command> {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionActor.class);

    /** What a connection actor handles. */
    public sealed interface Command {
    }

    /** The inbound stream started; answer {@code ackTo} to get the first chunk. */
    record StreamStarted(ActorRef<StreamAck> ackTo) implements Command {
    }

    /** A chunk of the client's bytes; the next comes after an answer to {@code ackTo}. */
    record BytesReceived(ActorRef<StreamAck> ackTo, ByteString bytes) implements Command {
    }

    /** Asks the inbound stream for the next chunk. */
    enum StreamAck { INSTANCE }

    /** The inbound stream ended: the client closed ({@code failure} null) or the network failed. */
    record StreamFinished(Throwable failure) implements Command {
    }

    private record FromSession(EngineInput input) implements Command {
    }

    private record StoredAnswer(SessionCommand.Stored answer) implements Command {
    }

    private record RetainedAnswer(RetainedStore.Retained answer) implements Command {
    }

    private record VerdictAnswer(SessionCommand.Qos2Verdict answer) implements Command {
    }

    private record RecordedAnswer(SessionCommand.Qos2Recorded answer) implements Command {
    }

    /** How soon bytes held for a full outbound queue are offered again. */
    private static final Duration OUTBOUND_RETRY_DELAY = Duration.ofMillis(2);

    private enum Tick implements Command { CONNECT_TIMEOUT, KEEP_ALIVE, PUBLISH_TIMEOUTS, CLOSE_LINGER, OUTBOUND_RETRY }

    /**
     * The actor for a freshly opened connection. A transport wires it with two streams: the
     * client's bytes into {@link #inboundSink}, and {@code outbound} (a bounded
     * {@code Source.queue}) towards the client, coupled so that either end ends both.
     */
    public static Behavior<Command> create(ConnectionEnvironment env, BoundedSourceQueue<ByteString> outbound,
                                    InetSocketAddress remote) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                new ConnectionActor(ctx, timers, env, outbound, remote)));
    }

    /** The sink that hands a connection's bytes to its actor, one acknowledged chunk at a time. */
    public static Sink<ByteString, NotUsed> inboundSink(ActorRef<Command> actor) {
        return ActorSink.<ByteString, Command, StreamAck>actorRefWithBackpressure(
                actor, BytesReceived::new, StreamStarted::new, StreamAck.INSTANCE,
                new StreamFinished(null), StreamFinished::new);
    }

    private final TimerScheduler<Command> timers;
    private final ConnectionEnvironment env;
    private final BrokerSettings settings;
    private final OutboundWrites outbound;
    private final InetSocketAddress remote;
    private final MqttDecoder decoder;
    private final PublishAcknowledgements acks;
    private final ActorRef<EngineInput> sessionAdapter;
    private final ActorRef<SessionCommand.Stored> storedAdapter;
    private final ActorRef<RetainedStore.Retained> retainedAdapter;
    private final ActorRef<SessionCommand.Qos2Verdict> verdictAdapter;
    private final ActorRef<SessionCommand.Qos2Recorded> recordedAdapter;
    private final ConnectionAuthentication authentication;
    private final ArrayDeque<EngineInput> inputs = new ArrayDeque<>();
    private final List<MqttPacket> decoded = new ArrayList<>();

    private ConnectionState state;
    private RecipientRef<SessionCommand> session;
    private String clientId;
    private MqttVersion version;
    private ActorRef<StreamAck> heldAck;
    private long keepAliveNanos;
    private long lastPacketNanos = System.nanoTime();
    private String closeReason;
    private boolean stepping;
    private boolean connectTimerArmed = true;
    private boolean inboundFinished;
    private boolean failed;
    private boolean stopping;

    private ConnectionActor(ActorContext<Command> ctx, TimerScheduler<Command> timers, ConnectionEnvironment env,
                            BoundedSourceQueue<ByteString> outbound, InetSocketAddress remote) {
        super(ctx);
        this.timers = timers;
        this.env = env;
        this.settings = env.context().settings();
        this.outbound = new OutboundWrites(outbound, env.settings().outboundHeldBytes());
        this.remote = remote;
        this.decoder = new MqttDecoder(DecodeContext.server(settings.engine().maximumPacketSize()));
        this.acks = new PublishAcknowledgements(settings.publishAckTimeout().toNanos());
        this.state = env.engine().initialState();
        this.sessionAdapter = ctx.messageAdapter(EngineInput.class, FromSession::new);
        this.storedAdapter = ctx.messageAdapter(SessionCommand.Stored.class, StoredAnswer::new);
        this.retainedAdapter = ctx.messageAdapter(RetainedStore.Retained.class, RetainedAnswer::new);
        this.verdictAdapter = ctx.messageAdapter(SessionCommand.Qos2Verdict.class, VerdictAnswer::new);
        this.recordedAdapter = ctx.messageAdapter(SessionCommand.Qos2Recorded.class, RecordedAnswer::new);
        this.authentication = new ConnectionAuthentication(env.authenticators(), sessionAdapter, settings.connectTimeout());
        timers.startSingleTimer(Tick.CONNECT_TIMEOUT, Tick.CONNECT_TIMEOUT, settings.connectTimeout());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Command.class, this::onCommand)
                .onSignal(PostStop.class, signal -> onPostStop())
                .build();
    }

    private Behavior<Command> onCommand(Command command) {
        try {
            dispatch(command);
            flush();
        } catch (RuntimeException e) {
            return onBug(e);
        }
        // Once the client's side is gone nothing more can happen; the stream ends both ways.
        return inboundFinished ? Behaviors.stopped() : this;
    }

    private void dispatch(Command command) {
        if (command instanceof BytesReceived b) {
            onBytes(b.bytes());
            requestMore(b.ackTo());
        } else if (command instanceof FromSession s) {
            feed(s.input());
        } else if (command instanceof StoredAnswer a) {
            onRouted(acks.stored(a.answer().correlationId()));
        } else if (command instanceof RetainedAnswer a) {
            onRetained(a.answer());
        } else if (command instanceof VerdictAnswer a) {
            onVerdict(a.answer());
        } else if (command instanceof RecordedAnswer a) {
            if (acks.recorded(a.answer().packetId())) {
                releaseSettled();
            }
        } else if (command instanceof Tick t) {
            onTick(t);
        } else if (command instanceof StreamStarted s) {
            s.ackTo().tell(StreamAck.INSTANCE);
        } else if (command instanceof StreamFinished f) {
            inboundFinished = true;
            noteReason(f.failure() == null ? "closed by the client" : "network error: " + f.failure().getMessage());
            feed(new EngineInput.ConnectionLost());
        } else {
            throw new IllegalStateException("unexpected command " + command);
        }
    }

    // ---- bytes in, engine steps, effects out ----

    private void onBytes(ByteString bytes) {
        if (state instanceof ConnectionState.Closed || failed) {
            return; // what a closing client still sends means nothing
        }
        // Decode the whole chunk first: an exception of ours must not pass for a malformed packet.
        decoded.clear();
        DecodeException rejected = null;
        try {
            decoder.decode(bytes.asByteBuffer(), decoded::add);
        } catch (DecodeException e) {
            rejected = e;
        }
        if (!decoded.isEmpty()) {
            lastPacketNanos = System.nanoTime();
            long nowMillis = System.currentTimeMillis();
            for (MqttPacket packet : decoded) {
                feed(new EngineInput.PacketReceived(packet, nowMillis));
            }
            decoded.clear();
        }
        if (rejected != null) {
            feed(new EngineInput.DecodeFailed(rejected));
        }
    }

    /**
     * Asks for the next chunk, unless too many publishes already wait for their acknowledgement
     * or our answers to this client wait for its socket: either way the client must slow down.
     */
    private void requestMore(ActorRef<StreamAck> ackTo) {
        if ((acks.size() >= settings.engine().receiveMaximum() || outbound.isHolding())
                && !(state instanceof ConnectionState.Closed)) {
            heldAck = ackTo;
        } else {
            ackTo.tell(StreamAck.INSTANCE);
        }
    }

    /** Runs inputs through the engine one at a time, also those that effects give rise to. */
    private void feed(EngineInput input) {
        inputs.addLast(input);
        if (stepping) {
            return;
        }
        stepping = true;
        try {
            EngineInput next;
            while ((next = inputs.pollFirst()) != null) {
                step(next);
            }
        } finally {
            stepping = false;
        }
    }

    private void step(EngineInput input) {
        Step step = env.engine().on(state, input);
        state = step.state();
        for (Effect effect : step.effects()) {
            carryOut(effect);
        }
        if (connectTimerArmed
                && (state instanceof ConnectionState.Connected || state instanceof ConnectionState.Closed)) {
            timers.cancel(Tick.CONNECT_TIMEOUT);
            connectTimerArmed = false;
        }
        if (state instanceof ConnectionState.Closed) {
            closeOutbound(); // e.g. a lost connection: the engine has nothing left to send
            releaseHeldAck(); // the inbound stream reports its end only once its last chunk is acknowledged
        }
    }

    private void carryOut(Effect effect) {
        if (effect instanceof Effect.Send s) {
            outbound.write(s.packet(), s.version());
        } else if (effect instanceof Effect.PublishInbound p) {
            publishInbound(p.message(), p.packetId());
        } else if (effect instanceof Effect.AcknowledgeOutbound a) {
            session().tell(new SessionCommand.Acknowledge(sessionAdapter, a.packetId(), a.kind()));
        } else if (effect instanceof Effect.ReleaseInbound r) {
            session().tell(new SessionCommand.ReleaseInboundQos2(sessionAdapter, r.packetId()));
        } else if (effect instanceof Effect.SubscribeRequest s) {
            session().tell(new SessionCommand.Subscribe(sessionAdapter, s.packetId(), s.entries(),
                    s.subscriptionIdentifier()));
        } else if (effect instanceof Effect.UnsubscribeRequest u) {
            session().tell(new SessionCommand.Unsubscribe(sessionAdapter, u.packetId(), u.entries()));
        } else if (effect instanceof Effect.KeepAlive k) {
            armKeepAlive(k.timeoutMillis());
        } else if (effect instanceof Effect.OpenSession o) {
            openSession(o);
        } else if (effect instanceof Effect.Authenticate a) {
            authentication.run(a); // answered through sessionAdapter, like the session's inputs
        } else if (effect instanceof Effect.EndSession e) {
            if (session != null) {
                session.tell(new SessionCommand.Detach(sessionAdapter, e.how(), e.sessionExpirySeconds()));
            }
        } else if (effect instanceof Effect.PacketDropped d) {
            env.counters().packetTooLarge();
            LOG.atWarn().addKeyValue("clientId", clientId).addKeyValue("packet", d.type())
                    .log("{} to client {} not sent: {}", d.type(), clientId, d.why());
        } else if (effect instanceof Effect.Close c) {
            noteReason(c.why());
            closeOutbound();
        } else {
            throw new IllegalStateException("unknown effect " + effect);
        }
    }

    private void openSession(Effect.OpenSession o) {
        clientId = o.clientId();
        version = o.version();
        session = env.context().sessions().session(clientId);
        session.tell(new SessionCommand.Attach(sessionAdapter, o.version(), o.cleanStart(),
                o.sessionExpirySeconds(), o.will(), o.willDelaySeconds(), o.receiveMaximum()));
        // The session gets the connect timeout afresh to attach (a takeover may take a moment).
        timers.startSingleTimer(Tick.CONNECT_TIMEOUT, Tick.CONNECT_TIMEOUT, settings.connectTimeout());
    }

    // ---- a client's PUBLISH ----

    private void publishInbound(Message message, int packetId) {
        if (message.qos() == Qos.AT_MOST_ONCE) {
            if (message.retain()) {
                // Nobody waits for this answer (correlation id 0); a refusal is still counted.
                env.context().retainedStore().tell(new RetainedStore.Retain(message, retainedAdapter, 0L));
            }
            env.fanout().route(message, null, 0L);
            return;
        }
        PublishAcknowledgements.Pending p = acks.open(packetId, message.qos(), message, System.nanoTime());
        armPublishTimer();
        if (message.qos() == Qos.EXACTLY_ONCE) {
            // A resend of a message the session already holds must not be routed twice [MQTT-4.3.3-10].
            session().tell(new SessionCommand.CheckInboundQos2(packetId, verdictAdapter));
        } else {
            route(p);
        }
    }

    private void route(PublishAcknowledgements.Pending p) {
        Message message = p.message();
        if (message.retain()) {
            // Stored, or deleted when the payload is empty [MQTT-3.3.1-10], before the ack goes.
            env.context().retainedStore().tell(new RetainedStore.Retain(message, retainedAdapter, p.id()));
        }
        Fanout.Routed routed = env.fanout().route(message, storedAdapter, p.id());
        // Only 5.0 can say "no matching subscribers" (0x10).
        boolean matched = routed.targets() > 0 || !isV5();
        onRouted(acks.routed(p.id(), routed.awaited(), message.retain(), matched));
    }

    /** A publish finished routing: QoS 2 now records its receipt, QoS 1 is settled. */
    private void onRouted(PublishAcknowledgements.Pending p) {
        if (p == null) {
            return;
        }
        if (p.stage() == PublishAcknowledgements.Stage.RECORDING) {
            // Recorded after routing, never before: a crash between can duplicate, never lose.
            session().tell(new SessionCommand.RecordInboundQos2(p.packetId(), recordedAdapter));
        } else {
            releaseSettled();
        }
    }

    private void onRetained(RetainedStore.Retained answer) {
        if (!answer.accepted()) {
            env.counters().retainRefused(); // 5.0 is told with 0x97; 3.1.1 cannot be
        }
        if (answer.correlationId() != 0L) {
            onRouted(acks.retained(answer.correlationId(), answer.accepted()));
        }
    }

    private void onVerdict(SessionCommand.Qos2Verdict verdict) {
        PublishAcknowledgements.Pending p = acks.checking(verdict.packetId());
        if (p == null) {
            return; // timed out meanwhile
        }
        if (verdict.duplicate()) {
            acks.duplicate(p.id());
            releaseSettled();
        } else {
            acks.checked(p.id());
            route(p);
        }
    }

    /** Hands settled publishes to the engine (PUBACK / PUBREC), oldest first. */
    private void releaseSettled() {
        for (PublishAcknowledgements.Settlement s : acks.releasable()) {
            feed(new EngineInput.PublishSettled(s.packetId(), s.qos(), s.reason(isV5()), s.duplicate()));
        }
        if (acks.size() < settings.engine().receiveMaximum()) {
            releaseHeldAck();
        }
    }

    private void releaseHeldAck() {
        if (heldAck != null) {
            heldAck.tell(StreamAck.INSTANCE);
            heldAck = null;
        }
    }

    private void expirePublishes() {
        int timedOut = acks.expire(System.nanoTime());
        for (int i = 0; i < timedOut; i++) {
            env.counters().publishAckTimedOut();
        }
        if (timedOut > 0 && !isV5()) {
            // 3.1.1 has no failure code in PUBACK / PUBREC: close, and the client resends
            // the unacknowledged message on its next connection [MQTT-4.4.0-1].
            noteReason("subscribers did not store a publish in time (" + settings.publishAckTimeout() + ")");
            feed(new EngineInput.ConnectionLost());
            return;
        }
        releaseSettled();
        armPublishTimer();
    }

    /** One timer serves every waiting publish: it aims at the oldest one's deadline. */
    private void armPublishTimer() {
        long deadline = acks.nextDeadlineNanos();
        if (deadline >= 0 && !timers.isTimerActive(Tick.PUBLISH_TIMEOUTS)) {
            long delay = Math.max(0L, deadline - System.nanoTime());
            timers.startSingleTimer(Tick.PUBLISH_TIMEOUTS, Tick.PUBLISH_TIMEOUTS, Duration.ofNanos(delay));
        }
    }

    // ---- timers ----

    private void onTick(Tick tick) {
        switch (tick) {
            case CONNECT_TIMEOUT -> onConnectTimeout();
            case KEEP_ALIVE -> checkKeepAlive();
            case PUBLISH_TIMEOUTS -> expirePublishes();
            case OUTBOUND_RETRY -> {
                // onCommand flushes after every message; this tick only makes it happen again.
            }
            case CLOSE_LINGER -> {
                // The last bytes did not leave in time (the client does not read): abort.
                outbound.fail(new IllegalStateException("connection did not close within " + env.settings().closeLinger()));
                inboundFinished = true;
            }
        }
    }

    private void onConnectTimeout() {
        if (state instanceof ConnectionState.AwaitingConnect || state instanceof ConnectionState.Authenticating) {
            feed(new EngineInput.ConnectTimeout());
        } else if (state instanceof ConnectionState.AwaitingSession s) {
            // The session did not answer Attach. Tell it we are gone, in case it attached us
            // after all (it ignores a Detach from a connection it does not hold), and refuse.
            noteReason("session did not attach within " + settings.connectTimeout());
            session().tell(new SessionCommand.Detach(sessionAdapter, Effect.SessionEnd.ABNORMAL,
                    s.connection().sessionExpirySeconds()));
            feed(new EngineInput.SessionRefused(ReasonCode.SERVER_UNAVAILABLE));
        }
    }

    private void armKeepAlive(long timeoutMillis) {
        keepAliveNanos = timeoutMillis * 1_000_000L;
        if (keepAliveNanos == 0) {
            timers.cancel(Tick.KEEP_ALIVE); // keep alive 0 turns the mechanism off [MQTT-3.1.2-10]
            return;
        }
        lastPacketNanos = System.nanoTime(); // counted from CONNACK, not from a slow session's attach
        timers.startSingleTimer(Tick.KEEP_ALIVE, Tick.KEEP_ALIVE, Duration.ofNanos(keepAliveNanos));
    }

    private void checkKeepAlive() {
        if (keepAliveNanos == 0 || !(state instanceof ConnectionState.Connected)) {
            return;
        }
        long idle = System.nanoTime() - lastPacketNanos;
        if (idle >= keepAliveNanos) {
            feed(new EngineInput.KeepAliveExpired()); // 5.0 [MQTT-3.1.2-22], 3.1.1 [MQTT-3.1.2-24]
        } else {
            timers.startSingleTimer(Tick.KEEP_ALIVE, Tick.KEEP_ALIVE, Duration.ofNanos(keepAliveNanos - idle));
        }
    }

    // ---- the outbound stream ----

    /**
     * Offers what this message produced as one write. Bytes the full queue cannot take yet are
     * held and offered again shortly (inbound stays paused meanwhile); holding more than the
     * limit fails the connection.
     */
    private void flush() {
        OutboundWrites.Flushed result = outbound.flush();
        if (result == OutboundWrites.Flushed.OVERFLOW) {
            env.counters().outboundOverflowed();
            noteReason("more than " + env.settings().outboundHeldBytes() + " outbound bytes held: the client does not read");
            startLinger();
            feed(new EngineInput.ConnectionLost());
        } else if (result == OutboundWrites.Flushed.HELD) {
            if (!timers.isTimerActive(Tick.OUTBOUND_RETRY)) {
                timers.startSingleTimer(Tick.OUTBOUND_RETRY, Tick.OUTBOUND_RETRY, OUTBOUND_RETRY_DELAY);
            }
        } else if (heldAck != null && acks.size() < settings.engine().receiveMaximum()) {
            releaseHeldAck(); // the socket drained: the client may send again
        }
    }

    /** Completes the outbound stream after what is already queued; the socket closes after it. */
    private void closeOutbound() {
        if (outbound.isClosed()) {
            return;
        }
        flush();
        if (!outbound.isClosed()) {
            outbound.complete();
            startLinger();
        }
    }

    private void startLinger() {
        if (stopping) {
            return;
        }
        timers.cancel(Tick.KEEP_ALIVE);
        timers.cancel(Tick.PUBLISH_TIMEOUTS);
        timers.startSingleTimer(Tick.CLOSE_LINGER, Tick.CLOSE_LINGER, env.settings().closeLinger());
    }

    // ---- failure and stop ----

    /** A bug of ours: close this connection, and only it. */
    private Behavior<Command> onBug(RuntimeException e) {
        env.counters().internalError();
        LOG.atError().setCause(e).addKeyValue("clientId", clientId).addKeyValue("remote", remote)
                .log("closing MQTT connection of client {} from {} after an internal error", clientId, remote);
        if (failed) {
            return Behaviors.stopped(); // failing again while failing: give up at once
        }
        failed = true;
        noteReason("internal error: " + e);
        try {
            Connection c = connection();
            if (session != null && c != null) {
                session.tell(new SessionCommand.Detach(sessionAdapter, Effect.SessionEnd.ABNORMAL, c.sessionExpirySeconds()));
            }
            outbound.discard();
            if (c != null && c.version().isV5() && state instanceof ConnectionState.Connected) {
                outbound.write(Disconnect.of(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR), MqttVersion.V5);
            }
            state = new ConnectionState.Closed(version);
            closeOutbound();
            releaseHeldAck();
            // Unless the stream has ended already, its end (or the linger timer) stops us.
            return inboundFinished ? Behaviors.stopped() : this;
        } catch (RuntimeException again) {
            LOG.error("could not close the connection of client {} cleanly", clientId, again);
            outbound.fail(e);
            return Behaviors.stopped();
        }
    }

    private Behavior<Command> onPostStop() {
        stopping = true;
        try {
            if (!(state instanceof ConnectionState.Closed)) {
                // Stopped from outside (the listener or the actor system is going away).
                noteReason("server stopping");
                feed(new EngineInput.ServerShuttingDown());
                flush();
            }
        } catch (RuntimeException e) {
            LOG.warn("could not tell client {} that the server is stopping", clientId, e);
        }
        outbound.complete();
        env.counters().connectionClosed();
        String who = clientId == null ? "(no CONNECT)" : clientId;
        LOG.atInfo().addKeyValue("clientId", who).addKeyValue("remote", remote)
                .addKeyValue("reason", closeReason)
                .log("MQTT connection closed: client {} from {}: {}", who, remote, closeReason);
        return this;
    }

    // ---- small helpers ----

    /** Keeps the first reason: later ones are consequences of it. */
    private void noteReason(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
    }

    private RecipientRef<SessionCommand> session() {
        if (session == null) {
            throw new IllegalStateException("no session before CONNECT");
        }
        return session;
    }

    private Connection connection() {
        return ConnectionState.connectionOf(state);
    }

    private boolean isV5() {
        return version != null && version.isV5();
    }
}
