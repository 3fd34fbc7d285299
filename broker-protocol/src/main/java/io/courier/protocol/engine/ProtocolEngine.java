package io.courier.protocol.engine;

import io.courier.protocol.codec.DecodeException;
import io.courier.protocol.engine.ConnectionState.AwaitingConnect;
import io.courier.protocol.engine.ConnectionState.AwaitingSession;
import io.courier.protocol.engine.ConnectionState.Closed;
import io.courier.protocol.engine.ConnectionState.Connected;
import io.courier.protocol.engine.EngineInput.PacketReceived;
import io.courier.protocol.packet.Auth;
import io.courier.protocol.packet.Connect;
import io.courier.protocol.packet.Disconnect;
import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PingResp;
import io.courier.protocol.packet.PubAck;
import io.courier.protocol.packet.PubComp;
import io.courier.protocol.packet.PubRec;
import io.courier.protocol.packet.PubRel;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.packet.Subscribe;
import io.courier.protocol.packet.Unsubscribe;
import io.courier.protocol.property.PropertyId;
import java.util.ArrayList;
import java.util.List;

/**
 * The MQTT protocol state machine of one connection, as a pure function:
 * {@code on(state, input) -> Step(newState, effects)}. It reads no clock, calls no service and
 * holds no mutable state; routing, session storage and socket work come back as {@link Effect}s
 * for the connection owner to carry out (ARCHITECTURE.md section 3). One instance serves every
 * connection.
 *
 * <p>Version differences are kept to a few decisions, each commented where it is made: 5.0 says
 * why it disconnects (DISCONNECT with a reason code) where 3.x can only close, and only 5.0 has
 * properties, topic aliases, flow control and server-side limits to announce.
 */
public final class ProtocolEngine {

    /** Packets a client may send before CONNACK that the engine holds; more is abuse. */
    private static final int MAX_EARLY_PACKETS = 1000;

    private final EngineSettings settings;
    private final ConnectStage connect;
    private final PublishFlow publish;
    private final SubscriptionFlow subscription;
    private final AuthenticationFlow authentication;

    public ProtocolEngine(EngineSettings settings, ClientIdAssigner assigner) {
        this.settings = settings;
        this.connect = new ConnectStage(settings, assigner);
        this.publish = new PublishFlow(settings);
        this.subscription = new SubscriptionFlow(settings);
        this.authentication = new AuthenticationFlow(connect);
    }

    public ConnectionState initialState() {
        return new AwaitingConnect();
    }

    public Step on(ConnectionState state, EngineInput input) {
        if (state instanceof Connected s) {
            return onConnected(s, input);
        }
        if (state instanceof AwaitingConnect) {
            return onAwaitingConnect(state, input);
        }
        if (state instanceof AwaitingSession s) {
            return onAwaitingSession(s, input);
        }
        if (state instanceof ConnectionState.Authenticating s) {
            return authentication.onAuthenticating(s, input);
        }
        return new Step(state, List.of()); // Closed: nothing more happens
    }

    private Step onAwaitingConnect(ConnectionState state, EngineInput input) {
        if (input instanceof PacketReceived r && r.packet() instanceof Connect c) {
            return connect.onConnect(c);
        }
        if (input instanceof EngineInput.DecodeFailed f) {
            DecodeException e = f.error();
            if (e.reasonCode() == ReasonCode.UNSUPPORTED_PROTOCOL_VERSION) {
                // 3.1.1 answers an unknown level with return code 1 [MQTT-3.1.2-2]; the 3.x form
                // is the one any client version can read.
                return ConnectStage.reject(MqttVersion.V3_1_1, ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, e.getMessage());
            }
            return close(null, "bad CONNECT: " + e.getMessage() + " (" + e.reasonCode() + ")");
        }
        if (input instanceof EngineInput.ConnectTimeout) {
            return close(null, "no CONNECT in time");
        }
        if (input instanceof EngineInput.ConnectionLost || input instanceof EngineInput.ServerShuttingDown) {
            return close(null, "closed before CONNECT");
        }
        if (input instanceof PacketReceived r) {
            return close(null, "first packet was " + r.packet().type() + " [MQTT-3.1.0-1]");
        }
        return new Step(state, List.of());
    }

