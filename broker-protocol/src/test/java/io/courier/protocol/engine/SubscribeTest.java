package io.courier.protocol.engine;

import static io.courier.protocol.engine.EngineConnection.CLOSE;
import static io.courier.protocol.engine.EngineConnection.assertEffects;
import static io.courier.protocol.engine.EngineConnection.closeReason;
import static io.courier.protocol.engine.EngineConnection.connected;
import static io.courier.protocol.engine.EngineConnection.settings;
import static io.courier.protocol.packet.MqttVersion.V3_1_1;
import static io.courier.protocol.packet.MqttVersion.V5;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.codec.MqttEncoder;
import io.courier.protocol.engine.ConnectionState.Closed;
import io.courier.protocol.engine.Effect.SubscribeEntry;
import io.courier.protocol.engine.Effect.UnsubscribeEntry;
import io.courier.protocol.packet.Disconnect;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.packet.SubAck;
import io.courier.protocol.packet.Subscribe;
import io.courier.protocol.packet.Subscription;
import io.courier.protocol.packet.SubscriptionOptions;
import io.courier.protocol.packet.UnsubAck;
import io.courier.protocol.packet.Unsubscribe;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SUBSCRIBE / SUBACK and UNSUBSCRIBE / UNSUBACK (MQTT 3.1.1 and 5.0 sections 3.8-3.11). */
class SubscribeTest {

