package io.courier.protocol.packet;

/**
 * An MQTT control packet, decoded or to be encoded. One immutable record per packet type; the
 * hierarchy is sealed so a {@code switch} over a packet is checked for completeness.
 *
 * <p>Records are the same for 3.1, 3.1.1 and 5.0: fields that 3.x lacks (properties, most reason
 * codes) hold their 5.0 defaults there, and the codec writes only what the version has.
 * Byte arrays (payloads, passwords) are not copied: do not change them once handed over.
 */
public sealed interface MqttPacket
        permits Connect, ConnAck, Publish, PubAck, PubRec, PubRel, PubComp, Subscribe, SubAck,
                Unsubscribe, UnsubAck, PingReq, PingResp, Disconnect, Auth {

    PacketType type();
}
