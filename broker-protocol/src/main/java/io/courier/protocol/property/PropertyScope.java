package io.courier.protocol.property;

import io.courier.protocol.packet.PacketType;

/**
 * Where a property list sits: one of the packets that carry properties, or the Will Properties
 * inside a CONNECT payload (3.1.3.2), which allow a different set than the CONNECT itself.
 */
public enum PropertyScope {
    CONNECT(PacketType.CONNECT),
    WILL(PacketType.CONNECT),
    CONNACK(PacketType.CONNACK),
    PUBLISH(PacketType.PUBLISH),
    PUBACK(PacketType.PUBACK),
    PUBREC(PacketType.PUBREC),
    PUBREL(PacketType.PUBREL),
    PUBCOMP(PacketType.PUBCOMP),
    SUBSCRIBE(PacketType.SUBSCRIBE),
    SUBACK(PacketType.SUBACK),
    UNSUBSCRIBE(PacketType.UNSUBSCRIBE),
    UNSUBACK(PacketType.UNSUBACK),
    DISCONNECT(PacketType.DISCONNECT),
    AUTH(PacketType.AUTH);

    private final PacketType packetType;

    PropertyScope(PacketType packetType) {
        this.packetType = packetType;
    }

    public PacketType packetType() {
        return packetType;
    }

    /** The scope of a packet's own property list (never {@link #WILL}). */
    public static PropertyScope of(PacketType type) {
        return switch (type) {
            case CONNECT -> CONNECT;
            case CONNACK -> CONNACK;
            case PUBLISH -> PUBLISH;
            case PUBACK -> PUBACK;
            case PUBREC -> PUBREC;
            case PUBREL -> PUBREL;
            case PUBCOMP -> PUBCOMP;
            case SUBSCRIBE -> SUBSCRIBE;
            case SUBACK -> SUBACK;
            case UNSUBSCRIBE -> UNSUBSCRIBE;
            case UNSUBACK -> UNSUBACK;
            case DISCONNECT -> DISCONNECT;
            case AUTH -> AUTH;
            case PINGREQ, PINGRESP -> throw new IllegalArgumentException(type + " carries no properties");
        };
    }
}
