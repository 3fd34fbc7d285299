package io.courier.protocol.engine;

import static io.courier.protocol.engine.EngineConnection.CLIENT_ID;
import static io.courier.protocol.engine.EngineConnection.CLOSE;
import static io.courier.protocol.engine.EngineConnection.assertEffects;
import static io.courier.protocol.engine.EngineConnection.connect;
import static io.courier.protocol.engine.EngineConnection.connected;
import static io.courier.protocol.engine.EngineConnection.opened;
import static io.courier.protocol.packet.MqttVersion.V3_1_1;
import static io.courier.protocol.packet.MqttVersion.V5;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.engine.Effect.SubscribeEntry;
import io.courier.protocol.message.Message;
import io.courier.protocol.packet.Auth;
import io.courier.protocol.packet.ConnAck;
import io.courier.protocol.packet.Disconnect;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PubAck;
import io.courier.protocol.packet.PubComp;
import io.courier.protocol.packet.PubRec;
import io.courier.protocol.packet.PubRel;
import io.courier.protocol.packet.Publish;
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

/**
 * Normative statements the engine already met without a test naming them (docs/conformance.md):
 * acknowledgements echo packet ids, one SUBACK per SUBSCRIBE, QoS 1 ids reusable after PUBACK,
 * no Authentication Method when the client sent none, the sender of DISCONNECT closes.
 */
class ConformanceGapsEngineTest {

    private static final byte[] PAYLOAD = "7".getBytes();

    private static Publish publish(Qos qos, int packetId) {
        return new Publish("m/t", qos, false, false, packetId, PAYLOAD, MqttProperties.EMPTY);
    }

