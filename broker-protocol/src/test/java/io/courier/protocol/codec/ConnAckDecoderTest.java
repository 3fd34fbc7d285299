package io.courier.protocol.codec;

import static io.courier.protocol.codec.WireFixtures.assertEncodes;
import static io.courier.protocol.codec.WireFixtures.assertFixture;
import static io.courier.protocol.codec.WireFixtures.assertRejected;
import static io.courier.protocol.codec.WireFixtures.clientSpeaking;
import static io.courier.protocol.codec.WireFixtures.wire;

import io.courier.protocol.packet.ConnAck;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** CONNACK (3.2), server to client, decoded by a client: hand-written fixtures. */
class ConnAckDecoderTest {

    // ---------------------------------------------------------------- MQTT 3.1 and 3.1.1

    @Test
    @DisplayName("3.1.1 CONNACK: connection accepted, no session present")
    void decodesV311Accepted() {
        byte[] bytes = wire(
                0x20,                 // CONNACK, flags 0000
                0x02,                 // remaining length 2
                0x00,                 // acknowledge flags: session present 0
                0x00);                // return code 0: accepted
        ConnAck expected = new ConnAck(false, ReasonCode.SUCCESS, MqttProperties.EMPTY);
        assertFixture(clientSpeaking(MqttVersion.V3_1_1), MqttVersion.V3_1_1, bytes, expected);
    }

    @Test
    @DisplayName("3.1.1 CONNACK: accepted with session present (3.2.2.2)")
    void decodesV311SessionPresent() {
        byte[] bytes = wire(
                0x20,                 // CONNACK, flags 0000
                0x02,                 // remaining length 2
                0x01,                 // acknowledge flags: session present 1
                0x00);                // return code 0: accepted
        ConnAck expected = new ConnAck(true, ReasonCode.SUCCESS, MqttProperties.EMPTY);
        assertFixture(clientSpeaking(MqttVersion.V3_1_1), MqttVersion.V3_1_1, bytes, expected);
    }

    @Test
    @DisplayName("3.1 CONNACK has the 3.1.1 layout")
    void decodesV31Accepted() {
        byte[] bytes = wire(
                0x20,                 // CONNACK, flags 0000
                0x02,                 // remaining length 2
                0x00,                 // reserved byte (3.1) / acknowledge flags (3.1.1): 0
                0x00);                // return code 0: accepted
        ConnAck expected = new ConnAck(false, ReasonCode.SUCCESS, MqttProperties.EMPTY);
        assertFixture(clientSpeaking(MqttVersion.V3_1), MqttVersion.V3_1, bytes, expected);
    }

    static Stream<Arguments> v311RefusalReturnCodes() {
        return Stream.of(
                Arguments.of(0x01, ReasonCode.UNSUPPORTED_PROTOCOL_VERSION),
                Arguments.of(0x02, ReasonCode.CLIENT_IDENTIFIER_NOT_VALID),
                Arguments.of(0x03, ReasonCode.SERVER_UNAVAILABLE),
                Arguments.of(0x04, ReasonCode.BAD_USER_NAME_OR_PASSWORD),
                Arguments.of(0x05, ReasonCode.NOT_AUTHORIZED));
    }

    @ParameterizedTest(name = "return code {0} is {1}")
    @MethodSource("v311RefusalReturnCodes")
    @DisplayName("3.1.1 CONNACK refusal return codes 1-5 map to their reason codes (3.2.2.3)")
    void decodesV311RefusalReturnCodes(int returnCode, ReasonCode reason) {
        byte[] bytes = wire(
                0x20,                 // CONNACK, flags 0000
                0x02,                 // remaining length 2
                0x00,                 // acknowledge flags: session present 0
                returnCode);          // return code 1..5
        ConnAck expected = new ConnAck(false, reason, MqttProperties.EMPTY);
        assertFixture(clientSpeaking(MqttVersion.V3_1_1), MqttVersion.V3_1_1, bytes, expected);
    }

    @Test
    @DisplayName("3.1.1 encoding writes the nearest return code for a 5.0-only reason and drops properties")
    void encodesV5OnlyReasonAsNearestV311ReturnCode() {
        MqttProperties properties = MqttProperties.builder()
                .add(PropertyId.REASON_STRING, "busy")
                .build();
        byte[] busy = wire(
                0x20,                 // CONNACK, flags 0000
                0x02,                 // remaining length 2: no properties in 3.1.1
                0x00,                 // acknowledge flags: session present 0
                0x03);                // return code 3: server unavailable
        assertEncodes(new ConnAck(false, ReasonCode.SERVER_BUSY, properties), MqttVersion.V3_1_1, busy);
        byte[] banned = wire(
                0x20,                 // CONNACK, flags 0000
                0x02,                 // remaining length 2
                0x00,                 // acknowledge flags: session present 0
                0x05);                // return code 5: not authorized
        assertEncodes(new ConnAck(false, ReasonCode.BANNED, MqttProperties.EMPTY), MqttVersion.V3_1_1, banned);
    }

