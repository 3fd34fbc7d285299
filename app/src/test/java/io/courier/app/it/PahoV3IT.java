package io.courier.app.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.packet.ConnAck;
import io.courier.protocol.packet.Connect;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PubAck;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.SubAck;
import io.courier.protocol.packet.Subscribe;
import io.courier.protocol.packet.Subscription;
import io.courier.protocol.packet.SubscriptionOptions;
import io.courier.protocol.packet.Will;
import io.courier.protocol.property.MqttProperties;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MQTT 3.1.1 end to end with Eclipse Paho's mqttv3 client (and, where Paho cannot misbehave
 * on purpose, a raw socket): one broker for the class, a fresh client id and topic per test.
 * Statement ids are those of the 3.1.1 specification.
 */
class PahoV3IT {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static EmbeddedBroker broker;
    /** Publishes for the tests whose subject is the receiving side (a Paho connect costs ~0.3 s). */
    private static MqttClient publisher;

    private final List<MqttClient> clients = new ArrayList<>();
    private final List<RawMqttSocket> sockets = new ArrayList<>();

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedBroker.start();
        publisher = new MqttClient(broker.uri(), "pv3-publisher", new MemoryPersistence());
        publisher.setTimeToWait(RawMqttSocket.WAIT.toMillis());
        publisher.connect(options(true));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (publisher != null) {
            publisher.disconnect(0);
            publisher.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @AfterEach
    void closeClients() throws Exception {
        for (MqttClient c : clients) {
            try {
                if (c.isConnected()) {
                    c.disconnect(0); // disconnectForcibly would wait its whole timeout
                }
                c.close(true);
            } catch (MqttException e) {
                // already gone
            }
        }
        for (RawMqttSocket s : sockets) {
            s.close();
        }
    }

    // ---- CONNECT / CONNACK ----

    @Test
    @DisplayName("[MQTT-3.2.2-1] [MQTT-3.2.2-2] CONNACK: clean session 1 gets Session Present 0; "
            + "clean session 0 gets 1 once a session exists")
    void connAckSessionPresent() throws Exception {
        String id = clientId();
        MqttClient client = client(id);
        assertFalse(client.connectWithResult(options(true)).getSessionPresent(), "clean session 1");
        client.disconnect();
        assertFalse(client.connectWithResult(options(false)).getSessionPresent(), "first persistent connect");
        client.disconnect();
        assertTrue(client.connectWithResult(options(false)).getSessionPresent(), "resumed persistent session");
    }

    // ---- QoS 0 / 1 / 2 both directions ----

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    @DisplayName("[MQTT-3.8.4-6] [MQTT-4.3.2-1] [MQTT-4.3.3-1] a message published with QoS n to a QoS n "
            + "subscription arrives once, with QoS n and its payload")
    void publishAndSubscribeAtEachQos(int qos) throws Exception {
        String topic = topic("qos" + qos);
        PahoV3Inbox inbox = new PahoV3Inbox();
        MqttClient subscriber = connected(clientId(), true, inbox);
        IMqttToken granted = subscriber.subscribeWithResponse(topic, qos);
        assertEquals(qos, granted.getGrantedQos()[0], "granted QoS");

        publisher.publish(topic, payload("hello " + qos), qos, false);

        PahoV3Inbox.Received r = inbox.next();
        assertEquals(topic, r.topic());
        assertEquals("hello " + qos, r.text());
        assertEquals(qos, r.message().getQos());
        assertFalse(r.message().isRetained(), "a live message is not retained");
        publisher.publish(topic, payload("marker"), qos, false);
        assertEquals("marker", inbox.next().text(), "the message arrived exactly once");
    }

    @Test
    @DisplayName("[MQTT-3.8.4-6] a QoS 2 message to a QoS 0 subscription is delivered with QoS 0 (the lower)")
    void deliveryQosIsTheLowerOfPublishedAndGranted() throws Exception {
        String topic = topic("downgrade");
        PahoV3Inbox inbox = new PahoV3Inbox();
        connected(clientId(), true, inbox).subscribe(topic, 0);
        publisher.publish(topic, payload("two"), 2, false);
        assertEquals(0, inbox.next().message().getQos());
    }

    @Test
    @DisplayName("[MQTT-4.6.0-5] [MQTT-4.6.0-6] QoS 1 messages from one publisher on one topic arrive in the order sent")
    void orderPerTopic() throws Exception {
        String topic = topic("order");
        PahoV3Inbox inbox = new PahoV3Inbox();
        connected(clientId(), true, inbox).subscribe(topic, 1);
        for (int i = 0; i < 20; i++) {
            publisher.publish(topic, payload("m" + i), 1, false);
        }
        for (int i = 0; i < 20; i++) {
            assertEquals("m" + i, inbox.next().text());
        }
    }

    // ---- retained messages ----

    @Test
    @DisplayName("[MQTT-3.3.1-5] [MQTT-3.3.1-6] [MQTT-3.3.1-8] [MQTT-3.3.1-10] a retained message is stored, "
            + "replaced by the next, sent to new subscribers with RETAIN 1, and deleted by an empty payload")
    void retainedSetReplaceDelete() throws Exception {
        String topic = topic("retained");
        publisher.publish(topic, payload("first"), 1, true);
        publisher.publish(topic, payload("second"), 1, true);

        PahoV3Inbox late = new PahoV3Inbox();
        connected(clientId(), true, late).subscribe(topic, 1);
        PahoV3Inbox.Received r = late.next();
        assertEquals("second", r.text(), "only the latest retained message is kept");
        assertTrue(r.message().isRetained(), "sent because of the subscription: RETAIN 1");

        publisher.publish(topic, new byte[0], 1, true);
        PahoV3Inbox later = new PahoV3Inbox();
        connected(clientId(), true, later).subscribe(topic, 1);
        publisher.publish(topic, payload("live"), 1, false);
        PahoV3Inbox.Received first = later.next();
        assertEquals("live", first.text(), "the deleted retained message was not sent on subscribe");
        assertFalse(first.message().isRetained());
    }

    @Test
    @DisplayName("[MQTT-3.3.1-6] a wildcard subscription gets every matching retained message, and no other")
    void retainedWildcardDelivery() throws Exception {
        String base = topic("wild");
        publisher.publish(base + "/a", payload("a"), 1, true);
        publisher.publish(base + "/b/c", payload("bc"), 1, true);
        publisher.publish(base + "/d", payload("d"), 0, true);
        publisher.publish(base + "x/e", payload("other"), 1, true);

        PahoV3Inbox inbox = new PahoV3Inbox();
        connected(clientId(), true, inbox).subscribe(base + "/#", 1);
        Map<String, String> got = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            PahoV3Inbox.Received r = inbox.next();
            assertTrue(r.message().isRetained());
            got.put(r.topic(), r.text());
        }
        assertEquals(Map.of(base + "/a", "a", base + "/b/c", "bc", base + "/d", "d"), got);
        publisher.publish(base + "/a", payload("marker"), 1, false);
        assertEquals("marker", inbox.next().text(), "nothing else (no non-matching retained topic) came before");
    }

