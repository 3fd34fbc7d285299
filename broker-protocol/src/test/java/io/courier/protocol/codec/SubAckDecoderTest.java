package io.courier.protocol.codec;

import static io.courier.protocol.codec.DecodeEncodeAssertions.assertDecodes;
import static io.courier.protocol.codec.DecodeEncodeAssertions.assertEncodes;
import static io.courier.protocol.codec.DecodeEncodeAssertions.assertRejected;
import static io.courier.protocol.codec.DecodeEncodeAssertions.bytes;
import static io.courier.protocol.codec.DecodeEncodeAssertions.client;
import static io.courier.protocol.packet.MqttVersion.V3_1_1;
import static io.courier.protocol.packet.MqttVersion.V5;
import static io.courier.protocol.packet.ReasonCode.GRANTED_QOS_0;
import static io.courier.protocol.packet.ReasonCode.GRANTED_QOS_1;
import static io.courier.protocol.packet.ReasonCode.GRANTED_QOS_2;
import static io.courier.protocol.packet.ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR;
import static io.courier.protocol.packet.ReasonCode.NOT_AUTHORIZED;
import static io.courier.protocol.packet.ReasonCode.PACKET_IDENTIFIER_IN_USE;
import static io.courier.protocol.packet.ReasonCode.QUOTA_EXCEEDED;
import static io.courier.protocol.packet.ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED;
import static io.courier.protocol.packet.ReasonCode.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED;
import static io.courier.protocol.packet.ReasonCode.TOPIC_FILTER_INVALID;
import static io.courier.protocol.packet.ReasonCode.UNSPECIFIED_ERROR;
import static io.courier.protocol.packet.ReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.packet.SubAck;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * SUBACK (MQTT 5.0 section 3.9, MQTT 3.1.1 section 3.9) from hand-written bytes, decoded by a
 * client. 5.0 has reason codes and properties; 3.1.1 has return codes 0x00-0x02 and 0x80 only.
 */
class SubAckDecoderTest {

    /** MQTT 5.0 table 3-8 (3.9.3). */
    private static final Set<Integer> V5_CODES =
            Set.of(0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2);

    /** MQTT 3.1.1 section 3.9.3. */
    private static final Set<Integer> V3_CODES = Set.of(0x00, 0x01, 0x02, 0x80);

    // ---------------------------------------------------------------- MQTT 5.0

    @Test
    @DisplayName("5.0: every reason code of table 3-8, in order, with a Reason String [MQTT-3.8.4-6]")
    void v5EveryReasonCodeWithReasonString() {
        byte[] fixture = bytes(
                0x90,                      // SUBACK
                0x14,                      // remaining length 20
                0x00, 0x0A,                // packet identifier 10
                0x05,                      // property length 5
                0x1F, 0x00, 0x02, 'n', 'o', // Reason String "no"
                0x00,                      // Granted QoS 0
                0x01,                      // Granted QoS 1
                0x02,                      // Granted QoS 2
                0x80,                      // Unspecified error
                0x83,                      // Implementation specific error
                0x87,                      // Not authorized
                0x8F,                      // Topic Filter invalid
                0x91,                      // Packet Identifier in use
                0x97,                      // Quota exceeded
                0x9E,                      // Shared Subscriptions not supported
                0xA1,                      // Subscription Identifiers not supported
                0xA2);                     // Wildcard Subscriptions not supported
        SubAck expected = new SubAck(10, List.of(
                GRANTED_QOS_0, GRANTED_QOS_1, GRANTED_QOS_2, UNSPECIFIED_ERROR,
                IMPLEMENTATION_SPECIFIC_ERROR, NOT_AUTHORIZED, TOPIC_FILTER_INVALID,
                PACKET_IDENTIFIER_IN_USE, QUOTA_EXCEEDED, SHARED_SUBSCRIPTIONS_NOT_SUPPORTED,
                SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED, WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED),
                MqttProperties.builder().add(PropertyId.REASON_STRING, "no").build());
        assertDecodes(client(V5), fixture, expected);
        assertEncodes(expected, V5, fixture);
    }

