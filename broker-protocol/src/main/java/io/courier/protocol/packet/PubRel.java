package io.courier.protocol.packet;

import io.courier.protocol.property.MqttProperties;

/** PUBREL: QoS 2 delivery part 2, publish release (3.6). */
public record PubRel(int packetId, ReasonCode reasonCode, MqttProperties properties)
        implements MqttPacket, PublishAck {

    public PubRel {
        PublishAck.check(PacketType.PUBREL, packetId, reasonCode, properties);
    }

    /** A successful PUBREL without properties (the only form 3.1.1 has). */
    public static PubRel success(int packetId) {
        return new PubRel(packetId, ReasonCode.SUCCESS, MqttProperties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBREL;
    }
}
