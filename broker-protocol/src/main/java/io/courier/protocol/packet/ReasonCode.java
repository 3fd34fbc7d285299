package io.courier.protocol.packet;

import static io.courier.protocol.packet.PacketType.AUTH;
import static io.courier.protocol.packet.PacketType.CONNACK;
import static io.courier.protocol.packet.PacketType.DISCONNECT;
import static io.courier.protocol.packet.PacketType.PUBACK;
import static io.courier.protocol.packet.PacketType.PUBCOMP;
import static io.courier.protocol.packet.PacketType.PUBREC;
import static io.courier.protocol.packet.PacketType.PUBREL;
import static io.courier.protocol.packet.PacketType.SUBACK;
import static io.courier.protocol.packet.PacketType.UNSUBACK;

import java.util.EnumSet;
import java.util.Set;

/**
 * MQTT 5.0 reason codes (spec 2.4, table 2-6) with the packets each one may appear in. The value
 * 0x00 has three names (Success, Normal disconnection, Granted QoS 0), so lookups go through
 * {@link #forPacket(PacketType, int)}.
 *
 * <p>MQTT 3.1.1 has no reason codes, only CONNACK return codes (3.2.2.3) and SUBACK return codes
 * (3.9.3). The engine works with these constants for both versions; {@link #v3ConnectReturnCode()}
 * maps to the 3.1.1 CONNACK value and the codec maps SUBACK grants, so version differences stay
 * in the codec.
 */
public enum ReasonCode {
    SUCCESS(0x00, CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK, AUTH),
    NORMAL_DISCONNECTION(0x00, DISCONNECT),
    GRANTED_QOS_0(0x00, SUBACK),
    GRANTED_QOS_1(0x01, SUBACK),
    GRANTED_QOS_2(0x02, SUBACK),
    DISCONNECT_WITH_WILL_MESSAGE(0x04, DISCONNECT),
    NO_MATCHING_SUBSCRIBERS(0x10, PUBACK, PUBREC),
    NO_SUBSCRIPTION_EXISTED(0x11, UNSUBACK),
    CONTINUE_AUTHENTICATION(0x18, AUTH),
    RE_AUTHENTICATE(0x19, AUTH),
    UNSPECIFIED_ERROR(0x80, CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK, DISCONNECT),
    MALFORMED_PACKET(0x81, CONNACK, DISCONNECT),
    PROTOCOL_ERROR(0x82, CONNACK, DISCONNECT),
    IMPLEMENTATION_SPECIFIC_ERROR(0x83, CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK, DISCONNECT),
    UNSUPPORTED_PROTOCOL_VERSION(0x84, CONNACK),
    CLIENT_IDENTIFIER_NOT_VALID(0x85, CONNACK),
    BAD_USER_NAME_OR_PASSWORD(0x86, CONNACK),
    NOT_AUTHORIZED(0x87, CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK, DISCONNECT),
    SERVER_UNAVAILABLE(0x88, CONNACK),
    SERVER_BUSY(0x89, CONNACK, DISCONNECT),
    BANNED(0x8A, CONNACK),
    SERVER_SHUTTING_DOWN(0x8B, DISCONNECT),
    BAD_AUTHENTICATION_METHOD(0x8C, CONNACK, DISCONNECT),
    KEEP_ALIVE_TIMEOUT(0x8D, DISCONNECT),
    SESSION_TAKEN_OVER(0x8E, DISCONNECT),
    TOPIC_FILTER_INVALID(0x8F, SUBACK, UNSUBACK, DISCONNECT),
    TOPIC_NAME_INVALID(0x90, CONNACK, PUBACK, PUBREC, DISCONNECT),
    PACKET_IDENTIFIER_IN_USE(0x91, PUBACK, PUBREC, SUBACK, UNSUBACK),
    PACKET_IDENTIFIER_NOT_FOUND(0x92, PUBREL, PUBCOMP),
    RECEIVE_MAXIMUM_EXCEEDED(0x93, DISCONNECT),
    TOPIC_ALIAS_INVALID(0x94, DISCONNECT),
    PACKET_TOO_LARGE(0x95, CONNACK, DISCONNECT),
    MESSAGE_RATE_TOO_HIGH(0x96, DISCONNECT),
    QUOTA_EXCEEDED(0x97, CONNACK, PUBACK, PUBREC, SUBACK, DISCONNECT),
    ADMINISTRATIVE_ACTION(0x98, DISCONNECT),
    PAYLOAD_FORMAT_INVALID(0x99, CONNACK, PUBACK, PUBREC, DISCONNECT),
    RETAIN_NOT_SUPPORTED(0x9A, CONNACK, DISCONNECT),
    QOS_NOT_SUPPORTED(0x9B, CONNACK, DISCONNECT),
    USE_ANOTHER_SERVER(0x9C, CONNACK, DISCONNECT),
    SERVER_MOVED(0x9D, CONNACK, DISCONNECT),
    SHARED_SUBSCRIPTIONS_NOT_SUPPORTED(0x9E, SUBACK, DISCONNECT),
    CONNECTION_RATE_EXCEEDED(0x9F, CONNACK, DISCONNECT),
    MAXIMUM_CONNECT_TIME(0xA0, DISCONNECT),
    SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED(0xA1, SUBACK, DISCONNECT),
    WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED(0xA2, SUBACK, DISCONNECT);

