package io.courier.protocol.packet;

import io.courier.protocol.property.MqttProperties;
import java.util.Objects;

/**
 * DISCONNECT (3.14). 3.1.1 has only the fixed header, so there it always means a normal
 * disconnection from the client; 5.0 sends it both ways with a reason code.
 */
public record Disconnect(ReasonCode reasonCode, MqttProperties properties) implements MqttPacket {

    public static final Disconnect NORMAL = new Disconnect(ReasonCode.NORMAL_DISCONNECTION, MqttProperties.EMPTY);

    public Disconnect {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
        if (!reasonCode.isValidFor(PacketType.DISCONNECT)) {
            throw new IllegalArgumentException(reasonCode + " is not a DISCONNECT reason code");
        }
    }

    public static Disconnect of(ReasonCode reasonCode) {
        return new Disconnect(reasonCode, MqttProperties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.DISCONNECT;
    }
}
