package io.courier.protocol.codec;

import static io.courier.protocol.codec.WireFixtures.assertDecodes;
import static io.courier.protocol.codec.WireFixtures.assertEncodes;
import static io.courier.protocol.codec.WireFixtures.assertFixture;
import static io.courier.protocol.codec.WireFixtures.assertRejected;
import static io.courier.protocol.codec.WireFixtures.clientSpeaking;
import static io.courier.protocol.codec.WireFixtures.connectV311;
import static io.courier.protocol.codec.WireFixtures.serverAfter;
import static io.courier.protocol.codec.WireFixtures.serverSpeaking;
import static io.courier.protocol.codec.WireFixtures.wire;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.courier.protocol.packet.Auth;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** AUTH (3.15, 5.0 only): the enhanced authentication exchange, both directions. */
class AuthDecoderTest {

    /** A 5.0 CONNECT that starts enhanced authentication with method "SCRAM-SHA-1" (4.12). */
    private static byte[] connectWithAuthenticationMethod() {
        return wire(
                0x10,                 // CONNECT, flags 0000
                0x1D,                 // remaining length 29
                0x00, 0x04,           // protocol name length 4
                'M', 'Q', 'T', 'T',   // protocol name "MQTT"
                0x05,                 // protocol level 5
                0x02,                 // flags: clean start
                0x00, 0x3C,           // keep alive 60 s
                0x0E,                 // property length 14
                0x15,                 // Authentication Method
                0x00, 0x0B, 'S', 'C', 'R', 'A', 'M', '-', 'S', 'H', 'A', '-', '1', // "SCRAM-SHA-1"
                0x00, 0x02,           // client identifier length 2
                'c', '1');            // client identifier "c1"
    }

    @Test
    @DisplayName("AUTH with no body is Success without properties, in both directions (3.15.2.1)")
    void decodesEmptyAuthAsSuccess() {
        byte[] bytes = wire(
                0xF0,                 // AUTH, flags 0000
                0x00);                // remaining length 0: reason 0x00 Success, no properties
        Auth expected = new Auth(ReasonCode.SUCCESS, MqttProperties.EMPTY);
        assertFixture(serverSpeaking(MqttVersion.V5), MqttVersion.V5, bytes, expected);
        assertFixture(clientSpeaking(MqttVersion.V5), MqttVersion.V5, bytes, expected);
    }

    @Test
    @DisplayName("AUTH Success with an empty property list written out decodes the same (3.15.2.1)")
    void decodesSuccessWithEmptyPropertyList() {
        // Not the encoder's form: it writes this packet as F0 00.
        byte[] bytes = wire(
                0xF0,                 // AUTH, flags 0000
                0x02,                 // remaining length 2
                0x00,                 // reason 0x00 Success
                0x00);                // property length 0
        assertDecodes(clientSpeaking(MqttVersion.V5), bytes, new Auth(ReasonCode.SUCCESS, MqttProperties.EMPTY));
    }

    @Test
    @DisplayName("AUTH Continue authentication from the client, after a CONNECT naming the method (4.12)")
    void decodesContinueAuthenticationFromClient() {
        byte[] bytes = wire(
                0xF0,                 // AUTH, flags 0000
                0x17,                 // remaining length 23
                0x18,                 // reason 0x18 Continue authentication
                0x15,                 // property length 21
                0x15,                 // Authentication Method
                0x00, 0x0B, 'S', 'C', 'R', 'A', 'M', '-', 'S', 'H', 'A', '-', '1', // "SCRAM-SHA-1"
                0x16,                 // Authentication Data
                0x00, 0x04, 0x01, 0x02, 0x03, 0x04); // four octets
        MqttProperties properties = MqttProperties.builder()
                .add(PropertyId.AUTHENTICATION_METHOD, "SCRAM-SHA-1")
                .add(PropertyId.AUTHENTICATION_DATA, new byte[] {1, 2, 3, 4})
                .build();
        Auth expected = new Auth(ReasonCode.CONTINUE_AUTHENTICATION, properties);
        assertDecodes(serverAfter(connectWithAuthenticationMethod()), bytes, expected);
        assertEncodes(expected, MqttVersion.V5, bytes);
    }

