package io.courier.protocol.engine;

import static io.courier.protocol.engine.EngineConnection.CLIENT_ID;
import static io.courier.protocol.engine.EngineConnection.connect;
import static io.courier.protocol.engine.EngineConnection.opened;
import static io.courier.protocol.engine.EngineConnection.settings;
import static io.courier.protocol.packet.MqttVersion.V5;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.courier.protocol.packet.ConnAck;
import io.courier.protocol.packet.MqttVersion;
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
