package io.courier.protocol.engine;

import static io.courier.protocol.engine.EngineConnection.CLIENT_ID;
import static io.courier.protocol.engine.EngineConnection.assertEffects;
import static io.courier.protocol.engine.EngineConnection.connect;
import static io.courier.protocol.engine.EngineConnection.connected;
import static io.courier.protocol.packet.MqttVersion.V5;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.courier.protocol.packet.Auth;
import io.courier.protocol.packet.ConnAck;
import io.courier.protocol.packet.Disconnect;
import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.PacketType;
import io.courier.protocol.packet.PubAck;
import io.courier.protocol.packet.PubComp;
import io.courier.protocol.packet.PubRec;
import io.courier.protocol.packet.PubRel;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.packet.SubAck;
import io.courier.protocol.packet.UnsubAck;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the server may put on its packets other than PUBLISH, server to client: Request Problem
 * Information (5.0 3.1.2.11.7) and the client's Maximum Packet Size (3.1.2.11.4).
 */
class OutgoingPropertiesTest {

    /** A Reason String, a User Property and one property that is not problem information. */
    private static final MqttProperties PROBLEM = MqttProperties.builder()
            .add(PropertyId.REASON_STRING, "the session had to look twice")
            .user("node", "courier-2")
            .build();

    private static final MqttProperties NO_PROBLEM_INFORMATION = MqttProperties.builder()
            .add(PropertyId.REQUEST_PROBLEM_INFORMATION, 0).build();

    @Test
    @DisplayName("[MQTT-3.1.2-29] Request Problem Information 0: a PUBREL goes without its Reason String and User Properties")
    void pubRelStrippedWhenClientAskedForNone() {
        EngineConnection c = connected(EngineSettings.defaults(), connect(V5, CLIENT_ID, true, 60, null, NO_PROBLEM_INFORMATION));
        assertEffects(c.feed(new EngineInput.Release(new PubRel(7, ReasonCode.SUCCESS, PROBLEM))),
                new Effect.Send(new PubRel(7, ReasonCode.SUCCESS, MqttProperties.EMPTY), V5));
    }

    @Test
    @DisplayName("[MQTT-3.1.2-29] Request Problem Information 1 (the default): a PUBREL keeps its Reason String and User Properties")
    void pubRelKeptByDefault() {
        EngineConnection c = connected(V5);
        assertEffects(c.feed(new EngineInput.Release(new PubRel(7, ReasonCode.SUCCESS, PROBLEM))),
                new Effect.Send(new PubRel(7, ReasonCode.SUCCESS, PROBLEM), V5));
    }

