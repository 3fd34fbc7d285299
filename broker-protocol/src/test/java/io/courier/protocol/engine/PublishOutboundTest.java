package io.courier.protocol.engine;

import static io.courier.protocol.engine.EngineConnection.CLIENT_ID;
import static io.courier.protocol.engine.EngineConnection.assertEffects;
import static io.courier.protocol.engine.EngineConnection.connect;
import static io.courier.protocol.engine.EngineConnection.connected;
import static io.courier.protocol.packet.MqttVersion.V3_1_1;
import static io.courier.protocol.packet.MqttVersion.V5;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.protocol.codec.MqttEncoder;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PubAck;
import io.courier.protocol.packet.PubComp;
import io.courier.protocol.packet.PubRec;
import io.courier.protocol.packet.PubRel;
import io.courier.protocol.packet.PacketType;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Server to client: PUBLISH the session delivers and the client's acknowledgements (MQTT 3.1.1
 * and 5.0 sections 3.3-3.7, 4.3, 4.4). The session owns packet ids and the inflight window; the
 * engine writes, checks the client's Maximum Packet Size and reports what the client says.
 */
class PublishOutboundTest {

    private static final int CLIENT_MAXIMUM = 100;

    @ParameterizedTest(name = "{0} QoS {1}")
    @CsvSource({"V3_1_1, AT_MOST_ONCE, 0", "V3_1_1, AT_LEAST_ONCE, 11", "V3_1_1, EXACTLY_ONCE, 12",
                "V5, AT_MOST_ONCE, 0", "V5, AT_LEAST_ONCE, 11", "V5, EXACTLY_ONCE, 12"})
    @DisplayName("[MQTT-4.5.0-1] a delivery from the session is written to the client as the session built it")
    void deliveryIsSent(MqttVersion version, Qos qos, int packetId) {
        EngineConnection c = connected(version);
        ConnectionState before = c.state();
        Publish p = new Publish("meters/7/temp", qos, false, false, packetId, "21.5".getBytes(), MqttProperties.EMPTY);
        assertEffects(c.feed(new EngineInput.Deliver(p)), new Effect.Send(p, version));
        assertEquals(before, c.state());
    }

    @ParameterizedTest(name = "QoS {0}")
    @EnumSource(value = Qos.class, names = {"AT_LEAST_ONCE", "EXACTLY_ONCE"})
    @DisplayName("[MQTT-3.1.2-24] [MQTT-3.1.2-25] 5.0 a PUBLISH larger than the client's Maximum Packet Size is"
            + " discarded unsent and reported as delivered")
    void tooLargeIsDiscarded(Qos qos) {
        EngineConnection c = smallClient();
        Publish p = sized(qos, 21, CLIENT_MAXIMUM + 1);
        assertEffects(c.feed(new EngineInput.Deliver(p)),
                new Effect.AcknowledgeOutbound(21, Effect.OutboundAck.DISCARDED),
                new Effect.PacketDropped(PacketType.PUBLISH, "larger than the client's Maximum Packet Size [MQTT-3.1.2-25]"));
    }

    @Test
    @DisplayName("[MQTT-3.1.2-25] 5.0 a QoS 0 PUBLISH that is too large is dropped; there is nothing to acknowledge")
    void tooLargeQos0IsDropped() {
        EngineConnection c = smallClient();
        assertEffects(c.feed(new EngineInput.Deliver(sized(Qos.AT_MOST_ONCE, 0, CLIENT_MAXIMUM + 1))),
                new Effect.PacketDropped(PacketType.PUBLISH, "larger than the client's Maximum Packet Size [MQTT-3.1.2-25]"));
    }

    @ParameterizedTest(name = "QoS {0}")
    @EnumSource(Qos.class)
    @DisplayName("[MQTT-3.1.2-24] 5.0 a PUBLISH of exactly the client's Maximum Packet Size is sent")
    void exactlyTheMaximumIsSent(Qos qos) {
        EngineConnection c = smallClient();
        Publish p = sized(qos, qos == Qos.AT_MOST_ONCE ? 0 : 22, CLIENT_MAXIMUM);
        assertEffects(c.feed(new EngineInput.Deliver(p)), new Effect.Send(p, V5));
    }

    @Test
    @DisplayName("[MQTT-3.1.2-24] the limit is the client's, not the server's: 3.1.1 announces none")
    void v311HasNoClientMaximum() {
        EngineConnection c = connected(V3_1_1);
        Publish p = new Publish("big", Qos.AT_LEAST_ONCE, false, false, 3, new byte[2 * 1024 * 1024],
                MqttProperties.EMPTY);
        assertEffects(c.feed(new EngineInput.Deliver(p)), new Effect.Send(p, V3_1_1));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-4.3.2-3] PUBACK from the client completes a QoS 1 delivery")
    void pubAckIsReported(MqttVersion version) {
        EngineConnection c = connected(version);
        assertEffects(c.receive(PubAck.success(11)), new Effect.AcknowledgeOutbound(11, Effect.OutboundAck.PUBACK));
    }

