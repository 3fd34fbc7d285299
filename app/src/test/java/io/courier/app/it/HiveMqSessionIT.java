package io.courier.app.it;

import static io.courier.app.it.HiveMqClients.inbox;
import static io.courier.app.it.HiveMqClients.publish;
import static io.courier.app.it.HiveMqClients.receive;
import static io.courier.app.it.HiveMqClients.uniqueId;
import static io.courier.app.it.HiveMqClients.uniqueTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Persistent sessions, clean start, session expiry, takeover and durability across a broker
 * restart, with HiveMQ clients. Absence of a message is proven with a fence published after it
 * (see {@link HiveMqPublishSubscribeIT}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HiveMqSessionIT {

    private static EmbeddedBroker broker;
    private HiveMqClients clients;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedBroker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @BeforeEach
    void newClients() {
        clients = new HiveMqClients(broker);
    }

    @AfterEach
    void closeClients() {
        clients.close();
    }

    @Test
    @DisplayName("[MQTT-3.1.2-5] [MQTT-3.1.2-23] (5.0) QoS 1 messages published while a persistent session is offline are delivered, in order, on resume")
    void persistentSessionReceivesWhatWasPublishedWhileOffline() throws Exception {
        String topic = uniqueTopic("offline5");
        String id = uniqueId("persistent5");
        Mqtt5BlockingClient sub = clients.v5(id);
        Mqtt5BlockingClient.Mqtt5Publishes inbox = inbox(sub);
        sub.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
        sub.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        sub.disconnect();

        Mqtt5BlockingClient pub = clients.v5Connected(uniqueId("pub"));
        for (int i = 1; i <= 3; i++) {
            publish(pub, topic, "offline " + i, 1);
        }
        Mqtt5ConnAck resumed = sub.connectWith().cleanStart(false).sessionExpiryInterval(0).send();

        assertTrue(resumed.isSessionPresent(), "Session Present");
        for (int i = 1; i <= 3; i++) {
            receive(inbox, topic, "offline " + i);
        }
        publish(pub, topic, "live", 1); // the subscription came back with the session
        receive(inbox, topic, "live");
    }

    @Test
    @DisplayName("[MQTT-3.1.2-4] [MQTT-3.1.2-5] (3.1.1) clean session 0: QoS 1 messages for the offline session are stored and delivered on reconnect")
    void v3PersistentSessionReceivesWhatWasPublishedWhileOffline() throws Exception {
        String topic = uniqueTopic("offline3");
        String id = uniqueId("persistent3");
        Mqtt3BlockingClient sub = clients.v3(id);
        Mqtt3BlockingClient.Mqtt3Publishes inbox = inbox(sub);
        sub.connectWith().cleanSession(false).send();
        sub.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        sub.disconnect();

        Mqtt3BlockingClient pub = clients.v3Connected(uniqueId("pub"));
        for (int i = 1; i <= 3; i++) {
            publish(pub, topic, "offline " + i, 1);
        }
        boolean present = sub.connectWith().cleanSession(false).send().isSessionPresent();

        assertTrue(present, "Session Present");
        for (int i = 1; i <= 3; i++) {
            receive(inbox, topic, "offline " + i);
        }
        sub.disconnect();
        sub.connectWith().cleanSession(true).send(); // ends the session for good
    }

    @Test
    @DisplayName("[MQTT-3.1.2-4] (5.0) Clean Start 1 discards the stored session: its subscriptions and its queued messages")
    void cleanStartDiscardsTheSession() throws Exception {
        String topic = uniqueTopic("discarded");
        String fenceTopic = uniqueTopic("fence");
        String id = uniqueId("discarded");
        Mqtt5BlockingClient sub = clients.v5(id);
        sub.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
        sub.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        sub.disconnect();
        Mqtt5BlockingClient pub = clients.v5Connected(uniqueId("pub"));
        publish(pub, topic, "queued", 1);

        // A new client object with the same id: the first one would end its own publish flows
        // when told its session is gone, and hide what arrives.
        sub = clients.v5(id);
        Mqtt5BlockingClient.Mqtt5Publishes inbox = inbox(sub);
        Mqtt5ConnAck fresh = sub.connectWith().cleanStart(true).sessionExpiryInterval(0).send();
        sub.subscribeWith().topicFilter(fenceTopic).qos(MqttQos.AT_LEAST_ONCE).send();
        publish(pub, topic, "to the old subscription", 1);
        publish(pub, fenceTopic, "fence", 1);

        assertFalse(fresh.isSessionPresent(), "Session Present");
        receive(inbox, fenceTopic, "fence"); // neither the queued message nor a live one came first
    }

    @Test
    @DisplayName("(3.1.2.11.2) [MQTT-3.2.2-3] [MQTT-4.1.0-2] (5.0) a session with Session Expiry 2 s is gone 2 s after its connection closed, queued messages with it")
    void sessionExpires() throws Exception {
        String topic = uniqueTopic("expiring");
        String id = uniqueId("expiring");
        Mqtt5BlockingClient sub = clients.v5(id);
        sub.connectWith().cleanStart(false).sessionExpiryInterval(2).send();
        sub.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        sub.disconnect();
        long disconnectedAt = System.nanoTime();
        Mqtt5BlockingClient pub = clients.v5Connected(uniqueId("pub"));
        publish(pub, topic, "queued, then expired with the session", 1);

        long waitMs = 3_000 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - disconnectedAt);
        if (waitMs > 0) {
            Thread.sleep(waitMs); // waiting out the expiry (2 s + margin), not an assertion
        }
        sub = clients.v5(id); // a new client object, as in cleanStartDiscardsTheSession
        Mqtt5BlockingClient.Mqtt5Publishes inbox = inbox(sub);
        Mqtt5ConnAck after = sub.connectWith().cleanStart(false).sessionExpiryInterval(0).send();
        sub.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        publish(pub, topic, "fence", 1);

        assertFalse(after.isSessionPresent(), "Session Present after the expiry");
        receive(inbox, topic, "fence");
    }

    @Test
    @DisplayName("[MQTT-3.1.4-3] (5.0) a second connection with the same client id takes the session over; the first gets DISCONNECT 0x8E")
    void takeoverDisconnectsTheFirstWith0x8E() throws Exception {
        String topic = uniqueTopic("takeover");
        String id = uniqueId("taken");
        BlockingQueue<MqttClientDisconnectedContext> firstLost = new LinkedBlockingQueue<>();
        Mqtt5BlockingClient first = clients.v5(id, b -> b.addDisconnectedListener(firstLost::add));
        first.connectWith().cleanStart(true).sessionExpiryInterval(60).send();
        first.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();

        Mqtt5BlockingClient second = clients.v5(id);
        Mqtt5BlockingClient.Mqtt5Publishes inbox = inbox(second);
        Mqtt5ConnAck ack = second.connectWith().cleanStart(false).sessionExpiryInterval(0).send();

        MqttClientDisconnectedContext lost = firstLost.poll(HiveMqClients.RECEIVE_SECONDS, TimeUnit.SECONDS);
        assertNotNull(lost, "the first connection was closed");
        assertEquals(MqttDisconnectSource.SERVER, lost.getSource(), "closed by the server");
        Mqtt5DisconnectException cause = assertInstanceOf(Mqtt5DisconnectException.class, lost.getCause());
        assertEquals(Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER, cause.getMqttMessage().getReasonCode());
        assertTrue(ack.isSessionPresent(), "the second connection resumed the first's session");
        assertTrue(second.getState().isConnected(), "the second connection stays");

        Mqtt5BlockingClient pub = clients.v5Connected(uniqueId("pub"));
        publish(pub, topic, "to the new owner", 1);
        receive(inbox, topic, "to the new owner");
    }

    @Test
    @DisplayName("[MQTT-3.1.4-2] (3.1.1) a second connection with the same client id closes the first; the second keeps working")
    void v3TakeoverClosesTheFirst() throws Exception {
        String topic = uniqueTopic("takeover3");
        String id = uniqueId("taken3");
        Mqtt3BlockingClient first = clients.v3Connected(id);

        Mqtt3BlockingClient second = clients.v3(id);
        Mqtt3BlockingClient.Mqtt3Publishes inbox = inbox(second);
        second.connect();
        second.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();

        HiveMqClients.awaitState(first, MqttClientState.DISCONNECTED);
        Mqtt3BlockingClient pub = clients.v3Connected(uniqueId("pub"));
        publish(pub, topic, "to the second", 1);
        receive(inbox, topic, "to the second");
        assertTrue(second.getState().isConnected(), "the second connection stays");
    }

    @Test
    @DisplayName("[MQTT-4.3.2-4] (5.0) a PUBACKed QoS 1 message for offline persistent sessions survives a broker restart on the same data directory")
    void acknowledgedMessagesSurviveARestart() throws Exception {
        String topic = uniqueTopic("durable");
        String id5 = uniqueId("durable5");
        String id3 = uniqueId("durable3");
        EmbeddedBroker first = EmbeddedBroker.start();
        try (HiveMqClients before = new HiveMqClients(first)) {
            Mqtt5BlockingClient sub5 = before.v5(id5);
            sub5.connectWith().cleanStart(false).sessionExpiryInterval(3_600).send();
            sub5.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
            sub5.disconnect();
            Mqtt3BlockingClient sub3 = before.v3(id3);
            sub3.connectWith().cleanSession(false).send();
            sub3.subscribeWith().topicFilter(topic).qos(MqttQos.EXACTLY_ONCE).send();
            sub3.disconnect();

            Mqtt5BlockingClient pub = before.v5(uniqueId("pub"));
            pub.connect();
            for (int i = 1; i <= 5; i++) {
                publish(pub, topic, "durable " + i, i % 2 == 0 ? 2 : 1); // returns after PUBACK / PUBCOMP
            }
        } finally {
            first.close();
        }

        try (EmbeddedBroker restarted = EmbeddedBroker.start(first.dataDir(), "");
                HiveMqClients after = new HiveMqClients(restarted)) {
            Mqtt5BlockingClient sub5 = after.v5(id5);
            Mqtt5BlockingClient.Mqtt5Publishes inbox5 = inbox(sub5);
            Mqtt5ConnAck ack5 = sub5.connectWith().cleanStart(false).sessionExpiryInterval(0).send();
            Mqtt3BlockingClient sub3 = after.v3(id3);
            Mqtt3BlockingClient.Mqtt3Publishes inbox3 = inbox(sub3);
            boolean present3 = sub3.connectWith().cleanSession(false).send().isSessionPresent();

            assertTrue(ack5.isSessionPresent(), "5.0 session present after the restart");
            assertTrue(present3, "3.1.1 session present after the restart");
            for (int i = 1; i <= 5; i++) {
                MqttQos expected = i % 2 == 0 ? MqttQos.EXACTLY_ONCE : MqttQos.AT_LEAST_ONCE;
                assertEquals(MqttQos.AT_LEAST_ONCE, receive(inbox5, topic, "durable " + i).getQos(), "granted 1");
                assertEquals(expected, receive(inbox3, topic, "durable " + i).getQos(), "granted 2");
            }
        }
    }
}
