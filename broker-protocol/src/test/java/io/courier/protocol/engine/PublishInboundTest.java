package io.courier.protocol.engine;

import static io.courier.protocol.engine.EngineConnection.CLIENT_ID;
import static io.courier.protocol.engine.EngineConnection.CLOSE;
import static io.courier.protocol.engine.EngineConnection.NOW;
import static io.courier.protocol.engine.EngineConnection.assertEffects;
import static io.courier.protocol.engine.EngineConnection.connected;
import static io.courier.protocol.engine.EngineConnection.settings;
import static io.courier.protocol.packet.MqttVersion.V3_1_1;
import static io.courier.protocol.packet.MqttVersion.V5;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.protocol.engine.ConnectionState.Closed;
import io.courier.protocol.engine.ConnectionState.Connected;
import io.courier.protocol.message.Message;
import io.courier.protocol.packet.Disconnect;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PubAck;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * PUBLISH from the client and the acknowledgements the server owes it (MQTT 3.1.1 and 5.0
 * sections 3.3-3.7 and 4.3): the engine hands the message on, and acknowledges only once the
 * session says it is stored (ARCHITECTURE.md section 4).
 */
class PublishInboundTest {

    private static final byte[] PAYLOAD = "21.5".getBytes();

    // ---- QoS 0, 1, 2 -----------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-3.3.4-1] QoS 0: the message is routed and nothing is sent back")
    void qos0IsRoutedWithoutAnswer(MqttVersion version) {
        EngineConnection c = connected(version);
        Connected before = c.connectedState();
        assertEffects(c.receive(Publish.atMostOnce("meters/7/temp", PAYLOAD)),
                new Effect.PublishInbound(message("meters/7/temp", Qos.AT_MOST_ONCE, MqttProperties.EMPTY), 0));
        assertEquals(before, c.state());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-4.3.2-4] QoS 1: PUBACK only once the session has taken ownership (PublishSettled)")
    void qos1IsAcknowledgedAfterSettling(MqttVersion version) {
        EngineConnection c = connected(version);
        assertEffects(c.receive(publish("meters/7/temp", Qos.AT_LEAST_ONCE, 7)),
                new Effect.PublishInbound(message("meters/7/temp", Qos.AT_LEAST_ONCE, MqttProperties.EMPTY), 7));
        assertEquals(1, c.connectedState().inboundUnacknowledged());

        assertEffects(c.feed(new EngineInput.PublishSettled(7, Qos.AT_LEAST_ONCE, ReasonCode.SUCCESS, false)),
                new Effect.Send(PubAck.success(7), version));
        assertEquals(0, c.connectedState().inboundUnacknowledged());
    }