    // ---- wills ----

    @Test
    @DisplayName("[MQTT-3.1.2-8] a client whose connection drops without DISCONNECT has its will published")
    void willOnAbruptClose() throws Exception {
        String willTopic = topic("will");
        PahoV3Inbox watcher = new PahoV3Inbox();
        connected(clientId(), true, watcher).subscribe(willTopic, 1);

        KillableSocketFactory sockets = new KillableSocketFactory();
        MqttConnectOptions o = options(true);
        o.setWill(willTopic, payload("gone"), 1, false);
        o.setSocketFactory(sockets);
        PahoV3Inbox dying = new PahoV3Inbox();
        MqttClient client = client(clientId());
        client.setCallback(dying);
        client.connect(o);
        sockets.kill();

        PahoV3Inbox.Received will = watcher.next();
        assertEquals(willTopic, will.topic());
        assertEquals("gone", will.text());
        assertEquals(1, will.message().getQos());
        assertTrue(dying.lost.await(5, TimeUnit.SECONDS), "Paho noticed its socket was cut");
    }

    @Test
    @DisplayName("[MQTT-3.1.2-8] a raw client that vanishes (TCP reset) has its retained will published")
    void willOfRawClientOnReset() throws Exception {
        String willTopic = topic("rawwill");
        PahoV3Inbox watcher = new PahoV3Inbox();
        connected(clientId(), true, watcher).subscribe(willTopic, 1);

        RawMqttSocket raw = raw();
        raw.connectOk(new Connect(MqttVersion.V3_1_1, clientId(), true, 60, null, null,
                new Will(willTopic, payload("raw gone"), Qos.AT_LEAST_ONCE, true,
                        MqttProperties.EMPTY),
                MqttProperties.EMPTY));
        raw.abort();

        PahoV3Inbox.Received will = watcher.next();
        assertEquals("raw gone", will.text());
        PahoV3Inbox late = new PahoV3Inbox();
        connected(clientId(), true, late).subscribe(willTopic, 1);
        PahoV3Inbox.Received retained = late.next();
        assertEquals("raw gone", retained.text(), "will retain 1 makes it a retained message [MQTT-3.1.2-17]");
        assertTrue(retained.message().isRetained());
    }

