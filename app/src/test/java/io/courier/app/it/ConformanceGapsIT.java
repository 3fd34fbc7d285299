package io.courier.app.it;

import static io.courier.app.it.HiveMqClients.bytes;
import static io.courier.app.it.HiveMqClients.inbox;
import static io.courier.app.it.HiveMqClients.receive;
import static io.courier.app.it.HiveMqClients.text;
import static io.courier.app.it.HiveMqClients.uniqueId;
import static io.courier.app.it.HiveMqClients.uniqueTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import io.courier.protocol.packet.Connect;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PingReq;
import io.courier.protocol.packet.PingResp;
import io.courier.protocol.packet.PubAck;
import io.courier.protocol.packet.PubComp;
import io.courier.protocol.packet.PubRec;
import io.courier.protocol.packet.PubRel;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.SubAck;
import io.courier.protocol.packet.Subscribe;
import io.courier.protocol.packet.Subscription;
import io.courier.protocol.packet.SubscriptionOptions;
import io.courier.protocol.packet.UnsubAck;
import io.courier.protocol.packet.Unsubscribe;
import io.courier.protocol.packet.Will;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Normative statements of 3.1.1 and 5.0 that no other test traced (docs/conformance.md), each
 * proven end to end: third-party clients where they can express the case, raw sockets where the
 * case needs a DUP flag, a withheld acknowledgement or a dropped connection.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConformanceGapsIT {

    @RegisterExtension
    static final BrokerFixture FIXTURE = new BrokerFixture("");

    private final List<MqttAsyncClient> paho = new ArrayList<>();

    @AfterEach
    void closePaho() throws Exception {
        for (MqttAsyncClient c : paho) {
            if (c.isConnected()) {
                c.disconnect().waitForCompletion(5000);
            }
            c.close();
        }
    }

    // ---- DUP, topic names, unsubscribe ----------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("3.1.1 and 5.0 [MQTT-3.3.1-3] [MQTT-4.3.3-2] the DUP flag a subscriber sees says only whether that "
            + "PUBLISH is a resend: a QoS 2 message published with DUP 1 arrives with QoS 2, a packet id and DUP 0, "
            + "and with DUP 1 when resent after a reconnect")
    void dupReflectsOnlyRetransmission(MqttVersion version) throws Exception {
        String topic = uniqueTopic("dup");
        String subId = uniqueId("dupsub");
        RawMqttSocket sub = persistentRaw(version, subId);
        subscribe(sub, topic, Qos.EXACTLY_ONCE);
        RawMqttSocket pub = raw(version);
        pub.connectOk(RawMqttSocket.connect(version, uniqueId("duppub"), true, 60, MqttProperties.EMPTY));

        pub.send(new Publish(topic, Qos.EXACTLY_ONCE, false, true, 7, bytes("m"), MqttProperties.EMPTY));
        assertEquals(7, pub.expect(PubRec.class).packetId());
        pub.send(PubRel.success(7));
        assertEquals(7, pub.expect(PubComp.class).packetId());
        Publish first = sub.expect(Publish.class);
        assertEquals(Qos.EXACTLY_ONCE, first.qos());
        assertTrue(first.packetId() > 0, "a QoS 2 PUBLISH carries a packet identifier");
        assertFalse(first.dup(), "first delivery: DUP 0 whatever the publisher's DUP was");
        sub.abort(); // no PUBREC

        RawMqttSocket again = persistentRaw(version, subId);
        Publish resent = again.expect(Publish.class);
        assertTrue(resent.dup(), "a resend carries DUP 1");
        assertEquals(first.packetId(), resent.packetId());
        again.send(PubRec.success(resent.packetId()));
        assertEquals(resent.packetId(), again.expect(PubRel.class).packetId());
        again.send(PubComp.success(resent.packetId()));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("3.1.1 and 5.0 [MQTT-3.10.4-3] after UNSUBSCRIBE a QoS 1 delivery already sent is still completed "
            + "(resent on reconnect), and no new message on that filter arrives")
    void unsubscribeCompletesStartedDeliveries(MqttVersion version) throws Exception {
        String topic = uniqueTopic("unsub");
        String subId = uniqueId("unsubber");
        RawMqttSocket sub = persistentRaw(version, subId);
        subscribe(sub, topic, Qos.AT_LEAST_ONCE);
        Mqtt5BlockingClient pub = FIXTURE.clients().v5Connected(uniqueId("pub"));
        HiveMqClients.publish(pub, topic, "started", 1);
        Publish started = sub.expect(Publish.class);

        sub.send(new Unsubscribe(2, List.of(topic), MqttProperties.EMPTY));
        assertEquals(2, sub.expect(UnsubAck.class).packetId());
        HiveMqClients.publish(pub, topic, "after", 1); // no subscriber any more
        sub.abort();

        RawMqttSocket again = persistentRaw(version, subId);
        Publish resent = again.expect(Publish.class);
        assertEquals(started.packetId(), resent.packetId());
        assertEquals("started", text(resent.payload()));
        again.send(PubAck.success(resent.packetId()));
        String fence = uniqueTopic("fence");
        subscribe(again, fence, Qos.AT_LEAST_ONCE);
        HiveMqClients.publish(pub, fence, "fence", 1);
        assertEquals(fence, again.expect(Publish.class).topic(), "the message published after UNSUBSCRIBE never came");
    }

    @Test
    @DisplayName("3.1.1 and 5.0 [MQTT-3.3.2-3] the topic name a subscriber receives is the published one, matching its "
            + "wildcard filter; non-matching topics are not sent")
    void topicNameMatchesTheFilter() throws Exception {
        String base = uniqueTopic("match");
        Mqtt3BlockingClient v3 = FIXTURE.clients().v3Connected(uniqueId("v3"));
        Mqtt3BlockingClient.Mqtt3Publishes v3Inbox = inbox(v3);
        v3.subscribeWith().topicFilter(base + "/+/t/#").qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient v5 = FIXTURE.clients().v5Connected(uniqueId("v5"));
        Mqtt5BlockingClient.Mqtt5Publishes v5Inbox = inbox(v5);
        v5.subscribeWith().topicFilter(base + "/+/t/#").qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient pub = FIXTURE.clients().v5Connected(uniqueId("pub"));

        for (String suffix : List.of("/a/t", "/a/x", "/b/t/c/d", "/t")) {
            HiveMqClients.publish(pub, base + suffix, suffix, 1);
        }

        for (String suffix : List.of("/a/t", "/b/t/c/d")) {
            HiveMqClients.receive(v3Inbox, base + suffix, suffix);
            receive(v5Inbox, base + suffix, suffix);
        }
        HiveMqClients.publish(pub, base + "/z/t", "fence", 1);
        HiveMqClients.receive(v3Inbox, base + "/z/t", "fence");
        receive(v5Inbox, base + "/z/t", "fence");
    }

    // ---- retained messages and wills (3.1.1) ------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("3.1.1 [MQTT-3.3.1-12] and 5.0 [MQTT-3.3.1-8] a PUBLISH with RETAIN 0 neither stores nor replaces the "
            + "topic's retained message")
    void retainZeroLeavesTheRetainedMessage(MqttVersion version) throws Exception {
        String topic = uniqueTopic("keep");
        if (version == MqttVersion.V3_1_1) {
            Mqtt3BlockingClient pub = FIXTURE.clients().v3Connected(uniqueId("pub3"));
            HiveMqClients.publishRetained(pub, topic, "kept", 1);
            HiveMqClients.publish(pub, topic, "passing", 1);
        } else {
            Mqtt5BlockingClient pub = FIXTURE.clients().v5Connected(uniqueId("pub5"));
            HiveMqClients.publishRetained(pub, topic, "kept", 1);
            HiveMqClients.publish(pub, topic, "passing", 1);
        }

        Mqtt3BlockingClient late = FIXTURE.clients().v3Connected(uniqueId("late3"));
        Mqtt3BlockingClient.Mqtt3Publishes inbox = inbox(late);
        late.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt3Publish got = HiveMqClients.receive(inbox, topic, "kept");
        assertTrue(got.isRetain());
    }

    @Test
    @DisplayName("3.1.1 [MQTT-3.1.2-7] a retained message is not session state: it outlives the session of its publisher")
    void retainedOutlivesThePublishersSession() throws Exception {
        String topic = uniqueTopic("outlive");
        String id = uniqueId("pub3");
        Mqtt3BlockingClient pub = FIXTURE.clients().v3(id);
        pub.connectWith().cleanSession(false).send();
        HiveMqClients.publishRetained(pub, topic, "still here", 1);
        pub.disconnect();
        pub.connectWith().cleanSession(true).send(); // discards the session
        pub.disconnect();

        Mqtt3BlockingClient late = FIXTURE.clients().v3Connected(uniqueId("late3"));
        Mqtt3BlockingClient.Mqtt3Publishes inbox = inbox(late);
        late.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        assertTrue(HiveMqClients.receive(inbox, topic, "still here").isRetain());
    }

    @ParameterizedTest(name = "{0}, Will Retain {1}")
    @CsvSource({"V3_1_1, false", "V3_1_1, true", "V5, false", "V5, true"})
    @DisplayName("3.1.1 [MQTT-3.1.2-16] [MQTT-3.1.2-17] and 5.0 [MQTT-3.1.2-14] [MQTT-3.1.2-15] a will is published "
            + "retained exactly when Will Retain is 1: a later subscriber gets it as retained, or nothing")
    void willRetainDecidesWhetherTheWillIsRetained(MqttVersion version, boolean retain) throws Exception {
        String topic = uniqueTopic("will");
        Mqtt3BlockingClient watcher = FIXTURE.clients().v3Connected(uniqueId("watch3"));
        Mqtt3BlockingClient.Mqtt3Publishes watched = inbox(watcher);
        watcher.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        RawMqttSocket dying = raw(version);
        dying.connectOk(new Connect(version, uniqueId("dying"), true, 60, null, null,
                new Will(topic, bytes("gone"), Qos.AT_LEAST_ONCE, retain, MqttProperties.EMPTY), MqttProperties.EMPTY));

        dying.abort();

        HiveMqClients.receive(watched, topic, "gone"); // a live subscription gets it either way
        Mqtt3BlockingClient late = FIXTURE.clients().v3Connected(uniqueId("late3"));
        Mqtt3BlockingClient.Mqtt3Publishes lateInbox = inbox(late);
        late.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        if (retain) {
            assertTrue(HiveMqClients.receive(lateInbox, topic, "gone").isRetain());
        } else {
            Mqtt3BlockingClient pub = FIXTURE.clients().v3Connected(uniqueId("pub3"));
            HiveMqClients.publish(pub, topic, "fence", 1);
            HiveMqClients.receive(lateInbox, topic, "fence"); // nothing retained came first
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("3.1.1 [MQTT-3.8.4-3] and 5.0 [MQTT-3.8.4-4] a SUBSCRIBE replacing a subscription (5.0: Retain "
            + "Handling 0) sends the retained message again, and no message is lost by the replacement")
    void replacingASubscriptionResendsRetained(MqttVersion version) throws Exception {
        String topic = uniqueTopic("replace");
        Mqtt5BlockingClient pub = FIXTURE.clients().v5Connected(uniqueId("pub"));
        HiveMqClients.publishRetained(pub, topic, "r", 1);
        if (version == MqttVersion.V3_1_1) {
            Mqtt3BlockingClient sub = FIXTURE.clients().v3Connected(uniqueId("sub3"));
            Mqtt3BlockingClient.Mqtt3Publishes inbox = inbox(sub);
            for (int round = 0; round < 2; round++) {
                sub.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
                assertTrue(HiveMqClients.receive(inbox, topic, "r").isRetain(), "round " + round);
            }
            HiveMqClients.publish(pub, topic, "after", 1);
            assertFalse(HiveMqClients.receive(inbox, topic, "after").isRetain());
            return;
        }
        Mqtt5BlockingClient sub = FIXTURE.clients().v5Connected(uniqueId("sub"));
        Mqtt5BlockingClient.Mqtt5Publishes inbox = inbox(sub);
        for (int round = 0; round < 2; round++) {
            sub.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .retainHandling(Mqtt5RetainHandling.SEND).send();
            assertTrue(receive(inbox, topic, "r").isRetain(), "round " + round);
        }
        HiveMqClients.publish(pub, topic, "after", 1);
        assertFalse(receive(inbox, topic, "after").isRetain());
    }

    // ---- flow control -------------------------------------------------------------------------

    @Test
    @DisplayName("5.0 [MQTT-4.9.0-1] [MQTT-4.9.0-3] [MQTT-3.3.4-10] with Receive Maximum 1 the server sends one QoS 1 "
            + "PUBLISH (a non-zero quota, not above the maximum), then only other packets (PINGRESP, SUBACK) until PUBACK")
    void receiveMaximumDelaysOnlyPublish() throws Exception {
        String topic = uniqueTopic("quota");
        RawMqttSocket sub = raw(MqttVersion.V5);
        sub.connectOk(RawMqttSocket.connect(MqttVersion.V5, uniqueId("quota"), true, 60,
                MqttProperties.builder().add(PropertyId.RECEIVE_MAXIMUM, 1).build()));
        subscribe(sub, topic, Qos.AT_LEAST_ONCE);
        Mqtt5BlockingClient pub = FIXTURE.clients().v5Connected(uniqueId("pub"));
        HiveMqClients.publish(pub, topic, "1", 1);
        HiveMqClients.publish(pub, topic, "2", 1);

        Publish first = sub.expect(Publish.class);
        assertEquals("1", text(first.payload()));
        sub.send(PingReq.INSTANCE);
        sub.expect(PingResp.class); // not the second PUBLISH: the quota is 0
        sub.send(new Subscribe(9, List.of(new Subscription(uniqueTopic("other"), SubscriptionOptions.of(Qos.AT_LEAST_ONCE))),
                MqttProperties.EMPTY));
        assertEquals(9, sub.expect(SubAck.class).packetId());

        sub.send(PubAck.success(first.packetId()));
        assertEquals("2", text(sub.expect(Publish.class).payload()));
    }

    // ---- sessions -----------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("3.1.1 and 5.0 [MQTT-3.1.3-2] the client identifier keys the session: another id finds none (and, "
            + "5.0 [MQTT-3.1.2-6], Clean Start 0 creates one for it), the same id resumes it with what was queued")
    void clientIdKeysTheSession(MqttVersion version) throws Exception {
        String topic = uniqueTopic("keyed");
        String id = uniqueId("keyed");
        RawMqttSocket first = persistentRaw(version, id);
        subscribe(first, topic, Qos.AT_LEAST_ONCE);
        first.close();
        FIXTURE.broker().awaitOffline(id);
        Mqtt5BlockingClient pub = FIXTURE.clients().v5Connected(uniqueId("pub"));
        HiveMqClients.publish(pub, topic, "queued", 1);

        String otherId = uniqueId("other");
        RawMqttSocket other = raw(version);
        assertFalse(other.connectOk(persistentConnect(version, otherId)).sessionPresent());
        other.close();
        FIXTURE.broker().awaitOffline(otherId);
        RawMqttSocket otherAgain = raw(version);
        assertTrue(otherAgain.connectOk(persistentConnect(version, otherId)).sessionPresent(), "created by Clean Start 0");
        RawMqttSocket same = raw(version);
        assertTrue(same.connectOk(persistentConnect(version, id)).sessionPresent());
        assertEquals("queued", text(same.expect(Publish.class).payload()));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("3.1.1 and 5.0 [MQTT-4.1.0-1] [MQTT-4.1.0-2] a session lasts at least as long as its connection: "
            + "2 s after connecting (5.0: with a 1 s Session Expiry Interval) its subscription still delivers")
    void sessionLastsAsLongAsItsConnection(MqttVersion version) throws Exception {
        String topic = uniqueTopic("alive");
        RawMqttSocket sub = raw(version);
        MqttProperties props = version.isV5()
                ? MqttProperties.builder().add(PropertyId.SESSION_EXPIRY_INTERVAL, 1L).build() : MqttProperties.EMPTY;
        sub.connectOk(RawMqttSocket.connect(version, uniqueId("alive"), true, 60, props));
        subscribe(sub, topic, Qos.AT_LEAST_ONCE);

        Thread.sleep(2000); // longer than the expiry interval, which counts only after the connection closes
        sub.send(PingReq.INSTANCE);
        sub.expect(PingResp.class);
        Mqtt5BlockingClient pub = FIXTURE.clients().v5Connected(uniqueId("pub"));
        HiveMqClients.publish(pub, topic, "still", 1);
        assertEquals("still", text(sub.expect(Publish.class).payload()));
    }

    // ---- interoperation -----------------------------------------------------------------------

    @Test
    @DisplayName("3.1.1 and 5.0 [MQTT-7.0.0-2] [MQTT-7.1.1-1] clients of three independent implementations (HiveMQ "
            + "3.1.1, Eclipse Paho 5.0, HiveMQ 5.0) interoperate through plain TCP, 200 messages in order, nothing lost")
    void independentClientsInteroperate() throws Exception {
        String topic = uniqueTopic("interop");
        PahoV5Inbox pahoInbox = new PahoV5Inbox();
        MqttAsyncClient pahoSub = new MqttAsyncClient(FIXTURE.broker().uri(), uniqueId("paho5"), new MemoryPersistence());
        paho.add(pahoSub);
        pahoSub.setCallback(pahoInbox);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        pahoSub.connect(options).waitForCompletion(5000);
        pahoSub.subscribe(topic, 1).waitForCompletion(5000);
        Mqtt5BlockingClient hiveSub = FIXTURE.clients().v5Connected(uniqueId("hive5"));
        Mqtt5BlockingClient.Mqtt5Publishes hiveInbox = inbox(hiveSub);
        hiveSub.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt3BlockingClient pub = FIXTURE.clients().v3Connected(uniqueId("hive3"));

        int count = 200;
        for (int i = 0; i < count; i++) {
            HiveMqClients.publish(pub, topic, Integer.toString(i), 1);
        }

        for (int i = 0; i < count; i++) {
            Mqtt5Publish h = receive(hiveInbox);
            assertEquals(Integer.toString(i), text(h.getPayloadAsBytes()), "HiveMQ 5.0 subscriber, message " + i);
            PahoV5Inbox.Received p = pahoInbox.next();
            assertEquals(Integer.toString(i), text(p.message().getPayload()), "Paho 5.0 subscriber, message " + i);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private RawMqttSocket raw(MqttVersion version) throws Exception {
        return FIXTURE.clients().raw(version);
    }

    /** A CONNECT that keeps the session: 3.1.1 Clean Session 0, 5.0 Session Expiry 60 s. */
    private static Connect persistentConnect(MqttVersion version, String id) {
        MqttProperties props = version.isV5()
                ? MqttProperties.builder().add(PropertyId.SESSION_EXPIRY_INTERVAL, 60L).build() : MqttProperties.EMPTY;
        return RawMqttSocket.connect(version, id, false, 60, props);
    }

    private RawMqttSocket persistentRaw(MqttVersion version, String id) throws Exception {
        RawMqttSocket s = raw(version);
        s.connectOk(persistentConnect(version, id));
        return s;
    }

    private static void subscribe(RawMqttSocket s, String filter, Qos qos) throws Exception {
        s.send(new Subscribe(1, List.of(new Subscription(filter, SubscriptionOptions.of(qos))), MqttProperties.EMPTY));
        s.expect(SubAck.class);
    }
}
