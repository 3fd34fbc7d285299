package io.courier.protocol.codec;

import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.Property;
import io.courier.protocol.property.PropertyId;
import io.courier.protocol.property.PropertyScope;
import java.util.Set;

/**
 * MQTT 5.0 property lists for {@link PacketSamples}: every property a scope allows, generated from
 * {@link PropertyId#isAllowedIn(PropertyScope)} so a property added to the model is sampled
 * without anyone remembering to. Values sit at the edges of their wire type (spec 1.5), once at
 * the top ({@link Edge#HIGHEST}) and once at the bottom ({@link Edge#LOWEST}).
 *
 * <p>Values stay inside each property's domain (3.x.2.x of the spec), so every list is one a
 * peer may legally send: Byte properties here are all 0/1 flags, Receive Maximum, Topic Alias,
 * Maximum Packet Size and Subscription Identifier cannot be 0, and a Response Topic is a topic
 * name, so it is at least one character long [MQTT-4.7.3-1] and has no wildcard [MQTT-3.3.2-14].
 */
final class SampleProperties {

    /** Which end of each wire type's range the values come from. */
    enum Edge {
        /** 1 for flags, 65,535, 0xFFFFFFFF, 268,435,455, non-ASCII strings, binary bytes. */
        HIGHEST,
        /** 0 where the domain allows it (else 1), empty strings and empty byte arrays. */
        LOWEST
    }

    /** Two-, three- and four-byte UTF-8 sequences: a size counted in chars would be wrong. */
    static final String NON_ASCII = "温度/β/😀";

    /** Every byte value class a binary field can hold: zero, high bit, 0xFF, a newline. */
    static byte[] binary() {
        return new byte[] {0x00, (byte) 0xFF, (byte) 0x80, 0x7F, 0x0A, 0x01};
    }

    private SampleProperties() {
    }

    /** Every property {@code scope} allows, each once, except User Property (several). */
    static MqttProperties every(PropertyScope scope, Edge edge) {
        return every(scope, edge, Set.of());
    }

    /**
     * Every property {@code scope} allows except {@code leftOut}. A repeatable property is
     * repeated: User Property (several, ordered, one name twice [MQTT-3.3.2-17/18]) and
     * Subscription Identifier in PUBLISH (one per matching subscription [MQTT-3.3.4-4]).
     */
    static MqttProperties every(PropertyScope scope, Edge edge, Set<PropertyId> leftOut) {
        MqttProperties.Builder b = MqttProperties.builder();
        for (PropertyId id : PropertyId.values()) {
            if (!id.isAllowedIn(scope) || leftOut.contains(id)) {
                continue;
            }
            if (id == PropertyId.USER_PROPERTY) {
                addUserProperties(b, edge);
            } else if (id.isRepeatableIn(scope)) {
                for (int value : repeatedValues(id, edge)) {
                    b.add(Property.of(id, value));
                }
            } else {
                b.add(value(id, edge));
            }
        }
        return b.build();
    }

    /** One property with the value this edge gives its identifier. */
    static Property value(PropertyId id, Edge edge) {
        boolean high = edge == Edge.HIGHEST;
        return switch (id.type()) {
            // All Byte properties are 0/1 (Maximum QoS too is 0 or 1, 3.2.2.3.4).
            case BYTE -> Property.of(id, high ? 1 : 0);
            case TWO_BYTE_INTEGER -> Property.of(id, high ? 0xFFFF : lowestAllowed(id));
            case FOUR_BYTE_INTEGER -> Property.of(id, high ? 0xFFFF_FFFFL : lowestAllowed(id));
            case VARIABLE_BYTE_INTEGER -> Property.of(id, high ? 268_435_455 : lowestAllowed(id));
            case UTF8_STRING -> new Property(id, high ? NON_ASCII
                    : id == PropertyId.RESPONSE_TOPIC ? "r" : "");
            case BINARY_DATA -> new Property(id, high ? binary() : new byte[0]);
            case UTF8_STRING_PAIR -> throw new IllegalArgumentException("user properties come in lists");
        };
    }

    /** 0 unless the spec makes 0 a Protocol Error for this property. */
    private static int lowestAllowed(PropertyId id) {
        return switch (id) {
            case RECEIVE_MAXIMUM,          // 3.1.2.11.3 / 3.2.2.3.3
                 TOPIC_ALIAS,              // 3.3.2.3.4
                 MAXIMUM_PACKET_SIZE,      // 3.1.2.11.4 / 3.2.2.3.6
                 SUBSCRIPTION_IDENTIFIER   // 3.3.2.3.8 / 3.8.2.1.2
                    -> 1;
            default -> 0;
        };
    }

    /** Subscription Identifiers of a PUBLISH: each Variable Byte Integer length, in an odd order. */
    private static int[] repeatedValues(PropertyId id, Edge edge) {
        if (id != PropertyId.SUBSCRIPTION_IDENTIFIER) {
            throw new IllegalArgumentException(id + " is not sampled repeated");
        }
        return edge == Edge.HIGHEST
                ? new int[] {268_435_455, 1, 16_384, 127, 2_097_152}
                : new int[] {1, 128, 1};
    }

    private static void addUserProperties(MqttProperties.Builder b, Edge edge) {
        if (edge == Edge.HIGHEST) {
            b.user("region", "温度/β");
            b.user("unit", "°C");
            b.user("region", "second value, same name");
            b.user("😀", "");
        } else {
            b.user("", "");
            b.user("", "");
        }
    }
}