    private Step onAwaitingSession(AwaitingSession s, EngineInput input) {
        Connection c = s.connection();
        if (input instanceof EngineInput.SessionOpened opened) {
            Step step = connect.onSessionOpened(s, opened.sessionPresent());
            return replay(step, s.early());
        }
        if (input instanceof EngineInput.SessionRefused refused) {
            return ConnectStage.reject(c.version(), refused.reason(), "session refused");
        }
        // No CONNACK has gone out yet, so no DISCONNECT may [MQTT-3.14.0-1]: what goes wrong now
        // is said in the CONNACK (5.0) or by closing (3.x), see Effects.refuseBeforeConnAck.
        if (input instanceof PacketReceived r) {
            if (s.early().size() >= MAX_EARLY_PACKETS) {
                return new Effects().refuseBeforeConnAck(c, ReasonCode.QUOTA_EXCEEDED,
                        Effect.SessionEnd.ABNORMAL, "too many packets before CONNACK");
            }
            return new Step(s.withEarly(r), List.of());
        }
        if (input instanceof EngineInput.DecodeFailed f) {
            // The decoder's other codes name a later packet's fault (0x90, 0x94, a second
            // CONNECT's 0x84); as the answer to CONNECT they would mislead: 0x82 instead.
            ReasonCode code = f.error().reasonCode();
            if (code != ReasonCode.MALFORMED_PACKET && code != ReasonCode.PACKET_TOO_LARGE) {
                code = ReasonCode.PROTOCOL_ERROR;
            }
            return new Effects().refuseBeforeConnAck(c, code, Effect.SessionEnd.ABNORMAL, f.error().getMessage());
        }
        if (input instanceof EngineInput.ConnectionLost) {
            return lost(c);
        }
        if (input instanceof EngineInput.TakenOver) {
            // The session has moved on to the new connection: this one just goes.
            return close(c.version(), "session taken over before CONNACK");
        }
        if (input instanceof EngineInput.ServerShuttingDown) {
            return new Effects().refuseBeforeConnAck(c, ReasonCode.SERVER_UNAVAILABLE,
                    Effect.SessionEnd.SERVER_SHUTDOWN, "server shutting down");
        }
        if (input instanceof EngineInput.KeepAliveExpired) {
            // Not armed before CONNACK (the KeepAlive effect comes with it); should an owner
            // send it anyway, the connection ends as it did before.
            return new Effects().refuseBeforeConnAck(c, ReasonCode.SERVER_UNAVAILABLE,
                    Effect.SessionEnd.ABNORMAL, "keep alive expired before CONNACK");
        }
        return new Step(s, List.of());
    }

    /**
     * Handles packets that arrived before CONNACK, in order, after the step that sent it; each
     * with the time it arrived, from which a Message Expiry Interval counts [MQTT-3.3.2-5].
     */
    private Step replay(Step first, List<PacketReceived> early) {
        Step step = first;
        List<Effect> effects = new ArrayList<>(first.effects());
        for (PacketReceived received : early) {
            step = on(step.state(), received);
            effects.addAll(step.effects());
        }
        return new Step(step.state(), effects);
    }

    private Step onConnected(Connected s, EngineInput input) {
        Connection c = s.connection();
        if (input instanceof PacketReceived r) {
            return onPacket(s, r.packet(), r.nowMillis());
        }
        if (input instanceof EngineInput.Deliver d) {
            return publish.onDeliver(s, d.publish());
        }
        if (input instanceof EngineInput.Release rel) {
            return new Effects().send(c, rel.pubRel()).step(s);
        }
        if (input instanceof EngineInput.PublishSettled settled) {
            return publish.onSettled(s, settled);
        }
        if (input instanceof EngineInput.InboundReleased released) {
            return publish.onReleased(s, released);
        }
        if (input instanceof EngineInput.Subscribed done) {
            return subscription.onSubscribed(s, done);
        }
        if (input instanceof EngineInput.Unsubscribed done) {
            return subscription.onUnsubscribed(s, done);
        }
        if (input instanceof EngineInput.Authenticated a) {
            return authentication.onVerdict(s, a.verdict());
        }
        if (input instanceof EngineInput.DecodeFailed f) {
            return new Effects().refuse(c, f.error().reasonCode(), f.error().getMessage());
        }
        if (input instanceof EngineInput.KeepAliveExpired) {
            return new Effects().refuse(c, ReasonCode.KEEP_ALIVE_TIMEOUT, "keep alive expired (5.0 [MQTT-3.1.2-22], 3.1.1 [MQTT-3.1.2-24])");
        }
        if (input instanceof EngineInput.TakenOver) {
            // The session lives on with the new connection, so this one does not end it
            // [MQTT-3.1.4-3]. Whether the old will goes out (it may, 5.0 3.1.4) is the session's call.
            Effects fx = new Effects();
            if (c.version().isV5()) {
                fx.send(c, Disconnect.of(ReasonCode.SESSION_TAKEN_OVER));
            }
            return fx.add(new Effect.Close("session taken over")).step(new Closed(c.version()));
        }
        if (input instanceof EngineInput.ServerShuttingDown) {
            Effects fx = new Effects();
            if (c.version().isV5()) {
                fx.send(c, Disconnect.of(ReasonCode.SERVER_SHUTTING_DOWN));
            }
            return fx.add(new Effect.EndSession(Effect.SessionEnd.SERVER_SHUTDOWN, c.sessionExpirySeconds()))
                    .add(new Effect.Close("server shutting down")).step(new Closed(c.version()));
        }
        if (input instanceof EngineInput.ConnectionLost) {
            return lost(c);
        }
        return new Step(s, List.of());
    }

