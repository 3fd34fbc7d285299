package io.courier.protocol.session;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.courier.protocol.message.Message;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.property.MqttProperties;

/** Messages and deliveries for the session tests; the payload names the message so failures read well. */
final class TestDeliveries {

    private TestDeliveries() {
    }

    static Message message(String name, Qos qos, long expiresAtMillis) {
        return new Message("t/" + name, name.getBytes(UTF_8), qos, false, MqttProperties.EMPTY, "publisher",
                expiresAtMillis);
    }

    /** A delivery at the message's own QoS that never expires. */
    static Delivery delivery(String name, Qos qos) {
        return new Delivery(message(name, qos, Message.NEVER), qos, false, new int[0]);
    }

    static Delivery expiring(String name, Qos qos, long expiresAtMillis) {
        return new Delivery(message(name, qos, expiresAtMillis), qos, false, new int[0]);
    }

    static Delivery q0(String name) {
        return delivery(name, Qos.AT_MOST_ONCE);
    }

    static Delivery q1(String name) {
        return delivery(name, Qos.AT_LEAST_ONCE);
    }

    static Delivery q2(String name) {
        return delivery(name, Qos.EXACTLY_ONCE);
    }
}
