package io.courier.broker.connection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.broker.routing.RetainedStore;
import io.courier.broker.session.SessionCommand;
import io.courier.protocol.engine.Effect;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PingReq;
import io.courier.protocol.packet.PingResp;
import io.courier.protocol.packet.PubAck;
import io.courier.protocol.packet.PubComp;
import io.courier.protocol.packet.PubRec;
import io.courier.protocol.packet.PubRel;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.property.MqttProperties;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A client's PUBLISH, client to server: acknowledged only once every matching session stored
 * it. A PINGREQ sent right after the PUBLISH proves an acknowledgement was not sent early: the
 * connection handles packets in order, so an early PUBACK would arrive before the PINGRESP.
 */
class InboundPublishTest {

    private static final ActorTestKit KIT = ActorTestKit.create("InboundPublishTest", TestBroker.CONFIG);
    private static final byte[] PAYLOAD = {1, 2, 3};

    private TestBroker broker;

    @BeforeEach
    void start() throws Exception {
        broker = new TestBroker(KIT);
    }

    @AfterEach
    void stop() throws Exception {
        broker.close();
    }

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    private static Publish publish(String topic, Qos qos, int packetId, boolean retain, byte[] payload) {
        return new Publish(topic, qos, retain, false, packetId, payload, MqttProperties.EMPTY);
    }

    private MqttTestClient connected(MqttVersion version, String clientId) {
        MqttTestClient client = broker.client(version);
        client.connect(clientId, 60);
        broker.expectSession(SessionCommand.Attach.class);
        return client;
    }

    /** Sends PINGREQ and expects PINGRESP as the very next packet: nothing was acknowledged before. */
    private static void expectNothingAcknowledgedYet(MqttTestClient client) {
        client.send(PingReq.INSTANCE);
        client.expect(PingResp.class);
    }

    @Test
    @DisplayName("QoS 1: PUBACK only after the subscriber's session answered Stored")
    void qos1AcknowledgedAfterStored() {
        broker.subscribe("sub", "t/1", Qos.AT_LEAST_ONCE);
        MqttTestClient client = connected(MqttVersion.V5, "pub");
        client.send(publish("t/1", Qos.AT_LEAST_ONCE, 7, false, PAYLOAD));
        SessionCommand.Enqueue enqueue = broker.expectSession(SessionCommand.Enqueue.class);
        assertEquals(Qos.AT_LEAST_ONCE, enqueue.delivery().qos());
        assertNotNull(enqueue.replyTo());
        expectNothingAcknowledgedYet(client);
        enqueue.replyTo().tell(new SessionCommand.Stored(enqueue.correlationId(), true));
        PubAck ack = client.expect(PubAck.class);
        assertEquals(7, ack.packetId());
        assertEquals(ReasonCode.SUCCESS, ack.reasonCode());
    }

    @Test
    @DisplayName("QoS 1 with two subscribers waits for both answers")
    void qos1WaitsForEverySubscriber() {
        broker.subscribe("sub1", "t/+", Qos.AT_LEAST_ONCE);
        broker.subscribe("sub2", "t/#", Qos.EXACTLY_ONCE);
        MqttTestClient client = connected(MqttVersion.V3_1_1, "pub");
        client.send(publish("t/2", Qos.AT_LEAST_ONCE, 8, false, PAYLOAD));
        SessionCommand.Enqueue first = broker.expectSession(SessionCommand.Enqueue.class);
        SessionCommand.Enqueue second = broker.expectSession(SessionCommand.Enqueue.class);
        first.replyTo().tell(new SessionCommand.Stored(first.correlationId(), true));
        expectNothingAcknowledgedYet(client);
        second.replyTo().tell(new SessionCommand.Stored(second.correlationId(), true));
        assertEquals(8, client.expect(PubAck.class).packetId());
    }

    @Test
    @DisplayName("5.0: nobody subscribed gives PUBACK 0x10 No matching subscribers at once")
    void noMatchingSubscribers() {
        MqttTestClient client = connected(MqttVersion.V5, "pub");
        client.send(publish("nobody/listens", Qos.AT_LEAST_ONCE, 9, false, PAYLOAD));
        assertEquals(ReasonCode.NO_MATCHING_SUBSCRIBERS, client.expect(PubAck.class).reasonCode());
    }

    @Test
    @DisplayName("5.0: a QoS 1 publish reaching only a QoS 0 subscriber is a success, with nothing to wait for")
    void onlyQos0Subscribers() {
        broker.subscribe("sub0", "q/0", Qos.AT_MOST_ONCE);
        MqttTestClient client = connected(MqttVersion.V5, "pub");
        client.send(publish("q/0", Qos.AT_LEAST_ONCE, 10, false, PAYLOAD));
        SessionCommand.Enqueue enqueue = broker.expectSession(SessionCommand.Enqueue.class);
        assertNull(enqueue.replyTo());
        assertEquals(ReasonCode.SUCCESS, client.expect(PubAck.class).reasonCode());
    }