    /** Per packet type, the reason code for each byte value (null where the spec names none). */
    private static final ReasonCode[][] BY_PACKET = new ReasonCode[16][];

    static {
        for (PacketType t : PacketType.values()) {
            BY_PACKET[t.value()] = new ReasonCode[256];
        }
        for (ReasonCode rc : values()) {
            for (PacketType t : rc.packets) {
                BY_PACKET[t.value()][rc.code] = rc;
            }
        }
    }

    private final int code;
    private final Set<PacketType> packets;

    ReasonCode(int code, PacketType first, PacketType... rest) {
        this.code = code;
        this.packets = EnumSet.of(first, rest);
    }

    /** The byte value on the wire. */
    public int code() {
        return code;
    }

    /** The packets the spec allows this reason code in. */
    public Set<PacketType> packets() {
        return packets;
    }

    public boolean isValidFor(PacketType type) {
        return packets.contains(type);
    }

    /** Values of 0x80 and above report failure (spec 2.4). */
    public boolean isError() {
        return code >= 0x80;
    }

    /** The reason code with this value that the spec allows in this packet, or null. */
    public static ReasonCode forPacket(PacketType type, int code) {
        return code >= 0 && code < 256 ? BY_PACKET[type.value()][code] : null;
    }

    /** The SUBACK code that grants this QoS. */
    public static ReasonCode granted(Qos qos) {
        return switch (qos) {
            case AT_MOST_ONCE -> GRANTED_QOS_0;
            case AT_LEAST_ONCE -> GRANTED_QOS_1;
            case EXACTLY_ONCE -> GRANTED_QOS_2;
        };
    }

    /**
     * The MQTT 3.1.1 CONNACK return code (3.2.2.3) closest to this reason: 0 accepted, 1 bad
     * protocol version, 2 identifier rejected, 3 server unavailable, 4 bad user name or password,
     * 5 not authorized. Reasons 3.1.1 cannot express fall back to 3 (server unavailable) for
     * load and availability problems and 5 (not authorized) for policy refusals.
     */
    public int v3ConnectReturnCode() {
        return switch (this) {
            case SUCCESS -> 0;
            case UNSUPPORTED_PROTOCOL_VERSION -> 1;
            case CLIENT_IDENTIFIER_NOT_VALID -> 2;
            case SERVER_UNAVAILABLE, SERVER_BUSY, USE_ANOTHER_SERVER, SERVER_MOVED,
                 CONNECTION_RATE_EXCEEDED, QUOTA_EXCEEDED, UNSPECIFIED_ERROR,
                 IMPLEMENTATION_SPECIFIC_ERROR -> 3;
            case BAD_USER_NAME_OR_PASSWORD -> 4;
            default -> 5;
        };
    }

    /** The reason code for a 3.1.1 CONNACK return code, or null for a reserved value. */
    public static ReasonCode ofV3ConnectReturnCode(int returnCode) {
        return switch (returnCode) {
            case 0 -> SUCCESS;
            case 1 -> UNSUPPORTED_PROTOCOL_VERSION;
            case 2 -> CLIENT_IDENTIFIER_NOT_VALID;
            case 3 -> SERVER_UNAVAILABLE;
            case 4 -> BAD_USER_NAME_OR_PASSWORD;
            case 5 -> NOT_AUTHORIZED;
            default -> null;
        };
    }
}
