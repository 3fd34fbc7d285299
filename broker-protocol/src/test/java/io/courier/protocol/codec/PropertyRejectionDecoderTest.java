package io.courier.protocol.codec;

import static io.courier.protocol.codec.DecodeEncodeAssertions.MAX;
import static io.courier.protocol.codec.DecodeEncodeAssertions.assertDecodes;
import static io.courier.protocol.codec.DecodeEncodeAssertions.assertRejected;
import static io.courier.protocol.codec.DecodeEncodeAssertions.bytes;
import static io.courier.protocol.codec.DecodeEncodeAssertions.client;
import static io.courier.protocol.codec.DecodeEncodeAssertions.concat;
import static io.courier.protocol.codec.DecodeEncodeAssertions.server;
import static io.courier.protocol.packet.MqttVersion.V5;
import static io.courier.protocol.packet.ReasonCode.MALFORMED_PACKET;
import static io.courier.protocol.packet.ReasonCode.PROTOCOL_ERROR;
import static io.courier.protocol.packet.ReasonCode.TOPIC_ALIAS_INVALID;

import io.courier.protocol.packet.ConnAck;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import io.courier.protocol.property.PropertyType;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MQTT 5.0 property lists the decoder must refuse, with the reason code of the README's table:
 * unknown or misplaced identifiers and lengths that do not add up are malformed (0x81), a repeated
 * property or a value outside its domain is a protocol error (0x82), Topic Alias 0 is 0x94.
 *
 * <p>Each packet here is a hand-written frame around a hand-written property list; the frame
 * builders below carry the per-field comments once.
 */
class PropertyRejectionDecoderTest {

    // ---------------------------------------------------------------- frames

    private static int checkedLength(int[] properties) {
        if (properties.length > 100) {
            throw new IllegalArgumentException("frames here use one-byte lengths");
        }
        return properties.length;
    }

    /** PUBACK, packet id 1, No matching subscribers, with these properties. */
    static byte[] pubAckWith(int... properties) {
        int n = checkedLength(properties);
        return concat(bytes(
                0x40,              // PUBACK
                4 + n,             // remaining length: id 2 + reason 1 + property length 1 + n
                0x00, 0x01,        // packet identifier 1
                0x10,              // No matching subscribers
                n),                // property length
                bytes(properties));
    }

    /** SUBSCRIBE, packet id 1, these properties, one filter "a" at QoS 0. */
    static byte[] subscribeWith(int... properties) {
        int n = checkedLength(properties);
        return concat(bytes(
                0x82,              // SUBSCRIBE, flags 0010
                7 + n,             // remaining length: id 2 + property length 1 + n + filter 4
                0x00, 0x01,        // packet identifier 1
                n),                // property length
                bytes(properties),
                bytes(0x00, 0x01, 'a', // topic filter "a"
                        0x00));    // options: QoS 0
    }

    /** CONNECT 5.0, clean start, keep alive 60, these properties, client id "c". */
    static byte[] connectWith(int... properties) {
        int n = checkedLength(properties);
        return concat(bytes(
                0x10,              // CONNECT
                14 + n,            // remaining length: 6 + 1 + 1 + 2 + 1 + n + 3
                0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name
                0x05,              // protocol level 5
                0x02,              // flags: Clean Start
                0x00, 0x3C,        // keep alive 60
                n),                // property length
                bytes(properties),
                bytes(0x00, 0x01, 'c')); // client identifier "c"
    }

    /** CONNECT 5.0 with a QoS 0 Will on "w" with an empty payload and these Will Properties. */
    static byte[] connectWithWillProperties(int... willProperties) {
        int n = checkedLength(willProperties);
        return concat(bytes(
                0x10,              // CONNECT
                20 + n,            // remaining length: 11 + client id 3 + 1 + n + topic 3 + payload 2
                0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name
                0x05,              // protocol level 5
                0x06,              // flags: Will Flag, Clean Start (Will QoS 0, no Will Retain)
                0x00, 0x3C,        // keep alive 60
                0x00,              // property length 0
                0x00, 0x01, 'c',   // client identifier "c"
                n),                // Will Properties length
                bytes(willProperties),
                bytes(0x00, 0x01, 'w', // will topic "w"
                        0x00, 0x00)); // will payload, empty
    }

