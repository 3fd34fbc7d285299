package io.courier.protocol.property;

import static io.courier.protocol.packet.PacketType.AUTH;
import static io.courier.protocol.packet.PacketType.CONNACK;
import static io.courier.protocol.packet.PacketType.CONNECT;
import static io.courier.protocol.packet.PacketType.DISCONNECT;
import static io.courier.protocol.packet.PacketType.PUBACK;
import static io.courier.protocol.packet.PacketType.PUBCOMP;
import static io.courier.protocol.packet.PacketType.PUBLISH;
import static io.courier.protocol.packet.PacketType.PUBREC;
import static io.courier.protocol.packet.PacketType.PUBREL;
import static io.courier.protocol.packet.PacketType.SUBACK;
import static io.courier.protocol.packet.PacketType.SUBSCRIBE;
import static io.courier.protocol.packet.PacketType.UNSUBACK;
import static io.courier.protocol.packet.PacketType.UNSUBSCRIBE;

import io.courier.protocol.packet.PacketType;
import java.util.EnumSet;
import java.util.Set;

/**
 * Every MQTT 5.0 property identifier (spec 2.2.2.2, table 2-4) with its wire type and where it
 * may appear. {@link PropertyScope#WILL} stands for the Will Properties of a CONNECT payload
 * (3.1.3.2), which have their own set.
 *
 * <p>Only User Property may appear more than once in any packet; Subscription Identifier may be
 * repeated in a PUBLISH, one per matching subscription [MQTT-3.3.4-4], but not in a SUBSCRIBE
 * (3.8.2.1.2). Any other repetition is a Protocol Error (e.g. 3.1.2.11.2 for Session Expiry).
 */
public enum PropertyId {
    PAYLOAD_FORMAT_INDICATOR(0x01, PropertyType.BYTE, true, PUBLISH),
    MESSAGE_EXPIRY_INTERVAL(0x02, PropertyType.FOUR_BYTE_INTEGER, true, PUBLISH),
    CONTENT_TYPE(0x03, PropertyType.UTF8_STRING, true, PUBLISH),
    RESPONSE_TOPIC(0x08, PropertyType.UTF8_STRING, true, PUBLISH),
    CORRELATION_DATA(0x09, PropertyType.BINARY_DATA, true, PUBLISH),
    SUBSCRIPTION_IDENTIFIER(0x0B, PropertyType.VARIABLE_BYTE_INTEGER, false, PUBLISH, SUBSCRIBE),
    SESSION_EXPIRY_INTERVAL(0x11, PropertyType.FOUR_BYTE_INTEGER, false, CONNECT, CONNACK, DISCONNECT),
    ASSIGNED_CLIENT_IDENTIFIER(0x12, PropertyType.UTF8_STRING, false, CONNACK),
    SERVER_KEEP_ALIVE(0x13, PropertyType.TWO_BYTE_INTEGER, false, CONNACK),
    AUTHENTICATION_METHOD(0x15, PropertyType.UTF8_STRING, false, CONNECT, CONNACK, AUTH),
    AUTHENTICATION_DATA(0x16, PropertyType.BINARY_DATA, false, CONNECT, CONNACK, AUTH),
    REQUEST_PROBLEM_INFORMATION(0x17, PropertyType.BYTE, false, CONNECT),
    WILL_DELAY_INTERVAL(0x18, PropertyType.FOUR_BYTE_INTEGER, true),
    REQUEST_RESPONSE_INFORMATION(0x19, PropertyType.BYTE, false, CONNECT),
    RESPONSE_INFORMATION(0x1A, PropertyType.UTF8_STRING, false, CONNACK),
    SERVER_REFERENCE(0x1C, PropertyType.UTF8_STRING, false, CONNACK, DISCONNECT),
    REASON_STRING(0x1F, PropertyType.UTF8_STRING, false,
            CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, DISCONNECT, AUTH),
    RECEIVE_MAXIMUM(0x21, PropertyType.TWO_BYTE_INTEGER, false, CONNECT, CONNACK),
    TOPIC_ALIAS_MAXIMUM(0x22, PropertyType.TWO_BYTE_INTEGER, false, CONNECT, CONNACK),
    TOPIC_ALIAS(0x23, PropertyType.TWO_BYTE_INTEGER, false, PUBLISH),
    MAXIMUM_QOS(0x24, PropertyType.BYTE, false, CONNACK),
    RETAIN_AVAILABLE(0x25, PropertyType.BYTE, false, CONNACK),
    USER_PROPERTY(0x26, PropertyType.UTF8_STRING_PAIR, true,
            CONNECT, CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP,
            SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK, DISCONNECT, AUTH),
    MAXIMUM_PACKET_SIZE(0x27, PropertyType.FOUR_BYTE_INTEGER, false, CONNECT, CONNACK),
    WILDCARD_SUBSCRIPTION_AVAILABLE(0x28, PropertyType.BYTE, false, CONNACK),
    SUBSCRIPTION_IDENTIFIER_AVAILABLE(0x29, PropertyType.BYTE, false, CONNACK),
    SHARED_SUBSCRIPTION_AVAILABLE(0x2A, PropertyType.BYTE, false, CONNACK);

    private static final PropertyId[] BY_ID = new PropertyId[0x80];

    static {
        for (PropertyId p : values()) {
            BY_ID[p.id] = p;
        }
    }

    private final int id;
    private final PropertyType type;
    private final boolean inWill;
    private final Set<PacketType> packets;

    PropertyId(int id, PropertyType type, boolean inWill, PacketType... packets) {
        this.id = id;
        this.type = type;
        this.inWill = inWill;
        this.packets = packets.length == 0 ? EnumSet.noneOf(PacketType.class) : EnumSet.of(packets[0], packets);
    }

    /** The identifier byte (always < 0x80, so its Variable Byte Integer is one byte). */
    public int id() {
        return id;
    }

    public PropertyType type() {
        return type;
    }

    /** Whether this property may appear in the given scope. */
    public boolean isAllowedIn(PropertyScope scope) {
        return scope == PropertyScope.WILL ? inWill : packets.contains(scope.packetType());
    }

    /** Whether this property may appear more than once in the given scope. */
    public boolean isRepeatableIn(PropertyScope scope) {
        return this == USER_PROPERTY || (this == SUBSCRIPTION_IDENTIFIER && scope == PropertyScope.PUBLISH);
    }

    /** The property for an identifier, or null if the spec defines none. */
    public static PropertyId ofId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
