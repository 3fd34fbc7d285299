package io.courier.protocol.engine;

import static io.courier.protocol.engine.EngineConnection.CLIENT_ID;
import static io.courier.protocol.engine.EngineConnection.assertEffects;
import static io.courier.protocol.engine.EngineConnection.connect;
import static io.courier.protocol.engine.EngineConnection.connected;
import static io.courier.protocol.packet.MqttVersion.V5;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.courier.protocol.packet.Auth;
import io.courier.protocol.packet.ConnAck;
import io.courier.protocol.packet.Disconnect;
import io.courier.protocol.packet.MqttPacket;
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

/** What the server may put on its packets other than PUBLISH, server to client (5.0 3.1.2.11.8). */
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

    private static Connection connection(boolean problemInformation) {
        return new Connection(V5, CLIENT_ID, 60, 0, 0, 0xFFFF,
                io.courier.protocol.codec.DecodeContext.PROTOCOL_MAXIMUM_PACKET_SIZE, 0, problemInformation);
    }
}
