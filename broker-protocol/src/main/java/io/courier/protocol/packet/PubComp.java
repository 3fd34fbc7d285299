package io.courier.protocol.packet;

import io.courier.protocol.property.MqttProperties;

/** PUBCOMP: QoS 2 delivery part 3, publish complete (3.7). */
public record PubComp(int packetId, ReasonCode reasonCode, MqttProperties properties)
        implements MqttPacket, PublishAck {

    public PubComp {
        PublishAck.check(PacketType.PUBCOMP, packetId, reasonCode, properties);
    }

    /** A successful PUBCOMP without properties (the only form 3.1.1 has). */
    public static PubComp success(int packetId) {
        return new PubComp(packetId, ReasonCode.SUCCESS, MqttProperties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBCOMP;
    }
}