    @Test
    @DisplayName("QoS 2: routed, Stored, receipt recorded, then PUBREC; PUBREL gets PUBCOMP")
    void qos2() {
        broker.subscribe("sub", "e/1", Qos.EXACTLY_ONCE);
        MqttTestClient client = connected(MqttVersion.V5, "pub");
        client.send(publish("e/1", Qos.EXACTLY_ONCE, 11, false, PAYLOAD));
        assertEquals(11, broker.expectSession(SessionCommand.CheckInboundQos2.class).packetId());
        SessionCommand.Enqueue enqueue = broker.expectSession(SessionCommand.Enqueue.class);
        expectNothingAcknowledgedYet(client);
        enqueue.replyTo().tell(new SessionCommand.Stored(enqueue.correlationId(), true));
        assertEquals(11, broker.expectSession(SessionCommand.RecordInboundQos2.class).packetId());
        PubRec rec = client.expect(PubRec.class);
        assertEquals(11, rec.packetId());
        assertEquals(ReasonCode.SUCCESS, rec.reasonCode());
        client.send(PubRel.success(11));
        assertEquals(11, broker.expectSession(SessionCommand.ReleaseInboundQos2.class).packetId());
        PubComp comp = client.expect(PubComp.class);
        assertEquals(11, comp.packetId());
        assertEquals(ReasonCode.SUCCESS, comp.reasonCode());
    }

    @Test
    @DisplayName("[MQTT-4.3.3-10] a resent QoS 2 PUBLISH the session holds is acknowledged, not routed again")
    void qos2DuplicateNotRouted() {
        broker.subscribe("sub", "e/2", Qos.EXACTLY_ONCE);
        MqttTestClient client = connected(MqttVersion.V3_1_1, "pub");
        client.send(publish("e/2", Qos.EXACTLY_ONCE, 12, false, PAYLOAD));
        broker.expectSession(SessionCommand.CheckInboundQos2.class);
        SessionCommand.Enqueue enqueue = broker.expectSession(SessionCommand.Enqueue.class);
        enqueue.replyTo().tell(new SessionCommand.Stored(enqueue.correlationId(), true));
        broker.expectSession(SessionCommand.RecordInboundQos2.class);
        assertEquals(12, client.expect(PubRec.class).packetId());

        client.send(new Publish("e/2", Qos.EXACTLY_ONCE, false, true, 12, PAYLOAD, MqttProperties.EMPTY));
        broker.expectSession(SessionCommand.CheckInboundQos2.class);
        assertEquals(12, client.expect(PubRec.class).packetId());
        client.send(PubRel.success(12));
        // Had the duplicate been routed, its Enqueue would come before this.
        broker.expectSession(SessionCommand.ReleaseInboundQos2.class);
        assertEquals(12, client.expect(PubComp.class).packetId());
    }

    @Test
    @DisplayName("5.0: subscribers that do not store in time give PUBACK 0x83")
    void timeout5() {
        broker.subscribe("slow", "s/1", Qos.AT_LEAST_ONCE);
        MqttTestClient client = connected(MqttVersion.V5, "pub");
        client.send(publish("s/1", Qos.AT_LEAST_ONCE, 13, false, PAYLOAD));
        broker.expectSession(SessionCommand.Enqueue.class); // and never answered
        PubAck ack = client.expect(PubAck.class); // publish-ack-timeout is 1.5 s
        assertEquals(13, ack.packetId());
        assertEquals(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, ack.reasonCode());
        assertTrue(broker.server.counters().publishAckTimeouts() >= 1);
    }

    @Test
    @DisplayName("3.1.1 [MQTT-4.8.0-2] a transient error (subscribers that do not store in time) closes the connection "
            + "the PUBLISH came on, so the client resends")
    void timeout311() {
        broker.subscribe("slow", "s/2", Qos.AT_LEAST_ONCE);
        MqttTestClient client = connected(MqttVersion.V3_1_1, "pub");
        client.send(publish("s/2", Qos.AT_LEAST_ONCE, 14, false, PAYLOAD));
        broker.expectSession(SessionCommand.Enqueue.class);
        client.expectClosed();
        assertEquals(Effect.SessionEnd.ABNORMAL, broker.skipTo(SessionCommand.Detach.class).how());
    }

    @Test
    @DisplayName("5.0: a retained publish waits for the retained store; a refusal is PUBACK 0x97")
    void retainRefused5() {
        MqttTestClient client = connected(MqttVersion.V5, "pub");
        client.send(publish("r/1", Qos.AT_LEAST_ONCE, 15, true, PAYLOAD));
        RetainedStore.Retain retain = broker.retainedStore.expectMessageClass(RetainedStore.Retain.class);
        assertEquals("r/1", retain.message().topic());
        assertArrayEquals(PAYLOAD, retain.message().payload());
        expectNothingAcknowledgedYet(client);
        retain.replyTo().tell(new RetainedStore.Retained(retain.correlationId(), false));
        PubAck ack = client.expect(PubAck.class);
        assertEquals(ReasonCode.QUOTA_EXCEEDED, ack.reasonCode());
        assertEquals(1, broker.server.counters().retainedRefused());
    }

