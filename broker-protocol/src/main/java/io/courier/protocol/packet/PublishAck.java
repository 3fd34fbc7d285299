package io.courier.protocol.packet;

import io.courier.protocol.property.MqttProperties;

/**
 * What PUBACK, PUBREC, PUBREL and PUBCOMP share: a packet identifier, a reason code (5.0 only on
 * the wire; 3.1.1 implies Success) and properties. One codec serves all four.
 */
public interface PublishAck {
    int packetId();

    ReasonCode reasonCode();

    MqttProperties properties();

    PacketType type();

    /** Checks the fields every acknowledgement shares; called from the records' constructors. */
    static void check(PacketType type, int packetId, ReasonCode reasonCode, MqttProperties properties) {
        if (packetId < 1 || packetId > 0xFFFF) {
            throw new IllegalArgumentException(type + " packet id out of range: " + packetId);
        }
        if (reasonCode == null || !reasonCode.isValidFor(type)) {
            throw new IllegalArgumentException(reasonCode + " is not a " + type + " reason code");
        }
        if (properties == null) {
            throw new NullPointerException("properties");
        }
    }
}
