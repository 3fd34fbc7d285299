package io.courier.protocol.codec;

import static io.courier.protocol.codec.WireFixtures.assertDecodes;
import static io.courier.protocol.codec.WireFixtures.assertEncodes;
import static io.courier.protocol.codec.WireFixtures.assertFixture;
import static io.courier.protocol.codec.WireFixtures.assertRejected;
import static io.courier.protocol.codec.WireFixtures.clientSpeaking;
import static io.courier.protocol.codec.WireFixtures.connectV311;
import static io.courier.protocol.codec.WireFixtures.connectV5;
import static io.courier.protocol.codec.WireFixtures.serverAfter;
import static io.courier.protocol.codec.WireFixtures.serverSpeaking;
import static io.courier.protocol.codec.WireFixtures.wire;

import io.courier.protocol.packet.Disconnect;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** DISCONNECT (3.14): 3.x client to server (no body), 5.0 both ways with a reason code. */
class DisconnectDecoderTest {

    // ---------------------------------------------------------------- MQTT 3.1 and 3.1.1

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1", "V3_1_1"})
    @DisplayName("3.x DISCONNECT is the fixed header alone and means a normal disconnection (3.14)")
    void decodesV3Disconnect(MqttVersion version) {
        byte[] bytes = wire(
                0xE0,                 // DISCONNECT, flags 0000
                0x00);                // remaining length 0
        assertFixture(serverSpeaking(version), version, bytes, Disconnect.NORMAL);
    }

    @Test
    @DisplayName("3.1.1 DISCONNECT after a CONNECT in the same decoder")
    void decodesV311DisconnectAfterConnect() {
        byte[] bytes = wire(
                0xE0,                 // DISCONNECT, flags 0000
                0x00);                // remaining length 0
        assertDecodes(serverAfter(connectV311()), bytes, Disconnect.NORMAL);
    }

    @Test
    @DisplayName("3.1.1 encoding of a DISCONNECT drops the reason and properties 3.1.1 cannot carry")
    void encodesV311DisconnectWithoutBody() {
        MqttProperties properties = MqttProperties.builder().add(PropertyId.REASON_STRING, "bye").build();
        byte[] bytes = wire(
                0xE0,                 // DISCONNECT, flags 0000
                0x00);                // remaining length 0
        assertEncodes(new Disconnect(ReasonCode.SERVER_SHUTTING_DOWN, properties), MqttVersion.V3_1_1, bytes);
    }

    @Test
    @DisplayName("3.1.1 DISCONNECT with a body is malformed (3.14.2: no variable header)")
    void rejectsV311DisconnectWithBody() {
        byte[] bytes = wire(
                0xE0,                 // DISCONNECT, flags 0000
                0x01,                 // remaining length 1: 3.1.1 has none
                0x00);                // a 5.0 reason code
        assertRejected(serverAfter(connectV311()), ReasonCode.MALFORMED_PACKET, bytes);
        byte[] twoBytes = wire(
                0xE0,                 // DISCONNECT, flags 0000
                0x02,                 // remaining length 2
                0x00,                 // a 5.0 reason code
                0x00);                // a 5.0 property length
        assertRejected(serverSpeaking(MqttVersion.V3_1), ReasonCode.MALFORMED_PACKET, twoBytes);
    }

    @Test
    @DisplayName("DISCONNECT fixed-header flags other than 0000 are malformed [MQTT-2.1.3-1]")
    void rejectsReservedFixedHeaderFlags() {
        byte[] v311 = wire(
                0xE2,                 // DISCONNECT with flags 0010 (reserved)
                0x00);                // remaining length 0
        assertRejected(serverSpeaking(MqttVersion.V3_1_1), ReasonCode.MALFORMED_PACKET, v311);
        byte[] v5 = wire(
                0xE1,                 // DISCONNECT with flags 0001 (reserved)
                0x00);                // remaining length 0
        assertRejected(serverSpeaking(MqttVersion.V5), ReasonCode.MALFORMED_PACKET, v5);
    }

