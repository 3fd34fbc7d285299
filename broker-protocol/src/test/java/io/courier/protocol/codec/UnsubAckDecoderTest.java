package io.courier.protocol.codec;

import static io.courier.protocol.codec.DecodeEncodeAssertions.assertDecodes;
import static io.courier.protocol.codec.DecodeEncodeAssertions.assertEncodes;
import static io.courier.protocol.codec.DecodeEncodeAssertions.assertRejected;
import static io.courier.protocol.codec.DecodeEncodeAssertions.bytes;
import static io.courier.protocol.codec.DecodeEncodeAssertions.client;
import static io.courier.protocol.packet.MqttVersion.V3_1_1;
import static io.courier.protocol.packet.MqttVersion.V5;
import static io.courier.protocol.packet.ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR;
import static io.courier.protocol.packet.ReasonCode.NOT_AUTHORIZED;
import static io.courier.protocol.packet.ReasonCode.NO_SUBSCRIPTION_EXISTED;
import static io.courier.protocol.packet.ReasonCode.PACKET_IDENTIFIER_IN_USE;
import static io.courier.protocol.packet.ReasonCode.SUCCESS;
import static io.courier.protocol.packet.ReasonCode.TOPIC_FILTER_INVALID;
import static io.courier.protocol.packet.ReasonCode.UNSPECIFIED_ERROR;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.packet.UnsubAck;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * UNSUBACK (MQTT 5.0 section 3.11, MQTT 3.1.1 section 3.11) from hand-written bytes, decoded by a
 * client. 5.0 carries one reason code per topic filter [MQTT-3.11.3-1]; 3.1.1 has no payload.
 */
class UnsubAckDecoderTest {

    /** MQTT 5.0 table 3-9 (3.11.3). */
    private static final Set<Integer> V5_CODES = Set.of(0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91);

    // ---------------------------------------------------------------- MQTT 5.0

    @Test
    @DisplayName("5.0: Success, No subscription existed and Topic Filter invalid, in order [MQTT-3.11.3-2]")
    void v5ReasonCodesInOrder() {
        byte[] fixture = bytes(
                0xB0,              // UNSUBACK
                0x06,              // remaining length 6
                0x00, 0x07,        // packet identifier 7
                0x00,              // property length 0
                0x00,              // Success
                0x11,              // No subscription existed
                0x8F);             // Topic Filter invalid
        UnsubAck expected = new UnsubAck(7, List.of(SUCCESS, NO_SUBSCRIPTION_EXISTED, TOPIC_FILTER_INVALID),
                MqttProperties.EMPTY);
        assertDecodes(client(V5), fixture, expected);
        assertEncodes(expected, V5, fixture);
    }

    @Test
    @DisplayName("5.0: every reason code of table 3-9 with a Reason String and a User Property")
    void v5EveryReasonCodeWithProperties() {
        byte[] fixture = bytes(
                0xB0,                      // UNSUBACK
                0x18,                      // remaining length 24
                0x00, 0x07,                // packet identifier 7
                0x0E,                      // property length 14
                0x1F, 0x00, 0x04, 'g', 'o', 'n', 'e', // Reason String "gone"
                0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v', // User Property k=v
                0x00,                      // Success
                0x11,                      // No subscription existed
                0x80,                      // Unspecified error
                0x83,                      // Implementation specific error
                0x87,                      // Not authorized
                0x8F,                      // Topic Filter invalid
                0x91);                     // Packet Identifier in use
        UnsubAck expected = new UnsubAck(7, List.of(SUCCESS, NO_SUBSCRIPTION_EXISTED, UNSPECIFIED_ERROR,
                IMPLEMENTATION_SPECIFIC_ERROR, NOT_AUTHORIZED, TOPIC_FILTER_INVALID, PACKET_IDENTIFIER_IN_USE),
                MqttProperties.builder().add(PropertyId.REASON_STRING, "gone").user("k", "v").build());
        assertDecodes(client(V5), fixture, expected);
        assertEncodes(expected, V5, fixture);
    }

    @Test
    @DisplayName("5.0: exactly the reason codes of table 3-9 are accepted, any other byte is malformed")
    void v5OnlyTheSpecsReasonCodesAreAccepted() {
        for (int code = 0; code <= 0xFF; code++) {
            byte[] fixture = bytes(
                    0xB0,          // UNSUBACK
                    0x04,          // remaining length 4
                    0x00, 0x01,    // packet identifier 1
                    0x00,          // property length 0
                    code);         // reason code under test
            if (V5_CODES.contains(code)) {
                UnsubAck decoded = (UnsubAck) new MqttDecoder(client(V5)).decode(fixture).get(0);
                assertEquals(code, decoded.reasonCodes().get(0).code(), "reason code byte " + code);
            } else {
                assertRejected(client(V5), fixture, ReasonCode.MALFORMED_PACKET);
            }
        }
    }

