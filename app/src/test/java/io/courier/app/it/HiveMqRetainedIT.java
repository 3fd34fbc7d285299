package io.courier.app.it;

import static io.courier.app.it.HiveMqClients.inbox;
import static io.courier.app.it.HiveMqClients.publish;
import static io.courier.app.it.HiveMqClients.publishRetained;
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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Retained messages with HiveMQ clients. The statement ids are 3.1.1's (the tests use 3.1.1
 * subscribers unless a 5.0 option is the point). A fence — a live, non-retained message published
 * after subscribing, on a topic the new subscription matches — proves what was <em>not</em> sent:
 * retained messages go out before any later live message on the same topic [MQTT-4.6.0-5].
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HiveMqRetainedIT {

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
    @DisplayName("[MQTT-3.3.1-5] [MQTT-3.3.1-6] [MQTT-3.3.1-8] (3.1.1) a retained message is stored and sent, with RETAIN 1 and its QoS, to a later subscriber")
    void retainedMessageIsStoredAndSentToNewSubscribers() throws Exception {
        String topic = uniqueTopic("stored");
        Mqtt3BlockingClient pub = clients.v3Connected(uniqueId("pub"));
        publishRetained(pub, topic, "kept", 1);
        pub.disconnect(); // the retained message outlives its publisher's connection

        Mqtt3BlockingClient sub = clients.v3Connected(uniqueId("sub"));
        Mqtt3BlockingClient.Mqtt3Publishes inbox = inbox(sub);
        sub.subscribeWith().topicFilter(topic).qos(MqttQos.EXACTLY_ONCE).send();

        Mqtt3Publish got = receive(inbox, topic, "kept");
        assertTrue(got.isRetain(), "RETAIN flag on a message sent because of a new subscription");
        assertEquals(MqttQos.AT_LEAST_ONCE, got.getQos(), "the stored QoS (below the granted 2)");
    }

    @Test
    @DisplayName("[MQTT-3.3.1-5] [MQTT-3.3.1-7] (3.1.1) a second retained message on a topic, even at QoS 0, replaces the first")
    void retainedMessageIsReplaced() throws Exception {
        String topic = uniqueTopic("replaced");
        Mqtt3BlockingClient pub = clients.v3Connected(uniqueId("pub"));
        publishRetained(pub, topic, "first", 1);
        publishRetained(pub, topic, "second", 0); // a QoS 0 retained message replaces too (3.1.1 [MQTT-3.3.1-7])
        // QoS 0 has no acknowledgement: a QoS 1 retained message after it on the same connection
        // is acknowledged only once the retained store has handled both.
        publishRetained(pub, topic + "/sync", "sync", 1);

        Mqtt3BlockingClient sub = clients.v3Connected(uniqueId("sub"));
        Mqtt3BlockingClient.Mqtt3Publishes inbox = inbox(sub);
        sub.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        publish(pub, topic, "fence", 1);

        Mqtt3Publish got = receive(inbox, topic, "second");
        assertTrue(got.isRetain());
        assertFalse(receive(inbox, topic, "fence").isRetain(), "the fence is live; no 'first' before it");
    }

    @Test
    @DisplayName("[MQTT-3.3.1-10] [MQTT-3.3.1-11] (3.1.1) a retained PUBLISH with an empty payload is delivered as usual and deletes the retained message")
    void emptyRetainedPayloadDeletes() throws Exception {
        String topic = uniqueTopic("deleted");
        Mqtt3BlockingClient pub = clients.v3Connected(uniqueId("pub"));
        publishRetained(pub, topic, "doomed", 1);
        Mqtt3BlockingClient existing = clients.v3Connected(uniqueId("existing"));
        Mqtt3BlockingClient.Mqtt3Publishes existingInbox = inbox(existing);
        existing.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        receive(existingInbox, topic, "doomed");

        publishRetained(pub, topic, "", 1);

        Mqtt3Publish delete = receive(existingInbox, topic, "");
        assertFalse(delete.isRetain(), "to an existing subscription it is an ordinary message");
        Mqtt3BlockingClient late = clients.v3Connected(uniqueId("late"));
        Mqtt3BlockingClient.Mqtt3Publishes lateInbox = inbox(late);
        late.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        publish(pub, topic, "fence", 1);
        receive(lateInbox, topic, "fence"); // neither "doomed" nor an empty retained message came first
    }

    @Test
    @DisplayName("[MQTT-3.3.1-6] [MQTT-3.3.1-8] (3.1.1) a wildcard subscription receives the retained message of every matching topic, each with RETAIN 1")
    void wildcardSubscriptionReceivesEveryMatchingRetainedMessage() throws Exception {
        String base = uniqueTopic("wild");
        Mqtt5BlockingClient pub = clients.v5Connected(uniqueId("pub"));
        Map<String, String> matching = new TreeMap<>();
        for (String leaf : new String[] {"a/t", "b/t", "c/t", "b/other", "a/t/deeper"}) {
            publishRetained(pub, base + "/" + leaf, "value of " + leaf, 1);
        }
        publishRetained(pub, base + "-sibling/a/t", "not under base", 1);
        for (String leaf : new String[] {"a/t", "b/t", "c/t"}) {
            matching.put(base + "/" + leaf, "value of " + leaf);
        }

        Mqtt3BlockingClient sub = clients.v3Connected(uniqueId("sub"));
        Mqtt3BlockingClient.Mqtt3Publishes inbox = inbox(sub);
        sub.subscribeWith().topicFilter(base + "/+/t").qos(MqttQos.AT_LEAST_ONCE).send();

        Map<String, String> got = new TreeMap<>();
        for (int i = 0; i < matching.size(); i++) {
            Mqtt3Publish p = receive(inbox);
            assertTrue(p.isRetain(), "RETAIN on " + p.getTopic());
            got.put(p.getTopic().toString(), text(p.getPayloadAsBytes()));
        }
        assertEquals(matching, got, "one retained message per matching topic");
        publish(pub, base + "/z/t", "fence", 1);
        receive(inbox, base + "/z/t", "fence"); // nothing that does not match, nothing twice
    }

    @Test
    @DisplayName("[MQTT-3.3.1-9] (3.1.1) a retained message sent to an established subscription has RETAIN 0")
    void liveMessagesToExistingSubscribersHaveRetain0() throws Exception {
        String topic = uniqueTopic("live");
        Mqtt3BlockingClient sub = clients.v3Connected(uniqueId("sub"));
        Mqtt3BlockingClient.Mqtt3Publishes inbox = inbox(sub);
        sub.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt3BlockingClient pub = clients.v3Connected(uniqueId("pub"));

        publishRetained(pub, topic, "retained, live", 1);

        assertFalse(receive(inbox, topic, "retained, live").isRetain(), "RETAIN on a live delivery");
    }

    @Test
    @DisplayName("[MQTT-3.3.1-12] [MQTT-3.3.1-13] (5.0) Retain As Published 0 clears RETAIN on live deliveries; 1 keeps it")
    void retainAsPublishedOption() throws Exception {
        String topic = uniqueTopic("rap");
        Mqtt5BlockingClient cleared = clients.v5Connected(uniqueId("rap0"));
        Mqtt5BlockingClient.Mqtt5Publishes clearedInbox = inbox(cleared);
        cleared.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).retainAsPublished(false).send();
        Mqtt5BlockingClient kept = clients.v5Connected(uniqueId("rap1"));
        Mqtt5BlockingClient.Mqtt5Publishes keptInbox = inbox(kept);
        kept.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).retainAsPublished(true).send();
        Mqtt5BlockingClient pub = clients.v5Connected(uniqueId("pub"));

        publishRetained(pub, topic, "r", 1);
        publish(pub, topic, "n", 1);

        assertFalse(receive(clearedInbox, topic, "r").isRetain(), "Retain As Published 0");
        Mqtt5Publish retained = receive(keptInbox, topic, "r");
        assertTrue(retained.isRetain(), "Retain As Published 1, retained message");
        assertFalse(receive(keptInbox, topic, "n").isRetain(), "Retain As Published 1, ordinary message");
    }
}
