package io.courier.app.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.packet.ConnAck;
import io.courier.protocol.packet.MqttVersion;
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
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.Property;
import io.courier.protocol.property.PropertyId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MQTT 5.0 end to end with Eclipse Paho's mqttv5 client ({@link MqttAsyncClient}, whose
 * DISCONNECT can carry a reason code and properties), plus a raw socket where a client has to
 * withhold acknowledgements or use a topic alias by hand. One broker for the class, a fresh
 * client id and topic per test. Statement ids are those of the 5.0 specification.
 */
class PahoV5IT {

    private static final long WAIT_MS = RawMqttSocket.WAIT.toMillis();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static EmbeddedBroker broker;
    /** Publishes for the tests whose subject is the receiving side (a Paho connect costs ~0.3 s). */
    private static MqttAsyncClient publisher;

    private final List<MqttAsyncClient> clients = new ArrayList<>();
    private final List<RawMqttSocket> sockets = new ArrayList<>();

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedBroker.start();
        publisher = new MqttAsyncClient(broker.uri(), "pv5-publisher", new MemoryPersistence());
        publisher.connect(options(true, 0)).waitForCompletion(WAIT_MS);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (publisher != null) {
            publisher.disconnect(0).waitForCompletion(WAIT_MS);
            publisher.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @AfterEach
    void closeClients() throws Exception {
        for (MqttAsyncClient c : clients) {
            try {
                if (c.isConnected()) {
                    c.disconnect(0).waitForCompletion(WAIT_MS);
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
    @DisplayName("[MQTT-3.2.2-2] [MQTT-3.2.2-3] CONNACK: Session Present 0 on clean start, 1 when a session "
            + "with expiry is resumed; it announces the broker's Topic Alias Maximum")
    void connAck() throws Exception {
        String id = clientId();
        MqttAsyncClient client = client(id, new PahoV5Inbox());
        IMqttToken first = client.connect(options(true, 300));
        first.waitForCompletion(WAIT_MS);
        assertFalse(first.getSessionPresent());
        assertEquals(64, first.getResponseProperties().getTopicAliasMaximum(), "courier.mqtt.topic-alias-maximum");
        client.disconnect().waitForCompletion(WAIT_MS);

        IMqttToken again = client.connect(options(false, 300));
        again.waitForCompletion(WAIT_MS);
        assertTrue(again.getSessionPresent());
    }

    // ---- QoS ----

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    @DisplayName("[MQTT-3.8.4-8] [MQTT-4.3.2-1] [MQTT-4.3.3-1] a message published with QoS n to a QoS n "
            + "subscription arrives once, with QoS n and its payload")
    void publishAndSubscribeAtEachQos(int qos) throws Exception {
        String topic = topic("qos" + qos);
        PahoV5Inbox inbox = new PahoV5Inbox();
        MqttAsyncClient subscriber = connected(clientId(), true, 0, inbox);
        assertEquals(qos, subscribe(subscriber, new MqttSubscription(topic, qos))[0], "granted QoS");

        publish(topic, "hello " + qos, qos, false, null);

        PahoV5Inbox.Received r = inbox.next();
        assertEquals(topic, r.topic());
        assertEquals("hello " + qos, r.text());
        assertEquals(qos, r.message().getQos());
        publish(topic, "marker", qos, false, null);
        assertEquals("marker", inbox.next().text(), "the message arrived exactly once");
    }

    // ---- retained ----

    @Test
    @DisplayName("[MQTT-3.3.1-5] [MQTT-3.3.1-6] [MQTT-3.3.1-9] a retained message is replaced by the next, "
            + "sent with RETAIN 1 on subscribe, and deleted by an empty payload")
    void retainedSetReplaceDelete() throws Exception {
        String topic = topic("retained");
        publish(topic, "first", 1, true, null);
        publish(topic, "second", 1, true, null);

        PahoV5Inbox inbox = new PahoV5Inbox();
        MqttAsyncClient subscriber = connected(clientId(), true, 0, inbox);
        subscribe(subscriber, new MqttSubscription(topic, 1));
        PahoV5Inbox.Received r = inbox.next();
        assertEquals("second", r.text());
        assertTrue(r.message().isRetained());

        publish(topic, "", 1, true, null);
        PahoV5Inbox later = new PahoV5Inbox();
        subscribe(connected(clientId(), true, 0, later), new MqttSubscription(topic, 1));
        publish(topic, "live", 1, false, null);
        assertEquals("live", later.next().text(), "nothing retained any more");
    }

    // ---- wills ----

    @Test
    @DisplayName("[MQTT-3.1.2-8] a connection that ends without DISCONNECT publishes the will")
    void willOnAbruptClose() throws Exception {
        String willTopic = topic("will");
        PahoV5Inbox watcher = new PahoV5Inbox();
        subscribe(connected(clientId(), true, 0, watcher), new MqttSubscription(willTopic, 1));

        KillableSocketFactory factory = new KillableSocketFactory();
        MqttConnectionOptions o = options(true, 0);
        o.setWill(willTopic, new MqttMessage(payload("gone"), 1, false, null));
        o.setSocketFactory(factory);
        MqttAsyncClient dying = client(clientId(), new PahoV5Inbox());
        dying.connect(o).waitForCompletion(WAIT_MS);
        factory.kill();

        PahoV5Inbox.Received will = watcher.next();
        assertEquals(willTopic, will.topic());
        assertEquals("gone", will.text());
    }

    @Test
    @DisplayName("[MQTT-3.1.2-8] [MQTT-3.14.4-3] DISCONNECT 0x04 (with will) publishes the will")
    void disconnectWithWillMessagePublishesIt() throws Exception {
        String willTopic = topic("will04");
        PahoV5Inbox watcher = new PahoV5Inbox();
        subscribe(connected(clientId(), true, 0, watcher), new MqttSubscription(willTopic, 1));

        MqttConnectionOptions o = options(true, 0);
        o.setWill(willTopic, new MqttMessage(payload("asked for"), 1, false, null));
        MqttAsyncClient client = client(clientId(), new PahoV5Inbox());
        client.connect(o).waitForCompletion(WAIT_MS);
        client.disconnect(0, null, null, 0x04, pahoProperties())
                .waitForCompletion(WAIT_MS);

        assertEquals("asked for", watcher.next().text());
    }

    @Test
    @DisplayName("[MQTT-3.14.4-3] DISCONNECT 0x00 deletes the will: it is never published")
    void normalDisconnectDeletesTheWill() throws Exception {
        String willTopic = topic("will00");
        PahoV5Inbox watcher = new PahoV5Inbox();
        subscribe(connected(clientId(), true, 0, watcher), new MqttSubscription(willTopic, 1));

        String id = clientId();
        MqttConnectionOptions o = options(true, 0);
        o.setWill(willTopic, new MqttMessage(payload("must not appear"), 1, false, null));
        MqttAsyncClient client = client(id, new PahoV5Inbox());
        client.connect(o).waitForCompletion(WAIT_MS);
        client.disconnect().waitForCompletion(WAIT_MS);
        // The same client id again: its session handled the DISCONNECT (and the will) first.
        MqttAsyncClient again = connected(id, true, 0, new PahoV5Inbox());
        again.publish(willTopic, new MqttMessage(payload("marker"), 1, false, null)).waitForCompletion(WAIT_MS);
        assertEquals("marker", watcher.next().text(), "no will before the marker");
    }

    // ---- sessions ----

    @Test
    @DisplayName("[MQTT-3.1.2-23] [MQTT-4.4.0-1] a session with an expiry interval keeps its subscription and "
            + "queues QoS 1 messages while offline; they arrive in order on reconnect")
    void persistentSessionQueuesOfflineMessages() throws Exception {
        String id = clientId();
        String topic = topic("offline");
        MqttAsyncClient subscriber = connected(id, true, 300, new PahoV5Inbox());
        subscribe(subscriber, new MqttSubscription(topic, 1));
        subscriber.disconnect().waitForCompletion(WAIT_MS);

        for (int i = 0; i < 3; i++) {
            publish(topic, "queued " + i, 1, false, null);
        }
        PahoV5Inbox inbox = new PahoV5Inbox();
        MqttAsyncClient back = client(id, inbox);
        IMqttToken token = back.connect(options(false, 300));
        token.waitForCompletion(WAIT_MS);
        assertTrue(token.getSessionPresent());
        for (int i = 0; i < 3; i++) {
            PahoV5Inbox.Received r = inbox.next();
            assertEquals("queued " + i, r.text());
            assertEquals(1, r.message().getQos());
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-4] clean start 1 discards the existing session")
    void cleanStartDiscardsTheSession() throws Exception {
        String id = clientId();
        String topic = topic("clean");
        MqttAsyncClient first = connected(id, true, 300, new PahoV5Inbox());
        subscribe(first, new MqttSubscription(topic, 1));
        first.disconnect().waitForCompletion(WAIT_MS);
        publish(topic, "for the old session", 1, false, null);

        PahoV5Inbox inbox = new PahoV5Inbox();
        MqttAsyncClient fresh = client(id, inbox);
        IMqttToken token = fresh.connect(options(true, 300));
        token.waitForCompletion(WAIT_MS);
        assertFalse(token.getSessionPresent());
        String marker = topic("clean-marker");
        subscribe(fresh, new MqttSubscription(marker, 1));
        publish(topic, "after clean start", 1, false, null);
        publish(marker, "marker", 1, false, null);
        assertEquals(marker, inbox.next().topic(), "neither the queue nor the subscription survived");
    }

    @Test
    @DisplayName("[MQTT-3.1.2-23] (3.14.2.2.2) a DISCONNECT that sets the Session Expiry Interval to 0 ends "
            + "the session at once")
    void sessionExpiryZeroOnDisconnectEndsTheSession() throws Exception {
        String id = clientId();
        MqttAsyncClient client = connected(id, true, 300, new PahoV5Inbox());
        subscribe(client, new MqttSubscription(topic("expiry"), 1));
        org.eclipse.paho.mqttv5.common.packet.MqttProperties props = pahoProperties();
        props.setSessionExpiryInterval(0L);
        client.disconnect(0, null, null, 0x00, props).waitForCompletion(WAIT_MS);

        IMqttToken token = client.connect(options(false, 300));
        token.waitForCompletion(WAIT_MS);
        assertFalse(token.getSessionPresent(), "the session ended with the connection");
    }

    @Test
    @DisplayName("[MQTT-4.4.0-1] [MQTT-3.3.1-1] an unacknowledged QoS 1 PUBLISH is resent on reconnect with "
            + "DUP 1 and the same packet identifier")
    void unacknowledgedQos1IsResentWithDup() throws Exception {
        assertResentWithDup(Qos.AT_LEAST_ONCE);
    }

    @Test
    @DisplayName("[MQTT-4.4.0-1] [MQTT-3.3.1-1] a QoS 2 PUBLISH without PUBREC is resent on reconnect with "
            + "DUP 1 and the same packet identifier, and completes")
    void unacknowledgedQos2IsResentWithDup() throws Exception {
        assertResentWithDup(Qos.EXACTLY_ONCE);
    }

    private void assertResentWithDup(Qos qos) throws Exception {
        String id = clientId();
        String topic = topic("dup");
        MqttProperties expiry = MqttProperties.of(Property.of(PropertyId.SESSION_EXPIRY_INTERVAL, 300L));
        RawMqttSocket first = raw();
        first.connectOk(RawMqttSocket.connect(MqttVersion.V5, id, true, 60, expiry));
        first.send(new Subscribe(1, List.of(new Subscription(topic, SubscriptionOptions.of(qos))), MqttProperties.EMPTY));
        first.expect(SubAck.class);

        publish(topic, "unacked", qos.value(), false, null);
        Publish sent = first.expect(Publish.class);
        assertFalse(sent.dup(), "first delivery has DUP 0");
        assertEquals(qos, sent.qos());
        first.abort(); // no PUBACK / PUBREC

        RawMqttSocket second = raw();
        ConnAck ack = second.connectOk(RawMqttSocket.connect(MqttVersion.V5, id, false, 60, expiry));
        assertTrue(ack.sessionPresent());
        Publish resent = second.expect(Publish.class);
        assertTrue(resent.dup(), "resent with DUP 1");
        assertEquals(sent.packetId(), resent.packetId(), "same packet identifier");
        assertEquals(topic, resent.topic());
        assertArrayEquals(payload("unacked"), resent.payload());
        if (qos == Qos.EXACTLY_ONCE) {
            second.send(PubRec.success(resent.packetId()));
            second.expect(PubRel.class);
            second.send(PubComp.success(resent.packetId()));
        } else {
            second.send(PubAck.success(resent.packetId()));
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.4-3] a second connection with the same client id takes the session over; the "
            + "first gets DISCONNECT 0x8E")
    void takeoverSendsSessionTakenOver() throws Exception {
        String id = clientId();
        PahoV5Inbox firstInbox = new PahoV5Inbox();
        connected(id, true, 300, firstInbox);

        MqttAsyncClient second = client(id, new PahoV5Inbox());
        IMqttToken token = second.connect(options(false, 300));
        token.waitForCompletion(WAIT_MS);
        assertTrue(token.getSessionPresent());

        MqttDisconnectResponse response = firstInbox.disconnected.get(WAIT_MS, TimeUnit.MILLISECONDS);
        assertEquals(0x8E, response.getReturnCode(), "Session taken over");
        assertTrue(second.isConnected());
    }

    // ---- subscription options and identifiers ----

    @Test
    @DisplayName("[MQTT-3.3.4-3] [MQTT-3.3.4-4] one delivery for overlapping subscriptions carries every "
            + "matching Subscription Identifier")
    void subscriptionIdentifiersOnDelivery() throws Exception {
        String base = topic("subid");
        PahoV5Inbox inbox = new PahoV5Inbox();
        MqttAsyncClient subscriber = connected(clientId(), true, 0, inbox);
        subscribe(subscriber, 7, new MqttSubscription(base + "/+", 1));
        subscribe(subscriber, 9, new MqttSubscription(base + "/#", 1));
        subscribe(subscriber, 0, new MqttSubscription(base + "/y/#", 1));

        publish(base + "/x", "both", 1, false, null);
        PahoV5Inbox.Received both = inbox.next();
        assertEquals(Set.of(7, 9), new HashSet<>(both.message().getProperties().getSubscriptionIdentifiers()));

        publish(base + "/y/z", "one", 1, false, null);
        PahoV5Inbox.Received one = inbox.next();
        assertEquals("one", one.text(), "a single copy of the first message");
        assertEquals(List.of(9), one.message().getProperties().getSubscriptionIdentifiers(),
                "a matching subscription without an identifier adds none");
    }

    @Test
    @DisplayName("[MQTT-3.8.3-3] No Local: the client does not get its own publications back")
    void noLocal() throws Exception {
        String topic = topic("nolocal");
        PahoV5Inbox inbox = new PahoV5Inbox();
        MqttAsyncClient client = connected(clientId(), true, 0, inbox);
        MqttSubscription sub = new MqttSubscription(topic, 1);
        sub.setNoLocal(true);
        subscribe(client, sub);

        client.publish(topic, new MqttMessage(payload("own"), 1, false, null)).waitForCompletion(WAIT_MS);
        publish(topic, "other", 1, false, null);
        assertEquals("other", inbox.next().text(), "its own message was not delivered");
    }

    @Test
    @DisplayName("[MQTT-3.3.1-12] [MQTT-3.3.1-13] a live retained message keeps RETAIN 1 only for Retain As "
            + "Published subscriptions")
    void retainAsPublished() throws Exception {
        String kept = topic("rap1");
        String cleared = topic("rap0");
        PahoV5Inbox inbox = new PahoV5Inbox();
        MqttAsyncClient client = connected(clientId(), true, 0, inbox);
        MqttSubscription rap = new MqttSubscription(kept, 1);
        rap.setRetainAsPublished(true);
        subscribe(client, rap);
        subscribe(client, new MqttSubscription(cleared, 1));

        publish(kept, "r1", 1, true, null);
        PahoV5Inbox.Received r1 = inbox.next();
        assertEquals("r1", r1.text());
        assertTrue(r1.message().isRetained(), "Retain As Published 1");
        publish(cleared, "r0", 1, true, null);
        PahoV5Inbox.Received r0 = inbox.next();
        assertEquals("r0", r0.text());
        assertFalse(r0.message().isRetained(), "Retain As Published 0");
    }

    @Test
    @DisplayName("[MQTT-3.3.1-11] Retain Handling 2: no retained messages are sent on subscribe")
    void retainHandlingTwoSendsNoRetained() throws Exception {
        String topic = topic("rh2");
        publish(topic, "retained", 1, true, null);
        PahoV5Inbox inbox = new PahoV5Inbox();
        MqttAsyncClient client = connected(clientId(), true, 0, inbox);
        MqttSubscription sub = new MqttSubscription(topic, 1);
        sub.setRetainHandling(2);
        subscribe(client, sub);
        publish(topic, "live", 1, false, null);
        assertEquals("live", inbox.next().text(), "the retained message was not sent");
    }

    @Test
    @DisplayName("[MQTT-3.3.1-10] Retain Handling 1: retained messages only when the subscription is new")
    void retainHandlingOneOnlyForNewSubscriptions() throws Exception {
        String topic = topic("rh1");
        publish(topic, "retained", 1, true, null);
        PahoV5Inbox inbox = new PahoV5Inbox();
        MqttAsyncClient client = connected(clientId(), true, 0, inbox);
        MqttSubscription sub = new MqttSubscription(topic, 1);
        sub.setRetainHandling(1);
        subscribe(client, sub);
        assertEquals("retained", inbox.next().text(), "a new subscription gets it");
        subscribe(client, sub);
        publish(topic, "live", 1, false, null);
        assertEquals("live", inbox.next().text(), "a repeated subscription does not");
    }

    // ---- message expiry ----

    @Test
    @DisplayName("[MQTT-3.3.2-5] a retained message whose Message Expiry Interval has passed is not sent "
            + "to a new subscriber")
    void expiredRetainedMessageIsNotDelivered() throws Exception {
        String topic = topic("expired-retained");
        publish(topic, "short-lived", 1, true, 1L);
        letTimePass(Duration.ofMillis(1500));

        PahoV5Inbox inbox = new PahoV5Inbox();
        subscribe(connected(clientId(), true, 0, inbox), new MqttSubscription(topic, 1));
        publish(topic, "live", 1, false, null);
        assertEquals("live", inbox.next().text(), "the expired retained message was not sent");
    }

    @Test
    @DisplayName("[MQTT-3.3.2-5] [MQTT-3.3.2-6] a queued message whose expiry passed while its subscriber was "
            + "offline is dropped; one still alive arrives with the remaining interval")
    void expiredQueuedMessageIsNotDelivered() throws Exception {
        String id = clientId();
        String topic = topic("expired-queued");
        MqttAsyncClient subscriber = connected(id, true, 300, new PahoV5Inbox());
        subscribe(subscriber, new MqttSubscription(topic, 1));
        subscriber.disconnect().waitForCompletion(WAIT_MS);

        publish(topic, "short-lived", 1, false, 1L);
        publish(topic, "long-lived", 1, false, 60L);
        letTimePass(Duration.ofMillis(1500));

        PahoV5Inbox inbox = new PahoV5Inbox();
        client(id, inbox).connect(options(false, 300)).waitForCompletion(WAIT_MS);
        PahoV5Inbox.Received r = inbox.next();
        assertEquals("long-lived", r.text(), "the expired message was dropped");
        Long remaining = r.message().getProperties().getMessageExpiryInterval();
        assertNotNull(remaining, "the Message Expiry Interval is forwarded");
        assertTrue(remaining >= 1 && remaining < 60, "reduced by the time spent waiting: " + remaining);
    }

    // ---- topic aliases ----

    @Test
    @DisplayName("[MQTT-3.3.2-12] a Topic Alias from Paho is resolved: repeated publishes on one topic "
            + "arrive on that topic")
    void topicAliasFromPaho() throws Exception {
        String topic = topic("alias");
        PahoV5Inbox inbox = new PahoV5Inbox();
        subscribe(connected(clientId(), true, 0, inbox), new MqttSubscription(topic, 1));

        // Paho maps a topic to an alias on first use and then sends an empty topic with the
        // alias (seen on the wire: 32 1e 00 14 <topic> 00 01 03 23 00 01 ..., then
        // 32 0a 00 00 00 02 03 23 00 01 ...), as long as the CONNACK's Topic Alias Maximum
        // allows (Courier announces 64).
        MqttAsyncClient aliasing = connected(clientId(), true, 0, new PahoV5Inbox());
        for (int i = 0; i < 3; i++) {
            aliasing.publish(topic, new MqttMessage(payload("a" + i), 1, false, null)).waitForCompletion(WAIT_MS);
        }
        for (int i = 0; i < 3; i++) {
            PahoV5Inbox.Received r = inbox.next();
            assertEquals(topic, r.topic());
            assertEquals("a" + i, r.text());
        }
    }

    // ---- helpers ----

    /** Lets a Message Expiry Interval run out; the assertions that follow do not depend on timing. */
    private static void letTimePass(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    /** Paho's property set (Courier's own {@link MqttProperties} is the one imported). */
    private static org.eclipse.paho.mqttv5.common.packet.MqttProperties pahoProperties() {
        return new org.eclipse.paho.mqttv5.common.packet.MqttProperties();
    }

    private static String clientId() {
        return "pv5-" + SEQUENCE.incrementAndGet();
    }

    private static String topic(String name) {
        return "pv5/" + SEQUENCE.incrementAndGet() + "/" + name;
    }

    private static byte[] payload(String text) {
        return text.getBytes(UTF_8);
    }

    private static MqttConnectionOptions options(boolean cleanStart, long sessionExpiry) {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(cleanStart);
        o.setSessionExpiryInterval(sessionExpiry);
        o.setConnectionTimeout(5);
        o.setKeepAliveInterval(30);
        o.setAutomaticReconnect(false);
        // Identifiers only where a test asks for them, not Paho's automatic ones.
        o.setUseSubscriptionIdentifiers(false);
        return o;
    }

    private static void publish(String topic, String text, int qos, boolean retain, Long expirySeconds)
            throws MqttException {
        org.eclipse.paho.mqttv5.common.packet.MqttProperties props = pahoProperties();
        if (expirySeconds != null) {
            props.setMessageExpiryInterval(expirySeconds);
        }
        publisher.publish(topic, new MqttMessage(payload(text), qos, retain, props)).waitForCompletion(WAIT_MS);
    }

    private static int[] subscribe(MqttAsyncClient client, MqttSubscription subscription) throws MqttException {
        return subscribe(client, 0, subscription);
    }

    /** Subscribes and waits for the SUBACK; {@code identifier} 0 sends none. */
    private static int[] subscribe(MqttAsyncClient client, int identifier, MqttSubscription subscription)
            throws MqttException {
        org.eclipse.paho.mqttv5.common.packet.MqttProperties props = pahoProperties();
        if (identifier > 0) {
            props.setSubscriptionIdentifier(identifier);
        }
        IMqttToken token = client.subscribe(new MqttSubscription[] {subscription}, null, null, props);
        token.waitForCompletion(WAIT_MS);
        return token.getReasonCodes();
    }

    private MqttAsyncClient client(String id, PahoV5Inbox inbox) throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(broker.uri(), id, new MemoryPersistence());
        c.setCallback(inbox);
        clients.add(c);
        return c;
    }

    private MqttAsyncClient connected(String id, boolean cleanStart, long sessionExpiry, PahoV5Inbox inbox)
            throws MqttException {
        MqttAsyncClient c = client(id, inbox);
        c.connect(options(cleanStart, sessionExpiry)).waitForCompletion(WAIT_MS);
        return c;
    }

    private RawMqttSocket raw() throws Exception {
        RawMqttSocket s = RawMqttSocket.open(broker, MqttVersion.V5);
        sockets.add(s);
        return s;
    }
}
