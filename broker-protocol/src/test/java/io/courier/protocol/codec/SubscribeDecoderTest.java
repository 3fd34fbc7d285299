package io.courier.protocol.codec;

import static io.courier.protocol.codec.DecodeEncodeAssertions.assertDecodes;
import static io.courier.protocol.codec.DecodeEncodeAssertions.assertDecodesAfterConnect;
import static io.courier.protocol.codec.DecodeEncodeAssertions.assertEncodes;
import static io.courier.protocol.codec.DecodeEncodeAssertions.assertRejected;
import static io.courier.protocol.codec.DecodeEncodeAssertions.assertRejectedAfterConnect;
import static io.courier.protocol.codec.DecodeEncodeAssertions.bytes;
import static io.courier.protocol.codec.DecodeEncodeAssertions.server;
import static io.courier.protocol.packet.MqttVersion.V3_1_1;
import static io.courier.protocol.packet.MqttVersion.V5;
import static io.courier.protocol.packet.Qos.AT_LEAST_ONCE;
import static io.courier.protocol.packet.Qos.AT_MOST_ONCE;
import static io.courier.protocol.packet.Qos.EXACTLY_ONCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.packet.Subscribe;
import io.courier.protocol.packet.Subscription;
import io.courier.protocol.packet.SubscriptionOptions;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * SUBSCRIBE (MQTT 5.0 section 3.8, MQTT 3.1.1 section 3.8) from hand-written bytes, decoded by a
 * server. The Subscription Options byte (3.8.3.1) is: bits 0-1 Maximum QoS, bit 2 No Local,
 * bit 3 Retain As Published, bits 4-5 Retain Handling, bits 6-7 reserved; 3.1.1 has only the QoS.
 */
class SubscribeDecoderTest {

    private static Subscription sub(String filter, Qos qos, boolean noLocal, boolean retainAsPublished,
                                    int retainHandling) {
        return new Subscription(filter, new SubscriptionOptions(qos, noLocal, retainAsPublished, retainHandling));
    }

    /** A 5.0 SUBSCRIBE with packet id 1, no properties and one filter "a" with these options. */
    private static byte[] v5WithOptions(int options) {
        return bytes(
                0x82,              // SUBSCRIBE, flags 0010
                0x07,              // remaining length 7
                0x00, 0x01,        // packet identifier 1
                0x00,              // property length 0
                0x00, 0x01, 'a',   // topic filter "a"
                options);          // subscription options under test
    }

    /** A 3.1.1 SUBSCRIBE with packet id 1 and one filter "a" with this requested QoS byte. */
    private static byte[] v3WithOptions(int options) {
        return bytes(
                0x82,              // SUBSCRIBE, flags 0010
                0x06,              // remaining length 6
                0x00, 0x01,        // packet identifier 1
                0x00, 0x01, 'a',   // topic filter "a"
                options);          // requested QoS byte under test
    }

    // ---------------------------------------------------------------- MQTT 5.0

    @Test
    @DisplayName("5.0: several filters carry every option bit (3.8.3.1)")
    void v5SeveralFiltersWithEveryOptionBit() {
        byte[] fixture = bytes(
                0x82,                      // SUBSCRIBE, flags 0010
                0x1D,                      // remaining length 29
                0x00, 0x0A,                // packet identifier 10
                0x00,                      // property length 0
                0x00, 0x03, 'a', '/', 'b', // topic filter "a/b"
                0x00,                      // options: QoS 0, nothing else
                0x00, 0x03, 'c', '/', '+', // topic filter "c/+"
                0x05,                      // options 0000 0101: No Local, QoS 1
                0x00, 0x03, 'd', '/', '#', // topic filter "d/#"
                0x0A,                      // options 0000 1010: Retain As Published, QoS 2
                0x00, 0x01, 'e',           // topic filter "e"
                0x21,                      // options 0010 0001: Retain Handling 2, QoS 1
                0x00, 0x01, 'f',           // topic filter "f"
                0x1E);                     // options 0001 1110: Retain Handling 1, RAP, No Local, QoS 2
        Subscribe expected = new Subscribe(10, List.of(
                sub("a/b", AT_MOST_ONCE, false, false, 0),
                sub("c/+", AT_LEAST_ONCE, true, false, 0),
                sub("d/#", EXACTLY_ONCE, false, true, 0),
                sub("e", AT_LEAST_ONCE, false, false, 2),
                sub("f", EXACTLY_ONCE, true, true, 1)), MqttProperties.EMPTY);
        assertDecodes(server(V5), fixture, expected);
        assertEncodes(expected, V5, fixture);
    }

