package io.courier.protocol.codec;

import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.Property;
import io.courier.protocol.property.PropertyId;
import io.courier.protocol.property.PropertyScope;
import io.courier.protocol.property.UserProperty;
import java.nio.ByteBuffer;

/**
 * MQTT 5.0 property lists (spec 2.2.2): a Variable Byte Integer length, then identifier/value
 * pairs. Decoding enforces which identifiers a packet may carry, which may repeat, and the value
 * domains the spec states, so the engine only ever sees lists that are legal.
 */
final class PropertiesCodec {

    private PropertiesCodec() {
    }

    static MqttProperties decode(PacketReader in, PropertyScope scope, Side side) {
        int length = in.readVariableByteInteger();
        if (length == 0) {
            return MqttProperties.EMPTY;
        }
        if (length > in.remaining()) {
            throw PacketReader.malformed("property length " + length + " runs past the packet");
        }
        int outerEnd = in.end();
        int end = in.position() + length;
        in.end(end);
        MqttProperties.Builder props = MqttProperties.builder();
        long seen = 0; // identifiers are all below 64
        while (in.hasRemaining()) {
            int idValue = in.readVariableByteInteger();
            PropertyId id = PropertyId.ofId(idValue);
            if (id == null) {
                throw PacketReader.malformed("unknown property identifier 0x" + Integer.toHexString(idValue));
            }
            if (!id.isAllowedIn(scope)) {
                throw PacketReader.malformed(id + " is not allowed in " + scope);
            }
            long bit = 1L << id.id();
            if ((seen & bit) != 0 && !id.isRepeatableIn(scope)) {
                throw PacketReader.protocolError(id + " appears more than once in " + scope);
            }
            seen |= bit;
            props.add(readValue(in, id, scope, side));
        }
        in.end(outerEnd);
        return props.build();
    }

    private static Property readValue(PacketReader in, PropertyId id, PropertyScope scope, Side side) {
        return switch (id.type()) {
            case BYTE -> Property.of(id, checkDomain(id, in.readByte(), scope, side));
            case TWO_BYTE_INTEGER -> Property.of(id, checkDomain(id, in.readTwoByteInteger(), scope, side));
            case FOUR_BYTE_INTEGER -> Property.of(id, checkDomain(id, in.readFourByteInteger(), scope, side));
            case VARIABLE_BYTE_INTEGER -> Property.of(id, checkDomain(id, in.readVariableByteInteger(), scope, side));
            case UTF8_STRING -> new Property(id, checkString(id, in.readUtf8String()));
            case BINARY_DATA -> new Property(id, in.readBinary());
            case UTF8_STRING_PAIR -> new Property(id, new UserProperty(in.readUtf8String(), in.readUtf8String()));
        };
    }

    /** A Response Topic is a topic name, so it has no wildcards [MQTT-3.3.2-14]; also in Will Properties. */
    private static String checkString(PropertyId id, String value) {
        if (id == PropertyId.RESPONSE_TOPIC && (value.indexOf('+') >= 0 || value.indexOf('#') >= 0)) {
            throw PacketReader.protocolError("Response Topic with a wildcard [MQTT-3.3.2-14]");
        }
        return value;
    }

    /** The value rules the spec states per property; violations are Protocol Errors. */
    private static long checkDomain(PropertyId id, long value, PropertyScope scope, Side side) {
        switch (id) {
            case PAYLOAD_FORMAT_INDICATOR, REQUEST_PROBLEM_INFORMATION, REQUEST_RESPONSE_INFORMATION,
                 RETAIN_AVAILABLE, WILDCARD_SUBSCRIPTION_AVAILABLE, SUBSCRIPTION_IDENTIFIER_AVAILABLE,
                 SHARED_SUBSCRIPTION_AVAILABLE, MAXIMUM_QOS -> {
                if (value > 1) {
                    throw PacketReader.protocolError(id + " must be 0 or 1, was " + value);
                }
            }
            case RECEIVE_MAXIMUM, MAXIMUM_PACKET_SIZE -> {
                if (value == 0) {
                    throw PacketReader.protocolError(id + " must not be 0");
                }
            }
            case TOPIC_ALIAS -> {
                if (value == 0) {
                    throw new DecodeException(ReasonCode.TOPIC_ALIAS_INVALID, "Topic Alias 0 is not permitted");
                }
            }
            case SUBSCRIPTION_IDENTIFIER -> {
                if (scope == PropertyScope.PUBLISH && side == Side.SERVER) {
                    throw PacketReader.protocolError(
                            "a PUBLISH from a client must not carry a Subscription Identifier [MQTT-3.3.4-6]");
                }
                if (value == 0) {
                    throw PacketReader.protocolError("Subscription Identifier 0 is not permitted");
                }
            }
            default -> {
            }
        }
        return value;
    }

    /** The encoded size of the list without its length prefix. */
    static int contentSize(MqttProperties props) {
        int size = 0;
        for (int i = 0, n = props.size(); i < n; i++) {
            size += propertySize(props.get(i));
        }
        return size;
    }

    /** The encoded size with the length prefix. */
    static int size(MqttProperties props) {
        if (props.isEmpty()) {
            return 1;
        }
        int content = contentSize(props);
        return PacketWriter.variableByteIntegerSize(content) + content;
    }

    private static int propertySize(Property p) {
        Object v = p.value();
        return 1 + switch (p.id().type()) {
            case BYTE -> 1;
            case TWO_BYTE_INTEGER -> 2;
            case FOUR_BYTE_INTEGER -> 4;
            case VARIABLE_BYTE_INTEGER -> PacketWriter.variableByteIntegerSize((Integer) v);
            case UTF8_STRING -> PacketWriter.stringSize((String) v);
            case BINARY_DATA -> PacketWriter.binarySize((byte[]) v);
            case UTF8_STRING_PAIR -> PacketWriter.stringSize(((UserProperty) v).name())
                    + PacketWriter.stringSize(((UserProperty) v).value());
        };
    }

    /** Writes the length prefix and the list; {@code contentSize} is what {@link #contentSize} returned. */
    static void write(ByteBuffer out, MqttProperties props, int contentSize) {
        PacketWriter.writeVariableByteInteger(out, contentSize);
        for (int i = 0, n = props.size(); i < n; i++) {
            Property p = props.get(i);
            Object v = p.value();
            out.put((byte) p.id().id());
            switch (p.id().type()) {
                case BYTE -> out.put((byte) (int) (Integer) v);
                case TWO_BYTE_INTEGER -> out.putShort((short) (int) (Integer) v);
                case FOUR_BYTE_INTEGER -> out.putInt((int) (long) (Long) v);
                case VARIABLE_BYTE_INTEGER -> PacketWriter.writeVariableByteInteger(out, (Integer) v);
                case UTF8_STRING -> PacketWriter.writeString(out, (String) v);
                case BINARY_DATA -> PacketWriter.writeBinary(out, (byte[]) v);
                case UTF8_STRING_PAIR -> {
                    PacketWriter.writeString(out, ((UserProperty) v).name());
                    PacketWriter.writeString(out, ((UserProperty) v).value());
                }
            }
        }
    }
}
