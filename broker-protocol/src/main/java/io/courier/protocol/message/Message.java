package io.courier.protocol.message;

import io.courier.protocol.packet.Qos;
import io.courier.protocol.property.MqttProperties;
import java.util.Arrays;
import java.util.Objects;

/**
 * An application message as the broker keeps it between publisher and subscribers: what a
 * PUBLISH carried, less what belongs to one hop (packet id, DUP, Topic Alias), plus what the
 * broker must remember about it.
 *
 * @param topic             the resolved topic name (a Topic Alias is resolved before this exists)
 * @param qos               the QoS it was published with
 * @param retain            the RETAIN flag as published
 * @param properties        the 5.0 properties to forward (without Topic Alias or Subscription
 *                          Identifiers, which are per hop and per subscription)
 * @param publisherId       the publishing client's identifier, for No Local [MQTT-3.8.3-3]
 * @param expiresAtMillis   when the Message Expiry Interval runs out (epoch millis), or
 *                          {@link #NEVER}
 */
public record Message(
        String topic,
        byte[] payload,
        Qos qos,
        boolean retain,
        MqttProperties properties,
        String publisherId,
        long expiresAtMillis) {

    public static final long NEVER = Long.MAX_VALUE;

    public Message {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(publisherId, "publisherId");
    }

    public boolean isExpired(long nowMillis) {
        return nowMillis >= expiresAtMillis;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && topic.equals(m.topic) && Arrays.equals(payload, m.payload)
                && qos == m.qos && retain == m.retain && properties.equals(m.properties)
                && publisherId.equals(m.publisherId) && expiresAtMillis == m.expiresAtMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, Arrays.hashCode(payload), qos, retain, properties, publisherId, expiresAtMillis);
    }

    @Override
    public String toString() {
        return "Message[topic=" + topic + ", " + payload.length + " bytes, qos=" + qos + ", retain=" + retain
                + ", publisher=" + publisherId + "]";
    }
}
