package io.courier.protocol.packet;

import io.courier.protocol.property.MqttProperties;
import java.util.Arrays;
import java.util.Objects;

/** The Will Message carried in a CONNECT payload (3.1.2.5 - 3.1.3.4), with its Will Properties. */
public record Will(String topic, byte[] payload, Qos qos, boolean retain, MqttProperties properties) {

    public Will {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Will w && topic.equals(w.topic) && Arrays.equals(payload, w.payload)
                && qos == w.qos && retain == w.retain && properties.equals(w.properties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, Arrays.hashCode(payload), qos, retain, properties);
    }

    @Override
    public String toString() {
        return "Will[topic=" + topic + ", payload=" + payload.length + " bytes, qos=" + qos
                + ", retain=" + retain + ", properties=" + properties + "]";
    }
}
