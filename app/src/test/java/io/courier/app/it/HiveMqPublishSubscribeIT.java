package io.courier.app.it;

import static io.courier.app.it.HiveMqClients.bytes;
import static io.courier.app.it.HiveMqClients.inbox;
import static io.courier.app.it.HiveMqClients.qos;
import static io.courier.app.it.HiveMqClients.receive;
import static io.courier.app.it.HiveMqClients.text;
import static io.courier.app.it.HiveMqClients.uniqueId;
import static io.courier.app.it.HiveMqClients.uniqueTopic;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAck;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.unsubscribe.unsuback.Mqtt5UnsubAck;
import com.hivemq.client.mqtt.mqtt5.message.unsubscribe.unsuback.Mqtt5UnsubAckReasonCode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PUBLISH / SUBSCRIBE / UNSUBSCRIBE between HiveMQ clients of both versions. Where a test proves
 * that something was <em>not</em> delivered, it publishes a fence message afterwards on a topic
 * the subscriber holds and expects the fence next: the broker delivers one publisher's messages
 * to one session in order, so a message that had been delivered would arrive before the fence.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HiveMqPublishSubscribeIT {

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

    @ParameterizedTest(name = "MQTT {0}, QoS {1}")
    @CsvSource({"3, 0", "3, 1", "3, 2", "5, 0", "5, 1", "5, 2"})
    @DisplayName("[MQTT-3.3.4-1] (4.3) a QoS 0/1/2 message goes publisher -> broker -> subscriber with its flow completed, once")
    void qosFlowBothDirections(int version, int qos) throws Exception {
        String topic = uniqueTopic("qos" + qos);
        if (version == 3) {
            Mqtt3BlockingClient sub = clients.v3Connected(uniqueId("sub3"));
            Mqtt3BlockingClient.Mqtt3Publishes inbox = inbox(sub);
            Mqtt3SubAck ack = sub.subscribeWith().topicFilter(topic).qos(MqttQos.EXACTLY_ONCE).send();
            assertEquals(List.of(Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_2), ack.getReturnCodes());
            Mqtt3BlockingClient pub = clients.v3Connected(uniqueId("pub3"));

            HiveMqClients.publish(pub, topic, "m", qos); // returns after PUBACK / PUBCOMP for QoS 1 / 2
            HiveMqClients.publish(pub, topic, "fence", 1);

            Mqtt3Publish got = receive(inbox, topic, "m");
            assertEquals(qos(qos), got.getQos(), "delivered QoS");
            receive(inbox, topic, "fence"); // and not a second copy of m
        } else {
            Mqtt5BlockingClient sub = clients.v5Connected(uniqueId("sub5"));
            Mqtt5BlockingClient.Mqtt5Publishes inbox = inbox(sub);
            Mqtt5SubAck ack = sub.subscribeWith().topicFilter(topic).qos(MqttQos.EXACTLY_ONCE).send();
            assertEquals(List.of(Mqtt5SubAckReasonCode.GRANTED_QOS_2), ack.getReasonCodes());
            Mqtt5BlockingClient pub = clients.v5Connected(uniqueId("pub5"));

            HiveMqClients.publish(pub, topic, "m", qos);
            HiveMqClients.publish(pub, topic, "fence", 1);

            Mqtt5Publish got = receive(inbox, topic, "m");
            assertEquals(qos(qos), got.getQos(), "delivered QoS");
            receive(inbox, topic, "fence");
        }
    }

    @Test
    @DisplayName("[MQTT-3.8.4-8] a message is delivered at the minimum of its QoS and the QoS granted to the subscription")
    void deliveryQosIsMinimumOfPublishedAndGranted() throws Exception {
        String topic = uniqueTopic("downgrade");
        Mqtt5BlockingClient sub1 = clients.v5Connected(uniqueId("sub-q1"));
        Mqtt5BlockingClient.Mqtt5Publishes inbox1 = inbox(sub1);
        sub1.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt3BlockingClient sub0 = clients.v3Connected(uniqueId("sub-q0"));
        Mqtt3BlockingClient.Mqtt3Publishes inbox0 = inbox(sub0);
        sub0.subscribeWith().topicFilter(topic).qos(MqttQos.AT_MOST_ONCE).send();
        Mqtt5BlockingClient sub2 = clients.v5Connected(uniqueId("sub-q2"));
        Mqtt5BlockingClient.Mqtt5Publishes inbox2 = inbox(sub2);
        sub2.subscribeWith().topicFilter(topic).qos(MqttQos.EXACTLY_ONCE).send();
        Mqtt5BlockingClient pub = clients.v5Connected(uniqueId("pub"));

        HiveMqClients.publish(pub, topic, "qos2", 2);
        HiveMqClients.publish(pub, topic, "qos0", 0);

        assertEquals(MqttQos.AT_LEAST_ONCE, receive(inbox1, topic, "qos2").getQos());
        assertEquals(MqttQos.AT_MOST_ONCE, receive(inbox0, topic, "qos2").getQos());
        assertEquals(MqttQos.EXACTLY_ONCE, receive(inbox2, topic, "qos2").getQos());
        assertEquals(MqttQos.AT_MOST_ONCE, receive(inbox2, topic, "qos0").getQos(), "never upgraded");
    }

    @Test
    @DisplayName("[MQTT-3.2.2-9] [MQTT-3.8.4-8] with maximum-qos 1 a QoS 2 subscription is granted QoS 1 and QoS 2 messages arrive at QoS 1")
    void grantedQosBelowRequestedDowngradesDelivery() throws Exception {
        try (EmbeddedBroker limited = EmbeddedBroker.start("courier.mqtt.maximum-qos = 1");
                HiveMqClients own = new HiveMqClients(limited)) {
            String topic = uniqueTopic("granted");
            Mqtt5BlockingClient sub5 = own.v5(uniqueId("sub5"));
            MqttQos announced = sub5.connect().getRestrictions().getMaximumQos();
            Mqtt5BlockingClient.Mqtt5Publishes inbox5 = inbox(sub5);
            Mqtt5SubAck ack5 = sub5.subscribeWith().topicFilter(topic).qos(MqttQos.EXACTLY_ONCE).send();
            Mqtt3BlockingClient sub3 = own.v3(uniqueId("sub3"));
            sub3.connect();
            Mqtt3BlockingClient.Mqtt3Publishes inbox3 = inbox(sub3);
            Mqtt3SubAck ack3 = sub3.subscribeWith().topicFilter(topic).qos(MqttQos.EXACTLY_ONCE).send();
            Mqtt3BlockingClient pub = own.v3(uniqueId("pub3"));
            pub.connect();

            HiveMqClients.publish(pub, topic, "exactly once", 2);

            assertEquals(MqttQos.AT_LEAST_ONCE, announced, "Maximum QoS in the 5.0 CONNACK");
            assertEquals(List.of(Mqtt5SubAckReasonCode.GRANTED_QOS_1), ack5.getReasonCodes());
            assertEquals(List.of(Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_1), ack3.getReturnCodes());
            assertEquals(MqttQos.AT_LEAST_ONCE, receive(inbox5, topic, "exactly once").getQos());
            assertEquals(MqttQos.AT_LEAST_ONCE, receive(inbox3, topic, "exactly once").getQos());
        }
    }

    @ParameterizedTest(name = "MQTT {0}")
    @ValueSource(ints = {3, 5})
    @DisplayName("[MQTT-3.3.5-1] (3.1.1) / [MQTT-3.3.4-2] (5.0) overlapping subscriptions deliver a message once, at the highest granted QoS")
    void overlappingSubscriptionsDeliverOnceAtMaximumQos(int version) throws Exception {
        String base = uniqueTopic("overlap");
        String topic = base + "/a/x";
        if (version == 3) {
            Mqtt3BlockingClient sub = clients.v3Connected(uniqueId("ov3"));
            Mqtt3BlockingClient.Mqtt3Publishes inbox = inbox(sub);
            sub.subscribeWith().topicFilter(base + "/+/x").qos(MqttQos.AT_MOST_ONCE).send();
            sub.subscribeWith().topicFilter(base + "/#").qos(MqttQos.EXACTLY_ONCE).send();
            Mqtt3BlockingClient pub = clients.v3Connected(uniqueId("pub3"));

            HiveMqClients.publish(pub, topic, "m", 2);
            HiveMqClients.publish(pub, topic, "fence", 1);

            assertEquals(MqttQos.EXACTLY_ONCE, receive(inbox, topic, "m").getQos());
            receive(inbox, topic, "fence");
        } else {
            Mqtt5BlockingClient sub = clients.v5Connected(uniqueId("ov5"));
            Mqtt5BlockingClient.Mqtt5Publishes inbox = inbox(sub);
            sub.subscribeWith()
                    .addSubscription().topicFilter(base + "/+/x").qos(MqttQos.AT_MOST_ONCE).applySubscription()
                    .addSubscription().topicFilter(base + "/#").qos(MqttQos.EXACTLY_ONCE).applySubscription()
                    .send();
            Mqtt5BlockingClient pub = clients.v5Connected(uniqueId("pub5"));

            HiveMqClients.publish(pub, topic, "m", 2);
            HiveMqClients.publish(pub, topic, "fence", 1);

            assertEquals(MqttQos.EXACTLY_ONCE, receive(inbox, topic, "m").getQos());
            receive(inbox, topic, "fence");
        }
    }

    @Test
    @DisplayName("[MQTT-3.10.4-1] [MQTT-3.10.4-2] after UNSUBSCRIBE the broker stops delivering that filter's messages, and only that filter's")
    void unsubscribeStopsDelivery() throws Exception {
        String gone = uniqueTopic("unsub");
        String kept = uniqueTopic("kept");
        Mqtt5BlockingClient sub = clients.v5Connected(uniqueId("unsub"));
        Mqtt5BlockingClient.Mqtt5Publishes inbox = inbox(sub);
        sub.subscribeWith()
                .addSubscription().topicFilter(gone).qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                .addSubscription().topicFilter(kept).qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                .send();
        Mqtt5BlockingClient pub = clients.v5Connected(uniqueId("pub"));
        HiveMqClients.publish(pub, gone, "before", 1);
        receive(inbox, gone, "before");

        Mqtt5UnsubAck unsuback = sub.unsubscribeWith().topicFilter(gone).send();
        HiveMqClients.publish(pub, gone, "after", 1);
        HiveMqClients.publish(pub, kept, "fence", 1);

        assertEquals(List.of(Mqtt5UnsubAckReasonCode.SUCCESS), unsuback.getReasonCodes());
        receive(inbox, kept, "fence"); // "after" would have come first
    }

    @Test
    @DisplayName("[MQTT-4.6.0-5] [MQTT-4.6.0-6] 1,000 QoS 1 messages on one topic reach 3.1.1 and 5.0 subscribers in publishing order")
    void thousandQos1MessagesKeepTheirOrder() throws Exception {
        String topic = uniqueTopic("order");
        int count = 1_000;
        // Full windows: the publisher may have up to the broker's Receive Maximum (1,024) QoS 1
        // messages unacknowledged, so PUBACKs come back in a burst larger than the outbound
        // queue of one connection; the broker must hold them, not drop the client.
        Mqtt5BlockingClient sub5 = clients.v5(uniqueId("order5"));
        Mqtt5BlockingClient.Mqtt5Publishes inbox5 = inbox(sub5);
        sub5.connect();
        sub5.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt3BlockingClient sub3 = clients.v3Connected(uniqueId("order3"));
        Mqtt3BlockingClient.Mqtt3Publishes inbox3 = inbox(sub3);
        sub3.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient publisher = clients.v5(uniqueId("order-pub"));
        publisher.connect();
        Mqtt5AsyncClient pub = publisher.toAsync();

        // Pipelined: the client keeps as many QoS 1 messages in flight as the broker allows.
        List<CompletableFuture<Mqtt5PublishResult>> sent = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            sent.add(pub.publishWith().topic(topic).payload(bytes(Integer.toString(i))).qos(MqttQos.AT_LEAST_ONCE).send());
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        sent.forEach(f -> HiveMqClients.succeeded(f.join()));

        List<Integer> order5 = new ArrayList<>(count);
        List<Integer> order3 = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            order5.add(Integer.parseInt(text(receive(inbox5).getPayloadAsBytes())));
            order3.add(Integer.parseInt(text(receive(inbox3).getPayloadAsBytes())));
        }
        List<Integer> expected = IntStream.range(0, count).boxed().collect(Collectors.toList());
        assertEquals(expected, order5, "5.0 subscriber's order");
        assertEquals(expected, order3, "3.1.1 subscriber's order");
    }

    @ParameterizedTest(name = "MQTT {0} publisher")
    @ValueSource(ints = {3, 5})
    @DisplayName("a message crosses protocol versions: 3.1.1 publisher -> 5.0 subscriber and 5.0 publisher -> 3.1.1 subscriber")
    void messagesCrossProtocolVersions(int publisherVersion) throws Exception {
        String topic = uniqueTopic("cross");
        if (publisherVersion == 3) {
            Mqtt5BlockingClient sub = clients.v5Connected(uniqueId("x-sub5"));
            Mqtt5BlockingClient.Mqtt5Publishes inbox = inbox(sub);
            sub.subscribeWith().topicFilter(topic).qos(MqttQos.EXACTLY_ONCE).send();
            Mqtt3BlockingClient pub = clients.v3Connected(uniqueId("x-pub3"));

            HiveMqClients.publish(pub, topic, "from 3.1.1 qos1", 1);
            HiveMqClients.publish(pub, topic, "from 3.1.1 qos2", 2);

            assertEquals(MqttQos.AT_LEAST_ONCE, receive(inbox, topic, "from 3.1.1 qos1").getQos());
            Mqtt5Publish second = receive(inbox, topic, "from 3.1.1 qos2");
            assertEquals(MqttQos.EXACTLY_ONCE, second.getQos());
            assertEquals(List.of(), second.getUserProperties().asList(), "3.1.1 cannot carry properties");
        } else {
            Mqtt3BlockingClient sub = clients.v3Connected(uniqueId("x-sub3"));
            Mqtt3BlockingClient.Mqtt3Publishes inbox = inbox(sub);
            sub.subscribeWith().topicFilter(topic).qos(MqttQos.EXACTLY_ONCE).send();
            Mqtt5BlockingClient pub = clients.v5Connected(uniqueId("x-pub5"));

            HiveMqClients.publish(pub, topic, "from 5.0 qos1", 1);
            // 5.0-only properties are dropped on the way to a 3.1.1 client; the message still arrives.
            HiveMqClients.succeeded(pub.publishWith().topic(topic).payload(bytes("from 5.0 qos2")).qos(MqttQos.EXACTLY_ONCE)
                    .contentType("text/plain").userProperties().add("k", "v").applyUserProperties().send());

            assertEquals(MqttQos.AT_LEAST_ONCE, receive(inbox, topic, "from 5.0 qos1").getQos());
            assertEquals(MqttQos.EXACTLY_ONCE, receive(inbox, topic, "from 5.0 qos2").getQos());
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.2-4] [MQTT-3.3.2-15] [MQTT-3.3.2-16] [MQTT-3.3.2-17] [MQTT-3.3.2-18] [MQTT-3.3.2-20] 5.0 properties reach the subscriber unaltered and in order")
    void publishPropertiesPassThrough() throws Exception {
        String topic = uniqueTopic("props");
        Mqtt5BlockingClient sub = clients.v5Connected(uniqueId("props-sub"));
        Mqtt5BlockingClient.Mqtt5Publishes inbox = inbox(sub);
        sub.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient pub = clients.v5Connected(uniqueId("props-pub"));
        byte[] correlation = {0x00, 0x01, (byte) 0xFE, (byte) 0xFF};

        HiveMqClients.succeeded(pub.publishWith().topic(topic).payload(bytes("{\"v\":1}")).qos(MqttQos.AT_LEAST_ONCE)
                .userProperties().add("k", "2").add("a", "b").add("k", "1").applyUserProperties()
                .contentType("application/json")
                .correlationData(correlation)
                .responseTopic(topic + "/reply")
                .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8)
                .send());

        Mqtt5Publish got = receive(inbox, topic, "{\"v\":1}");
        List<String> userProperties = got.getUserProperties().asList().stream()
                .map(p -> p.getName() + "=" + p.getValue()).collect(Collectors.toList());
        assertEquals(List.of("k=2", "a=b", "k=1"), userProperties, "user properties, with duplicates, in order");
        assertEquals("application/json", got.getContentType().map(Object::toString).orElse(null), "content type");
        Optional<ByteBuffer> data = got.getCorrelationData();
        assertArrayEquals(correlation, data.map(HiveMqPublishSubscribeIT::toArray).orElse(null), "correlation data");
        assertEquals(topic + "/reply", got.getResponseTopic().map(Object::toString).orElse(null), "response topic");
        assertEquals(Optional.of(Mqtt5PayloadFormatIndicator.UTF_8), got.getPayloadFormatIndicator(), "payload format");
    }

    @Test
    @DisplayName("(4.8.2) a shared subscription $share/g/t gives each message to exactly one member; a plain subscriber still gets all")
    void sharedSubscriptionDeliversEachMessageToOneMember() throws Exception {
        String topic = uniqueTopic("shared");
        String group = "g" + uniqueId("grp").replace("-", "");
        Mqtt5BlockingClient m1 = clients.v5Connected(uniqueId("member1"));
        Mqtt5BlockingClient.Mqtt5Publishes inbox1 = inbox(m1);
        m1.subscribeWith().topicFilter("$share/" + group + "/" + topic).qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient m2 = clients.v5Connected(uniqueId("member2"));
        Mqtt5BlockingClient.Mqtt5Publishes inbox2 = inbox(m2);
        m2.subscribeWith().topicFilter("$share/" + group + "/" + topic).qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient plain = clients.v5Connected(uniqueId("plain"));
        Mqtt5BlockingClient.Mqtt5Publishes plainInbox = inbox(plain);
        plain.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient pub = clients.v5Connected(uniqueId("pub"));

        int count = 20;
        for (int i = 0; i < count; i++) {
            HiveMqClients.publish(pub, topic, Integer.toString(i), 1);
        }

        // The plain subscriber's copy of the last message is the fence: each member's copies
        // were stored before the publisher got its PUBACK, so all of them are on their way.
        for (int i = 0; i < count; i++) {
            receive(plainInbox, topic, Integer.toString(i));
        }
        List<String> received = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HiveMqClients.RECEIVE_SECONDS);
        while (received.size() < count && System.nanoTime() < deadline) {
            inbox1.receive(10, TimeUnit.MILLISECONDS).ifPresent(p -> received.add(text(p.getPayloadAsBytes())));
            inbox2.receive(10, TimeUnit.MILLISECONDS).ifPresent(p -> received.add(text(p.getPayloadAsBytes())));
        }
        assertEquals(count, received.size(), "messages the group received: " + received);
        Set<String> distinct = new HashSet<>(received);
        assertEquals(count, distinct.size(), "each message exactly once across the group: " + received);
        assertFalse(inbox1.receiveNow().isPresent() || inbox2.receiveNow().isPresent(), "nothing beyond the count");
    }

    @Test
    @DisplayName("(4.8.2) a shared group skips a member whose session is offline while another member is connected")
    void sharedSubscriptionSkipsOfflineMember() throws Exception {
        String topic = uniqueTopic("shared-away");
        String filter = "$share/g" + uniqueId("grp").replace("-", "") + "/" + topic;
        String awayId = uniqueId("away");
        Mqtt5BlockingClient away = clients.v5(awayId);
        away.connectWith().cleanStart(true).sessionExpiryInterval(60).send();
        away.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
        away.disconnect();
        Mqtt5BlockingClient here = clients.v5Connected(uniqueId("here"));
        Mqtt5BlockingClient.Mqtt5Publishes hereInbox = inbox(here);
        here.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
        broker.awaitOffline(awayId);
        Mqtt5BlockingClient pub = clients.v5Connected(uniqueId("pub"));

        int count = 10;
        for (int i = 0; i < count; i++) {
            HiveMqClients.publish(pub, topic, Integer.toString(i), 1);
        }
        for (int i = 0; i < count; i++) {
            receive(hereInbox, topic, Integer.toString(i));
        }

        // Back online, the away member finds nothing queued: its first message is a fence.
        Mqtt5BlockingClient.Mqtt5Publishes awayInbox = inbox(away);
        assertTrue(away.connectWith().cleanStart(false).sessionExpiryInterval(0).send().isSessionPresent());
        String fence = uniqueTopic("fence");
        away.subscribeWith().topicFilter(fence).qos(MqttQos.AT_LEAST_ONCE).send();
        HiveMqClients.publish(pub, fence, "fence", 1);
        receive(awayInbox, fence, "fence");
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
