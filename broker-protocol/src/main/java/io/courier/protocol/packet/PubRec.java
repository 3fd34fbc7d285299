package io.courier.protocol.packet;

import io.courier.protocol.property.MqttProperties;

/** PUBREC: QoS 2 delivery part 1, publish received (3.5). */
public record PubRec(int packetId, ReasonCode reasonCode, MqttProperties properties)
        implements MqttPacket, PublishAck {

    public PubRec {
        PublishAck.check(PacketType.PUBREC, packetId, reasonCode, properties);
    }

    /** A successful PUBREC without properties (the only form 3.1.1 has). */
    public static PubRec success(int packetId) {
        return new PubRec(packetId, ReasonCode.SUCCESS, MqttProperties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBREC;
    }
}