    @Test
    @DisplayName("[MQTT-3.1.2-10] [MQTT-3.14.4-3] a client that sends DISCONNECT has its will discarded")
    void noWillAfterDisconnect() throws Exception {
        String willTopic = topic("nowill");
        PahoV3Inbox watcher = new PahoV3Inbox();
        connected(clientId(), true, watcher).subscribe(willTopic, 1);

        String id = clientId();
        MqttConnectOptions o = options(true);
        o.setWill(willTopic, payload("should not appear"), 1, false);
        MqttClient client = client(id);
        client.connect(o);
        client.disconnect();
        // The same client id again: its session handled the DISCONNECT first, will included.
        MqttClient again = connected(id, true, new PahoV3Inbox());
        again.publish(willTopic, payload("marker"), 1, false);
        assertEquals("marker", watcher.next().text(), "no will before the marker");
    }

    // ---- sessions ----

    @Test
    @DisplayName("[MQTT-3.1.2-4] [MQTT-3.1.2-5] a persistent session keeps its subscription "
            + "and queues QoS 1 messages while offline; they arrive, in order, on reconnect")
    void persistentSessionQueuesOfflineMessages() throws Exception {
        String id = clientId();
        String topic = topic("offline");
        MqttClient subscriber = client(id);
        subscriber.setCallback(new PahoV3Inbox());
        subscriber.connect(options(false));
        subscriber.subscribe(topic, 1);
        subscriber.disconnect();

        for (int i = 0; i < 3; i++) {
            publisher.publish(topic, payload("queued " + i), 1, false);
        }
        publisher.publish(topic, payload("qos0 may be dropped"), 0, false);

        PahoV3Inbox inbox = new PahoV3Inbox();
        MqttClient back = client(id);
        back.setCallback(inbox);
        assertTrue(back.connectWithResult(options(false)).getSessionPresent());
        for (int i = 0; i < 3; i++) {
            PahoV3Inbox.Received r = inbox.next();
            assertEquals("queued " + i, r.text());
            assertEquals(1, r.message().getQos());
        }
        publisher.publish(topic, payload("live"), 1, false);
        PahoV3Inbox.Received live = inbox.nextMatching(m -> m.text().equals("live"));
        assertNotNull(live, "the resumed subscription still delivers");
    }

    @Test
    @DisplayName("[MQTT-3.1.2-6] [MQTT-3.1.4-3] 3.1.1 clean session 1 is processed: it discards the previous session, no "
            + "subscription, no queue")
    void cleanSessionDiscardsState() throws Exception {
        String id = clientId();
        String topic = topic("clean");
        MqttClient subscriber = client(id);
        subscriber.connect(options(false));
        subscriber.subscribe(topic, 1);
        subscriber.disconnect();
        publisher.publish(topic, payload("for the old session"), 1, false);

        PahoV3Inbox inbox = new PahoV3Inbox();
        MqttClient fresh = client(id);
        fresh.setCallback(inbox);
        assertFalse(fresh.connectWithResult(options(true)).getSessionPresent());
        String marker = topic("clean-marker");
        fresh.subscribe(marker, 1);
        publisher.publish(topic, payload("after clean start"), 1, false);
        publisher.publish(marker, payload("marker"), 1, false);
        PahoV3Inbox.Received first = inbox.next();
        assertEquals(marker, first.topic(), "neither the queued message nor the old subscription survived");
    }

