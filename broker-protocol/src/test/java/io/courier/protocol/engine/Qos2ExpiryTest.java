package io.courier.protocol.engine;

import static io.courier.protocol.engine.EngineConnection.NOW;
import static io.courier.protocol.engine.EngineConnection.assertEffects;
import static io.courier.protocol.engine.EngineConnection.connected;
import static io.courier.protocol.packet.MqttVersion.V5;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.courier.protocol.packet.PubComp;
import io.courier.protocol.packet.PubRec;
import io.courier.protocol.packet.PubRel;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The server as QoS 2 receiver, client to server, when the message's expiry passes mid-exchange. */
class Qos2ExpiryTest {

    @Test
    @DisplayName("[MQTT-4.3.3-13] 5.0 a QoS 2 PUBLISH with a 1 s Message Expiry Interval: PUBREL 10 s later still "
            + "completes the exchange with PUBCOMP 0x00")
    void exchangeContinuesAfterExpiry() {
        EngineConnection c = connected(V5);
        MqttProperties expiry = MqttProperties.builder().add(PropertyId.MESSAGE_EXPIRY_INTERVAL, 1L).build();

        List<Effect> routed = c.receive(new Publish("m/1", Qos.EXACTLY_ONCE, false, false, 5, new byte[] {1}, expiry), NOW);
        Effect.PublishInbound inbound = assertInstanceOf(Effect.PublishInbound.class, routed.get(0));
        assertEquals(NOW + 1000, inbound.message().expiresAtMillis(), "the message knows it expires in 1 s");
        assertEffects(c.feed(new EngineInput.PublishSettled(5, Qos.EXACTLY_ONCE, ReasonCode.SUCCESS, false)),
                new Effect.Send(PubRec.success(5), V5));

        assertEffects(c.receive(PubRel.success(5), NOW + 10_000), new Effect.ReleaseInbound(5));
        assertEffects(c.feed(new EngineInput.InboundReleased(5, true)), new Effect.Send(PubComp.success(5), V5));
        assertEquals(0, c.connectedState().inboundUnacknowledged());
    }
}
