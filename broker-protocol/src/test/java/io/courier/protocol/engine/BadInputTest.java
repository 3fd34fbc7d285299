package io.courier.protocol.engine;

import static io.courier.protocol.engine.EngineConnection.CLIENT_ID;
import static io.courier.protocol.engine.EngineConnection.CLOSE;
import static io.courier.protocol.engine.EngineConnection.assertEffects;
import static io.courier.protocol.engine.EngineConnection.closeReason;
import static io.courier.protocol.engine.EngineConnection.connect;
import static io.courier.protocol.engine.EngineConnection.connected;
import static io.courier.protocol.packet.MqttVersion.V3_1_1;
import static io.courier.protocol.packet.MqttVersion.V5;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.codec.DecodeException;
import io.courier.protocol.engine.ConnectionState.Closed;
import io.courier.protocol.packet.Auth;
import io.courier.protocol.packet.ConnAck;
import io.courier.protocol.packet.Disconnect;
import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PingReq;
import io.courier.protocol.packet.PingResp;
import io.courier.protocol.packet.PubRel;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.packet.SubAck;
import io.courier.protocol.packet.UnsubAck;
import io.courier.protocol.property.MqttProperties;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Input the spec forbids, once a connection is established, and everything after the end: one
 * connection is refused with the reason code the spec names (v5) or closed (v3), and the engine
 * never throws (ARCHITECTURE.md section 4).
 */
class BadInputTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ReasonCode.class,
            names = {"MALFORMED_PACKET", "PROTOCOL_ERROR", "PACKET_TOO_LARGE", "TOPIC_NAME_INVALID", "TOPIC_ALIAS_INVALID"})
    @DisplayName("[MQTT-4.13.1-1] 5.0 a decode failure while connected: DISCONNECT with the decoder's reason code, the"
            + " session ended abnormally, close")
    void v5DecodeFailureDisconnectsWithItsCode(ReasonCode reason) {
        EngineConnection c = connected(V5);
        assertEffects(c.feed(new EngineInput.DecodeFailed(new DecodeException(reason, "bad bytes"))),
                new Effect.Send(Disconnect.of(reason), V5),
                new Effect.EndSession(Effect.SessionEnd.ABNORMAL, 0),
                CLOSE);
        assertEquals(new Closed(V5), c.state());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ReasonCode.class, names = {"MALFORMED_PACKET", "PROTOCOL_ERROR", "PACKET_TOO_LARGE"})
    @DisplayName("[MQTT-4.8.0-1] 3.1.1 a decode failure while connected: close, nothing sent, session ended abnormally")
    void v311DecodeFailureCloses(ReasonCode reason) {
        EngineConnection c = connected(V3_1_1);
        assertEffects(c.feed(new EngineInput.DecodeFailed(new DecodeException(reason, "bad bytes"))),
                new Effect.EndSession(Effect.SessionEnd.ABNORMAL, 0),
                CLOSE);
        assertEquals(new Closed(V3_1_1), c.state());
    }

    @Test
    @DisplayName("[MQTT-3.1.0-2] [MQTT-3.14.2-1] 5.0 a second CONNECT the decoder refuses for its protocol level (0x84,"
            + " which only CONNACK may carry) is answered with DISCONNECT 0x82")
    void v5SecondConnectWithUnsupportedLevel() {
        EngineConnection c = connected(V5);
        assertEffects(c.feed(new EngineInput.DecodeFailed(
                        new DecodeException(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, "protocol level 6"))),
                new Effect.Send(Disconnect.of(ReasonCode.PROTOCOL_ERROR), V5),
                new Effect.EndSession(Effect.SessionEnd.ABNORMAL, 0),
                CLOSE);
        assertEquals(new Closed(V5), c.state());
    }

    @Test
    @DisplayName("[MQTT-3.1.0-2] 5.0 a second CONNECT is a Protocol Error: DISCONNECT 0x82, close")
    void v5SecondConnect() {
        EngineConnection c = connected(V5);
        List<Effect> fx = c.receive(connect(V5, CLIENT_ID, true));
        assertEffects(fx,
                new Effect.Send(Disconnect.of(ReasonCode.PROTOCOL_ERROR), V5),
                new Effect.EndSession(Effect.SessionEnd.ABNORMAL, 0),
                CLOSE);
        assertTrue(closeReason(fx).contains("MQTT-3.1.0-2"), closeReason(fx));
        assertEquals(new Closed(V5), c.state());
    }

    @Test
    @DisplayName("[MQTT-3.1.0-2] 3.1.1 a second CONNECT is a protocol violation: the client is disconnected")
    void v311SecondConnect() {
        EngineConnection c = connected(V3_1_1);
        assertEffects(c.receive(connect(V3_1_1, CLIENT_ID, true)),
                new Effect.EndSession(Effect.SessionEnd.ABNORMAL, 0),
                CLOSE);
        assertEquals(new Closed(V3_1_1), c.state());
    }

    static Stream<Arguments> serverOnlyPackets() {
        return Stream.of(
                Arguments.of(new ConnAck(false, ReasonCode.SUCCESS, MqttProperties.EMPTY)),
                Arguments.of(new SubAck(1, List.of(ReasonCode.GRANTED_QOS_0), MqttProperties.EMPTY)),
                Arguments.of(new UnsubAck(1, List.of(ReasonCode.SUCCESS), MqttProperties.EMPTY)),
                Arguments.of(PingResp.INSTANCE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serverOnlyPackets")
    @DisplayName("[MQTT-4.13.1-1] 5.0 CONNACK, SUBACK, UNSUBACK or PINGRESP from a client is a Protocol Error:"
            + " DISCONNECT 0x82, close")
    void v5ServerOnlyPacketFromClient(MqttPacket packet) {
        EngineConnection c = connected(V5);
        assertEffects(c.receive(packet),
                new Effect.Send(Disconnect.of(ReasonCode.PROTOCOL_ERROR), V5),
                new Effect.EndSession(Effect.SessionEnd.ABNORMAL, 0),
                CLOSE);
        assertEquals(new Closed(V5), c.state());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serverOnlyPackets")
    @DisplayName("[MQTT-4.8.0-1] 3.1.1 CONNACK, SUBACK, UNSUBACK or PINGRESP from a client: close")
    void v311ServerOnlyPacketFromClient(MqttPacket packet) {
        EngineConnection c = connected(V3_1_1);
        assertEffects(c.receive(packet), new Effect.EndSession(Effect.SessionEnd.ABNORMAL, 0), CLOSE);
        assertEquals(new Closed(V3_1_1), c.state());
    }

    @Test
    @DisplayName("5.0 3.15 (AUTH without an agreed Authentication Method is a Protocol Error): DISCONNECT 0x82, close")
    void v5AuthWithoutMethod() {
        EngineConnection c = connected(V5);
        assertEffects(c.receive(new Auth(ReasonCode.RE_AUTHENTICATE, MqttProperties.EMPTY)),
                new Effect.Send(Disconnect.of(ReasonCode.PROTOCOL_ERROR), V5),
                new Effect.EndSession(Effect.SessionEnd.ABNORMAL, 0),
                CLOSE);
    }

    static Stream<Arguments> inputsAfterTheEnd() {
        Publish qos1 = new Publish("a/b", Qos.AT_LEAST_ONCE, false, false, 1, new byte[1], MqttProperties.EMPTY);
        return Stream.of(
                Arguments.of(new EngineInput.PacketReceived(qos1, 0)),
                Arguments.of(new EngineInput.PacketReceived(PingReq.INSTANCE, 0)),
                Arguments.of(new EngineInput.PacketReceived(connect(V5, CLIENT_ID, true), 0)),
                Arguments.of(new EngineInput.PacketReceived(Disconnect.NORMAL, 0)),
                Arguments.of(new EngineInput.DecodeFailed(new DecodeException(ReasonCode.MALFORMED_PACKET, "x"))),
                Arguments.of(new EngineInput.SessionOpened(true)),
                Arguments.of(new EngineInput.SessionRefused(ReasonCode.SERVER_BUSY)),
                Arguments.of(new EngineInput.PublishSettled(1, Qos.AT_LEAST_ONCE, ReasonCode.SUCCESS, false)),
                Arguments.of(new EngineInput.InboundReleased(1, true)),
                Arguments.of(new EngineInput.Subscribed(1, List.of(ReasonCode.GRANTED_QOS_1))),
                Arguments.of(new EngineInput.Unsubscribed(1, List.of(ReasonCode.SUCCESS))),
                Arguments.of(new EngineInput.Deliver(qos1)),
                Arguments.of(new EngineInput.Release(PubRel.success(1))),
                Arguments.of(new EngineInput.KeepAliveExpired()),
                Arguments.of(new EngineInput.ConnectTimeout()),
                Arguments.of(new EngineInput.TakenOver()),
                Arguments.of(new EngineInput.ServerShuttingDown()),
                Arguments.of(new EngineInput.ConnectionLost()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputsAfterTheEnd")
    @DisplayName("[MQTT-3.14.4-1] [MQTT-3.1.4-6] once closed (client DISCONNECT, refused CONNECT), every input is"
            + " ignored: no effect, no new state")
    void everythingAfterClosedIsIgnored(EngineInput input) {
        for (EngineConnection c : closedConnections()) {
            ConnectionState closed = c.state();
            assertTrue(closed instanceof Closed, closed.toString());
            assertEffects(c.feed(input));
            assertEquals(closed, c.state());
        }
    }

    private static List<EngineConnection> closedConnections() {
        EngineConnection v311 = connected(V3_1_1);
        v311.receive(Disconnect.NORMAL);
        EngineConnection v5 = connected(V5);
        v5.receive(Disconnect.NORMAL);
        EngineConnection refused = EngineConnection.opened();
        refused.receive(connect(V3_1_1, "", false));
        return List.of(v311, v5, refused);
    }

    // ---- between CONNECT and CONNACK ----------------------------------------------------------

    @ParameterizedTest(name = "{0} -> CONNACK {1}")
    @CsvSource({
        "MALFORMED_PACKET, MALFORMED_PACKET", "PACKET_TOO_LARGE, PACKET_TOO_LARGE",
        "PROTOCOL_ERROR, PROTOCOL_ERROR", "TOPIC_NAME_INVALID, PROTOCOL_ERROR",
        "TOPIC_ALIAS_INVALID, PROTOCOL_ERROR", "UNSUPPORTED_PROTOCOL_VERSION, PROTOCOL_ERROR"})
    @DisplayName("[MQTT-3.14.0-1] [MQTT-3.2.2-7] 5.0 a decode failure before CONNACK is said in the CONNACK, not a"
            + " DISCONNECT; the session is ended, the connection closed")
    void v5DecodeFailureBeforeConnAck(ReasonCode decoded, ReasonCode answered) {
        EngineConnection c = EngineConnection.opened();
        c.receive(connect(V5, CLIENT_ID, true));
        assertEffects(c.feed(new EngineInput.DecodeFailed(new DecodeException(decoded, "bad bytes"))),
                new Effect.Send(new ConnAck(false, answered, MqttProperties.EMPTY), V5),
                new Effect.EndSession(Effect.SessionEnd.ABNORMAL, 0),
                CLOSE);
        assertEquals(new Closed(V5), c.state());
    }

    @Test
    @DisplayName("[MQTT-3.2.0-1] [MQTT-3.2.2-6] 3.1.1 a decode failure before CONNACK: no return code fits, so close;"
            + " the session is ended")
    void v311DecodeFailureBeforeConnAck() {
        EngineConnection c = EngineConnection.opened();
        c.receive(connect(V3_1_1, CLIENT_ID, true));
        assertEffects(c.feed(new EngineInput.DecodeFailed(new DecodeException(ReasonCode.MALFORMED_PACKET, "x"))),
                new Effect.EndSession(Effect.SessionEnd.ABNORMAL, 0),
                CLOSE);
        assertEquals(new Closed(V3_1_1), c.state());
    }

    @Test
    @DisplayName("[MQTT-3.14.0-1] 5.0 more packets before CONNACK than the server holds (1000): CONNACK 0x97, close")
    void v5TooManyPacketsBeforeConnAck() {
        EngineConnection c = EngineConnection.opened();
        c.receive(connect(V5, CLIENT_ID, true));
        for (int i = 0; i < 1000; i++) {
            assertEffects(c.receive(PingReq.INSTANCE));
        }
        assertEffects(c.receive(PingReq.INSTANCE),
                new Effect.Send(new ConnAck(false, ReasonCode.QUOTA_EXCEEDED, MqttProperties.EMPTY), V5),
                new Effect.EndSession(Effect.SessionEnd.ABNORMAL, 0),
                CLOSE);
        assertEquals(new Closed(V5), c.state());
    }

    @Test
    @DisplayName("[MQTT-3.2.0-1] 3.1.1 more packets before CONNACK than the server holds: close, nothing sent")
    void v311TooManyPacketsBeforeConnAck() {
        EngineConnection c = EngineConnection.opened();
        c.receive(connect(V3_1_1, CLIENT_ID, true));
        for (int i = 0; i < 1000; i++) {
            c.receive(PingReq.INSTANCE);
        }
        assertEffects(c.receive(PingReq.INSTANCE), new Effect.EndSession(Effect.SessionEnd.ABNORMAL, 0), CLOSE);
    }
}