    private Step onPacket(Connected s, MqttPacket packet, long nowMillis) {
        Connection c = s.connection();
        switch (packet.type()) {
            case PUBLISH:
                return publish.onPublish(s, (Publish) packet, nowMillis);
            case PUBACK:
                return publish.onPubAck(s, (PubAck) packet);
            case PUBREC:
                return publish.onPubRec(s, (PubRec) packet);
            case PUBREL:
                return new Effects().add(new Effect.ReleaseInbound(((PubRel) packet).packetId())).step(s);
            case PUBCOMP:
                return publish.onPubComp(s, (PubComp) packet);
            case SUBSCRIBE:
                return subscription.onSubscribe(s, (Subscribe) packet);
            case UNSUBSCRIBE:
                return subscription.onUnsubscribe(s, (Unsubscribe) packet);
            case PINGREQ:
                return new Effects().send(c, PingResp.INSTANCE).step(s); // [MQTT-3.12.4-1]
            case DISCONNECT:
                return onDisconnect(c, (Disconnect) packet);
            case CONNECT:
                return new Effects().refuse(c, ReasonCode.PROTOCOL_ERROR, "second CONNECT [MQTT-3.1.0-2]");
            case AUTH:
                return authentication.onAuth(s, (Auth) packet);
            default:
                // CONNACK, SUBACK, UNSUBACK, PINGRESP only ever travel from server to client.
                return new Effects().refuse(c, ReasonCode.PROTOCOL_ERROR, packet.type() + " sent by a client");
        }
    }

    /** The client leaves (spec 3.14.4): the reason decides about the will. */
    private Step onDisconnect(Connection c, Disconnect d) {
        long expiry = c.sessionExpirySeconds();
        if (d.properties().contains(PropertyId.SESSION_EXPIRY_INTERVAL)) {
            long asked = d.properties().longValue(PropertyId.SESSION_EXPIRY_INTERVAL, 0);
            // The rule is about the CONNECT packet's value, not the one the server lowered it to
            // (5.0 3.14.2.2.2, a rule without statement id; [MQTT-3.14.2-2] binds the server).
            if (c.connectSessionExpirySeconds() == 0 && asked != 0) {
                return new Effects().refuse(c, ReasonCode.PROTOCOL_ERROR,
                        "session expiry set on DISCONNECT after 0 at CONNECT (5.0 3.14.2.2.2)");
            }
            // The server's maximum holds here as it did at CONNECT (3.2.2.3.2); otherwise a client
            // could keep its session longer than the server allows by asking on the way out.
            expiry = Math.min(asked, settings.maxSessionExpirySeconds());
        }
        // Only 0x00 deletes the will [MQTT-3.14.4-3]; 0x04 asks for it and every error code leaves
        // it in place, to be published [MQTT-3.1.2-8]. A 3.x DISCONNECT decodes as 0x00.
        Effect.SessionEnd how = d.reasonCode() == ReasonCode.NORMAL_DISCONNECTION
                ? Effect.SessionEnd.NORMAL : Effect.SessionEnd.WITH_WILL;
        return new Effects().add(new Effect.EndSession(how, expiry))
                .add(new Effect.Close("client disconnected (" + d.reasonCode() + ")"))
                .step(new Closed(c.version()));
    }

    private static Step lost(Connection c) {
        return new Effects().add(new Effect.EndSession(Effect.SessionEnd.ABNORMAL, c.sessionExpirySeconds()))
                .step(new Closed(c.version()));
    }

    private static Step close(MqttVersion version, String why) {
        return new Effects().add(new Effect.Close(why)).step(new Closed(version));
    }
}