    /** CONNACK 5.0, no session present, Success, these properties. */
    static byte[] connAckWith(int... properties) {
        int n = checkedLength(properties);
        return concat(bytes(
                0x20,              // CONNACK
                3 + n,             // remaining length: flags 1 + reason 1 + property length 1 + n
                0x00,              // acknowledge flags
                0x00,              // Success
                n),                // property length
                bytes(properties));
    }

    /** PUBLISH 5.0, QoS 0, topic "t", these properties, no payload. */
    static byte[] publishWith(int... properties) {
        int n = checkedLength(properties);
        return concat(bytes(
                0x30,              // PUBLISH, QoS 0
                4 + n,             // remaining length: topic 3 + property length 1 + n
                0x00, 0x01, 't',   // topic name "t"
                n),                // property length
                bytes(properties));
    }

    /** A well-formed value inside every domain (1 for numbers), so only placement can be wrong. */
    static int[] validValue(PropertyType type) {
        return switch (type) {
            case BYTE, VARIABLE_BYTE_INTEGER -> new int[] {0x01};
            case TWO_BYTE_INTEGER -> new int[] {0x00, 0x01};
            case FOUR_BYTE_INTEGER -> new int[] {0x00, 0x00, 0x00, 0x01};
            case UTF8_STRING -> new int[] {0x00, 0x01, 'x'};
            case BINARY_DATA -> new int[] {0x00, 0x01, 0x00};
            case UTF8_STRING_PAIR -> new int[] {0x00, 0x01, 'k', 0x00, 0x01, 'v'};
        };
    }

    /** Identifier followed by its valid value, {@code times} times. */
    static int[] property(int id, int times) {
        int[] value = validValue(PropertiesDecoderTest.SPEC_TABLE.get(id));
        return IntStream.range(0, times)
                .flatMap(i -> IntStream.concat(IntStream.of(id), IntStream.of(value)))
                .toArray();
    }

    /** Where each packet's property list sits, and what table 2-4 allows there. */
    static Stream<Arguments> scopes() {
        return Stream.of(
                scope("PUBACK", client(V5), PropertyRejectionDecoderTest::pubAckWith, 0x1F, 0x26),
                scope("SUBSCRIBE", server(V5), PropertyRejectionDecoderTest::subscribeWith, 0x0B, 0x26),
                scope("CONNECT", DecodeContext.server(MAX), PropertyRejectionDecoderTest::connectWith,
                        0x11, 0x15, 0x16, 0x17, 0x19, 0x21, 0x22, 0x26, 0x27),
                scope("Will Properties", DecodeContext.server(MAX),
                        PropertyRejectionDecoderTest::connectWithWillProperties,
                        0x01, 0x02, 0x03, 0x08, 0x09, 0x18, 0x26),
                scope("CONNACK", client(V5), PropertyRejectionDecoderTest::connAckWith,
                        0x11, 0x12, 0x13, 0x15, 0x16, 0x1A, 0x1C, 0x1F, 0x21, 0x22, 0x24, 0x25, 0x26, 0x27,
                        0x28, 0x29, 0x2A),
                scope("PUBLISH", client(V5), PropertyRejectionDecoderTest::publishWith,
                        0x01, 0x02, 0x03, 0x08, 0x09, 0x0B, 0x23, 0x26));
    }

    private static Arguments scope(String name, DecodeContext context, Function<int[], byte[]> frame,
                                   Integer... allowed) {
        return Arguments.of(name, context, frame, Set.of(allowed));
    }

    // ---------------------------------------------------------------- 0x81: identifiers

    static IntStream unassignedIdentifiers() {
        return IntStream.range(0x00, 0x80).filter(id -> !PropertiesDecoderTest.SPEC_TABLE.containsKey(id));
    }

    @ParameterizedTest(name = "identifier {0}")
    @MethodSource("unassignedIdentifiers")
    @DisplayName("An identifier table 2-4 does not define is malformed")
    void unknownIdentifierIsMalformed(int id) {
        assertRejected(client(V5), pubAckWith(
                id, 0x00),         // unassigned identifier, and a byte that might be its value
                MALFORMED_PACKET);
    }