    @Test
    @DisplayName("5.0: 0x10 (a PUBACK code) and 0x92 (a PUBREL code) are malformed in an UNSUBACK")
    void v5ReasonCodesOfOtherPacketsAreMalformed() {
        for (int code : new int[] {0x10, 0x92}) {
            assertRejected(client(V5), bytes(
                    0xB0,          // UNSUBACK
                    0x04,          // remaining length 4
                    0x00, 0x01,    // packet identifier 1
                    0x00,          // property length 0
                    code),         // reason code of another packet
                    ReasonCode.MALFORMED_PACKET);
        }
    }

    // ---------------------------------------------------------------- MQTT 3.1.1

    @Test
    @DisplayName("3.1.1: the UNSUBACK is the packet identifier only (3.11.3)")
    void v3HasNoPayload() {
        byte[] fixture = bytes(
                0xB0,              // UNSUBACK
                0x02,              // remaining length 2
                0x00, 0x07);       // packet identifier 7
        UnsubAck expected = new UnsubAck(7, List.of(), MqttProperties.EMPTY);
        assertDecodes(client(V3_1_1), fixture, expected);
        assertEncodes(expected, V3_1_1, fixture);
    }

    @Test
    @DisplayName("3.1.1: the encoder writes neither reason codes nor properties")
    void v3EncoderDropsReasonCodesAndProperties() {
        UnsubAck packet = new UnsubAck(7, List.of(SUCCESS, NO_SUBSCRIPTION_EXISTED),
                MqttProperties.builder().add(PropertyId.REASON_STRING, "gone").build());
        assertEncodes(packet, V3_1_1, bytes(
                0xB0,              // UNSUBACK
                0x02,              // remaining length 2
                0x00, 0x07));      // packet identifier 7
    }

    @Test
    @DisplayName("3.1.1: an UNSUBACK with bytes after the packet identifier is malformed")
    void v3TrailingBytesAreMalformed() {
        assertRejected(client(V3_1_1), bytes(
                0xB0,              // UNSUBACK
                0x03,              // remaining length 3
                0x00, 0x07,        // packet identifier 7
                0x00),             // what would be a 5.0 property length
                ReasonCode.MALFORMED_PACKET);
    }

    // ---------------------------------------------------------------- both versions

    @Test
    @DisplayName("Packet identifier 0 is a protocol error [MQTT-2.2.1-3]")
    void packetIdentifierZeroIsAProtocolError() {
        assertRejected(client(V3_1_1), bytes(
                0xB0,              // UNSUBACK
                0x02,              // remaining length 2
                0x00, 0x00),       // packet identifier 0
                ReasonCode.PROTOCOL_ERROR);
        assertRejected(client(V5), bytes(
                0xB0,              // UNSUBACK
                0x04,              // remaining length 4
                0x00, 0x00,        // packet identifier 0
                0x00,              // property length 0
                0x00),             // Success
                ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("Fixed-header flags other than 0000 are malformed [MQTT-2.1.3-1]")
    void wrongFixedHeaderFlagsAreMalformed() {
        for (int flags = 1; flags < 16; flags++) {
            assertRejected(client(V3_1_1), bytes(
                    0xB0 | flags,  // UNSUBACK with wrong flags
                    0x02,          // remaining length 2
                    0x00, 0x01),   // packet identifier 1
                    ReasonCode.MALFORMED_PACKET);
            assertRejected(client(V5), bytes(
                    0xB0 | flags,  // UNSUBACK with wrong flags
                    0x04,          // remaining length 4
                    0x00, 0x01,    // packet identifier 1
                    0x00,          // property length 0
                    0x00),         // Success
                    ReasonCode.MALFORMED_PACKET);
        }
    }

    @Test
    @DisplayName("An UNSUBACK cut inside its packet identifier or property list is malformed")
    void truncatedPacketsAreMalformed() {
        for (MqttVersion version : List.of(V3_1_1, V5)) {
            assertRejected(client(version), bytes(
                    0xB0,          // UNSUBACK
                    0x01,          // remaining length 1
                    0x00),         // half a packet identifier
                    ReasonCode.MALFORMED_PACKET);
        }
        assertRejected(client(V5), bytes(
                0xB0,              // UNSUBACK
                0x06,              // remaining length 6
                0x00, 0x01,        // packet identifier 1
                0x03,              // property length 3
                0x1F, 0x00, 0x05), // Reason String claiming 5 bytes, none present
                ReasonCode.MALFORMED_PACKET);
    }
}