    // ---------------------------------------------------------------- MQTT 5.0

    @Test
    @DisplayName("5.0 DISCONNECT with no body is Normal disconnection without properties (3.14.2.1)")
    void decodesV5EmptyDisconnect() {
        byte[] bytes = wire(
                0xE0,                 // DISCONNECT, flags 0000
                0x00);                // remaining length 0: reason 0x00, no properties
        assertFixture(serverSpeaking(MqttVersion.V5), MqttVersion.V5, bytes, Disconnect.NORMAL);
        assertFixture(clientSpeaking(MqttVersion.V5), MqttVersion.V5, bytes, Disconnect.NORMAL);
    }

    @Test
    @DisplayName("5.0 DISCONNECT with a reason code and no property length: properties are empty (3.14.2.2.1)")
    void decodesV5ReasonOnly() {
        byte[] bytes = wire(
                0xE0,                 // DISCONNECT, flags 0000
                0x01,                 // remaining length 1
                0x04);                // reason 0x04 Disconnect with Will Message; property length omitted
        Disconnect expected = Disconnect.of(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE);
        assertDecodes(serverAfter(connectV5()), bytes, expected);
        // The contract shortens every form the spec lets a sender shorten; "if the Remaining
        // Length is less than 2, a value of 0 is used" (3.14.2.2.1) lets the property length go.
        assertEncodes(expected, MqttVersion.V5, bytes);
    }

    @Test
    @DisplayName("5.0 DISCONNECT in the longer forms the spec allows decodes the same (3.14.2.1, 3.14.2.2.1)")
    void decodesV5LongerForms() {
        // Not the encoder's form: it writes Normal disconnection without properties as E0 00.
        byte[] normalReasonOnly = wire(
                0xE0,                 // DISCONNECT, flags 0000
                0x01,                 // remaining length 1
                0x00);                // reason 0x00 Normal disconnection
        assertDecodes(serverSpeaking(MqttVersion.V5), normalReasonOnly, Disconnect.NORMAL);
        // Not the encoder's form either: an empty property list is left out.
        byte[] normalWithEmptyProperties = wire(
                0xE0,                 // DISCONNECT, flags 0000
                0x02,                 // remaining length 2
                0x00,                 // reason 0x00 Normal disconnection
                0x00);                // property length 0
        assertDecodes(serverSpeaking(MqttVersion.V5), normalWithEmptyProperties, Disconnect.NORMAL);
        // Not the encoder's form: E0 01 8E is (see decodesV5ReasonOnly).
        byte[] takenOverWithEmptyProperties = wire(
                0xE0,                 // DISCONNECT, flags 0000
                0x02,                 // remaining length 2
                0x8E,                 // reason 0x8E Session taken over
                0x00);                // property length 0
        assertDecodes(clientSpeaking(MqttVersion.V5), takenOverWithEmptyProperties,
                Disconnect.of(ReasonCode.SESSION_TAKEN_OVER));
    }

    @Test
    @DisplayName("5.0 DISCONNECT from a client: Normal disconnection with Session Expiry Interval and Reason String")
    void decodesV5ClientDisconnectWithProperties() {
        byte[] bytes = wire(
                0xE0,                 // DISCONNECT, flags 0000
                0x0D,                 // remaining length 13
                0x00,                 // reason 0x00 Normal disconnection
                0x0B,                 // property length 11
                0x11, 0x00, 0x00, 0x02, 0x58, // Session Expiry Interval 600
                0x1F,                 // Reason String
                0x00, 0x03, 'b', 'y', 'e'); // "bye"
        MqttProperties properties = MqttProperties.builder()
                .add(PropertyId.SESSION_EXPIRY_INTERVAL, 600L)
                .add(PropertyId.REASON_STRING, "bye")
                .build();
        Disconnect expected = new Disconnect(ReasonCode.NORMAL_DISCONNECTION, properties);
        assertDecodes(serverAfter(connectV5()), bytes, expected);
        assertEncodes(expected, MqttVersion.V5, bytes);
    }