    @Test
    @DisplayName("5.0: Subscription Identifier and User Property in the variable header (3.8.2.1)")
    void v5SubscriptionIdentifierAndUserProperty() {
        byte[] fixture = bytes(
                0x82,                      // SUBSCRIBE, flags 0010
                0x11,                      // remaining length 17
                0x00, 0x0B,                // packet identifier 11
                0x0A,                      // property length 10
                0x0B, 0xAC, 0x02,          // Subscription Identifier 300 (variable byte integer 0xAC 0x02)
                0x26, 0x00, 0x01, 'a', 0x00, 0x01, 'b', // User Property a=b
                0x00, 0x01, 'x',           // topic filter "x"
                0x01);                     // options: QoS 1
        Subscribe expected = new Subscribe(11, List.of(sub("x", AT_LEAST_ONCE, false, false, 0)),
                MqttProperties.builder().add(PropertyId.SUBSCRIPTION_IDENTIFIER, 300).user("a", "b").build());
        assertDecodes(server(V5), fixture, expected);
        assertEncodes(expected, V5, fixture);
    }

    @Test
    @DisplayName("5.0: a SUBSCRIBE after a 5.0 CONNECT is decoded with 5.0 option rules")
    void v5AfterConnect() {
        byte[] fixture = v5WithOptions(0x2D); // 0010 1101: Retain Handling 2, RAP, No Local, QoS 1
        assertDecodesAfterConnect(V5, fixture, new Subscribe(1,
                List.of(sub("a", AT_LEAST_ONCE, true, true, 2)), MqttProperties.EMPTY));
    }

    @Test
    @DisplayName("5.0: every options byte decodes as 3.8.3.1 says, or is rejected with the table's code")
    void v5EveryOptionsByte() {
        for (int options = 0; options <= 0xFF; options++) {
            boolean reserved = (options & 0xC0) != 0;
            boolean qos3 = (options & 0x03) == 3;
            boolean retainHandling3 = (options & 0x30) == 0x30;
            byte[] fixture = v5WithOptions(options);
            if (!reserved && !qos3 && !retainHandling3) {
                Subscribe expected = new Subscribe(1, List.of(sub("a", Qos.ofValue(options & 0x03),
                        (options & 0x04) != 0, (options & 0x08) != 0, (options >> 4) & 0x03)), MqttProperties.EMPTY);
                assertDecodes(server(V5), fixture, expected);
                assertEncodes(expected, V5, fixture);
            } else if (!retainHandling3) {
                // Reserved bits [MQTT-3.8.3-5] and QoS 3 are malformed.
                assertRejected(server(V5), fixture, ReasonCode.MALFORMED_PACKET);
            } else if (!reserved && !qos3) {
                // Retain Handling 3 is a protocol error (3.8.3.1).
                assertRejected(server(V5), fixture, ReasonCode.PROTOCOL_ERROR);
            }
            // Retain Handling 3 together with a malformed bit: either answer is defensible.
        }
    }

    @Test
    @DisplayName("5.0: reserved option bits are malformed [MQTT-3.8.3-5]")
    void v5ReservedOptionBitsAreMalformed() {
        assertRejected(server(V5), v5WithOptions(0x40), ReasonCode.MALFORMED_PACKET); // bit 6
        assertRejected(server(V5), v5WithOptions(0x81), ReasonCode.MALFORMED_PACKET); // bit 7, QoS 1
    }

