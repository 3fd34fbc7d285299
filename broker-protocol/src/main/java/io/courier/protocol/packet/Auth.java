package io.courier.protocol.packet;

import io.courier.protocol.property.MqttProperties;
import java.util.Objects;

/** AUTH (3.15, 5.0 only): enhanced authentication exchange. */
public record Auth(ReasonCode reasonCode, MqttProperties properties) implements MqttPacket {

    public Auth {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
        if (!reasonCode.isValidFor(PacketType.AUTH)) {
            throw new IllegalArgumentException(reasonCode + " is not an AUTH reason code");
        }
    }

    @Override
    public PacketType type() {
        return PacketType.AUTH;
    }
}