    @Test
    @DisplayName("5.0 DISCONNECT from a server: Use another server, with Reason String, Server Reference, User Property")
    void decodesV5ServerDisconnectWithServerReference() {
        byte[] bytes = wire(
                0xE0,                 // DISCONNECT, flags 0000
                0x24,                 // remaining length 36
                0x9C,                 // reason 0x9C Use another server
                0x22,                 // property length 34
                0x1F,                 // Reason String
                0x00, 0x0B, 'm', 'a', 'i', 'n', 't', 'e', 'n', 'a', 'n', 'c', 'e', // "maintenance"
                0x1C,                 // Server Reference
                0x00, 0x07, 'b', '2', ':', '1', '8', '8', '3', // "b2:1883"
                0x26,                 // User Property
                0x00, 0x04, 'n', 'o', 'd', 'e', // name "node"
                0x00, 0x01, '7');     // value "7"
        MqttProperties properties = MqttProperties.builder()
                .add(PropertyId.REASON_STRING, "maintenance")
                .add(PropertyId.SERVER_REFERENCE, "b2:1883")
                .user("node", "7")
                .build();
        Disconnect expected = new Disconnect(ReasonCode.USE_ANOTHER_SERVER, properties);
        assertFixture(clientSpeaking(MqttVersion.V5), MqttVersion.V5, bytes, expected);
    }

    @ParameterizedTest(name = "reason code {0}")
    @ValueSource(ints = {0x01, 0x02, 0x10, 0x84, 0x91, 0xFF})
    @DisplayName("5.0 DISCONNECT reason code the spec does not define for DISCONNECT is malformed (3.14.2.1)")
    void rejectsUndefinedReasonCode(int reasonCode) {
        byte[] bytes = wire(
                0xE0,                 // DISCONNECT, flags 0000
                0x01,                 // remaining length 1
                reasonCode);          // not a DISCONNECT reason code
        assertRejected(serverSpeaking(MqttVersion.V5), ReasonCode.MALFORMED_PACKET, bytes);
        assertRejected(clientSpeaking(MqttVersion.V5), ReasonCode.MALFORMED_PACKET, bytes);
    }

    @Test
    @DisplayName("5.0 DISCONNECT whose property length runs past the end is malformed")
    void rejectsPropertiesPastTheEnd() {
        byte[] bytes = wire(
                0xE0,                 // DISCONNECT, flags 0000
                0x03,                 // remaining length 3
                0x00,                 // reason 0x00
                0x05,                 // property length 5, but 1 byte remains
                0x1F);                // start of a Reason String
        assertRejected(serverSpeaking(MqttVersion.V5), ReasonCode.MALFORMED_PACKET, bytes);
    }

    @Test
    @DisplayName("5.0 DISCONNECT with a property DISCONNECT may not carry (Receive Maximum) is malformed")
    void rejectsPropertyNotAllowed() {
        byte[] bytes = wire(
                0xE0,                 // DISCONNECT, flags 0000
                0x05,                 // remaining length 5
                0x00,                 // reason 0x00
                0x03,                 // property length 3
                0x21, 0x00, 0x0A);    // Receive Maximum 10: CONNECT and CONNACK only
        assertRejected(serverSpeaking(MqttVersion.V5), ReasonCode.MALFORMED_PACKET, bytes);
    }

    @Test
    @DisplayName("5.0 DISCONNECT with Session Expiry Interval twice is a protocol error (3.14.2.2.2)")
    void rejectsRepeatedSessionExpiry() {
        byte[] bytes = wire(
                0xE0,                 // DISCONNECT, flags 0000
                0x0C,                 // remaining length 12
                0x00,                 // reason 0x00
                0x0A,                 // property length 10
                0x11, 0x00, 0x00, 0x00, 0x01, // Session Expiry Interval 1
                0x11, 0x00, 0x00, 0x00, 0x02); // Session Expiry Interval 2: may appear once only
        assertRejected(serverSpeaking(MqttVersion.V5), ReasonCode.PROTOCOL_ERROR, bytes);
    }
}