    @Test
    @DisplayName("5.0: QoS 3 in the options is malformed")
    void v5Qos3IsMalformed() {
        assertRejected(server(V5), v5WithOptions(0x03), ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("5.0: Retain Handling 3 is a protocol error [MQTT-3.8.3-5]")
    void v5RetainHandling3IsAProtocolError() {
        assertRejected(server(V5), v5WithOptions(0x30), ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("5.0: filter syntax and No Local on a shared subscription are left to the engine")
    void v5FilterSyntaxIsNotJudged() {
        byte[] fixture = bytes(
                0x82,                          // SUBSCRIBE, flags 0010
                0x18,                          // remaining length 24
                0x00, 0x01,                    // packet identifier 1
                0x00,                          // property length 0
                0x00, 0x05, 'a', '/', '#', '/', 'b', // topic filter "a/#/b" ('#' not last)
                0x00,                          // options: QoS 0
                0x00, 0x0A, '$', 's', 'h', 'a', 'r', 'e', '/', 'g', '/', 't', // "$share/g/t"
                0x04);                         // options: No Local on a shared subscription
        Subscribe expected = new Subscribe(1, List.of(
                sub("a/#/b", AT_MOST_ONCE, false, false, 0),
                sub("$share/g/t", AT_MOST_ONCE, true, false, 0)), MqttProperties.EMPTY);
        assertDecodes(server(V5), fixture, expected);
        assertEncodes(expected, V5, fixture);
    }

    @Test
    @DisplayName("5.0: a SUBSCRIBE without subscriptions is a protocol error [MQTT-3.8.3-3]")
    void v5WithoutSubscriptionsIsAProtocolError() {
        byte[] fixture = bytes(
                0x82,              // SUBSCRIBE, flags 0010
                0x03,              // remaining length 3
                0x00, 0x01,        // packet identifier 1
                0x00);             // property length 0, and no payload
        assertRejected(server(V5), fixture, ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("5.0: a topic filter without its options byte is malformed")
    void v5FilterWithoutOptionsIsMalformed() {
        byte[] fixture = bytes(
                0x82,              // SUBSCRIBE, flags 0010
                0x0B,              // remaining length 11
                0x00, 0x01,        // packet identifier 1
                0x00,              // property length 0
                0x00, 0x01, 'a',   // topic filter "a"
                0x01,              // options: QoS 1
                0x00, 0x02, 'b', 'c'); // topic filter "bc", and no options byte
        assertRejected(server(V5), fixture, ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("5.0: a topic filter longer than the packet is malformed")
    void v5FilterPastThePacketIsMalformed() {
        byte[] fixture = bytes(
                0x82,              // SUBSCRIBE, flags 0010
                0x06,              // remaining length 6
                0x00, 0x01,        // packet identifier 1
                0x00,              // property length 0
                0x00, 0x05, 'a');  // topic filter claiming 5 bytes, 1 present
        assertRejected(server(V5), fixture, ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("5.0: a topic filter with ill-formed UTF-8 or U+0000 is malformed [MQTT-1.5.4-1] [MQTT-1.5.4-2]")
    void v5IllFormedFilterIsMalformed() {
        byte[] overlong = bytes(
                0x82,              // SUBSCRIBE, flags 0010
                0x08,              // remaining length 8
                0x00, 0x01,        // packet identifier 1
                0x00,              // property length 0
                0x00, 0x02, 0xC0, 0xAF, // topic filter: overlong encoding of '/'
                0x00);             // options: QoS 0
        byte[] nul = bytes(
                0x82,              // SUBSCRIBE, flags 0010
                0x08,              // remaining length 8
                0x00, 0x01,        // packet identifier 1
                0x00,              // property length 0
                0x00, 0x02, 'a', 0x00, // topic filter "a" U+0000
                0x00);             // options: QoS 0
        assertRejected(server(V5), overlong, ReasonCode.MALFORMED_PACKET);
        assertRejected(server(V5), nul, ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("5.0: a filter with a 4-byte UTF-8 character is kept as sent (1.5.4)")
    void v5FilterWithSupplementaryCharacter() {
        byte[] fixture = bytes(
                0x82,                      // SUBSCRIBE, flags 0010
                0x0C,                      // remaining length 12
                0x00, 0x01,                // packet identifier 1
                0x00,                      // property length 0
                0x00, 0x06, 'a', '/',      // topic filter of 6 bytes: "a/"
                0xF0, 0x9F, 0x98, 0x80,    //   then U+1F600 in four bytes
                0x01);                     // options: QoS 1
        Subscribe expected = new Subscribe(1, List.of(sub("a/\uD83D\uDE00", AT_LEAST_ONCE, false, false, 0)),
                MqttProperties.EMPTY);
        assertDecodes(server(V5), fixture, expected);
        assertEncodes(expected, V5, fixture);
    }

    @Test
    @DisplayName("A SUBSCRIBE larger than the maximum packet size is refused before its body arrives (0x95)")
    void packetLargerThanTheMaximumIsTooLarge() {
        byte[] fixture = v5WithOptions(0x00); // 9 bytes in all
        assertDecodes(new DecodeContext(V5, 9, Side.SERVER), fixture, new Subscribe(1,
                List.of(sub("a", AT_MOST_ONCE, false, false, 0)), MqttProperties.EMPTY));
        assertRejected(new DecodeContext(V5, 8, Side.SERVER), fixture, ReasonCode.PACKET_TOO_LARGE);
        assertRejected(new DecodeContext(V5, 8, Side.SERVER), bytes(
                0x82,              // SUBSCRIBE, flags 0010
                0x07),             // remaining length 7: the body has not come yet
                ReasonCode.PACKET_TOO_LARGE);
    }

    @Test
    @DisplayName("The encoder refuses a topic filter longer than 65,535 bytes of UTF-8 (1.5.4)")
    void encoderRefusesAnOverlongFilter() {
        Subscribe fits = new Subscribe(1, List.of(sub("a".repeat(65_535), AT_MOST_ONCE, false, false, 0)),
                MqttProperties.EMPTY);
        assertEquals(1 + 3 + 2 + 1 + 2 + 65_535 + 1, MqttEncoder.encodedSize(fits, V5)); // header with 3-byte length
        Subscribe tooLong = new Subscribe(1, List.of(sub("\u00E9".repeat(32_768), AT_MOST_ONCE, false, false, 0)),
                MqttProperties.EMPTY); // 32,768 two-byte characters: 65,536 bytes
        assertThrows(IllegalArgumentException.class, () -> MqttEncoder.encode(tooLong, V5));
        assertThrows(IllegalArgumentException.class, () -> MqttEncoder.encode(tooLong, V3_1_1));
    }

    // ---------------------------------------------------------------- MQTT 3.1.1

    @Test
    @DisplayName("3.1.1: several filters, each with a requested QoS (3.8.3)")
    void v3SeveralFiltersWithQos() {
        byte[] fixture = bytes(
                0x82,                      // SUBSCRIBE, flags 0010
                0x14,                      // remaining length 20
                0x00, 0x01,                // packet identifier 1
                0x00, 0x03, 'a', '/', 'b', // topic filter "a/b"
                0x00,                      // requested QoS 0
                0x00, 0x03, 'c', '/', '+', // topic filter "c/+"
                0x01,                      // requested QoS 1
                0x00, 0x03, 'd', '/', '#', // topic filter "d/#"
                0x02);                     // requested QoS 2
        Subscribe expected = new Subscribe(1, List.of(
                new Subscription("a/b", SubscriptionOptions.of(AT_MOST_ONCE)),
                new Subscription("c/+", SubscriptionOptions.of(AT_LEAST_ONCE)),
                new Subscription("d/#", SubscriptionOptions.of(EXACTLY_ONCE))), MqttProperties.EMPTY);
        assertDecodes(server(V3_1_1), fixture, expected);
        assertEncodes(expected, V3_1_1, fixture);
    }

    @Test
    @DisplayName("3.1.1: a SUBSCRIBE after a 3.1.1 CONNECT is decoded with 3.1.1 rules")
    void v3AfterConnect() {
        assertDecodesAfterConnect(V3_1_1, v3WithOptions(0x02),
                new Subscribe(1, List.of(new Subscription("a", SubscriptionOptions.of(EXACTLY_ONCE))),
                        MqttProperties.EMPTY));
        // After a 3.1.1 CONNECT a 5.0 option bit (No Local) is no longer an option.
        assertRejectedAfterConnect(V3_1_1, v3WithOptions(0x04), ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("3.1.1: any option bit above the QoS is malformed [MQTT-3.8.3-4]")
    void v3BitsAboveQosAreMalformed() {
        for (int bit = 2; bit < 8; bit++) {
            assertRejected(server(V3_1_1), v3WithOptions(1 << bit), ReasonCode.MALFORMED_PACKET);
        }
    }

    @Test
    @DisplayName("3.1.1: requested QoS 3 is malformed [MQTT-3.8.3-4]")
    void v3Qos3IsMalformed() {
        assertRejected(server(V3_1_1), v3WithOptions(0x03), ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("3.1.1: the encoder writes only the QoS of each subscription, and no properties")
    void v3EncoderWritesOnlyQos() {
        Subscribe packet = new Subscribe(1, List.of(sub("a", AT_LEAST_ONCE, true, true, 2)),
                MqttProperties.builder().add(PropertyId.SUBSCRIPTION_IDENTIFIER, 5).build());
        assertEncodes(packet, V3_1_1, v3WithOptions(0x01));
    }

    @Test
    @DisplayName("3.1.1: a SUBSCRIBE without subscriptions is a protocol violation [MQTT-3.8.3-3]")
    void v3WithoutSubscriptionsIsAProtocolError() {
        byte[] fixture = bytes(
                0x82,              // SUBSCRIBE, flags 0010
                0x02,              // remaining length 2
                0x00, 0x01);       // packet identifier 1, and no payload
        assertRejected(server(V3_1_1), fixture, ReasonCode.PROTOCOL_ERROR);
    }

    // ---------------------------------------------------------------- both versions

    @Test
    @DisplayName("SUBSCRIBE with flags 0000 (or any but 0010) is malformed [MQTT-3.8.1-1]")
    void wrongFixedHeaderFlagsAreMalformed() {
        for (int flags = 0; flags < 16; flags++) {
            if (flags == 0b0010) {
                continue;
            }
            byte[] v5 = v5WithOptions(0x00);
            v5[0] = (byte) (0x80 | flags); // SUBSCRIBE with wrong flags
            byte[] v3 = v3WithOptions(0x00);
            v3[0] = (byte) (0x80 | flags); // SUBSCRIBE with wrong flags
            assertRejected(server(V5), v5, ReasonCode.MALFORMED_PACKET);
            assertRejected(server(V3_1_1), v3, ReasonCode.MALFORMED_PACKET);
        }
    }

    @Test
    @DisplayName("Packet identifier 0 is a protocol error [MQTT-2.2.1-3]")
    void packetIdentifierZeroIsAProtocolError() {
        byte[] v5 = bytes(
                0x82,              // SUBSCRIBE, flags 0010
                0x07,              // remaining length 7
                0x00, 0x00,        // packet identifier 0
                0x00,              // property length 0
                0x00, 0x01, 'a',   // topic filter "a"
                0x00);             // options: QoS 0
        byte[] v3 = bytes(
                0x82,              // SUBSCRIBE, flags 0010
                0x06,              // remaining length 6
                0x00, 0x00,        // packet identifier 0
                0x00, 0x01, 'a',   // topic filter "a"
                0x00);             // requested QoS 0
        assertRejected(server(V5), v5, ReasonCode.PROTOCOL_ERROR);
        assertRejected(server(V3_1_1), v3, ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("A SUBSCRIBE cut before its packet identifier ends is malformed")
    void truncatedPacketIdentifierIsMalformed() {
        for (MqttVersion version : List.of(V3_1_1, V5)) {
            assertRejected(server(version), bytes(
                    0x82,          // SUBSCRIBE, flags 0010
                    0x01,          // remaining length 1
                    0x00),         // half a packet identifier
                    ReasonCode.MALFORMED_PACKET);
        }
    }
}