    @Test
    @DisplayName("3.1.1: a refused retain is acknowledged normally and counted")
    void retainRefused311() {
        MqttTestClient client = connected(MqttVersion.V3_1_1, "pub");
        client.send(publish("r/2", Qos.AT_LEAST_ONCE, 16, true, PAYLOAD));
        RetainedStore.Retain retain = broker.retainedStore.expectMessageClass(RetainedStore.Retain.class);
        retain.replyTo().tell(new RetainedStore.Retained(retain.correlationId(), false));
        assertEquals(16, client.expect(PubAck.class).packetId());
        assertEquals(1, broker.server.counters().retainedRefused());
    }

    @Test
    @DisplayName("QoS 0: routed without an answer; a retained one, even empty (a delete), goes to the store")
    void qos0() {
        broker.subscribe("sub", "z/#", Qos.AT_LEAST_ONCE);
        MqttTestClient client = connected(MqttVersion.V5, "pub");
        client.send(publish("z/1", Qos.AT_MOST_ONCE, 0, true, new byte[0]));
        RetainedStore.Retain retain = broker.retainedStore.expectMessageClass(RetainedStore.Retain.class);
        assertEquals(0, retain.message().payload().length);
        SessionCommand.Enqueue enqueue = broker.expectSession(SessionCommand.Enqueue.class);
        assertEquals(Qos.AT_MOST_ONCE, enqueue.delivery().qos());
        assertNull(enqueue.replyTo());
        // Acknowledged to the store anyway: no PUBACK may follow for QoS 0.
        retain.replyTo().tell(new RetainedStore.Retained(retain.correlationId(), true));
        expectNothingAcknowledgedYet(client);
    }

    @Test
    @DisplayName("acknowledgements leave in the order the PUBLISHes came, whatever order the answers come in")
    void acknowledgementsInOrder() {
        broker.subscribe("sub", "o/#", Qos.AT_LEAST_ONCE);
        MqttTestClient client = connected(MqttVersion.V5, "pub");
        client.send(publish("o/1", Qos.AT_LEAST_ONCE, 21, false, PAYLOAD));
        client.send(publish("o/2", Qos.AT_LEAST_ONCE, 22, false, PAYLOAD));
        SessionCommand.Enqueue first = broker.expectSession(SessionCommand.Enqueue.class);
        SessionCommand.Enqueue second = broker.expectSession(SessionCommand.Enqueue.class);
        assertNotEquals(first.correlationId(), second.correlationId());
        second.replyTo().tell(new SessionCommand.Stored(second.correlationId(), true));
        expectNothingAcknowledgedYet(client);
        first.replyTo().tell(new SessionCommand.Stored(first.correlationId(), true));
        assertEquals(21, client.expect(PubAck.class).packetId());
        assertEquals(22, client.expect(PubAck.class).packetId());
    }

    @Test
    @DisplayName("3.1.1 [MQTT-4.6.0-2] [MQTT-4.6.0-3] PUBACKs and PUBRECs go out in the order the PUBLISHes were "
            + "received, whatever order the subscribers' sessions answer in")
    void v3AcknowledgementsInOrder() {
        broker.subscribe("sub", "v3o/#", Qos.EXACTLY_ONCE);
        MqttTestClient client = connected(MqttVersion.V3_1_1, "pub3");
        client.send(publish("v3o/1", Qos.AT_LEAST_ONCE, 31, false, PAYLOAD));
        client.send(publish("v3o/2", Qos.EXACTLY_ONCE, 32, false, PAYLOAD));
        client.send(publish("v3o/3", Qos.AT_LEAST_ONCE, 33, false, PAYLOAD));
        java.util.Map<String, SessionCommand.Enqueue> byTopic = new java.util.HashMap<>();
        for (int i = 0; i < 3; i++) {
            SessionCommand.Enqueue e = broker.skipTo(SessionCommand.Enqueue.class);
            byTopic.put(e.delivery().message().topic(), e);
        }
        expectNothingAcknowledgedYet(client);

        for (String topic : java.util.List.of("v3o/3", "v3o/2", "v3o/1")) { // answers in reverse
            SessionCommand.Enqueue e = byTopic.get(topic);
            e.replyTo().tell(new SessionCommand.Stored(e.correlationId(), true));
        }

        assertEquals(31, client.expect(PubAck.class).packetId());
        assertEquals(32, client.expect(PubRec.class).packetId());
        assertEquals(33, client.expect(PubAck.class).packetId());
    }
}
