package io.courier.protocol.packet;

/**
 * MQTT control packet types (the high nibble of the fixed header, spec 2.1.2) with the fixed
 * header flags each one must carry (spec 2.1.3). PUBLISH carries DUP/QoS/RETAIN in its flags, so
 * it has no fixed value; AUTH exists from 5.0 on.
 */
public enum PacketType {
    CONNECT(1, 0),
    CONNACK(2, 0),
    PUBLISH(3, -1),
    PUBACK(4, 0),
    PUBREC(5, 0),
    PUBREL(6, 0b0010),
    PUBCOMP(7, 0),
    SUBSCRIBE(8, 0b0010),
    SUBACK(9, 0),
    UNSUBSCRIBE(10, 0b0010),
    UNSUBACK(11, 0),
    PINGREQ(12, 0),
    PINGRESP(13, 0),
    DISCONNECT(14, 0),
    AUTH(15, 0);

    private static final PacketType[] BY_VALUE = new PacketType[16];

    static {
        for (PacketType t : values()) {
            BY_VALUE[t.value] = t;
        }
    }

    private final int value;
    private final int requiredFlags;

    PacketType(int value, int requiredFlags) {
        this.value = value;
        this.requiredFlags = requiredFlags;
    }

    /** The 4-bit type value. */
    public int value() {
        return value;
    }

    /** The flags the fixed header must carry, or -1 where they carry data (PUBLISH). */
    public int requiredFlags() {
        return requiredFlags;
    }

    /** The type for a 4-bit value, or null for the reserved value 0. */
    public static PacketType ofValue(int value) {
        return value >= 0 && value < 16 ? BY_VALUE[value] : null;
    }
}