    @Test
    @DisplayName("5.0: refusals 0x8F, 0x97, 0xA1, 0xA2 with a Reason String and a User Property")
    void v5RefusalsWithReasonStringAndUserProperty() {
        byte[] fixture = bytes(
                0x90,                      // SUBACK
                0x16,                      // remaining length 22
                0x00, 0x03,                // packet identifier 3
                0x0F,                      // property length 15
                0x1F, 0x00, 0x05, 'q', 'u', 'o', 't', 'a', // Reason String "quota"
                0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v',   // User Property k=v
                0x8F,                      // Topic Filter invalid
                0x97,                      // Quota exceeded
                0xA1,                      // Subscription Identifiers not supported
                0xA2);                     // Wildcard Subscriptions not supported
        SubAck expected = new SubAck(3, List.of(TOPIC_FILTER_INVALID, QUOTA_EXCEEDED,
                SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED, WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED),
                MqttProperties.builder().add(PropertyId.REASON_STRING, "quota").user("k", "v").build());
        assertDecodes(client(V5), fixture, expected);
        assertEncodes(expected, V5, fixture);
    }

    @Test
    @DisplayName("5.0: without properties the property length is 0")
    void v5WithoutProperties() {
        byte[] fixture = bytes(
                0x90,              // SUBACK
                0x04,              // remaining length 4
                0x00, 0x01,        // packet identifier 1
                0x00,              // property length 0
                0x01);             // Granted QoS 1
        SubAck expected = new SubAck(1, List.of(GRANTED_QOS_1), MqttProperties.EMPTY);
        assertDecodes(client(V5), fixture, expected);
        assertEncodes(expected, V5, fixture);
    }

    @Test
    @DisplayName("5.0: exactly the reason codes of table 3-8 are accepted, any other byte is malformed")
    void v5OnlyTheSpecsReasonCodesAreAccepted() {
        for (int code = 0; code <= 0xFF; code++) {
            byte[] fixture = bytes(
                    0x90,          // SUBACK
                    0x04,          // remaining length 4
                    0x00, 0x01,    // packet identifier 1
                    0x00,          // property length 0
                    code);         // reason code under test
            if (V5_CODES.contains(code)) {
                SubAck decoded = (SubAck) new MqttDecoder(client(V5)).decode(fixture).get(0);
                assertEquals(code, decoded.reasonCodes().get(0).code(), "reason code byte " + code);
            } else {
                assertRejected(client(V5), fixture, ReasonCode.MALFORMED_PACKET);
            }
        }
    }

    @Test
    @DisplayName("5.0: a property length past the packet end is malformed")
    void v5PropertyLengthPastTheEndIsMalformed() {
        byte[] fixture = bytes(
                0x90,              // SUBACK
                0x04,              // remaining length 4
                0x00, 0x01,        // packet identifier 1
                0x05,              // property length 5, but 1 byte follows
                0x00);             // Granted QoS 0
        assertRejected(client(V5), fixture, ReasonCode.MALFORMED_PACKET);
    }

    // ---------------------------------------------------------------- MQTT 3.1.1

    @Test
    @DisplayName("3.1.1: return codes 0x00, 0x01, 0x02 and 0x80 (3.9.3)")
    void v3ReturnCodes() {
        byte[] fixture = bytes(
                0x90,              // SUBACK
                0x06,              // remaining length 6
                0x00, 0x01,        // packet identifier 1
                0x00,              // Success - Maximum QoS 0
                0x01,              // Success - Maximum QoS 1
                0x02,              // Success - Maximum QoS 2
                0x80);             // Failure
        SubAck expected = new SubAck(1, List.of(GRANTED_QOS_0, GRANTED_QOS_1, GRANTED_QOS_2, UNSPECIFIED_ERROR),
                MqttProperties.EMPTY);
        assertDecodes(client(V3_1_1), fixture, expected);
        assertEncodes(expected, V3_1_1, fixture);
    }