    @Test
    @DisplayName("AUTH Continue authentication from the server, with a Reason String")
    void decodesContinueAuthenticationFromServer() {
        byte[] bytes = wire(
                0xF0,                 // AUTH, flags 0000
                0x1C,                 // remaining length 28
                0x18,                 // reason 0x18 Continue authentication
                0x1A,                 // property length 26
                0x15,                 // Authentication Method
                0x00, 0x0B, 'S', 'C', 'R', 'A', 'M', '-', 'S', 'H', 'A', '-', '1', // "SCRAM-SHA-1"
                0x16,                 // Authentication Data
                0x00, 0x02, 0xAA, 0xBB, // two octets
                0x1F,                 // Reason String
                0x00, 0x04, 'm', 'o', 'r', 'e'); // "more"
        MqttProperties properties = MqttProperties.builder()
                .add(PropertyId.AUTHENTICATION_METHOD, "SCRAM-SHA-1")
                .add(PropertyId.AUTHENTICATION_DATA, new byte[] {(byte) 0xAA, (byte) 0xBB})
                .add(PropertyId.REASON_STRING, "more")
                .build();
        assertFixture(clientSpeaking(MqttVersion.V5), MqttVersion.V5, bytes,
                new Auth(ReasonCode.CONTINUE_AUTHENTICATION, properties));
    }

    @Test
    @DisplayName("AUTH Re-authenticate from the client names the method (4.12.1)")
    void decodesReAuthenticate() {
        byte[] bytes = wire(
                0xF0,                 // AUTH, flags 0000
                0x10,                 // remaining length 16
                0x19,                 // reason 0x19 Re-authenticate
                0x0E,                 // property length 14
                0x15,                 // Authentication Method
                0x00, 0x0B, 'S', 'C', 'R', 'A', 'M', '-', 'S', 'H', 'A', '-', '1'); // "SCRAM-SHA-1"
        MqttProperties properties = MqttProperties.builder()
                .add(PropertyId.AUTHENTICATION_METHOD, "SCRAM-SHA-1")
                .build();
        assertFixture(serverSpeaking(MqttVersion.V5), MqttVersion.V5, bytes,
                new Auth(ReasonCode.RE_AUTHENTICATE, properties));
    }

    @Test
    @DisplayName("AUTH Success with properties keeps its reason code and property list")
    void decodesSuccessWithProperties() {
        byte[] bytes = wire(
                0xF0,                 // AUTH, flags 0000
                0x14,                 // remaining length 20
                0x00,                 // reason 0x00 Success
                0x12,                 // property length 18
                0x15,                 // Authentication Method
                0x00, 0x0B, 'S', 'C', 'R', 'A', 'M', '-', 'S', 'H', 'A', '-', '1', // "SCRAM-SHA-1"
                0x16,                 // Authentication Data
                0x00, 0x01, 0x7F);    // one octet
        MqttProperties properties = MqttProperties.builder()
                .add(PropertyId.AUTHENTICATION_METHOD, "SCRAM-SHA-1")
                .add(PropertyId.AUTHENTICATION_DATA, new byte[] {0x7F})
                .build();
        assertFixture(clientSpeaking(MqttVersion.V5), MqttVersion.V5, bytes, new Auth(ReasonCode.SUCCESS, properties));
    }

    // ---------------------------------------------------------------- rejections