    @Test
    @DisplayName("A two-byte identifier (128) is unknown, and 0x1F spelled in two bytes is not minimal [MQTT-1.5.5-1]")
    void multiByteIdentifiersAreMalformed() {
        assertRejected(client(V5), pubAckWith(
                0x80, 0x01,        // identifier 128 as a Variable Byte Integer
                0x00),             // a byte
                MALFORMED_PACKET);
        assertRejected(client(V5), pubAckWith(
                0x9F, 0x00,        // identifier 0x1F (Reason String) in a non-minimal 2 bytes
                0x00, 0x01, 'x'),  // "x"
                MALFORMED_PACKET);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scopes")
    @DisplayName("Every identifier table 2-4 does not allow in a packet is malformed there")
    void propertyOutsideItsPacketIsMalformed(String name, DecodeContext context, Function<int[], byte[]> frame,
                                             Set<Integer> allowed) {
        for (int id : PropertiesDecoderTest.SPEC_TABLE.keySet()) {
            if (!allowed.contains(id)) {
                assertRejected(context, frame.apply(property(id, 1)), MALFORMED_PACKET);
            }
        }
    }

    @Test
    @DisplayName("Topic Alias in a SUBSCRIBE is malformed (3.8.2.1)")
    void topicAliasInSubscribeIsMalformed() {
        assertRejected(server(V5), subscribeWith(
                0x23, 0x00, 0x01), // Topic Alias 1: a PUBLISH property
                MALFORMED_PACKET);
    }

    @Test
    @DisplayName("Will Delay Interval among the CONNECT properties (not the Will Properties) is malformed")
    void willDelayIntervalInConnectPropertiesIsMalformed() {
        assertRejected(DecodeContext.server(MAX), connectWith(
                0x18, 0x00, 0x00, 0x00, 0x3C), // Will Delay Interval 60
                MALFORMED_PACKET);
    }

    @Test
    @DisplayName("Session Expiry Interval among the Will Properties is malformed (3.1.3.2)")
    void sessionExpiryInWillPropertiesIsMalformed() {
        assertRejected(DecodeContext.server(MAX), connectWithWillProperties(
                0x11, 0x00, 0x00, 0x00, 0x3C), // Session Expiry Interval 60
                MALFORMED_PACKET);
    }

    // ---------------------------------------------------------------- 0x82: repetition

    @ParameterizedTest(name = "{0}")
    @MethodSource("scopes")
    @DisplayName("Every property but User Property (and Subscription Identifier in PUBLISH) repeated is a protocol error")
    void repeatedPropertyIsAProtocolError(String name, DecodeContext context, Function<int[], byte[]> frame,
                                          Set<Integer> allowed) {
        for (int id : allowed) {
            boolean repeatable = id == 0x26 || (id == 0x0B && name.equals("PUBLISH"));
            if (!repeatable) {
                assertRejected(context, frame.apply(property(id, 2)), PROTOCOL_ERROR);
            }
        }
    }

    @Test
    @DisplayName("Reason String twice in a PUBACK is a protocol error (3.4.2.2.2)")
    void reasonStringTwiceIsAProtocolError() {
        assertRejected(client(V5), pubAckWith(
                0x1F, 0x00, 0x01, 'a', // Reason String "a"
                0x1F, 0x00, 0x01, 'b'), // Reason String "b"
                PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("Subscription Identifier twice in a SUBSCRIBE is a protocol error (3.8.2.1.2)")
    void subscriptionIdentifierTwiceInSubscribeIsAProtocolError() {
        assertRejected(server(V5), subscribeWith(
                0x0B, 0x01,        // Subscription Identifier 1
                0x0B, 0x02),       // Subscription Identifier 2
                PROTOCOL_ERROR);
    }

    // ---------------------------------------------------------------- 0x82: value domains

    @Test
    @DisplayName("Payload Format Indicator 2 is a protocol error, in PUBLISH and in Will Properties (3.3.2.3.2)")
    void payloadFormatIndicator2IsAProtocolError() {
        assertRejected(client(V5), publishWith(0x01, 0x02), PROTOCOL_ERROR); // Payload Format Indicator 2
        assertRejected(DecodeContext.server(MAX), connectWithWillProperties(
                0x01, 0x02),       // Payload Format Indicator 2
                PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("Request Problem / Response Information 2 are protocol errors (3.1.2.11.6, 3.1.2.11.7)")
    void requestInformation2IsAProtocolError() {
        assertRejected(DecodeContext.server(MAX), connectWith(0x17, 0x02), PROTOCOL_ERROR); // Request Problem Information 2
        assertRejected(DecodeContext.server(MAX), connectWith(0x19, 0x02), PROTOCOL_ERROR); // Request Response Information 2
    }

    @Test
    @DisplayName("Receive Maximum 0 is a protocol error in CONNECT and CONNACK (3.1.2.11.3, 3.2.2.3.3)")
    void receiveMaximum0IsAProtocolError() {
        assertRejected(DecodeContext.server(MAX), connectWith(0x21, 0x00, 0x00), PROTOCOL_ERROR); // Receive Maximum 0
        assertRejected(client(V5), connAckWith(0x21, 0x00, 0x00), PROTOCOL_ERROR);                // Receive Maximum 0
    }

    @Test
    @DisplayName("Maximum Packet Size 0 is a protocol error in CONNECT and CONNACK (3.1.2.11.4, 3.2.2.3.6)")
    void maximumPacketSize0IsAProtocolError() {
        assertRejected(DecodeContext.server(MAX), connectWith(
                0x27, 0x00, 0x00, 0x00, 0x00), // Maximum Packet Size 0
                PROTOCOL_ERROR);
        assertRejected(client(V5), connAckWith(
                0x27, 0x00, 0x00, 0x00, 0x00), // Maximum Packet Size 0
                PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("Maximum QoS 2 in a CONNACK decoded by a client is a protocol error (3.2.2.3.4)")
    void maximumQos2IsAProtocolError() {
        assertRejected(client(V5), connAckWith(0x24, 0x02), PROTOCOL_ERROR); // Maximum QoS 2
    }

    @Test
    @DisplayName("CONNACK availability flags other than 0 or 1 are protocol errors (3.2.2.3.5, 3.2.2.3.11-13)")
    void availabilityFlag2IsAProtocolError() {
        assertRejected(client(V5), connAckWith(0x25, 0x02), PROTOCOL_ERROR); // Retain Available 2
        assertRejected(client(V5), connAckWith(0x28, 0x02), PROTOCOL_ERROR); // Wildcard Subscription Available 2
        assertRejected(client(V5), connAckWith(0x29, 0x02), PROTOCOL_ERROR); // Subscription Identifier Available 2
        assertRejected(client(V5), connAckWith(0x2A, 0x02), PROTOCOL_ERROR); // Shared Subscription Available 2
    }

    @Test
    @DisplayName("Subscription Identifier 0 is a protocol error in SUBSCRIBE and PUBLISH (3.8.2.1.2, 3.3.2.3.8)")
    void subscriptionIdentifier0IsAProtocolError() {
        assertRejected(server(V5), subscribeWith(0x0B, 0x00), PROTOCOL_ERROR); // Subscription Identifier 0
        assertRejected(client(V5), publishWith(0x0B, 0x00), PROTOCOL_ERROR);   // Subscription Identifier 0
    }

    @Test
    @DisplayName("A Subscription Identifier in a PUBLISH from a client is a protocol error [MQTT-3.3.4-6]")
    void subscriptionIdentifierInPublishToTheServerIsAProtocolError() {
        assertRejected(server(V5), publishWith(0x0B, 0x01), PROTOCOL_ERROR); // Subscription Identifier 1
    }

    @Test
    @DisplayName("Topic Alias 0 is Topic Alias invalid (3.3.2.3.4)")
    void topicAlias0IsInvalid() {
        assertRejected(server(V5), publishWith(0x23, 0x00, 0x00), TOPIC_ALIAS_INVALID); // Topic Alias 0
        assertRejected(client(V5), publishWith(0x23, 0x00, 0x00), TOPIC_ALIAS_INVALID); // Topic Alias 0
    }

    @Test
    @DisplayName("The edges of each domain are accepted: Maximum QoS 0, Receive Maximum 1, Maximum Packet Size 1")
    void domainEdgesAreAccepted() {
        assertDecodes(client(V5), connAckWith(
                0x24, 0x00,                    // Maximum QoS 0
                0x21, 0x00, 0x01,              // Receive Maximum 1
                0x27, 0x00, 0x00, 0x00, 0x01), // Maximum Packet Size 1
                new ConnAck(false, ReasonCode.SUCCESS, MqttProperties.builder()
                        .add(PropertyId.MAXIMUM_QOS, 0)
                        .add(PropertyId.RECEIVE_MAXIMUM, 1)
                        .add(PropertyId.MAXIMUM_PACKET_SIZE, 1L)
                        .build()));
        assertDecodes(client(V5), publishWith(
                0x01, 0x00),                   // Payload Format Indicator 0
                new Publish("t", Qos.AT_MOST_ONCE, false, false, 0, new byte[0],
                        MqttProperties.builder().add(PropertyId.PAYLOAD_FORMAT_INDICATOR, 0).build()));
    }

    // ---------------------------------------------------------------- 0x81: lengths

    @Test
    @DisplayName("A property length running past the packet end is malformed")
    void propertyLengthPastThePacketIsMalformed() {
        assertRejected(client(V5), bytes(
                0x40,              // PUBACK
                0x05,              // remaining length 5
                0x00, 0x01,        // packet identifier 1
                0x00,              // Success
                0x05,              // property length 5, but 1 byte follows
                0x1F),             // Reason String identifier
                MALFORMED_PACKET);
    }

    @Test
    @DisplayName("A property value running past the property length is malformed, even with bytes left in the packet")
    void propertyValuePastThePropertyLengthIsMalformed() {
        assertRejected(client(V5), bytes(
                0x90,              // SUBACK
                0x0B,              // remaining length 11
                0x00, 0x01,        // packet identifier 1
                0x03,              // property length 3
                0x1F, 0x00, 0x04,  // Reason String claiming 4 bytes: past the property length
                0x01, 0x02, 0x01, 0x02, 0x01), // reason codes (Granted QoS 1, 2, 1, 2, 1)
                MALFORMED_PACKET);
    }

    @Test
    @DisplayName("A property cut inside its value at the packet end is malformed")
    void propertyCutAtThePacketEndIsMalformed() {
        assertRejected(client(V5), bytes(
                0x40,              // PUBACK
                0x06,              // remaining length 6
                0x00, 0x01,        // packet identifier 1
                0x00,              // Success
                0x02,              // property length 2
                0x1F, 0x00),       // Reason String, half of its length field
                MALFORMED_PACKET);
        assertRejected(client(V5), pubAckWith(
                0x02, 0x00, 0x00), // Message Expiry Interval with 2 of its 4 bytes
                MALFORMED_PACKET);
    }

    // ---------------------------------------------------------------- 0x81: Variable Byte Integers

    @Test
    @DisplayName("A property length not in its shortest form is malformed [MQTT-1.5.5-1]")
    void nonMinimalPropertyLengthIsMalformed() {
        assertRejected(client(V5), bytes(
                0x40,              // PUBACK
                0x05,              // remaining length 5
                0x00, 0x01,        // packet identifier 1
                0x10,              // No matching subscribers
                0x80, 0x00),       // property length 0 in two bytes
                MALFORMED_PACKET);
    }

    @Test
    @DisplayName("A Subscription Identifier not in its shortest form, or of 5 bytes, is malformed [MQTT-1.5.5-1]")
    void nonMinimalSubscriptionIdentifierIsMalformed() {
        assertRejected(server(V5), subscribeWith(
                0x0B, 0x81, 0x00), // Subscription Identifier 1 in two bytes
                MALFORMED_PACKET);
        assertRejected(server(V5), subscribeWith(
                0x0B, 0xFF, 0xFF, 0xFF, 0xFF, 0x01), // five-byte Variable Byte Integer
                MALFORMED_PACKET);
    }

    @Test
    @DisplayName("A remaining length not in its shortest form is malformed [MQTT-1.5.5-1]")
    void nonMinimalRemainingLengthIsMalformed() {
        assertRejected(client(V5), bytes(
                0x40,              // PUBACK
                0x82, 0x00,        // remaining length 2 in two bytes
                0x00, 0x01),       // packet identifier 1
                MALFORMED_PACKET);
    }
}