    @Test
    @DisplayName("3.1.1: return code 0x03 is malformed [MQTT-3.9.3-2]")
    void v3ReturnCode3IsMalformed() {
        byte[] fixture = bytes(
                0x90,              // SUBACK
                0x03,              // remaining length 3
                0x00, 0x01,        // packet identifier 1
                0x03);             // reserved return code
        assertRejected(client(V3_1_1), fixture, ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("3.1.1: every return code other than 0x00-0x02 and 0x80 is malformed, 5.0 codes included")
    void v3OnlyTheFourReturnCodesAreAccepted() {
        for (int code = 0; code <= 0xFF; code++) {
            byte[] fixture = bytes(
                    0x90,          // SUBACK
                    0x03,          // remaining length 3
                    0x00, 0x01,    // packet identifier 1
                    code);         // return code under test
            if (V3_CODES.contains(code)) {
                SubAck decoded = (SubAck) new MqttDecoder(client(V3_1_1)).decode(fixture).get(0);
                assertEquals(code, decoded.reasonCodes().get(0).code(), "return code byte " + code);
            } else {
                assertRejected(client(V3_1_1), fixture, ReasonCode.MALFORMED_PACKET);
            }
        }
    }

    @Test
    @DisplayName("3.1.1: the encoder writes every failure as 0x80 and drops the properties")
    void v3EncoderMapsFailuresTo0x80() {
        SubAck packet = new SubAck(1, List.of(GRANTED_QOS_1, TOPIC_FILTER_INVALID, QUOTA_EXCEEDED,
                NOT_AUTHORIZED, WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED),
                MqttProperties.builder().add(PropertyId.REASON_STRING, "no").build());
        assertEncodes(packet, V3_1_1, bytes(
                0x90,              // SUBACK
                0x07,              // remaining length 7
                0x00, 0x01,        // packet identifier 1
                0x01,              // Success - Maximum QoS 1
                0x80,              // Failure (was Topic Filter invalid)
                0x80,              // Failure (was Quota exceeded)
                0x80,              // Failure (was Not authorized)
                0x80));            // Failure (was Wildcard Subscriptions not supported)
    }

    // ---------------------------------------------------------------- both versions

    @Test
    @DisplayName("Packet identifier 0 is a protocol error [MQTT-2.2.1-3]")
    void packetIdentifierZeroIsAProtocolError() {
        assertRejected(client(V5), bytes(
                0x90,              // SUBACK
                0x04,              // remaining length 4
                0x00, 0x00,        // packet identifier 0
                0x00,              // property length 0
                0x00),             // Granted QoS 0
                ReasonCode.PROTOCOL_ERROR);
        assertRejected(client(V3_1_1), bytes(
                0x90,              // SUBACK
                0x03,              // remaining length 3
                0x00, 0x00,        // packet identifier 0
                0x00),             // Success - Maximum QoS 0
                ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("Fixed-header flags other than 0000 are malformed [MQTT-2.1.3-1]")
    void wrongFixedHeaderFlagsAreMalformed() {
        for (int flags = 1; flags < 16; flags++) {
            assertRejected(client(V3_1_1), bytes(
                    0x90 | flags,  // SUBACK with wrong flags
                    0x03,          // remaining length 3
                    0x00, 0x01,    // packet identifier 1
                    0x00),         // Success - Maximum QoS 0
                    ReasonCode.MALFORMED_PACKET);
            assertRejected(client(V5), bytes(
                    0x90 | flags,  // SUBACK with wrong flags
                    0x04,          // remaining length 4
                    0x00, 0x01,    // packet identifier 1
                    0x00,          // property length 0
                    0x00),         // Granted QoS 0
                    ReasonCode.MALFORMED_PACKET);
        }
    }

    @Test
    @DisplayName("A SUBACK cut inside its packet identifier is malformed")
    void truncatedPacketIdentifierIsMalformed() {
        for (MqttVersion version : List.of(V3_1_1, V5)) {
            assertRejected(client(version), bytes(
                    0x90,          // SUBACK
                    0x01,          // remaining length 1
                    0x00),         // half a packet identifier
                    ReasonCode.MALFORMED_PACKET);
        }
    }
}
