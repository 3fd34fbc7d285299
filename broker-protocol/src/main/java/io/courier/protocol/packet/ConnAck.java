package io.courier.protocol.packet;

import io.courier.protocol.property.MqttProperties;
import java.util.Objects;

/**
 * CONNACK (3.2). In 3.1.1 the reason code travels as the nearest return code
 * ({@link ReasonCode#v3ConnectReturnCode()}) and properties are not sent.
 */
public record ConnAck(boolean sessionPresent, ReasonCode reasonCode, MqttProperties properties)
        implements MqttPacket {

    public ConnAck {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
        if (!reasonCode.isValidFor(PacketType.CONNACK)) {
            throw new IllegalArgumentException(reasonCode + " is not a CONNACK reason code");
        }
    }

    @Override
    public PacketType type() {
        return PacketType.CONNACK;
    }
}