    private static final SubscriptionOptions QOS1 = SubscriptionOptions.of(Qos.AT_LEAST_ONCE);

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-3.8.4-5] [MQTT-4.7.1-1] a SUBSCRIBE asks the session for every entry in order; an invalid filter"
            + " is already marked 0x8F and the rest go on")
    void subscribeAsksTheSession(MqttVersion version) {
        EngineConnection c = connected(version);
        ConnectionState before = c.state();
        Subscribe s = new Subscribe(10, List.of(
                new Subscription("meters/+/temp", QOS1),
                new Subscription("meters/#/temp", QOS1),
                new Subscription("alarms/#", SubscriptionOptions.of(Qos.EXACTLY_ONCE))), MqttProperties.EMPTY);
        assertEffects(c.receive(s), new Effect.SubscribeRequest(10, List.of(
                new SubscribeEntry("meters/+/temp", QOS1, null),
                new SubscribeEntry("meters/#/temp", QOS1, ReasonCode.TOPIC_FILTER_INVALID),
                new SubscribeEntry("alarms/#", SubscriptionOptions.of(Qos.EXACTLY_ONCE), null)), 0));
        assertEquals(before, c.state());
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "a/b#", "a+/b", "$share/g", "$share//a", "$share/g+/a"})
    @DisplayName("[MQTT-4.7.3-1] [MQTT-4.7.1-2] [MQTT-4.8.2-1] [MQTT-4.8.2-2] 5.0 filters that break the syntax are"
            + " marked 0x8F, not a reason to disconnect")
    void invalidFiltersAreMarked(String filter) {
        EngineConnection c = connected(V5);
        assertEffects(c.receive(new Subscribe(3, List.of(new Subscription(filter, QOS1)), MqttProperties.EMPTY)),
                new Effect.SubscribeRequest(3, List.of(new SubscribeEntry(filter, QOS1,
                        ReasonCode.TOPIC_FILTER_INVALID)), 0));
    }

    @Test
    @DisplayName("[MQTT-3.2.2-10] [MQTT-3.8.4-7] a requested QoS above the server's Maximum QoS is accepted and granted"
            + " at the maximum, other options kept")
    void qosIsCappedAtTheMaximum() {
        EngineConnection c = connected(V5, settings().maximumQos(Qos.AT_LEAST_ONCE).build());
        SubscriptionOptions asked = new SubscriptionOptions(Qos.EXACTLY_ONCE, true, true, 2);
        SubscriptionOptions granted = new SubscriptionOptions(Qos.AT_LEAST_ONCE, true, true, 2);
        assertEffects(c.receive(new Subscribe(4, List.of(
                        new Subscription("a/b", asked),
                        new Subscription("c/d", SubscriptionOptions.of(Qos.AT_MOST_ONCE))), MqttProperties.EMPTY)),
                new Effect.SubscribeRequest(4, List.of(
                        new SubscribeEntry("a/b", granted, null),
                        new SubscribeEntry("c/d", SubscriptionOptions.of(Qos.AT_MOST_ONCE), null)), 0));
    }

    @Test
    @DisplayName("5.0 3.8.2.1.2: the Subscription Identifier goes to the session with the subscriptions it names")
    void subscriptionIdentifierIsPassed() {
        EngineConnection c = connected(V5);
        MqttProperties props = MqttProperties.builder().add(PropertyId.SUBSCRIPTION_IDENTIFIER, 268_435_455).build();
        assertEffects(c.receive(new Subscribe(5, List.of(new Subscription("a/#", QOS1)), props)),
                new Effect.SubscribeRequest(5, List.of(new SubscribeEntry("a/#", QOS1, null)), 268_435_455));
    }

    @Test
    @DisplayName("[MQTT-3.8.3-4] 5.0 No Local on a shared subscription is a Protocol Error: DISCONNECT 0x82, close")
    void noLocalOnSharedSubscriptionDisconnects() {
        EngineConnection c = connected(V5);
        SubscriptionOptions noLocal = new SubscriptionOptions(Qos.AT_LEAST_ONCE, true, false, 0);
        List<Effect> fx = c.receive(new Subscribe(6, List.of(
                new Subscription("a/b", QOS1),
                new Subscription("$share/workers/jobs/#", noLocal)), MqttProperties.EMPTY));
        assertEffects(fx,
                new Effect.Send(Disconnect.of(ReasonCode.PROTOCOL_ERROR), V5),
                new Effect.EndSession(Effect.SessionEnd.ABNORMAL, 0),
                CLOSE);
        assertTrue(closeReason(fx).contains("MQTT-3.8.3-4"), closeReason(fx));
        assertEquals(new Closed(V5), c.state());
    }

    @Test
    @DisplayName("[MQTT-3.8.3-3] 5.0 No Local on an ordinary subscription, and a shared one without it, are fine")
    void noLocalElsewhereIsFine() {
        EngineConnection c = connected(V5);
        SubscriptionOptions noLocal = new SubscriptionOptions(Qos.AT_LEAST_ONCE, true, false, 0);
        assertEffects(c.receive(new Subscribe(6, List.of(
                        new Subscription("jobs/#", noLocal),
                        new Subscription("$share/workers/jobs/#", QOS1)), MqttProperties.EMPTY)),
                new Effect.SubscribeRequest(6, List.of(
                        new SubscribeEntry("jobs/#", noLocal, null),
                        new SubscribeEntry("$share/workers/jobs/#", QOS1, null)), 0));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-3.8.4-2] [MQTT-3.8.4-6] [MQTT-3.9.3-1] SUBACK carries the SUBSCRIBE's packet id and one code per"
            + " entry, in the order the session gave them")
    void subAckFollowsTheSession(MqttVersion version) {
        EngineConnection c = connected(version);
        ConnectionState before = c.state();
        List<ReasonCode> codes = List.of(ReasonCode.GRANTED_QOS_1, ReasonCode.TOPIC_FILTER_INVALID,
                ReasonCode.GRANTED_QOS_2, ReasonCode.GRANTED_QOS_0);
        assertEffects(c.feed(new EngineInput.Subscribed(10, codes)),
                new Effect.Send(new SubAck(10, codes, MqttProperties.EMPTY), version));
        assertEquals(before, c.state());
    }

    @Test
    @DisplayName("[MQTT-3.9.3-2] 3.1.1 a refused entry reaches the wire as return code 0x80")
    void v311FailureIsEightyOnTheWire() {
        EngineConnection c = connected(V3_1_1);
        Effect.Send send = (Effect.Send) c.feed(new EngineInput.Subscribed(10,
                List.of(ReasonCode.GRANTED_QOS_1, ReasonCode.TOPIC_FILTER_INVALID))).get(0);
        assertArrayEquals(new byte[] {(byte) 0x90, 0x04, 0x00, 0x0A, 0x01, (byte) 0x80},
                MqttEncoder.encode(send.packet(), send.version()));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-3.10.4-6] UNSUBSCRIBE asks the session for every filter in order; an invalid one is marked 0x8F")
    void unsubscribeAsksTheSession(MqttVersion version) {
        EngineConnection c = connected(version);
        assertEffects(c.receive(new Unsubscribe(20, List.of("meters/+/temp", "meters/#/x", "$share/g/a"),
                        MqttProperties.EMPTY)),
                new Effect.UnsubscribeRequest(20, List.of(
                        new UnsubscribeEntry("meters/+/temp", null),
                        new UnsubscribeEntry("meters/#/x", ReasonCode.TOPIC_FILTER_INVALID),
                        new UnsubscribeEntry("$share/g/a", null))));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-3.10.4-4] [MQTT-3.11.3-1] UNSUBACK carries the UNSUBSCRIBE's packet id and the session's codes"
            + " in order")
    void unsubAckFollowsTheSession(MqttVersion version) {
        EngineConnection c = connected(version);
        List<ReasonCode> codes = List.of(ReasonCode.SUCCESS, ReasonCode.NO_SUBSCRIPTION_EXISTED,
                ReasonCode.TOPIC_FILTER_INVALID);
        assertEffects(c.feed(new EngineInput.Unsubscribed(20, codes)),
                new Effect.Send(new UnsubAck(20, codes, MqttProperties.EMPTY), version));
    }

    @Test
    @DisplayName("[MQTT-3.10.4-5] 3.1.1 UNSUBACK is the bare acknowledgement: the codes stay off the wire")
    void v311UnsubAckIsBare() {
        EngineConnection c = connected(V3_1_1);
        Effect.Send send = (Effect.Send) c.feed(new EngineInput.Unsubscribed(20,
                List.of(ReasonCode.NO_SUBSCRIPTION_EXISTED))).get(0);
        assertArrayEquals(new byte[] {(byte) 0xB0, 0x02, 0x00, 0x14}, MqttEncoder.encode(send.packet(), send.version()));
    }
}