    @Test
    @DisplayName("[MQTT-4.4.0-1] [MQTT-3.3.1-1] an unacknowledged QoS 1 message is resent on reconnect "
            + "with DUP 1 and the same packet identifier")
    void unacknowledgedQos1IsResentWithDup() throws Exception {
        String id = clientId();
        String topic = topic("dup");
        RawMqttSocket first = raw();
        first.connectOk(RawMqttSocket.connect(MqttVersion.V3_1_1, id, false, 60, MqttProperties.EMPTY));
        first.send(new Subscribe(1, List.of(new Subscription(topic, SubscriptionOptions.of(Qos.AT_LEAST_ONCE))),
                MqttProperties.EMPTY));
        first.expect(SubAck.class);

        publisher.publish(topic, payload("unacked"), 1, false);
        Publish sent = first.expect(Publish.class);
        assertFalse(sent.dup(), "first delivery has DUP 0");
        assertEquals(Qos.AT_LEAST_ONCE, sent.qos());
        first.abort(); // no PUBACK

        RawMqttSocket second = raw();
        ConnAck ack = second.connectOk(RawMqttSocket.connect(MqttVersion.V3_1_1, id, false, 60, MqttProperties.EMPTY));
        assertTrue(ack.sessionPresent());
        Publish resent = second.expect(Publish.class);
        assertTrue(resent.dup(), "resent with DUP 1");
        assertEquals(sent.packetId(), resent.packetId(), "same packet identifier");
        assertEquals(topic, resent.topic());
        assertArrayEquals(payload("unacked"), resent.payload());
        second.send(PubAck.success(resent.packetId()));
    }

    @Test
    @DisplayName("[MQTT-3.1.4-2] a second connection with the same client id closes the first")
    void takeoverClosesTheFirstClient() throws Exception {
        String id = clientId();
        PahoV3Inbox firstInbox = new PahoV3Inbox();
        MqttClient first = connected(id, false, firstInbox);
        String topic = topic("takeover");
        first.subscribe(topic, 1);

        PahoV3Inbox secondInbox = new PahoV3Inbox();
        MqttClient second = client(id);
        second.setCallback(secondInbox);
        assertTrue(second.connectWithResult(options(false)).getSessionPresent(), "the session moved over");

        assertTrue(firstInbox.lost.await(5, TimeUnit.SECONDS), "the first client was disconnected");
        assertTrue(second.isConnected());
        publisher.publish(topic, payload("to the new owner"), 1, false);
        assertEquals("to the new owner", secondInbox.next().text());
        assertNull(firstInbox.messages.poll(), "the first client gets nothing any more");
    }

    // ---- helpers ----

    private static String clientId() {
        return "pv3-" + SEQUENCE.incrementAndGet();
    }

    private static String topic(String name) {
        return "pv3/" + SEQUENCE.incrementAndGet() + "/" + name;
    }

    private static byte[] payload(String text) {
        return text.getBytes(UTF_8);
    }

    private static MqttConnectOptions options(boolean cleanSession) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(cleanSession);
        o.setConnectionTimeout(5);
        o.setKeepAliveInterval(30);
        o.setAutomaticReconnect(false);
        return o;
    }

    private MqttClient client(String id) throws MqttException {
        MqttClient c = new MqttClient(broker.uri(), id, new MemoryPersistence());
        c.setTimeToWait(RawMqttSocket.WAIT.toMillis());
        clients.add(c);
        return c;
    }

    private MqttClient connected(String id, boolean cleanSession, PahoV3Inbox inbox) throws MqttException {
        MqttClient c = client(id);
        c.setCallback(inbox);
        c.connect(options(cleanSession));
        return c;
    }

    private RawMqttSocket raw() throws Exception {
        RawMqttSocket s = RawMqttSocket.open(broker, MqttVersion.V3_1_1);
        sockets.add(s);
        return s;
    }
}
