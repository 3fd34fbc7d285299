package io.courier.protocol.codec;

import static io.courier.protocol.codec.DecodeEncodeAssertions.assertDecodes;
import static io.courier.protocol.codec.DecodeEncodeAssertions.assertDecodesAfterConnect;
import static io.courier.protocol.codec.DecodeEncodeAssertions.assertEncodes;
import static io.courier.protocol.codec.DecodeEncodeAssertions.assertRejected;
import static io.courier.protocol.codec.DecodeEncodeAssertions.bytes;
import static io.courier.protocol.codec.DecodeEncodeAssertions.server;
import static io.courier.protocol.packet.MqttVersion.V3_1_1;
import static io.courier.protocol.packet.MqttVersion.V5;

import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.packet.Unsubscribe;
import io.courier.protocol.property.MqttProperties;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * UNSUBSCRIBE (MQTT 5.0 section 3.10, MQTT 3.1.1 section 3.10) from hand-written bytes, decoded
 * by a server. 5.0 adds a property list that may hold only User Properties (3.10.2.1).
 */
class UnsubscribeDecoderTest {

    // ---------------------------------------------------------------- MQTT 5.0

    @Test
    @DisplayName("5.0: two topic filters and a User Property (3.10.2, 3.10.3)")
    void v5FiltersAndUserProperty() {
        byte[] fixture = bytes(
                0xA2,                      // UNSUBSCRIBE, flags 0010
                0x14,                      // remaining length 20
                0x00, 0x07,                // packet identifier 7
                0x07,                      // property length 7
                0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v', // User Property k=v
                0x00, 0x03, 'a', '/', 'b', // topic filter "a/b"
                0x00, 0x03, 'c', '/', '#'); // topic filter "c/#"
        Unsubscribe expected = new Unsubscribe(7, List.of("a/b", "c/#"),
                MqttProperties.builder().user("k", "v").build());
        assertDecodes(server(V5), fixture, expected);
        assertEncodes(expected, V5, fixture);
    }

    @Test
    @DisplayName("5.0: an UNSUBSCRIBE after a 5.0 CONNECT has a property length")
    void v5AfterConnect() {
        byte[] fixture = bytes(
                0xA2,              // UNSUBSCRIBE, flags 0010
                0x06,              // remaining length 6
                0x01, 0x00,        // packet identifier 256
                0x00,              // property length 0
                0x00, 0x01, 'a');  // topic filter "a"
        Unsubscribe expected = new Unsubscribe(256, List.of("a"), MqttProperties.EMPTY);
        assertDecodesAfterConnect(V5, fixture, expected);
        assertEncodes(expected, V5, fixture);
    }

    @Test
    @DisplayName("5.0: filter syntax is left to the engine (5.0 answers 0x8F per filter)")
    void v5FilterSyntaxIsNotJudged() {
        byte[] fixture = bytes(
                0xA2,                      // UNSUBSCRIBE, flags 0010
                0x08,                      // remaining length 8
                0x00, 0x01,                // packet identifier 1
                0x00,                      // property length 0
                0x00, 0x03, 'a', '+', 'b'); // topic filter "a+b" ('+' not a whole level)
        Unsubscribe expected = new Unsubscribe(1, List.of("a+b"), MqttProperties.EMPTY);
        assertDecodes(server(V5), fixture, expected);
    }

    @Test
    @DisplayName("5.0: a byte order mark at the start of a filter is kept, not stripped [MQTT-1.5.4-3]")
    void v5ByteOrderMarkIsKept() {
        byte[] fixture = bytes(
                0xA2,                      // UNSUBSCRIBE, flags 0010
                0x09,                      // remaining length 9
                0x00, 0x01,                // packet identifier 1
                0x00,                      // property length 0
                0x00, 0x04,                // topic filter of 4 bytes:
                0xEF, 0xBB, 0xBF, 'a');    //   U+FEFF then "a"
        Unsubscribe expected = new Unsubscribe(1, List.of("\uFEFFa"), MqttProperties.EMPTY);
        assertDecodes(server(V5), fixture, expected);
        assertEncodes(expected, V5, fixture);
    }

