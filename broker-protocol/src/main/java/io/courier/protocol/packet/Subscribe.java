package io.courier.protocol.packet;

import io.courier.protocol.property.MqttProperties;
import java.util.List;
import java.util.Objects;

/** SUBSCRIBE (3.8): at least one subscription [MQTT-3.8.3-3]. */
public record Subscribe(int packetId, List<Subscription> subscriptions, MqttProperties properties)
        implements MqttPacket {

    public Subscribe {
        checkPacketId(packetId);
        subscriptions = List.copyOf(subscriptions);
        Objects.requireNonNull(properties, "properties");
        if (subscriptions.isEmpty()) {
            throw new IllegalArgumentException("SUBSCRIBE needs at least one subscription [MQTT-3.8.3-3]");
        }
    }

    @Override
    public PacketType type() {
        return PacketType.SUBSCRIBE;
    }

    static void checkPacketId(int packetId) {
        if (packetId < 1 || packetId > 0xFFFF) {
            throw new IllegalArgumentException("packet id out of range: " + packetId);
        }
    }
}