    @Test
    @DisplayName("[MQTT-3.1.2-29] Request Problem Information 0: PUBACK, PUBREC, PUBCOMP, SUBACK, UNSUBACK and AUTH lose Reason String and User Properties")
    void everyAckStripped() {
        Connection c = connection(false);
        assertEquals(new PubAck(1, ReasonCode.SUCCESS, MqttProperties.EMPTY),
                OutgoingProperties.forClient(c, new PubAck(1, ReasonCode.SUCCESS, PROBLEM)));
        assertEquals(new PubRec(1, ReasonCode.SUCCESS, MqttProperties.EMPTY),
                OutgoingProperties.forClient(c, new PubRec(1, ReasonCode.SUCCESS, PROBLEM)));
        assertEquals(new PubComp(1, ReasonCode.SUCCESS, MqttProperties.EMPTY),
                OutgoingProperties.forClient(c, new PubComp(1, ReasonCode.SUCCESS, PROBLEM)));
        assertEquals(new SubAck(1, List.of(ReasonCode.GRANTED_QOS_1), MqttProperties.EMPTY),
                OutgoingProperties.forClient(c, new SubAck(1, List.of(ReasonCode.GRANTED_QOS_1), PROBLEM)));
        assertEquals(new UnsubAck(1, List.of(ReasonCode.SUCCESS), MqttProperties.EMPTY),
                OutgoingProperties.forClient(c, new UnsubAck(1, List.of(ReasonCode.SUCCESS), PROBLEM)));
        assertEquals(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, MqttProperties.EMPTY),
                OutgoingProperties.forClient(c, new Auth(ReasonCode.CONTINUE_AUTHENTICATION, PROBLEM)));
    }

    @Test
    @DisplayName("[MQTT-3.1.2-29] Request Problem Information 0 still allows them on CONNACK and DISCONNECT")
    void connAckAndDisconnectKeepThem() {
        Connection c = connection(false);
        MqttPacket connAck = new ConnAck(false, ReasonCode.SUCCESS, PROBLEM);
        MqttPacket disconnect = new Disconnect(ReasonCode.SERVER_SHUTTING_DOWN, PROBLEM);
        assertSame(connAck, OutgoingProperties.forClient(c, connAck));
        assertSame(disconnect, OutgoingProperties.forClient(c, disconnect));
    }

    // ---- the client's Maximum Packet Size --------------------------------------------------

    /** Large enough for any ack without properties, too small for one with {@link #PROBLEM}. */
    private static final int SMALL = 20;

    @Test
    @DisplayName("[MQTT-3.4.2-2] [MQTT-3.4.2-3] a PUBACK too large for the client's Maximum Packet Size goes without Reason String and User Properties")
    void pubAckShedsProblemInformationToFit() {
        Connection c = connection(true, SMALL);
        assertEquals(new PubAck(1, ReasonCode.SUCCESS, MqttProperties.EMPTY),
                OutgoingProperties.forClient(c, new PubAck(1, ReasonCode.SUCCESS, PROBLEM)));
    }

    @Test
    @DisplayName("[MQTT-3.5.2-2] [MQTT-3.5.2-3] [MQTT-3.6.2-2] [MQTT-3.6.2-3] [MQTT-3.7.2-2] [MQTT-3.7.2-3]"
            + " [MQTT-3.9.2-1] [MQTT-3.9.2-2] [MQTT-3.11.2-1] [MQTT-3.11.2-2] [MQTT-3.15.2-2] PUBREC, PUBREL, PUBCOMP,"
            + " SUBACK, UNSUBACK and AUTH too large for the client go without Reason String and User Properties")
    void everyAckShedsProblemInformationToFit() {
        Connection c = connection(true, SMALL);
        assertEquals(new PubRec(1, ReasonCode.SUCCESS, MqttProperties.EMPTY),
                OutgoingProperties.forClient(c, new PubRec(1, ReasonCode.SUCCESS, PROBLEM)));
        assertEquals(new PubRel(1, ReasonCode.SUCCESS, MqttProperties.EMPTY),
                OutgoingProperties.forClient(c, new PubRel(1, ReasonCode.SUCCESS, PROBLEM)));
        assertEquals(new PubComp(1, ReasonCode.SUCCESS, MqttProperties.EMPTY),
                OutgoingProperties.forClient(c, new PubComp(1, ReasonCode.SUCCESS, PROBLEM)));
        assertEquals(new SubAck(1, List.of(ReasonCode.GRANTED_QOS_1), MqttProperties.EMPTY),
                OutgoingProperties.forClient(c, new SubAck(1, List.of(ReasonCode.GRANTED_QOS_1), PROBLEM)));
        assertEquals(new UnsubAck(1, List.of(ReasonCode.SUCCESS), MqttProperties.EMPTY),
                OutgoingProperties.forClient(c, new UnsubAck(1, List.of(ReasonCode.SUCCESS), PROBLEM)));
        assertEquals(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, MqttProperties.EMPTY),
                OutgoingProperties.forClient(c, new Auth(ReasonCode.CONTINUE_AUTHENTICATION, PROBLEM)));
    }

    @Test
    @DisplayName("[MQTT-3.2.2-19] [MQTT-3.2.2-20] a CONNACK too large for the client goes without Reason String and"
            + " User Properties")
    void connAckShedsProblemInformationToFit() {
        Connection c = connection(true, SMALL);
        assertEquals(new ConnAck(false, ReasonCode.SUCCESS, MqttProperties.EMPTY),
                OutgoingProperties.forClient(c, new ConnAck(false, ReasonCode.SUCCESS, PROBLEM)));
    }

    @Test
    @DisplayName("[MQTT-3.1.2-24] an ack that fits the client's Maximum Packet Size keeps its properties")
    void fittingAckKeepsProperties() {
        MqttPacket ack = new PubAck(1, ReasonCode.SUCCESS, PROBLEM);
        assertSame(ack, OutgoingProperties.forClient(connection(true, 1000), ack));
    }

    @Test
    @DisplayName("[MQTT-3.14.2-3] [MQTT-3.14.2-4] a DISCONNECT too large for the client goes without Reason String and User Properties")
    void disconnectShedsProblemInformationToFit() {
        Connection c = connection(true, SMALL);
        assertEquals(Disconnect.of(ReasonCode.SERVER_SHUTTING_DOWN),
                OutgoingProperties.forClient(c, new Disconnect(ReasonCode.SERVER_SHUTTING_DOWN, PROBLEM)));
    }

    @Test
    @DisplayName("[MQTT-3.1.2-24] through the engine: a PUBREL too large for the client is sent without its problem information")
    void engineShedsProblemInformationToFit() {
        MqttProperties small = MqttProperties.builder().add(PropertyId.MAXIMUM_PACKET_SIZE, (long) SMALL).build();
        EngineConnection c = connected(EngineSettings.defaults(), connect(V5, CLIENT_ID, true, 60, null, small));
        assertEffects(c.feed(new EngineInput.Release(new PubRel(7, ReasonCode.SUCCESS, PROBLEM))),
                new Effect.Send(new PubRel(7, ReasonCode.SUCCESS, MqttProperties.EMPTY), V5));
    }

    @Test
    @DisplayName("[MQTT-3.1.2-24] a SUBACK too large for the client even without properties is not sent; the owner is told")
    void oversizedSubAckIsDropped() {
        MqttProperties small = MqttProperties.builder().add(PropertyId.MAXIMUM_PACKET_SIZE, (long) SMALL).build();
        EngineConnection c = connected(EngineSettings.defaults(), connect(V5, CLIENT_ID, true, 60, null, small));
        List<ReasonCode> thirty = java.util.Collections.nCopies(30, ReasonCode.GRANTED_QOS_1);
        List<Effect> effects = c.feed(new EngineInput.Subscribed(9, thirty));
        assertEquals(1, effects.size(), effects.toString());
        Effect.PacketDropped dropped = assertInstanceOf(Effect.PacketDropped.class, effects.get(0));
        assertEquals(PacketType.SUBACK, dropped.type());
        assertInstanceOf(ConnectionState.Connected.class, c.state());
    }

    @Test
    @DisplayName("[MQTT-3.1.2-24] 3.1.1 has no Maximum Packet Size: its acks pass unchanged")
    void v311Unchanged() {
        Connection c = new Connection(io.courier.protocol.packet.MqttVersion.V3_1_1, CLIENT_ID, 60, 0, 0, 64,
                SMALL, 0, true);
        MqttPacket ack = new SubAck(1, java.util.Collections.nCopies(30, ReasonCode.GRANTED_QOS_1), MqttProperties.EMPTY);
        assertSame(ack, OutgoingProperties.forClient(c, ack));
    }

    private static Connection connection(boolean problemInformation) {
        return connection(problemInformation, io.courier.protocol.codec.DecodeContext.PROTOCOL_MAXIMUM_PACKET_SIZE);
    }

    private static Connection connection(boolean problemInformation, int maximumPacketSize) {
        return new Connection(V5, CLIENT_ID, 60, 0, 0, 0xFFFF, maximumPacketSize, 0, problemInformation);
    }
}