    @ParameterizedTest(name = "return code {0}")
    @ValueSource(ints = {0x06, 0x80, 0xFF})
    @DisplayName("3.1.1 CONNACK return code above 5 is malformed (3.2.2.3: 6-255 reserved)")
    void rejectsV311ReservedReturnCode(int returnCode) {
        byte[] bytes = wire(
                0x20,                 // CONNACK, flags 0000
                0x02,                 // remaining length 2
                0x00,                 // acknowledge flags: session present 0
                returnCode);          // reserved return code
        assertRejected(clientSpeaking(MqttVersion.V3_1_1), ReasonCode.MALFORMED_PACKET, bytes);
    }

    @ParameterizedTest(name = "acknowledge flags {0}")
    @ValueSource(ints = {0x02, 0x80, 0xFF})
    @DisplayName("3.1.1 CONNACK acknowledge flags bits 7-1 must be 0 (3.2.2.1)")
    void rejectsV311AcknowledgeFlagBits(int flags) {
        byte[] bytes = wire(
                0x20,                 // CONNACK, flags 0000
                0x02,                 // remaining length 2
                flags,                // acknowledge flags with a reserved bit set
                0x00);                // return code 0
        assertRejected(clientSpeaking(MqttVersion.V3_1_1), ReasonCode.MALFORMED_PACKET, bytes);
    }

    @Test
    @DisplayName("CONNACK fixed-header flags other than 0000 are malformed [MQTT-2.1.3-1]")
    void rejectsReservedFixedHeaderFlags() {
        byte[] v311 = wire(
                0x21,                 // CONNACK with flags 0001 (reserved)
                0x02,                 // remaining length 2
                0x00,                 // acknowledge flags 0
                0x00);                // return code 0
        assertRejected(clientSpeaking(MqttVersion.V3_1_1), ReasonCode.MALFORMED_PACKET, v311);
        byte[] v5 = wire(
                0x28,                 // CONNACK with flags 1000 (reserved)
                0x03,                 // remaining length 3
                0x00,                 // acknowledge flags 0
                0x00,                 // reason code Success
                0x00);                // property length 0
        assertRejected(clientSpeaking(MqttVersion.V5), ReasonCode.MALFORMED_PACKET, v5);
    }

    @Test
    @DisplayName("3.1.1 CONNACK with a remaining length other than 2 is malformed (3.2.1)")
    void rejectsV311WrongLength() {
        byte[] tooLong = wire(
                0x20,                 // CONNACK, flags 0000
                0x03,                 // remaining length 3
                0x00,                 // acknowledge flags 0
                0x00,                 // return code 0
                0x00);                // stray byte (a 5.0 property length, say)
        assertRejected(clientSpeaking(MqttVersion.V3_1_1), ReasonCode.MALFORMED_PACKET, tooLong);
        byte[] tooShort = wire(
                0x20,                 // CONNACK, flags 0000
                0x01,                 // remaining length 1
                0x00);                // acknowledge flags 0; return code missing
        assertRejected(clientSpeaking(MqttVersion.V3_1_1), ReasonCode.MALFORMED_PACKET, tooShort);
    }

    // ---------------------------------------------------------------- MQTT 5.0

    @Test
    @DisplayName("5.0 CONNACK: Success, no session, empty property list")
    void decodesV5Success() {
        byte[] bytes = wire(
                0x20,                 // CONNACK, flags 0000
                0x03,                 // remaining length 3
                0x00,                 // acknowledge flags: session present 0
                0x00,                 // reason code 0x00 Success
                0x00);                // property length 0
        ConnAck expected = new ConnAck(false, ReasonCode.SUCCESS, MqttProperties.EMPTY);
        assertFixture(clientSpeaking(MqttVersion.V5), MqttVersion.V5, bytes, expected);
    }