    private static Message message(Qos qos) {
        return new Message("m/t", PAYLOAD, qos, false, MqttProperties.EMPTY, CLIENT_ID, Message.NEVER);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-2.3.1-6] [MQTT-2.2.1-5] PUBACK, PUBREC and PUBCOMP carry the packet id of the PUBLISH (and"
            + " PUBREL) they answer")
    void acksEchoThePublishPacketId(MqttVersion version) {
        EngineConnection c = connected(version);
        c.receive(publish(Qos.AT_LEAST_ONCE, 300));
        assertEffects(c.feed(new EngineInput.PublishSettled(300, Qos.AT_LEAST_ONCE, ReasonCode.SUCCESS, false)),
                new Effect.Send(PubAck.success(300), version));
        c.receive(publish(Qos.EXACTLY_ONCE, 65535));
        assertEffects(c.feed(new EngineInput.PublishSettled(65535, Qos.EXACTLY_ONCE, ReasonCode.SUCCESS, false)),
                new Effect.Send(PubRec.success(65535), version));
        assertEffects(c.receive(PubRel.success(65535)), new Effect.ReleaseInbound(65535));
        assertEffects(c.feed(new EngineInput.InboundReleased(65535, true)),
                new Effect.Send(PubComp.success(65535), version));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-3.8.4-1] [MQTT-3.8.4-4] [MQTT-2.3.1-7] [MQTT-2.2.1-6] a SUBSCRIBE with several filters is one"
            + " request to the session and one SUBACK with its packet id; UNSUBACK carries the UNSUBSCRIBE's id")
    void subscribeAndUnsubscribeAnsweredOnceWithTheirIds(MqttVersion version) {
        EngineConnection c = connected(version);
        SubscriptionOptions q1 = SubscriptionOptions.of(Qos.AT_LEAST_ONCE);
        SubscriptionOptions q0 = SubscriptionOptions.of(Qos.AT_MOST_ONCE);
        assertEffects(c.receive(new Subscribe(4242, List.of(new Subscription("a/+", q1), new Subscription("b/#", q0)),
                        MqttProperties.EMPTY)),
                new Effect.SubscribeRequest(4242, List.of(new SubscribeEntry("a/+", q1, null),
                        new SubscribeEntry("b/#", q0, null)), 0));
        List<ReasonCode> granted = List.of(ReasonCode.GRANTED_QOS_1, ReasonCode.GRANTED_QOS_0);
        assertEffects(c.feed(new EngineInput.Subscribed(4242, granted)),
                new Effect.Send(new SubAck(4242, granted, MqttProperties.EMPTY), version));

        c.receive(new Unsubscribe(4343, List.of("a/+", "b/#"), MqttProperties.EMPTY));
        List<ReasonCode> gone = List.of(ReasonCode.SUCCESS, ReasonCode.SUCCESS);
        assertEffects(c.feed(new EngineInput.Unsubscribed(4343, gone)),
                new Effect.Send(new UnsubAck(4343, gone, MqttProperties.EMPTY), version));
    }

    @Test
    @DisplayName("[MQTT-4.3.2-2] 3.1.1 QoS 1 receiver: PUBACK carries the id, and after it a PUBLISH with the same id"
            + " is a new publication")
    void qos1IdIsFreeAfterPubAck() {
        EngineConnection c = connected(V3_1_1);
        assertEffects(c.receive(publish(Qos.AT_LEAST_ONCE, 5)),
                new Effect.PublishInbound(message(Qos.AT_LEAST_ONCE), 5));
        assertEffects(c.feed(new EngineInput.PublishSettled(5, Qos.AT_LEAST_ONCE, ReasonCode.SUCCESS, false)),
                new Effect.Send(PubAck.success(5), V3_1_1));
        assertEffects(c.receive(publish(Qos.AT_LEAST_ONCE, 5)),
                new Effect.PublishInbound(message(Qos.AT_LEAST_ONCE), 5));
        assertEquals(1, c.connectedState().inboundUnacknowledged());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-4.3.1-1] [MQTT-4.3.2-2] first deliveries go out with their QoS and DUP 0")
    void firstDeliveriesHaveDupZero(MqttVersion version) {
        EngineConnection c = connected(version);
        Publish q0 = publish(Qos.AT_MOST_ONCE, 0);
        Publish q1 = publish(Qos.AT_LEAST_ONCE, 1);
        assertEffects(c.feed(new EngineInput.Deliver(q0)), new Effect.Send(q0, version));
        assertEffects(c.feed(new EngineInput.Deliver(q1)), new Effect.Send(q1, version));
        assertFalse(q0.dup());
        assertFalse(q1.dup());
    }

    @Test
    @DisplayName("[MQTT-4.12.0-6] 5.0 CONNECT without an Authentication Method: no AUTH, and no method on the CONNACK")
    void noAuthenticationMethodMeansNoneBack() {
        EngineConnection c = opened();
        List<Effect> all = new java.util.ArrayList<>(c.receive(connect(V5, CLIENT_ID, true)));
        all.addAll(c.feed(new EngineInput.SessionOpened(false)));
        ConnAck connAck = null;
        for (Effect e : all) {
            if (e instanceof Effect.Send s) {
                assertFalse(s.packet() instanceof Auth, all.toString());
                if (s.packet() instanceof ConnAck a) {
                    connAck = a;
                }
            }
        }
        assertEquals(ReasonCode.SUCCESS, assertInstanceOf(ConnAck.class, connAck).reasonCode());
        assertFalse(connAck.properties().contains(PropertyId.AUTHENTICATION_METHOD));
        assertFalse(connAck.properties().contains(PropertyId.AUTHENTICATION_DATA));
    }

    @Test
    @DisplayName("[MQTT-3.14.4-2] 5.0 when the server sends DISCONNECT it closes the connection, and sends nothing after")
    void serverDisconnectIsFollowedByClose() {
        EngineConnection c = connected(V5);
        List<Effect> fx = c.feed(new EngineInput.KeepAliveExpired());
        assertEquals(new Effect.Send(Disconnect.of(ReasonCode.KEEP_ALIVE_TIMEOUT), V5), fx.get(0));
        assertEquals(CLOSE, fx.get(fx.size() - 1) instanceof Effect.Close ? CLOSE : fx.get(fx.size() - 1));
        assertInstanceOf(ConnectionState.Closed.class, c.state());
        List<Effect> after = c.feed(new EngineInput.Deliver(publish(Qos.AT_MOST_ONCE, 0)));
        assertTrue(after.stream().noneMatch(Effect.Send.class::isInstance), after.toString());
    }
}
