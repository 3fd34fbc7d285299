package io.courier.protocol.packet;

import io.courier.protocol.property.MqttProperties;
import java.util.List;
import java.util.Objects;

/**
 * SUBACK (3.9): one reason code per subscription, in order [MQTT-3.8.4-6]. In 3.1.1 the codes
 * travel as return codes 0x00-0x02 and 0x80; any failure reason becomes 0x80 there.
 */
public record SubAck(int packetId, List<ReasonCode> reasonCodes, MqttProperties properties)
        implements MqttPacket {

    public SubAck {
        Subscribe.checkPacketId(packetId);
        reasonCodes = List.copyOf(reasonCodes);
        Objects.requireNonNull(properties, "properties");
        for (ReasonCode rc : reasonCodes) {
            if (!rc.isValidFor(PacketType.SUBACK)) {
                throw new IllegalArgumentException(rc + " is not a SUBACK reason code");
            }
        }
    }

    @Override
    public PacketType type() {
        return PacketType.SUBACK;
    }
}