    @Test
    @DisplayName("AUTH on a 3.1.1 connection is malformed (packet type 15 is reserved in 3.1.1, 2.2.1)")
    void rejectsAuthOnV311Connection() {
        byte[] empty = wire(
                0xF0,                 // type 15: AUTH in 5.0, reserved in 3.1.1
                0x00);                // remaining length 0
        assertRejected(serverAfter(connectV311()), ReasonCode.MALFORMED_PACKET, empty);
        byte[] withBody = wire(
                0xF0,                 // type 15
                0x02,                 // remaining length 2
                0x18,                 // a 5.0 reason code
                0x00);                // a 5.0 property length
        assertRejected(clientSpeaking(MqttVersion.V3_1_1), ReasonCode.MALFORMED_PACKET, withBody);
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1", "V3_1_1"})
    @DisplayName("AUTH cannot be encoded for 3.x (the encoder's contract: IllegalArgumentException)")
    void refusesToEncodeAuthForV3(MqttVersion version) {
        Auth auth = new Auth(ReasonCode.SUCCESS, MqttProperties.EMPTY);
        assertThrows(IllegalArgumentException.class, () -> MqttEncoder.encode(auth, version));
    }

    @Test
    @DisplayName("AUTH fixed-header flags other than 0000 are malformed [MQTT-2.1.3-1]")
    void rejectsReservedFixedHeaderFlags() {
        byte[] bytes = wire(
                0xF1,                 // AUTH with flags 0001 (reserved)
                0x00);                // remaining length 0
        assertRejected(serverSpeaking(MqttVersion.V5), ReasonCode.MALFORMED_PACKET, bytes);
    }

    @ParameterizedTest(name = "reason code {0}")
    @ValueSource(ints = {0x01, 0x04, 0x80, 0x87, 0xFF})
    @DisplayName("AUTH reason code other than 0x00, 0x18, 0x19 is malformed (3.15.2.1)")
    void rejectsUndefinedReasonCode(int reasonCode) {
        byte[] bytes = wire(
                0xF0,                 // AUTH, flags 0000
                0x02,                 // remaining length 2
                reasonCode,           // not an AUTH reason code
                0x00);                // property length 0
        assertRejected(serverSpeaking(MqttVersion.V5), ReasonCode.MALFORMED_PACKET, bytes);
    }

    @Test
    @DisplayName("AUTH with a reason code but no property length is malformed (only Success may drop both, 3.15.2.1)")
    void rejectsReasonWithoutPropertyLength() {
        byte[] bytes = wire(
                0xF0,                 // AUTH, flags 0000
                0x01,                 // remaining length 1
                0x18);                // reason 0x18 Continue authentication; property length missing
        assertRejected(serverSpeaking(MqttVersion.V5), ReasonCode.MALFORMED_PACKET, bytes);
    }

    @Test
    @DisplayName("AUTH whose property length runs past the end is malformed")
    void rejectsPropertiesPastTheEnd() {
        byte[] bytes = wire(
                0xF0,                 // AUTH, flags 0000
                0x04,                 // remaining length 4
                0x18,                 // reason 0x18 Continue authentication
                0x0E,                 // property length 14, but 2 bytes remain
                0x15, 0x00);          // start of an Authentication Method
        assertRejected(clientSpeaking(MqttVersion.V5), ReasonCode.MALFORMED_PACKET, bytes);
    }

    @Test
    @DisplayName("AUTH with a property AUTH may not carry (Session Expiry Interval) is malformed")
    void rejectsPropertyNotAllowed() {
        byte[] bytes = wire(
                0xF0,                 // AUTH, flags 0000
                0x07,                 // remaining length 7
                0x18,                 // reason 0x18 Continue authentication
                0x05,                 // property length 5
                0x11, 0x00, 0x00, 0x00, 0x01); // Session Expiry Interval 1
        assertRejected(serverSpeaking(MqttVersion.V5), ReasonCode.MALFORMED_PACKET, bytes);
    }

    @Test
    @DisplayName("AUTH before any CONNECT is a protocol error [MQTT-3.1.0-1]")
    void rejectsAuthAsFirstPacket() {
        byte[] bytes = wire(
                0xF0,                 // AUTH, flags 0000
                0x00);                // remaining length 0
        assertRejected(DecodeContext.server(WireFixtures.NO_LIMIT), ReasonCode.PROTOCOL_ERROR, bytes);
    }
}