    @Test
    @DisplayName("5.0: an UNSUBSCRIBE without topic filters is a protocol error [MQTT-3.10.3-2]")
    void v5WithoutFiltersIsAProtocolError() {
        byte[] fixture = bytes(
                0xA2,              // UNSUBSCRIBE, flags 0010
                0x03,              // remaining length 3
                0x00, 0x01,        // packet identifier 1
                0x00);             // property length 0, and no payload
        assertRejected(server(V5), fixture, ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("5.0: Reason String and Subscription Identifier are not UNSUBSCRIBE properties (3.10.2.1)")
    void v5PropertyNotAllowedIsMalformed() {
        byte[] reasonString = bytes(
                0xA2,                      // UNSUBSCRIBE, flags 0010
                0x0A,                      // remaining length 10
                0x00, 0x01,                // packet identifier 1
                0x04,                      // property length 4
                0x1F, 0x00, 0x01, 'x',     // Reason String "x": not allowed here
                0x00, 0x01, 'a');          // topic filter "a"
        byte[] subscriptionIdentifier = bytes(
                0xA2,                      // UNSUBSCRIBE, flags 0010
                0x08,                      // remaining length 8
                0x00, 0x01,                // packet identifier 1
                0x02,                      // property length 2
                0x0B, 0x01,                // Subscription Identifier 1: only PUBLISH and SUBSCRIBE
                0x00, 0x01, 'a');          // topic filter "a"
        assertRejected(server(V5), reasonString, ReasonCode.MALFORMED_PACKET);
        assertRejected(server(V5), subscriptionIdentifier, ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("5.0: a topic filter longer than the packet is malformed")
    void v5FilterPastThePacketIsMalformed() {
        byte[] fixture = bytes(
                0xA2,              // UNSUBSCRIBE, flags 0010
                0x07,              // remaining length 7
                0x00, 0x01,        // packet identifier 1
                0x00,              // property length 0
                0x00, 0x03, 'a', 'b'); // topic filter claiming 3 bytes, 2 present
        assertRejected(server(V5), fixture, ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("5.0: a lone byte after the last filter is malformed")
    void v5TrailingByteIsMalformed() {
        byte[] fixture = bytes(
                0xA2,              // UNSUBSCRIBE, flags 0010
                0x07,              // remaining length 7
                0x00, 0x01,        // packet identifier 1
                0x00,              // property length 0
                0x00, 0x01, 'a',   // topic filter "a"
                0x00);             // half of a string length
        assertRejected(server(V5), fixture, ReasonCode.MALFORMED_PACKET);
    }

    // ---------------------------------------------------------------- MQTT 3.1.1

    @Test
    @DisplayName("3.1.1: topic filters follow the packet identifier directly (3.10.3)")
    void v3Filters() {
        byte[] fixture = bytes(
                0xA2,                      // UNSUBSCRIBE, flags 0010
                0x0C,                      // remaining length 12
                0x00, 0x07,                // packet identifier 7
                0x00, 0x03, 'a', '/', 'b', // topic filter "a/b"
                0x00, 0x03, 'c', '/', '#'); // topic filter "c/#"
        Unsubscribe expected = new Unsubscribe(7, List.of("a/b", "c/#"), MqttProperties.EMPTY);
        assertDecodes(server(V3_1_1), fixture, expected);
        assertEncodes(expected, V3_1_1, fixture);
    }

    @Test
    @DisplayName("3.1.1: an UNSUBSCRIBE after a 3.1.1 CONNECT has no property length")
    void v3AfterConnect() {
        byte[] fixture = bytes(
                0xA2,              // UNSUBSCRIBE, flags 0010
                0x05,              // remaining length 5
                0x00, 0x02,        // packet identifier 2
                0x00, 0x01, 'a');  // topic filter "a"
        assertDecodesAfterConnect(V3_1_1, fixture, new Unsubscribe(2, List.of("a"), MqttProperties.EMPTY));
    }

    @Test
    @DisplayName("3.1.1: the encoder drops the properties")
    void v3EncoderDropsProperties() {
        Unsubscribe packet = new Unsubscribe(2, List.of("a"), MqttProperties.builder().user("k", "v").build());
        assertEncodes(packet, V3_1_1, bytes(
                0xA2,              // UNSUBSCRIBE, flags 0010
                0x05,              // remaining length 5
                0x00, 0x02,        // packet identifier 2
                0x00, 0x01, 'a')); // topic filter "a"
    }

    @Test
    @DisplayName("3.1.1: an UNSUBSCRIBE without topic filters is a protocol violation [MQTT-3.10.3-2]")
    void v3WithoutFiltersIsAProtocolError() {
        byte[] fixture = bytes(
                0xA2,              // UNSUBSCRIBE, flags 0010
                0x02,              // remaining length 2
                0x00, 0x01);       // packet identifier 1, and no payload
        assertRejected(server(V3_1_1), fixture, ReasonCode.PROTOCOL_ERROR);
    }

    // ---------------------------------------------------------------- both versions

    @Test
    @DisplayName("UNSUBSCRIBE with flags 0000 (or any but 0010) is malformed [MQTT-3.10.1-1]")
    void wrongFixedHeaderFlagsAreMalformed() {
        for (int flags = 0; flags < 16; flags++) {
            if (flags == 0b0010) {
                continue;
            }
            assertRejected(server(V3_1_1), bytes(
                    0xA0 | flags,  // UNSUBSCRIBE with wrong flags
                    0x05,          // remaining length 5
                    0x00, 0x01,    // packet identifier 1
                    0x00, 0x01, 'a'), // topic filter "a"
                    ReasonCode.MALFORMED_PACKET);
            assertRejected(server(V5), bytes(
                    0xA0 | flags,  // UNSUBSCRIBE with wrong flags
                    0x06,          // remaining length 6
                    0x00, 0x01,    // packet identifier 1
                    0x00,          // property length 0
                    0x00, 0x01, 'a'), // topic filter "a"
                    ReasonCode.MALFORMED_PACKET);
        }
    }

    @Test
    @DisplayName("Packet identifier 0 is a protocol error [MQTT-2.2.1-3]")
    void packetIdentifierZeroIsAProtocolError() {
        assertRejected(server(V3_1_1), bytes(
                0xA2,              // UNSUBSCRIBE, flags 0010
                0x05,              // remaining length 5
                0x00, 0x00,        // packet identifier 0
                0x00, 0x01, 'a'),  // topic filter "a"
                ReasonCode.PROTOCOL_ERROR);
        assertRejected(server(V5), bytes(
                0xA2,              // UNSUBSCRIBE, flags 0010
                0x06,              // remaining length 6
                0x00, 0x00,        // packet identifier 0
                0x00,              // property length 0
                0x00, 0x01, 'a'),  // topic filter "a"
                ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("A 3.1.1 topic filter longer than the packet is malformed")
    void v3FilterPastThePacketIsMalformed() {
        assertRejected(server(V3_1_1), bytes(
                0xA2,              // UNSUBSCRIBE, flags 0010
                0x05,              // remaining length 5
                0x00, 0x01,        // packet identifier 1
                0x00, 0x04, 'a'),  // topic filter claiming 4 bytes, 1 present
                ReasonCode.MALFORMED_PACKET);
    }
}