    @Test
    @DisplayName("5.0 CONNACK with session present and the server's capabilities as properties (3.2.2.3)")
    void decodesV5SuccessWithProperties() {
        byte[] bytes = wire(
                0x20,                 // CONNACK, flags 0000
                0x38,                 // remaining length 56
                0x01,                 // acknowledge flags: session present 1
                0x00,                 // reason code 0x00 Success
                0x35,                 // property length 53
                0x11, 0x00, 0x00, 0x1C, 0x20, // Session Expiry Interval 7200
                0x21, 0x00, 0x64,     // Receive Maximum 100
                0x24, 0x01,           // Maximum QoS 1
                0x25, 0x00,           // Retain Available 0
                0x27, 0x00, 0x01, 0x00, 0x00, // Maximum Packet Size 65536
                0x12,                 // Assigned Client Identifier
                0x00, 0x06, 'a', 'u', 't', 'o', '-', '1', // "auto-1"
                0x22, 0x00, 0x05,     // Topic Alias Maximum 5
                0x28, 0x01,           // Wildcard Subscription Available 1
                0x29, 0x01,           // Subscription Identifiers Available 1
                0x2A, 0x00,           // Shared Subscription Available 0
                0x13, 0x00, 0x1E,     // Server Keep Alive 30
                0x1A,                 // Response Information
                0x00, 0x05, 'r', 'e', 's', 'p', '/', // "resp/"
                0x26,                 // User Property
                0x00, 0x01, 'x',      //   name "x"
                0x00, 0x01, 'y');     //   value "y"
        MqttProperties properties = MqttProperties.builder()
                .add(PropertyId.SESSION_EXPIRY_INTERVAL, 7200L)
                .add(PropertyId.RECEIVE_MAXIMUM, 100)
                .add(PropertyId.MAXIMUM_QOS, 1)
                .add(PropertyId.RETAIN_AVAILABLE, 0)
                .add(PropertyId.MAXIMUM_PACKET_SIZE, 65536L)
                .add(PropertyId.ASSIGNED_CLIENT_IDENTIFIER, "auto-1")
                .add(PropertyId.TOPIC_ALIAS_MAXIMUM, 5)
                .add(PropertyId.WILDCARD_SUBSCRIPTION_AVAILABLE, 1)
                .add(PropertyId.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1)
                .add(PropertyId.SHARED_SUBSCRIPTION_AVAILABLE, 0)
                .add(PropertyId.SERVER_KEEP_ALIVE, 30)
                .add(PropertyId.RESPONSE_INFORMATION, "resp/")
                .user("x", "y")
                .build();
        ConnAck expected = new ConnAck(true, ReasonCode.SUCCESS, properties);
        assertFixture(clientSpeaking(MqttVersion.V5), MqttVersion.V5, bytes, expected);
    }

    @Test
    @DisplayName("5.0 CONNACK refusal: Use another server, with Server Reference and Reason String")
    void decodesV5RefusalWithServerReference() {
        byte[] bytes = wire(
                0x20,                 // CONNACK, flags 0000
                0x18,                 // remaining length 24
                0x00,                 // acknowledge flags: session present 0
                0x9C,                 // reason code 0x9C Use another server
                0x15,                 // property length 21
                0x1C,                 // Server Reference
                0x00, 0x0A, 'o', 't', 'h', 'e', 'r', ':', '1', '8', '8', '3', // "other:1883"
                0x1F,                 // Reason String
                0x00, 0x05, 'm', 'o', 'v', 'e', 'd'); // "moved"
        MqttProperties properties = MqttProperties.builder()
                .add(PropertyId.SERVER_REFERENCE, "other:1883")
                .add(PropertyId.REASON_STRING, "moved")
                .build();
        ConnAck expected = new ConnAck(false, ReasonCode.USE_ANOTHER_SERVER, properties);
        assertFixture(clientSpeaking(MqttVersion.V5), MqttVersion.V5, bytes, expected);
    }

    @ParameterizedTest(name = "reason code {0}")
    @ValueSource(ints = {0x01, 0x04, 0x10, 0x8E, 0xFF})
    @DisplayName("5.0 CONNACK reason code the spec does not define for CONNACK is malformed (3.2.2.2)")
    void rejectsV5UndefinedReasonCode(int reasonCode) {
        byte[] bytes = wire(
                0x20,                 // CONNACK, flags 0000
                0x03,                 // remaining length 3
                0x00,                 // acknowledge flags 0
                reasonCode,           // not a CONNACK reason code
                0x00);                // property length 0
        assertRejected(clientSpeaking(MqttVersion.V5), ReasonCode.MALFORMED_PACKET, bytes);
    }

