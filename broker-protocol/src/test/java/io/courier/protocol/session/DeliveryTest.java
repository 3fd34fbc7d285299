package io.courier.protocol.session;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.message.Message;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.Property;
import io.courier.protocol.property.PropertyId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeliveryTest {

    private static final long NOW = 1_700_000_000_000L;

    private static Message message(Qos qos, MqttProperties props, long expiresAt) {
        return new Message("a/b", "hello".getBytes(UTF_8), qos, true, props, "pub", expiresAt);
    }

    @Test
    @DisplayName("toPublish carries topic, payload, the delivery's QoS and RETAIN, identifier and DUP")
    void toPublishFields() {
        Delivery d = new Delivery(message(Qos.EXACTLY_ONCE, MqttProperties.EMPTY, Message.NEVER),
                Qos.AT_LEAST_ONCE, false, new int[0]);
        Publish p = d.toPublish(12, true, NOW);
        assertEquals(new Publish("a/b", Qos.AT_LEAST_ONCE, false, true, 12, "hello".getBytes(UTF_8),
                MqttProperties.EMPTY), p);
    }

    @Test
    @DisplayName("QoS 0: no packet identifier and never DUP [MQTT-2.2.1-2] [MQTT-3.3.1-2]")
    void qos0() {
        Delivery d = Delivery.of(message(Qos.AT_LEAST_ONCE, MqttProperties.EMPTY, Message.NEVER),
                Qos.AT_MOST_ONCE, false);
        assertEquals(0, d.toPublish(0, false, NOW).packetId());
        assertThrows(IllegalArgumentException.class, () -> d.toPublish(0, true, NOW));
        assertThrows(IllegalArgumentException.class, () -> d.toPublish(5, false, NOW));
    }

    @Test
    @DisplayName("the delivered QoS is the lower of published and granted [MQTT-3.8.4-8]")
    void qosIsMinimum() {
        Message q1 = message(Qos.AT_LEAST_ONCE, MqttProperties.EMPTY, Message.NEVER);
        assertEquals(Qos.AT_LEAST_ONCE, Delivery.of(q1, Qos.EXACTLY_ONCE, false).qos());
        assertEquals(Qos.AT_MOST_ONCE, Delivery.of(q1, Qos.AT_MOST_ONCE, false).qos());
        assertThrows(IllegalArgumentException.class, () -> new Delivery(q1, Qos.EXACTLY_ONCE, false, null));
    }

    @ParameterizedTest(name = "{0} ms left -> {1} s")
    @CsvSource({
            "60000, 60",
            "59001, 60",
            "1500, 2",
            "1001, 2",
            "1000, 1",
            "999, 1",
            "1, 1",
    })
    @DisplayName("remaining expiry is rounded up to whole seconds [MQTT-3.3.2-6]")
    void remainingRoundsUp(long leftMillis, long expectedSeconds) {
        assertEquals(expectedSeconds, Delivery.remainingExpirySeconds(NOW + leftMillis, NOW));
    }

    @Test
    @DisplayName("remaining expiry is at least 1 at and after the expiry instant (resend of a started delivery)")
    void remainingAtLeastOne() {
        assertEquals(1, Delivery.remainingExpirySeconds(NOW, NOW));
        assertEquals(1, Delivery.remainingExpirySeconds(NOW - 10_000, NOW));
        assertThrows(IllegalArgumentException.class, () -> Delivery.remainingExpirySeconds(Message.NEVER, NOW));
    }

    @Test
    @DisplayName("remaining expiry never exceeds the four-byte maximum (clock behind the publisher's)")
    void remainingClamped() {
        assertEquals(0xFFFF_FFFFL, Delivery.remainingExpirySeconds(NOW + 0xFFFF_FFFFL * 1000 + 5_000, NOW));
    }

    @Test
    @DisplayName("properties: expiry set to the time left in place, others kept in order, subscription ids appended [MQTT-3.3.2-6] [MQTT-3.3.4-3] [MQTT-3.3.2-18]")
    void propertiesInOrder() {
        MqttProperties props = MqttProperties.builder()
                .add(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1)
                .user("k", "first")
                .add(PropertyId.MESSAGE_EXPIRY_INTERVAL, 120L)
                .add(PropertyId.CONTENT_TYPE, "text/plain")
                .user("k", "second")
                .build();
        Delivery d = new Delivery(message(Qos.AT_LEAST_ONCE, props, NOW + 120_000), Qos.AT_LEAST_ONCE, true,
                new int[] {3, 70_000});
        MqttProperties expected = MqttProperties.builder()
                .add(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1)
                .user("k", "first")
                .add(PropertyId.MESSAGE_EXPIRY_INTERVAL, 90L)
                .add(PropertyId.CONTENT_TYPE, "text/plain")
                .user("k", "second")
                .add(PropertyId.SUBSCRIPTION_IDENTIFIER, 3)
                .add(PropertyId.SUBSCRIPTION_IDENTIFIER, 70_000)
                .build();
        assertEquals(expected, d.toPublish(1, false, NOW + 30_000).properties());
        assertArrayEquals(new int[] {3, 70_000},
                d.toPublish(1, false, NOW).properties().intValues(PropertyId.SUBSCRIPTION_IDENTIFIER));
    }

    @Test
    @DisplayName("an expiring message without the property in its list gets one; a non-expiring one loses it")
    void expiryPropertyFollowsExpiresAt() {
        Delivery expiring = Delivery.of(message(Qos.AT_LEAST_ONCE, MqttProperties.EMPTY, NOW + 10_000),
                Qos.AT_LEAST_ONCE, false);
        assertEquals(MqttProperties.of(Property.of(PropertyId.MESSAGE_EXPIRY_INTERVAL, 10L)),
                expiring.outgoingProperties(NOW));

        MqttProperties stale = MqttProperties.of(Property.of(PropertyId.MESSAGE_EXPIRY_INTERVAL, 5L),
                Property.of(PropertyId.TOPIC_ALIAS, 4));
        Delivery never = Delivery.of(message(Qos.AT_LEAST_ONCE, stale, Message.NEVER), Qos.AT_LEAST_ONCE, false);
        assertTrue(never.outgoingProperties(NOW).isEmpty(), "no expiry, and the Topic Alias is per hop");
    }

    @Test
    @DisplayName("per-hop properties in the stored list (Topic Alias, Subscription Identifier) are not forwarded")
    void perHopPropertiesStripped() {
        MqttProperties props = MqttProperties.builder()
                .add(PropertyId.SUBSCRIPTION_IDENTIFIER, 99)
                .user("a", "b")
                .add(PropertyId.TOPIC_ALIAS, 2)
                .build();
        Delivery d = Delivery.of(message(Qos.AT_LEAST_ONCE, props, Message.NEVER), Qos.AT_LEAST_ONCE, false, 5);
        MqttProperties out = d.outgoingProperties(NOW);
        assertEquals(MqttProperties.builder().user("a", "b").add(PropertyId.SUBSCRIPTION_IDENTIFIER, 5).build(), out);
    }

    @Test
    @DisplayName("without subscription identifiers (3.1.1, or none set) the message's properties go out unchanged")
    void noSubscriptionIdentifiers() {
        MqttProperties props = MqttProperties.builder().user("a", "b").build();
        Delivery d = Delivery.of(message(Qos.AT_LEAST_ONCE, props, Message.NEVER), Qos.AT_LEAST_ONCE, false);
        assertSame(props, d.outgoingProperties(NOW));
        assertEquals(0, d.subscriptionIdentifiers().length);
    }

    @Test
    @DisplayName("subscription identifiers: equal by value, copied in and out")
    void subscriptionIdentifiersByValue() {
        Message m = message(Qos.AT_LEAST_ONCE, MqttProperties.EMPTY, Message.NEVER);
        int[] ids = {1, 2};
        Delivery a = new Delivery(m, Qos.AT_LEAST_ONCE, false, ids);
        Delivery b = new Delivery(m, Qos.AT_LEAST_ONCE, false, new int[] {1, 2});
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, new Delivery(m, Qos.AT_LEAST_ONCE, false, new int[] {2, 1}));
        assertNotEquals(a, new Delivery(m, Qos.AT_LEAST_ONCE, true, ids));

        ids[0] = 9;
        a.subscriptionIdentifiers()[1] = 9;
        assertArrayEquals(new int[] {1, 2}, a.subscriptionIdentifiers());
        assertEquals(new Delivery(m, Qos.AT_LEAST_ONCE, false, null),
                new Delivery(m, Qos.AT_LEAST_ONCE, false, new int[0]));
    }

    @Test
    @DisplayName("subscription identifiers are 1..268,435,455 (3.8.2.1.2)")
    void subscriptionIdentifierRange() {
        Message m = message(Qos.AT_LEAST_ONCE, MqttProperties.EMPTY, Message.NEVER);
        assertThrows(IllegalArgumentException.class, () -> Delivery.of(m, Qos.AT_LEAST_ONCE, false, 0));
        assertThrows(IllegalArgumentException.class,
                () -> Delivery.of(m, Qos.AT_LEAST_ONCE, false, Delivery.MAX_SUBSCRIPTION_IDENTIFIER + 1));
        assertEquals(Delivery.MAX_SUBSCRIPTION_IDENTIFIER,
                Delivery.of(m, Qos.AT_LEAST_ONCE, false, Delivery.MAX_SUBSCRIPTION_IDENTIFIER)
                        .subscriptionIdentifiers()[0]);
    }

    @Test
    @DisplayName("expiry follows the message: alive before the instant, expired at it")
    void expiryBoundary() {
        Delivery d = Delivery.of(message(Qos.AT_LEAST_ONCE, MqttProperties.EMPTY, NOW), Qos.AT_LEAST_ONCE, false);
        assertFalse(d.isExpired(NOW - 1));
        assertTrue(d.isExpired(NOW));
    }
}