    @Test
    @DisplayName("[MQTT-4.4.0-2] 5.0 PUBACK with an error code still acknowledges: the message is not sent again")
    void pubAckWithErrorStillAcknowledges() {
        EngineConnection c = connected(V5);
        assertEffects(c.receive(new PubAck(11, ReasonCode.NOT_AUTHORIZED, MqttProperties.EMPTY)),
                new Effect.AcknowledgeOutbound(11, Effect.OutboundAck.PUBACK));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-4.3.3-4] (5.0) [MQTT-4.3.3-1] (3.1.1) PUBREC from the client is answered with PUBREL at once")
    void pubRecIsAnsweredWithPubRel(MqttVersion version) {
        EngineConnection c = connected(version);
        assertEffects(c.receive(PubRec.success(12)),
                new Effect.AcknowledgeOutbound(12, Effect.OutboundAck.PUBREC),
                new Effect.Send(PubRel.success(12), version));
    }

    @Test
    @DisplayName("[MQTT-4.3.3-4] 5.0 PUBREC 0x10 (No matching subscribers) is below 0x80: PUBREL follows")
    void pubRecWithSuccessReasonGetsPubRel() {
        EngineConnection c = connected(V5);
        assertEffects(c.receive(new PubRec(12, ReasonCode.NO_MATCHING_SUBSCRIBERS, MqttProperties.EMPTY)),
                new Effect.AcknowledgeOutbound(12, Effect.OutboundAck.PUBREC),
                new Effect.Send(PubRel.success(12), V5));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ReasonCode.class, names = {"UNSPECIFIED_ERROR", "QUOTA_EXCEEDED", "PACKET_IDENTIFIER_IN_USE"})
    @DisplayName("[MQTT-4.3.3-4] [MQTT-4.4.0-2] 5.0 PUBREC with an error code ends the exchange: no PUBREL")
    void failedPubRecGetsNoPubRel(ReasonCode reason) {
        EngineConnection c = connected(V5);
        assertEffects(c.receive(new PubRec(12, reason, MqttProperties.EMPTY)),
                new Effect.AcknowledgeOutbound(12, Effect.OutboundAck.PUBREC_FAILED));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-4.3.3-5] PUBCOMP from the client completes a QoS 2 delivery")
    void pubCompIsReported(MqttVersion version) {
        EngineConnection c = connected(version);
        assertEffects(c.receive(PubComp.success(12)), new Effect.AcknowledgeOutbound(12, Effect.OutboundAck.PUBCOMP));
    }

    @Test
    @DisplayName("[MQTT-4.3.3-5] 5.0 PUBCOMP 0x92 (Packet Identifier not found) also ends the exchange")
    void pubCompWithErrorIsReported() {
        EngineConnection c = connected(V5);
        assertEffects(c.receive(new PubComp(12, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, MqttProperties.EMPTY)),
                new Effect.AcknowledgeOutbound(12, Effect.OutboundAck.PUBCOMP));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-4.4.0-1] a PUBREL the session resends after a reconnect is written as given")
    void releaseIsSent(MqttVersion version) {
        EngineConnection c = connected(version);
        assertEffects(c.feed(new EngineInput.Release(PubRel.success(13))), new Effect.Send(PubRel.success(13), version));
    }

    /** A 5.0 client that accepts packets of at most {@link #CLIENT_MAXIMUM} bytes. */
    private static EngineConnection smallClient() {
        MqttProperties props = MqttProperties.builder()
                .add(PropertyId.MAXIMUM_PACKET_SIZE, (long) CLIENT_MAXIMUM).build();
        return connected(EngineSettings.defaults(), connect(V5, CLIENT_ID, true, 60, null, props));
    }

    /** A PUBLISH whose encoded 5.0 size is exactly {@code size} bytes. */
    private static Publish sized(Qos qos, int packetId, int size) {
        Publish empty = new Publish("meters/7/raw", qos, false, false, packetId, new byte[0], MqttProperties.EMPTY);
        int payload = size - MqttEncoder.encodedSize(empty, V5);
        Publish p = new Publish("meters/7/raw", qos, false, false, packetId, new byte[payload], MqttProperties.EMPTY);
        assertEquals(size, MqttEncoder.encodedSize(p, V5));
        return p;
    }
}