    @ParameterizedTest(name = "acknowledge flags {0}")
    @ValueSource(ints = {0x02, 0x80, 0xFE})
    @DisplayName("5.0 CONNACK acknowledge flags bits 7-1 must be 0 [MQTT-3.2.2-1]")
    void rejectsV5AcknowledgeFlagBits(int flags) {
        byte[] bytes = wire(
                0x20,                 // CONNACK, flags 0000
                0x03,                 // remaining length 3
                flags,                // acknowledge flags with a reserved bit set
                0x00,                 // reason code Success
                0x00);                // property length 0
        assertRejected(clientSpeaking(MqttVersion.V5), ReasonCode.MALFORMED_PACKET, bytes);
    }

    @Test
    @DisplayName("5.0 CONNACK without its property length, or with one running past the end, is malformed")
    void rejectsV5TruncatedBody() {
        byte[] noPropertyLength = wire(
                0x20,                 // CONNACK, flags 0000
                0x02,                 // remaining length 2: the 3.1.1 layout
                0x00,                 // acknowledge flags 0
                0x00);                // reason code Success; property length missing
        assertRejected(clientSpeaking(MqttVersion.V5), ReasonCode.MALFORMED_PACKET, noPropertyLength);
        byte[] shortProperties = wire(
                0x20,                 // CONNACK, flags 0000
                0x05,                 // remaining length 5
                0x00,                 // acknowledge flags 0
                0x00,                 // reason code Success
                0x05,                 // property length 5, but 2 bytes remain
                0x11, 0x00);          // start of a Session Expiry Interval
        assertRejected(clientSpeaking(MqttVersion.V5), ReasonCode.MALFORMED_PACKET, shortProperties);
    }

    @Test
    @DisplayName("5.0 CONNACK carrying a property not allowed in CONNACK (Topic Alias) is malformed")
    void rejectsV5PropertyNotAllowedInConnAck() {
        byte[] bytes = wire(
                0x20,                 // CONNACK, flags 0000
                0x06,                 // remaining length 6
                0x00,                 // acknowledge flags 0
                0x00,                 // reason code Success
                0x03,                 // property length 3
                0x23, 0x00, 0x01);    // Topic Alias 1: PUBLISH only
        assertRejected(clientSpeaking(MqttVersion.V5), ReasonCode.MALFORMED_PACKET, bytes);
    }

    static Stream<Arguments> propertyValuesOutsideTheirDomain() {
        return Stream.of(
                Arguments.of("Maximum QoS 2 (3.2.2.3.4)", wire(
                        0x20, 0x05,   // CONNACK, remaining length 5
                        0x00, 0x00,   // acknowledge flags 0, reason code Success
                        0x02,         // property length 2
                        0x24, 0x02)), // Maximum QoS 2: only 0 or 1 may be sent
                Arguments.of("Retain Available 2 (3.2.2.3.5)", wire(
                        0x20, 0x05,   // CONNACK, remaining length 5
                        0x00, 0x00,   // acknowledge flags 0, reason code Success
                        0x02,         // property length 2
                        0x25, 0x02)), // Retain Available 2
                Arguments.of("Receive Maximum 0 (3.2.2.3.3)", wire(
                        0x20, 0x06,   // CONNACK, remaining length 6
                        0x00, 0x00,   // acknowledge flags 0, reason code Success
                        0x03,         // property length 3
                        0x21, 0x00, 0x00)), // Receive Maximum 0
                Arguments.of("Maximum Packet Size 0 (3.2.2.3.6)", wire(
                        0x20, 0x08,   // CONNACK, remaining length 8
                        0x00, 0x00,   // acknowledge flags 0, reason code Success
                        0x05,         // property length 5
                        0x27, 0x00, 0x00, 0x00, 0x00)), // Maximum Packet Size 0
                Arguments.of("Receive Maximum twice (3.2.2.3.3)", wire(
                        0x20, 0x09,   // CONNACK, remaining length 9
                        0x00, 0x00,   // acknowledge flags 0, reason code Success
                        0x06,         // property length 6
                        0x21, 0x00, 0x01, // Receive Maximum 1
                        0x21, 0x00, 0x02))); // Receive Maximum 2: may appear once only
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("propertyValuesOutsideTheirDomain")
    @DisplayName("5.0 CONNACK property outside its domain or repeated is a protocol error (0x82)")
    void rejectsPropertyValueOutsideItsDomain(String name, byte[] bytes) {
        assertRejected(clientSpeaking(MqttVersion.V5), ReasonCode.PROTOCOL_ERROR, bytes);
    }
}
