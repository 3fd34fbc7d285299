package io.courier.protocol.engine;

import static io.courier.protocol.engine.EngineConnection.CLIENT_ID;
import static io.courier.protocol.engine.EngineConnection.CLOSE;
import static io.courier.protocol.engine.EngineConnection.assertEffects;
import static io.courier.protocol.engine.EngineConnection.connect;
import static io.courier.protocol.engine.EngineConnection.opened;
import static io.courier.protocol.engine.EngineConnection.settings;
import static io.courier.protocol.packet.MqttVersion.V3_1_1;
import static io.courier.protocol.packet.MqttVersion.V5;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.packet.ConnAck;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What the server tells a client in CONNACK beyond its limits, server to client (5.0 3.2.2.3). */
class ConnAckInformationTest {

    private static final MqttProperties ASKS_FOR_RESPONSE_INFORMATION = MqttProperties.builder()
            .add(PropertyId.REQUEST_RESPONSE_INFORMATION, 1).build();

    // ---- Response Information ---------------------------------------------------------------

    @Test
    @DisplayName("[MQTT-3.1.2-28] 3.2.2.3.15 Request Response Information 1 with a configured value: CONNACK carries Response Information")
    void responseInformationWhenAsked() {
        ConnAck ack = connAck(settings().responseInformation("replies/").build(),
                V5, ASKS_FOR_RESPONSE_INFORMATION);
        assertEquals("replies/", ack.properties().string(PropertyId.RESPONSE_INFORMATION));
    }

    @Test
    @DisplayName("[MQTT-3.1.2-28] no Request Response Information: CONNACK carries no Response Information")
    void noResponseInformationWhenNotAsked() {
        ConnAck ack = connAck(settings().responseInformation("replies/").build(), V5, MqttProperties.EMPTY);
        assertFalse(ack.properties().contains(PropertyId.RESPONSE_INFORMATION));
    }

    @Test
    @DisplayName("[MQTT-3.1.2-28] Request Response Information 0: CONNACK carries no Response Information")
    void noResponseInformationWhenRefused() {
        MqttProperties zero = MqttProperties.builder().add(PropertyId.REQUEST_RESPONSE_INFORMATION, 0).build();
        ConnAck ack = connAck(settings().responseInformation("replies/").build(), V5, zero);
        assertFalse(ack.properties().contains(PropertyId.RESPONSE_INFORMATION));
    }

    @Test
    @DisplayName("3.2.2.3.15 asked but none configured: the server may send none, and does not")
    void noResponseInformationWhenNoneConfigured() {
        ConnAck ack = connAck(EngineSettings.defaults(), V5, ASKS_FOR_RESPONSE_INFORMATION);
        assertFalse(ack.properties().contains(PropertyId.RESPONSE_INFORMATION));
    }

    // ---- Server Reference -------------------------------------------------------------------

    @Test
    @DisplayName("4.11 with a server reference, a 5.0 CONNECT gets CONNACK 0x9C Use another server carrying it, then the connection closes")
    void v5UseAnotherServer() {
        EngineConnection c = opened(settings().serverReference("mqtt2.example:1883").build());
        MqttProperties reference = MqttProperties.builder()
                .add(PropertyId.SERVER_REFERENCE, "mqtt2.example:1883").build();
        assertEffects(c.receive(connect(V5, CLIENT_ID, true)),
                new Effect.Send(new ConnAck(false, ReasonCode.USE_ANOTHER_SERVER, reference), V5), CLOSE);
        assertEquals(new ConnectionState.Closed(V5), c.state());
    }

    @Test
    @DisplayName("4.11 with a server reference and server-moved, a 5.0 CONNECT gets CONNACK 0x9D Server moved carrying it")
    void v5ServerMoved() {
        EngineConnection c = opened(settings().serverReference("mqtt2.example").serverMoved(true).build());
        MqttProperties reference = MqttProperties.builder().add(PropertyId.SERVER_REFERENCE, "mqtt2.example").build();
        assertEffects(c.receive(connect(V5, CLIENT_ID, true)),
                new Effect.Send(new ConnAck(false, ReasonCode.SERVER_MOVED, reference), V5), CLOSE);
    }

    @Test
    @DisplayName("4.11 [MQTT-3.2.2-6] with a server reference, a 3.1.1 CONNECT gets return code 3 Server unavailable, no session")
    void v311ServerUnavailable() {
        EngineConnection c = opened(settings().serverReference("mqtt2.example").build());
        List<Effect> effects = c.receive(connect(V3_1_1, CLIENT_ID, true));
        assertEffects(effects, new Effect.Send(new ConnAck(false, ReasonCode.SERVER_UNAVAILABLE, MqttProperties.EMPTY), V3_1_1),
                CLOSE);
        assertEquals(3, ReasonCode.SERVER_UNAVAILABLE.v3ConnectReturnCode());
        assertEquals(new ConnectionState.Closed(V3_1_1), c.state());
    }

    @Test
    @DisplayName("4.11 without a server reference (the default) CONNECT is served: the session is opened")
    void noServerReferenceByDefault() {
        EngineConnection c = opened();
        assertTrue(c.receive(connect(V5, CLIENT_ID, true)).get(0) instanceof Effect.OpenSession);
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** The CONNACK sent once the session opens after {@code properties} in CONNECT. */
    static ConnAck connAck(EngineSettings s, MqttVersion v, MqttProperties properties) {
        EngineConnection c = opened(s);
        c.receive(connect(v, CLIENT_ID, true, 60, null, properties));
        return onlyConnAck(c.feed(new EngineInput.SessionOpened(false)));
    }

    static ConnAck onlyConnAck(List<Effect> effects) {
        List<ConnAck> acks = effects.stream().filter(Effect.Send.class::isInstance)
                .map(e -> ((Effect.Send) e).packet()).filter(ConnAck.class::isInstance)
                .map(ConnAck.class::cast).toList();
        assertEquals(1, acks.size(), "expected one CONNACK in " + effects);
        return acks.get(0);
    }
}
