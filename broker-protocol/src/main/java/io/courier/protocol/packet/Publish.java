package io.courier.protocol.packet;

import io.courier.protocol.property.MqttProperties;
import java.util.Arrays;
import java.util.Objects;

/**
 * PUBLISH (3.3). {@code packetId} is 0 for QoS 0 (it is absent on the wire [MQTT-2.2.1-2]) and
 * 1..65535 otherwise. The topic may be empty only in 5.0 when a Topic Alias property names it
 * (3.3.2.3.4).
 */
public record Publish(
        String topic,
        Qos qos,
        boolean retain,
        boolean dup,
        int packetId,
        byte[] payload,
        MqttProperties properties) implements MqttPacket {

    public Publish {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(properties, "properties");
        if (qos == Qos.AT_MOST_ONCE ? packetId != 0 : packetId < 1 || packetId > 0xFFFF) {
            throw new IllegalArgumentException("packet id " + packetId + " with " + qos);
        }
        if (dup && qos == Qos.AT_MOST_ONCE) {
            throw new IllegalArgumentException("DUP must be 0 for QoS 0 [MQTT-3.3.1-2]");
        }
    }

    /** A QoS 0 message without properties. */
    public static Publish atMostOnce(String topic, byte[] payload) {
        return new Publish(topic, Qos.AT_MOST_ONCE, false, false, 0, payload, MqttProperties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBLISH;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Publish p && topic.equals(p.topic) && qos == p.qos
                && retain == p.retain && dup == p.dup && packetId == p.packetId
                && Arrays.equals(payload, p.payload) && properties.equals(p.properties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, qos, retain, dup, packetId, Arrays.hashCode(payload), properties);
    }

    @Override
    public String toString() {
        return "Publish[topic=" + topic + ", qos=" + qos + ", retain=" + retain + ", dup=" + dup
                + ", packetId=" + packetId + ", payload=" + payload.length + " bytes, properties="
                + properties + "]";
    }
}