    @Test
    @DisplayName("[MQTT-3.4.2-1] 5.0 PUBACK carries the reason the session gave (0x10 No matching subscribers)")
    void pubAckCarriesTheSessionsReason() {
        EngineConnection c = connected(V5);
        c.receive(publish("nobody/listens", Qos.AT_LEAST_ONCE, 8));
        assertEffects(c.feed(new EngineInput.PublishSettled(8, Qos.AT_LEAST_ONCE, ReasonCode.NO_MATCHING_SUBSCRIBERS,
                        false)),
                new Effect.Send(new PubAck(8, ReasonCode.NO_MATCHING_SUBSCRIBERS, MqttProperties.EMPTY), V5));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-4.3.3-8] [MQTT-4.3.3-11] QoS 2: PUBREC once settled, PUBREL asks the session to release,"
            + " PUBCOMP once it has")
    void qos2FullExchange(MqttVersion version) {
        EngineConnection c = connected(version);
        assertEffects(c.receive(publish("meters/7/total", Qos.EXACTLY_ONCE, 9)),
                new Effect.PublishInbound(message("meters/7/total", Qos.EXACTLY_ONCE, MqttProperties.EMPTY), 9));
        assertEffects(c.feed(new EngineInput.PublishSettled(9, Qos.EXACTLY_ONCE, ReasonCode.SUCCESS, false)),
                new Effect.Send(PubRec.success(9), version));
        // Still unacknowledged until PUBCOMP (5.0 3.3.4: "not sent a PUBACK or PUBCOMP").
        assertEquals(1, c.connectedState().inboundUnacknowledged());

        assertEffects(c.receive(PubRel.success(9)), new Effect.ReleaseInbound(9));
        assertEquals(1, c.connectedState().inboundUnacknowledged());
        assertEffects(c.feed(new EngineInput.InboundReleased(9, true)), new Effect.Send(PubComp.success(9), version));
        assertEquals(0, c.connectedState().inboundUnacknowledged());
    }

    @Test
    @DisplayName("[MQTT-4.3.3-11] 5.0 PUBREL for a packet id the session does not hold: PUBCOMP 0x92")
    void v5UnknownPubRelGetsPacketIdentifierNotFound() {
        EngineConnection c = connected(V5);
        assertEffects(c.receive(PubRel.success(44)), new Effect.ReleaseInbound(44));
        assertEffects(c.feed(new EngineInput.InboundReleased(44, false)),
                new Effect.Send(new PubComp(44, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, MqttProperties.EMPTY), V5));
        assertEquals(0, c.connectedState().inboundUnacknowledged());
    }

    @Test
    @DisplayName("[MQTT-4.3.3-2] 3.1.1 PUBREL for an unknown packet id is still answered with PUBCOMP (3.1.1 has no"
            + " reason codes)")
    void v311UnknownPubRelGetsPlainPubComp() {
        EngineConnection c = connected(V3_1_1);
        c.receive(PubRel.success(44));
        assertEffects(c.feed(new EngineInput.InboundReleased(44, false)),
                new Effect.Send(PubComp.success(44), V3_1_1));
    }

    @Test
    @DisplayName("[MQTT-4.3.3-9] 5.0 a PUBREC with an error code ends the QoS 2 exchange: the packet no longer counts")
    void failedPubRecEndsTheExchange() {
        EngineConnection c = connected(V5);
        c.receive(publish("meters/7/total", Qos.EXACTLY_ONCE, 9));
        assertEffects(c.feed(new EngineInput.PublishSettled(9, Qos.EXACTLY_ONCE, ReasonCode.QUOTA_EXCEEDED, false)),
                new Effect.Send(new PubRec(9, ReasonCode.QUOTA_EXCEEDED, MqttProperties.EMPTY), V5));
        assertEquals(0, c.connectedState().inboundUnacknowledged());
    }

    // ---- the message handed on ---------------------------------------------------------------

    @Test
    @DisplayName("[MQTT-3.3.2-17] [MQTT-3.3.2-18] [MQTT-3.3.2-4] 5.0 the message keeps the publisher's properties, User"
            + " Properties in order")
    void propertiesTravelUnaltered() {
        MqttProperties props = MqttProperties.builder()
                .user("unit", "celsius")
                .add(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1)
                .add(PropertyId.CONTENT_TYPE, "text/plain")
                .add(PropertyId.RESPONSE_TOPIC, "replies/7")
                .add(PropertyId.CORRELATION_DATA, new byte[] {1, 2, 3})
                .user("unit", "kelvin")
                .build();
        EngineConnection c = connected(V5);
        assertEffects(c.receive(new Publish("meters/7/temp", Qos.AT_MOST_ONCE, false, false, 0, PAYLOAD, props)),
                new Effect.PublishInbound(message("meters/7/temp", Qos.AT_MOST_ONCE, props), 0));
    }

    @Test
    @DisplayName("[MQTT-3.3.1-5] [MQTT-3.8.3-3] the message keeps RETAIN and names its publisher (for No Local)")
    void retainAndPublisherAreKept() {
        EngineConnection c = connected(V3_1_1);
        List<Effect> fx = c.receive(new Publish("meters/7/state", Qos.AT_LEAST_ONCE, true, false, 3, PAYLOAD,
                MqttProperties.EMPTY));
        Message m = ((Effect.PublishInbound) fx.get(0)).message();
        assertEquals(true, m.retain());
        assertEquals(CLIENT_ID, m.publisherId());
    }

    @Test
    @DisplayName("[MQTT-3.3.2-5] 5.0 Message Expiry Interval becomes a deadline counted from arrival; none means never")
    void messageExpiryBecomesADeadline() {
        EngineConnection c = connected(V5);
        MqttProperties props = MqttProperties.builder().add(PropertyId.MESSAGE_EXPIRY_INTERVAL, 30L).build();
        List<Effect> fx = c.receive(new Publish("meters/7/temp", Qos.AT_MOST_ONCE, false, false, 0, PAYLOAD, props),
                NOW + 5);
        // The interval stays a property as well: the session rewrites it on delivery [MQTT-3.3.2-6].
        assertEffects(fx, new Effect.PublishInbound(new Message("meters/7/temp", PAYLOAD, Qos.AT_MOST_ONCE, false,
                props, CLIENT_ID, NOW + 5 + 30_000), 0));

        Message noExpiry = ((Effect.PublishInbound) c.receive(Publish.atMostOnce("meters/7/temp", PAYLOAD)).get(0))
                .message();
        assertEquals(Message.NEVER, noExpiry.expiresAtMillis());
    }

    @Test
    @DisplayName("[MQTT-3.3.2-12] 5.0 a Topic Alias is set by a PUBLISH with a topic, used by one without, and replaced"
            + " by the next with a topic; it never travels on")
    void topicAliasIsResolvedAndDropped() {
        EngineConnection c = connected(V5);
        MqttProperties alias3 = MqttProperties.builder().add(PropertyId.TOPIC_ALIAS, 3).user("k", "v").build();
        MqttProperties forwarded = MqttProperties.builder().user("k", "v").build();

        assertEffects(c.receive(new Publish("meters/7/temp", Qos.AT_MOST_ONCE, false, false, 0, PAYLOAD, alias3)),
                new Effect.PublishInbound(message("meters/7/temp", Qos.AT_MOST_ONCE, forwarded), 0));
        assertEquals("meters/7/temp", c.connectedState().aliases().resolve(3));

        assertEffects(c.receive(new Publish("", Qos.AT_LEAST_ONCE, false, false, 4, PAYLOAD, alias3)),
                new Effect.PublishInbound(message("meters/7/temp", Qos.AT_LEAST_ONCE, forwarded), 4));

        assertEffects(c.receive(new Publish("meters/8/temp", Qos.AT_MOST_ONCE, false, false, 0, PAYLOAD, alias3)),
                new Effect.PublishInbound(message("meters/8/temp", Qos.AT_MOST_ONCE, forwarded), 0));
        assertEquals("meters/8/temp", c.connectedState().aliases().resolve(3));
        assertEffects(c.receive(new Publish("", Qos.AT_MOST_ONCE, false, false, 0, PAYLOAD, alias3)),
                new Effect.PublishInbound(message("meters/8/temp", Qos.AT_MOST_ONCE, forwarded), 0));
    }

    @Test
    @DisplayName("[MQTT-3.3.2-12] 5.0 the highest Topic Alias the server announced is accepted")
    void topicAliasAtTheMaximumIsAccepted() {
        EngineConnection c = connected(V5, settings().topicAliasMaximum(2).build());
        MqttProperties alias2 = MqttProperties.builder().add(PropertyId.TOPIC_ALIAS, 2).build();
        assertEffects(c.receive(new Publish("a", Qos.AT_MOST_ONCE, false, false, 0, PAYLOAD, alias2)),
                new Effect.PublishInbound(message("a", Qos.AT_MOST_ONCE, MqttProperties.EMPTY), 0));
    }

    @Test
    @DisplayName("[MQTT-3.3.4-6] a Subscription Identifier on an inbound PUBLISH never travels on")
    void subscriptionIdentifierIsDropped() {
        // The decoder already refuses it from a client; the engine does not rely on that.
        MqttProperties props = MqttProperties.builder()
                .add(PropertyId.SUBSCRIPTION_IDENTIFIER, 12)
                .add(PropertyId.CONTENT_TYPE, "text/plain")
                .build();
        EngineConnection c = connected(V5);
        assertEffects(c.receive(new Publish("a/b", Qos.AT_MOST_ONCE, false, false, 0, PAYLOAD, props)),
                new Effect.PublishInbound(message("a/b", Qos.AT_MOST_ONCE,
                        MqttProperties.builder().add(PropertyId.CONTENT_TYPE, "text/plain").build()), 0));
    }

    // ---- server limits ---------------------------------------------------------------------

    @Test
    @DisplayName("[MQTT-3.2.2-11] 5.0 PUBLISH above the announced Maximum QoS: DISCONNECT 0x9B, session ended, close")
    void qosAboveMaximumDisconnects() {
        EngineConnection c = connected(V5, settings().maximumQos(Qos.AT_LEAST_ONCE).build());
        assertEffects(c.receive(publish("a/b", Qos.EXACTLY_ONCE, 1)),
                new Effect.Send(Disconnect.of(ReasonCode.QOS_NOT_SUPPORTED), V5),
                new Effect.EndSession(Effect.SessionEnd.ABNORMAL, 0),
                CLOSE);
        assertEquals(new Closed(V5), c.state());
    }

    @Test
    @DisplayName("[MQTT-3.2.2-11] 5.0 PUBLISH at the announced Maximum QoS is accepted")
    void qosAtMaximumIsAccepted() {
        EngineConnection c = connected(V5, settings().maximumQos(Qos.AT_LEAST_ONCE).build());
        assertEffects(c.receive(publish("a/b", Qos.AT_LEAST_ONCE, 1)),
                new Effect.PublishInbound(message("a/b", Qos.AT_LEAST_ONCE, MqttProperties.EMPTY), 1));
    }

    @Test
    @DisplayName("[MQTT-3.2.2-14] 5.0 a retained PUBLISH when Retain Available is 0: DISCONNECT 0x9A, close")
    void retainWhenUnavailableDisconnects() {
        EngineConnection c = connected(V5, settings().retainAvailable(false).build());
        assertEffects(c.receive(new Publish("a/b", Qos.AT_MOST_ONCE, true, false, 0, PAYLOAD, MqttProperties.EMPTY)),
                new Effect.Send(Disconnect.of(ReasonCode.RETAIN_NOT_SUPPORTED), V5),
                new Effect.EndSession(Effect.SessionEnd.ABNORMAL, 0),
                CLOSE);
        assertEquals(new Closed(V5), c.state());
    }

    @Test
    @DisplayName("[MQTT-3.2.2-17] 5.0 a Topic Alias above the announced Topic Alias Maximum: DISCONNECT 0x94, close")
    void topicAliasAboveMaximumDisconnects() {
        EngineConnection c = connected(V5, settings().topicAliasMaximum(2).build());
        MqttProperties alias3 = MqttProperties.builder().add(PropertyId.TOPIC_ALIAS, 3).build();
        assertEffects(c.receive(new Publish("a/b", Qos.AT_MOST_ONCE, false, false, 0, PAYLOAD, alias3)),
                new Effect.Send(Disconnect.of(ReasonCode.TOPIC_ALIAS_INVALID), V5),
                new Effect.EndSession(Effect.SessionEnd.ABNORMAL, 0),
                CLOSE);
        assertEquals(new Closed(V5), c.state());
    }

    @Test
    @DisplayName("[MQTT-3.2.2-18] 5.0 any Topic Alias when the server announced none: DISCONNECT 0x94, close")
    void topicAliasWhenNoneAllowedDisconnects() {
        EngineConnection c = connected(V5, settings().topicAliasMaximum(0).build());
        MqttProperties alias1 = MqttProperties.builder().add(PropertyId.TOPIC_ALIAS, 1).build();
        assertEffects(c.receive(new Publish("a/b", Qos.AT_MOST_ONCE, false, false, 0, PAYLOAD, alias1)),
                new Effect.Send(Disconnect.of(ReasonCode.TOPIC_ALIAS_INVALID), V5),
                new Effect.EndSession(Effect.SessionEnd.ABNORMAL, 0),
                CLOSE);
    }

    @Test
    @DisplayName("5.0 3.3.4 (Topic Alias, case 3a): an empty topic with an alias that has no mapping is a Protocol"
            + " Error: DISCONNECT 0x82, close")
    void unmappedTopicAliasIsAProtocolError() {
        EngineConnection c = connected(V5);
        MqttProperties alias5 = MqttProperties.builder().add(PropertyId.TOPIC_ALIAS, 5).build();
        assertEffects(c.receive(new Publish("", Qos.AT_MOST_ONCE, false, false, 0, PAYLOAD, alias5)),
                new Effect.Send(Disconnect.of(ReasonCode.PROTOCOL_ERROR), V5),
                new Effect.EndSession(Effect.SessionEnd.ABNORMAL, 0),
                CLOSE);
        assertEquals(new Closed(V5), c.state());
    }

    @Test
    @DisplayName("[MQTT-3.3.2-7] 5.0 Topic Alias mappings do not carry over to the next network connection")
    void topicAliasesDoNotCarryOver() {
        MqttProperties alias5 = MqttProperties.builder().add(PropertyId.TOPIC_ALIAS, 5).build();
        EngineConnection first = connected(V5);
        first.receive(new Publish("meters/7/temp", Qos.AT_MOST_ONCE, false, false, 0, PAYLOAD, alias5));
        first.feed(new EngineInput.ConnectionLost());

        EngineConnection second = connected(V5);
        assertEquals(InboundTopicAliases.NONE, second.connectedState().aliases());
        assertEffects(second.receive(new Publish("", Qos.AT_MOST_ONCE, false, false, 0, PAYLOAD, alias5)),
                new Effect.Send(Disconnect.of(ReasonCode.PROTOCOL_ERROR), V5),
                new Effect.EndSession(Effect.SessionEnd.ABNORMAL, 0),
                CLOSE);
    }

    @Test
    @DisplayName("[MQTT-3.3.4-7] 5.0 one QoS 1/2 PUBLISH beyond the Receive Maximum: DISCONNECT 0x93, close")
    void receiveMaximumExceededDisconnects() {
        EngineConnection c = connected(V5, settings().receiveMaximum(2).build());
        c.receive(publish("a", Qos.AT_LEAST_ONCE, 1));
        c.receive(publish("a", Qos.EXACTLY_ONCE, 2));
        assertEquals(2, c.connectedState().inboundUnacknowledged());
        assertEffects(c.receive(publish("a", Qos.AT_LEAST_ONCE, 3)),
                new Effect.Send(Disconnect.of(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED), V5),
                new Effect.EndSession(Effect.SessionEnd.ABNORMAL, 0),
                CLOSE);
        assertEquals(new Closed(V5), c.state());
    }

    @Test
    @DisplayName("[MQTT-3.3.4-7] 5.0 QoS 0 does not count against the Receive Maximum")
    void qos0DoesNotCount() {
        EngineConnection c = connected(V5, settings().receiveMaximum(1).build());
        c.receive(publish("a", Qos.AT_LEAST_ONCE, 1));
        assertEffects(c.receive(Publish.atMostOnce("a", PAYLOAD)),
                new Effect.PublishInbound(message("a", Qos.AT_MOST_ONCE, MqttProperties.EMPTY), 0));
        assertEquals(1, c.connectedState().inboundUnacknowledged());
    }

    @Test
    @DisplayName("[MQTT-3.3.4-7] 5.0 a PUBACK sent makes room under the Receive Maximum")
    void pubAckMakesRoom() {
        EngineConnection c = connected(V5, settings().receiveMaximum(1).build());
        c.receive(publish("a", Qos.AT_LEAST_ONCE, 1));
        c.feed(new EngineInput.PublishSettled(1, Qos.AT_LEAST_ONCE, ReasonCode.SUCCESS, false));
        assertEffects(c.receive(publish("a", Qos.AT_LEAST_ONCE, 2)),
                new Effect.PublishInbound(message("a", Qos.AT_LEAST_ONCE, MqttProperties.EMPTY), 2));
        assertEquals(1, c.connectedState().inboundUnacknowledged());
    }

    @Test
    @DisplayName("[MQTT-3.3.4-7] 5.0 a QoS 2 message counts until PUBCOMP, not PUBREC")
    void pubCompMakesRoomPubRecDoesNot() {
        EngineConnection c = connected(V5, settings().receiveMaximum(1).build());
        c.receive(publish("a", Qos.EXACTLY_ONCE, 1));
        c.feed(new EngineInput.PublishSettled(1, Qos.EXACTLY_ONCE, ReasonCode.SUCCESS, false));
        Connected afterPubRec = c.connectedState();

        // PUBREC sent: a second QoS 2 is one too many.
        List<Effect> refused = c.receive(publish("a", Qos.EXACTLY_ONCE, 2));
        assertEquals(new Effect.Send(Disconnect.of(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED), V5), refused.get(0));

        // From the same point, PUBREL and PUBCOMP make room.
        EngineConnection again = connected(V5, settings().receiveMaximum(1).build());
        again.receive(publish("a", Qos.EXACTLY_ONCE, 1));
        again.feed(new EngineInput.PublishSettled(1, Qos.EXACTLY_ONCE, ReasonCode.SUCCESS, false));
        assertEquals(afterPubRec, again.state());
        again.receive(PubRel.success(1));
        again.feed(new EngineInput.InboundReleased(1, true));
        assertEffects(again.receive(publish("a", Qos.EXACTLY_ONCE, 2)),
                new Effect.PublishInbound(message("a", Qos.EXACTLY_ONCE, MqttProperties.EMPTY), 2));
    }

    @Test
    @DisplayName("5.0 3.3.4 (Receive Maximum is a 5.0 feature): 3.1.1 publishers are not limited by it")
    void v311HasNoReceiveMaximum() {
        EngineConnection c = connected(V3_1_1, settings().receiveMaximum(1).build());
        c.receive(publish("a", Qos.AT_LEAST_ONCE, 1));
        assertEffects(c.receive(publish("a", Qos.AT_LEAST_ONCE, 2)),
                new Effect.PublishInbound(message("a", Qos.AT_LEAST_ONCE, MqttProperties.EMPTY), 2));
    }

    // ---- duplicates ------------------------------------------------------------------------

    @Test
    @DisplayName("[MQTT-4.3.2-5] QoS 1 with the id of an acknowledged message is a new message, DUP or not")
    void qos1ResendIsANewMessage() {
        EngineConnection c = connected(V5);
        c.receive(publish("a", Qos.AT_LEAST_ONCE, 5));
        c.feed(new EngineInput.PublishSettled(5, Qos.AT_LEAST_ONCE, ReasonCode.SUCCESS, false));
        assertEffects(c.receive(new Publish("a", Qos.AT_LEAST_ONCE, false, true, 5, PAYLOAD, MqttProperties.EMPTY)),
                new Effect.PublishInbound(message("a", Qos.AT_LEAST_ONCE, MqttProperties.EMPTY), 5));
        assertEquals(1, c.connectedState().inboundUnacknowledged());
    }

    @Test
    @DisplayName("[MQTT-4.3.3-10] QoS 2 resent before PUBREL is answered with PUBREC again and counted once")
    void qos2ResendIsAcknowledgedAgainAndCountedOnce() {
        EngineConnection c = connected(V5);
        c.receive(publish("a", Qos.EXACTLY_ONCE, 5));
        c.feed(new EngineInput.PublishSettled(5, Qos.EXACTLY_ONCE, ReasonCode.SUCCESS, false));

        // The resend is handed to the session, which knows the id and does not route it again.
        Publish resend = new Publish("a", Qos.EXACTLY_ONCE, false, true, 5, PAYLOAD, MqttProperties.EMPTY);
        assertEffects(c.receive(resend),
                new Effect.PublishInbound(message("a", Qos.EXACTLY_ONCE, MqttProperties.EMPTY), 5));
        assertEffects(c.feed(new EngineInput.PublishSettled(5, Qos.EXACTLY_ONCE, ReasonCode.SUCCESS, true)),
                new Effect.Send(PubRec.success(5), V5));
        assertEquals(1, c.connectedState().inboundUnacknowledged());

        c.receive(PubRel.success(5));
        c.feed(new EngineInput.InboundReleased(5, true));
        assertEquals(0, c.connectedState().inboundUnacknowledged());
    }

    // ---- helpers ---------------------------------------------------------------------------

    private static Publish publish(String topic, Qos qos, int packetId) {
        return new Publish(topic, qos, false, false, packetId, PAYLOAD, MqttProperties.EMPTY);
    }

    private static Message message(String topic, Qos qos, MqttProperties props) {
        return new Message(topic, PAYLOAD, qos, false, props, CLIENT_ID, Message.NEVER);
    }
}
