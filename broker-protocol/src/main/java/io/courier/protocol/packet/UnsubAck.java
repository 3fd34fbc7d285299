package io.courier.protocol.packet;

import io.courier.protocol.property.MqttProperties;
import java.util.List;
import java.util.Objects;

/**
 * UNSUBACK (3.11). 5.0 carries one reason code per topic filter [MQTT-3.11.3-1]; 3.1.1 has no
 * payload, so a decoded 3.1.1 UNSUBACK has an empty list and an encoded one ignores it.
 */
public record UnsubAck(int packetId, List<ReasonCode> reasonCodes, MqttProperties properties)
        implements MqttPacket {

    public UnsubAck {
        Subscribe.checkPacketId(packetId);
        reasonCodes = List.copyOf(reasonCodes);
        Objects.requireNonNull(properties, "properties");
        for (ReasonCode rc : reasonCodes) {
            if (!rc.isValidFor(PacketType.UNSUBACK)) {
                throw new IllegalArgumentException(rc + " is not an UNSUBACK reason code");
            }
        }
    }

    @Override
    public PacketType type() {
        return PacketType.UNSUBACK;
    }
}
