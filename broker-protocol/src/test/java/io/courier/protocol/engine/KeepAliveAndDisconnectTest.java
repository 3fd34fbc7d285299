package io.courier.protocol.engine;

import static io.courier.protocol.engine.EngineConnection.CLIENT_ID;
import static io.courier.protocol.engine.EngineConnection.CLOSE;
import static io.courier.protocol.engine.EngineConnection.assertEffects;
import static io.courier.protocol.engine.EngineConnection.connect;
import static io.courier.protocol.engine.EngineConnection.connected;
import static io.courier.protocol.engine.EngineConnection.settings;
import static io.courier.protocol.packet.MqttVersion.V3_1_1;
import static io.courier.protocol.packet.MqttVersion.V5;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.protocol.engine.ConnectionState.Closed;
import io.courier.protocol.packet.ConnAck;
import io.courier.protocol.packet.Disconnect;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PacketType;
import io.courier.protocol.packet.PingReq;
import io.courier.protocol.packet.PingResp;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** PINGREQ, keep alive expiry, the client's DISCONNECT and the connection ending under us. */
class KeepAliveAndDisconnectTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-3.12.4-1] PINGREQ is answered with PINGRESP")
    void pingIsAnswered(MqttVersion version) {
        EngineConnection c = connected(version);
        ConnectionState before = c.state();
        assertEffects(c.receive(PingReq.INSTANCE), new Effect.Send(PingResp.INSTANCE, version));
        assertEquals(before, c.state());
    }

    @Test
    @DisplayName("[MQTT-3.1.2-22] [MQTT-3.14.2-2] 5.0 keep alive expired: DISCONNECT 0x8D (no Session Expiry on it),"
            + " session ended abnormally, close")
    void v5KeepAliveExpired() {
        EngineConnection c = connected(V5);
        assertEffects(c.feed(new EngineInput.KeepAliveExpired()),
                new Effect.Send(Disconnect.of(ReasonCode.KEEP_ALIVE_TIMEOUT), V5),
                new Effect.EndSession(Effect.SessionEnd.ABNORMAL, 0),
                CLOSE);
        assertEquals(new Closed(V5), c.state());
    }

    @Test
    @DisplayName("[MQTT-3.1.2-24] 3.1.1 keep alive expired: close as if the network failed, session ended abnormally")
    void v311KeepAliveExpired() {
        EngineConnection c = connected(V3_1_1);
        assertEffects(c.feed(new EngineInput.KeepAliveExpired()),
                new Effect.EndSession(Effect.SessionEnd.ABNORMAL, 0),
                CLOSE);
        assertEquals(new Closed(V3_1_1), c.state());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-3.1.2-8] the connection lost without DISCONNECT: the session ends abnormally, so the will goes"
            + " out")
    void connectionLost(MqttVersion version) {
        EngineConnection c = connected(version);
        // The socket is gone already: nothing to send, nothing to close.
        assertEffects(c.feed(new EngineInput.ConnectionLost()), new Effect.EndSession(Effect.SessionEnd.ABNORMAL, 0));
        assertEquals(new Closed(version), c.state());
    }

    @Test
    @DisplayName("[MQTT-3.14.4-3] 5.0 DISCONNECT 0x00: the session ends normally (will discarded), then close")
    void v5NormalDisconnect() {
        EngineConnection c = connectedWithExpiry(300);
        assertEffects(c.receive(Disconnect.NORMAL), new Effect.EndSession(Effect.SessionEnd.NORMAL, 300), CLOSE);
        assertEquals(new Closed(V5), c.state());
    }

    @Test
    @DisplayName("[MQTT-3.14.4-3] 3.1.1 DISCONNECT: the session ends normally (will discarded), then close")
    void v311Disconnect() {
        EngineConnection c = connected(EngineSettings.defaults(), connect(V3_1_1, CLIENT_ID, false));
        assertEffects(c.receive(Disconnect.NORMAL),
                new Effect.EndSession(Effect.SessionEnd.NORMAL, 0xFFFF_FFFFL), CLOSE);
        assertEquals(new Closed(V3_1_1), c.state());
    }

    @Test
    @DisplayName("[MQTT-3.1.2-8] 5.0 DISCONNECT 0x04 (Disconnect with Will Message): the session ends and publishes the"
            + " will")
    void v5DisconnectWithWill() {
        EngineConnection c = connectedWithExpiry(300);
        assertEffects(c.receive(Disconnect.of(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE)),
                new Effect.EndSession(Effect.SessionEnd.WITH_WILL, 300), CLOSE);
    }

    static Stream<ReasonCode> disconnectReasonsOtherThanNormal() {
        return Arrays.stream(ReasonCode.values())
                .filter(rc -> rc.isValidFor(PacketType.DISCONNECT) && rc != ReasonCode.NORMAL_DISCONNECTION);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("disconnectReasonsOtherThanNormal")
    @DisplayName("[MQTT-3.1.2-8] [MQTT-3.14.4-3] 5.0 only DISCONNECT 0x00 discards the will: with any other reason the"
            + " session ends and publishes it")
    void v5DisconnectWithOtherReasonKeepsTheWill(ReasonCode reason) {
        EngineConnection c = connectedWithExpiry(300);
        assertEffects(c.receive(Disconnect.of(reason)), new Effect.EndSession(Effect.SessionEnd.WITH_WILL, 300), CLOSE);
        assertEquals(new Closed(V5), c.state());
    }

    @Test
    @DisplayName("5.0 3.14.2.2.2: a DISCONNECT may change a non-zero Session Expiry Interval, to 0 or another value")
    void v5DisconnectChangesSessionExpiry() {
        EngineConnection c = connectedWithExpiry(300);
        assertEffects(c.receive(disconnectWithExpiry(0)), new Effect.EndSession(Effect.SessionEnd.NORMAL, 0), CLOSE);

        EngineConnection longer = connectedWithExpiry(300);
        assertEffects(longer.receive(disconnectWithExpiry(900)),
                new Effect.EndSession(Effect.SessionEnd.NORMAL, 900), CLOSE);
    }

    @Test
    @DisplayName("5.0 3.2.2.3.2: a Session Expiry Interval on DISCONNECT is held to the server's maximum, as at CONNECT")
    void v5DisconnectExpiryIsCapped() {
        EngineSettings s = settings().maxSessionExpirySeconds(3600).build();
        MqttProperties props = MqttProperties.builder().add(PropertyId.SESSION_EXPIRY_INTERVAL, 300L).build();
        EngineConnection c = connected(s, connect(V5, CLIENT_ID, false, 60, null, props));
        assertEffects(c.receive(disconnectWithExpiry(7200)),
                new Effect.EndSession(Effect.SessionEnd.NORMAL, 3600), CLOSE);
    }

    @Test
    @DisplayName("5.0 3.14.2.2.2 (the client rule; [MQTT-3.14.2-2] binds the server): a non-zero Session Expiry on"
            + " DISCONNECT after 0 at CONNECT is a Protocol Error, DISCONNECT 0x82")
    void v5SessionExpiryAfterZeroIsAProtocolError() {
        EngineConnection c = connected(V5);
        assertEffects(c.receive(disconnectWithExpiry(60)),
                new Effect.Send(Disconnect.of(ReasonCode.PROTOCOL_ERROR), V5),
                new Effect.EndSession(Effect.SessionEnd.ABNORMAL, 0),
                CLOSE);
        assertEquals(new Closed(V5), c.state());
    }

    @Test
    @DisplayName("5.0 3.14.2.2.2: the rule looks at the CONNECT's value; an interval the server lowered to 0 may be set"
            + " non-zero on DISCONNECT (and is held to the maximum)")
    void v5ExpiryLoweredToZeroMayBeSetOnDisconnect() {
        EngineSettings s = settings().maxSessionExpirySeconds(0).build();
        MqttProperties props = MqttProperties.builder().add(PropertyId.SESSION_EXPIRY_INTERVAL, 600L).build();
        EngineConnection c = connected(s, connect(V5, CLIENT_ID, false, 60, null, props));
        assertEquals(0, c.connectedState().connection().sessionExpirySeconds());
        assertEffects(c.receive(disconnectWithExpiry(60)), new Effect.EndSession(Effect.SessionEnd.NORMAL, 0), CLOSE);
    }

    @Test
    @DisplayName("5.0 3.14.2.2.2: a Session Expiry of 0 on DISCONNECT after 0 at CONNECT is allowed")
    void v5ZeroAfterZeroIsFine() {
        EngineConnection c = connected(V5);
        assertEffects(c.receive(disconnectWithExpiry(0)), new Effect.EndSession(Effect.SessionEnd.NORMAL, 0), CLOSE);
    }

    @Test
    @DisplayName("[MQTT-4.13.2-1] 5.0 server shutting down: DISCONNECT 0x8B, the session told why, close")
    void v5ServerShuttingDown() {
        EngineConnection c = connectedWithExpiry(300);
        assertEffects(c.feed(new EngineInput.ServerShuttingDown()),
                new Effect.Send(Disconnect.of(ReasonCode.SERVER_SHUTTING_DOWN), V5),
                new Effect.EndSession(Effect.SessionEnd.SERVER_SHUTDOWN, 300),
                CLOSE);
        assertEquals(new Closed(V5), c.state());
    }

    @Test
    @DisplayName("3.1.1 3.14 (DISCONNECT flows client to server only): server shutting down closes without a word")
    void v311ServerShuttingDown() {
        EngineConnection c = connected(V3_1_1);
        assertEffects(c.feed(new EngineInput.ServerShuttingDown()),
                new Effect.EndSession(Effect.SessionEnd.SERVER_SHUTDOWN, 0),
                CLOSE);
    }

    static EngineConnection connectedWithExpiry(long seconds) {
        MqttProperties props = MqttProperties.builder().add(PropertyId.SESSION_EXPIRY_INTERVAL, seconds).build();
        return connected(EngineSettings.defaults(), connect(V5, CLIENT_ID, false, 60, null, props));
    }

    static Disconnect disconnectWithExpiry(long seconds) {
        return new Disconnect(ReasonCode.NORMAL_DISCONNECTION,
                MqttProperties.builder().add(PropertyId.SESSION_EXPIRY_INTERVAL, seconds).build());
    }

    @Test
    @DisplayName("[MQTT-3.14.0-1] [MQTT-3.2.2-7] 5.0 server shutting down before CONNACK: CONNACK 0x88 (Server"
            + " unavailable), not DISCONNECT; the session is told, close")
    void v5ServerShuttingDownBeforeConnAck() {
        EngineConnection c = EngineConnection.opened();
        c.receive(connect(V5, CLIENT_ID, false, 60, null,
                MqttProperties.builder().add(PropertyId.SESSION_EXPIRY_INTERVAL, 300L).build()));
        assertEffects(c.feed(new EngineInput.ServerShuttingDown()),
                new Effect.Send(new ConnAck(false, ReasonCode.SERVER_UNAVAILABLE, MqttProperties.EMPTY), V5),
                new Effect.EndSession(Effect.SessionEnd.SERVER_SHUTDOWN, 300),
                CLOSE);
        assertEquals(new Closed(V5), c.state());
    }

    @Test
    @DisplayName("[MQTT-3.2.0-1] 3.1.1 server shutting down before CONNACK: close, nothing sent; the session is told")
    void v311ServerShuttingDownBeforeConnAck() {
        EngineConnection c = EngineConnection.opened();
        c.receive(connect(V3_1_1, CLIENT_ID, true));
        assertEffects(c.feed(new EngineInput.ServerShuttingDown()),
                new Effect.EndSession(Effect.SessionEnd.SERVER_SHUTDOWN, 0),
                CLOSE);
        assertEquals(new Closed(V3_1_1), c.state());
    }
}
