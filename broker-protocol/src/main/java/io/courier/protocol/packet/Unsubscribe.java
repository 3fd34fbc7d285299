package io.courier.protocol.packet;

import io.courier.protocol.property.MqttProperties;
import java.util.List;
import java.util.Objects;

/** UNSUBSCRIBE (3.10): at least one topic filter [MQTT-3.10.3-2]. */
public record Unsubscribe(int packetId, List<String> topicFilters, MqttProperties properties)
        implements MqttPacket {

    public Unsubscribe {
        Subscribe.checkPacketId(packetId);
        topicFilters = List.copyOf(topicFilters);
        Objects.requireNonNull(properties, "properties");
        if (topicFilters.isEmpty()) {
            throw new IllegalArgumentException("UNSUBSCRIBE needs at least one topic filter [MQTT-3.10.3-2]");
        }
    }

    @Override
    public PacketType type() {
        return PacketType.UNSUBSCRIBE;
    }
}
