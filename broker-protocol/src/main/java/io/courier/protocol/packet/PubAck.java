package io.courier.protocol.packet;

import io.courier.protocol.property.MqttProperties;

/** PUBACK: QoS 1 acknowledgement (3.4). */
public record PubAck(int packetId, ReasonCode reasonCode, MqttProperties properties)
        implements MqttPacket, PublishAck {

    public PubAck {
        PublishAck.check(PacketType.PUBACK, packetId, reasonCode, properties);
    }

    /** A successful PUBACK without properties (the only form 3.1.1 has). */
    public static PubAck success(int packetId) {
        return new PubAck(packetId, ReasonCode.SUCCESS, MqttProperties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBACK;
    }
}
