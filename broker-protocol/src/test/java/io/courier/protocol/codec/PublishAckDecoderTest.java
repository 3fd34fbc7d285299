package io.courier.protocol.codec;

import static io.courier.protocol.codec.DecodeEncodeAssertions.assertDecodes;
import static io.courier.protocol.codec.DecodeEncodeAssertions.assertDecodesAfterConnect;
import static io.courier.protocol.codec.DecodeEncodeAssertions.assertEncodes;
import static io.courier.protocol.codec.DecodeEncodeAssertions.assertRejected;
import static io.courier.protocol.codec.DecodeEncodeAssertions.bytes;
import static io.courier.protocol.codec.DecodeEncodeAssertions.client;
import static io.courier.protocol.codec.DecodeEncodeAssertions.server;
import static io.courier.protocol.packet.MqttVersion.V3_1_1;
import static io.courier.protocol.packet.MqttVersion.V5;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PacketType;
import io.courier.protocol.packet.PubAck;
import io.courier.protocol.packet.PubComp;
import io.courier.protocol.packet.PubRec;
import io.courier.protocol.packet.PubRel;
import io.courier.protocol.packet.PublishAck;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * PUBACK, PUBREC, PUBREL and PUBCOMP (MQTT 5.0 sections 3.4-3.7, MQTT 3.1.1 sections 3.4-3.7)
 * from hand-written bytes. The four share one layout, so most tests run over {@link Ack}; the
 * fixed header byte and the reason codes are what differ.
 *
 * <p>All four travel both ways (a server sends PUBREL and PUBACK as publisher, a client as
 * receiver), so positive fixtures are decoded on both sides.
 */
class PublishAckDecoderTest {

    /** What differs between the four acknowledgements. */
    enum Ack {
        // First byte: type << 4 | required flags (spec 2.1.3: 0010 for PUBREL only [MQTT-3.6.1-1]).
        PUBACK(0x40, PacketType.PUBACK, ReasonCode.NO_MATCHING_SUBSCRIBERS,
                Set.of(0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99)),  // 3.4.2.1 table 3-4
        PUBREC(0x50, PacketType.PUBREC, ReasonCode.PACKET_IDENTIFIER_IN_USE,
                Set.of(0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99)),  // 3.5.2.1 table 3-5
        PUBREL(0x62, PacketType.PUBREL, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND,
                Set.of(0x00, 0x92)),                                            // 3.6.2.1 table 3-6
        PUBCOMP(0x70, PacketType.PUBCOMP, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND,
                Set.of(0x00, 0x92));                                            // 3.7.2.1 table 3-7

        final int firstByte;
        final PacketType type;
        final ReasonCode failure;
        final Set<Integer> specReasonCodes;

        Ack(int firstByte, PacketType type, ReasonCode failure, Set<Integer> specReasonCodes) {
            this.firstByte = firstByte;
            this.type = type;
            this.failure = failure;
            this.specReasonCodes = specReasonCodes;
        }

        MqttPacket of(int packetId, ReasonCode reasonCode, MqttProperties properties) {
            return switch (this) {
                case PUBACK -> new PubAck(packetId, reasonCode, properties);
                case PUBREC -> new PubRec(packetId, reasonCode, properties);
                case PUBREL -> new PubRel(packetId, reasonCode, properties);
                case PUBCOMP -> new PubComp(packetId, reasonCode, properties);
            };
        }
    }

    private static void assertDecodesOnBothSides(MqttVersion version, byte[] fixture, MqttPacket expected) {
        assertDecodes(server(version), fixture, expected);
        assertDecodes(client(version), fixture, expected);
    }

    // ---------------------------------------------------------------- MQTT 5.0

    @ParameterizedTest
    @EnumSource(Ack.class)
    @DisplayName("5.0: a remaining length of 2 means Success without properties (3.4.2.1)")
    void v5TwoByteFormMeansSuccess(Ack ack) {
        byte[] fixture = bytes(
                ack.firstByte,     // type and required flags
                0x02,              // remaining length 2
                0x12, 0x34);       // packet identifier 0x1234
        MqttPacket expected = ack.of(0x1234, ReasonCode.SUCCESS, MqttProperties.EMPTY);
        assertDecodesOnBothSides(V5, fixture, expected);
        assertEncodes(expected, V5, fixture);
    }

    @ParameterizedTest
    @EnumSource(Ack.class)
    @DisplayName("5.0: a remaining length of 3 carries the reason code and no property length (3.4.2.2.1)")
    void v5ThreeByteFormCarriesTheReasonOnly(Ack ack) {
        byte[] fixture = bytes(
                ack.firstByte,     // type and required flags
                0x03,              // remaining length 3
                0x00, 0x07,        // packet identifier 7
                ack.failure.code()); // reason code (0x10, 0x91, 0x92 or 0x92)
        MqttPacket expected = ack.of(7, ack.failure, MqttProperties.EMPTY);
        assertDecodesOnBothSides(V5, fixture, expected);
        assertEncodes(expected, V5, fixture);
    }

    @ParameterizedTest
    @EnumSource(Ack.class)
    @DisplayName("5.0: the full form carries a reason string and user properties in order")
    void v5FullFormCarriesReasonStringAndUserProperties(Ack ack) {
        byte[] fixture = bytes(
                ack.firstByte,                 // type and required flags
                0x18,                          // remaining length 24
                0xFF, 0xFF,                    // packet identifier 65535
                ack.failure.code(),            // reason code
                0x14,                          // property length 20
                0x1F, 0x00, 0x05, 'q', 'u', 'o', 't', 'a', // Reason String "quota"
                0x26, 0x00, 0x01, 'k', 0x00, 0x01, '1',   // User Property k=1
                0x26, 0x00, 0x00, 0x00, 0x00);            // User Property ""="" (empty is allowed)
        MqttPacket expected = ack.of(0xFFFF, ack.failure, MqttProperties.builder()
                .add(PropertyId.REASON_STRING, "quota")
                .user("k", "1")
                .user("", "")
                .build());
        assertDecodesOnBothSides(V5, fixture, expected);
        assertEncodes(expected, V5, fixture);
    }

    @ParameterizedTest
    @EnumSource(Ack.class)
    @DisplayName("5.0: Success with properties must spell out the reason code 0x00")
    void v5SuccessWithPropertiesWritesTheReasonCode(Ack ack) {
        byte[] fixture = bytes(
                ack.firstByte,                 // type and required flags
                0x08,                          // remaining length 8
                0x00, 0x02,                    // packet identifier 2
                0x00,                          // reason code Success
                0x04,                          // property length 4
                0x1F, 0x00, 0x01, 'x');        // Reason String "x"
        MqttPacket expected = ack.of(2, ReasonCode.SUCCESS,
                MqttProperties.builder().add(PropertyId.REASON_STRING, "x").build());
        assertDecodesOnBothSides(V5, fixture, expected);
        assertEncodes(expected, V5, fixture);
    }

    @ParameterizedTest
    @EnumSource(Ack.class)
    @DisplayName("5.0: an explicit property length 0 is accepted; the encoder writes the 3-byte form")
    void v5ReasonWithEmptyPropertyLengthIsAccepted(Ack ack) {
        byte[] fixture = bytes(
                ack.firstByte,     // type and required flags
                0x04,              // remaining length 4
                0x00, 0x09,        // packet identifier 9
                ack.failure.code(), // reason code
                0x00);             // property length 0
        MqttPacket expected = ack.of(9, ack.failure, MqttProperties.EMPTY);
        assertDecodesOnBothSides(V5, fixture, expected);
        // Not the shortest form: the encoder's contract omits an empty property length.
        assertEncodes(expected, V5, bytes(ack.firstByte, 0x03, 0x00, 0x09, ack.failure.code()));
    }

    @ParameterizedTest
    @EnumSource(Ack.class)
    @DisplayName("5.0: Success spelled out (with or without property length 0) equals the 2-byte form")
    void v5SpelledOutSuccessEqualsTheShortForm(Ack ack) {
        byte[] threeBytes = bytes(
                ack.firstByte,     // type and required flags
                0x03,              // remaining length 3
                0x00, 0x09,        // packet identifier 9
                0x00);             // reason code Success
        byte[] fourBytes = bytes(
                ack.firstByte,     // type and required flags
                0x04,              // remaining length 4
                0x00, 0x09,        // packet identifier 9
                0x00,              // reason code Success
                0x00);             // property length 0
        MqttPacket expected = ack.of(9, ReasonCode.SUCCESS, MqttProperties.EMPTY);
        assertDecodesOnBothSides(V5, threeBytes, expected);
        assertDecodesOnBothSides(V5, fourBytes, expected);
        // Neither is the shortest form: the encoder writes remaining length 2.
        assertEncodes(expected, V5, bytes(ack.firstByte, 0x02, 0x00, 0x09));
    }

    @ParameterizedTest
    @EnumSource(Ack.class)
    @DisplayName("5.0: exactly the reason codes of the spec's table are accepted, any other byte is malformed")
    void v5OnlyTheSpecsReasonCodesAreAccepted(Ack ack) {
        for (int code = 0; code <= 0xFF; code++) {
            byte[] fixture = bytes(
                    ack.firstByte, // type and required flags
                    0x03,          // remaining length 3
                    0x00, 0x01,    // packet identifier 1
                    code);         // reason code under test
            if (ack.specReasonCodes.contains(code)) {
                MqttPacket decoded = new MqttDecoder(client(V5)).decode(fixture).get(0);
                assertEquals(code, ((PublishAck) decoded).reasonCode().code(),
                        "reason code byte " + code);
                assertEquals(ack.type, decoded.type());
            } else {
                assertRejected(client(V5), fixture, ReasonCode.MALFORMED_PACKET);
            }
        }
    }

    @Test
    @DisplayName("5.0: PUBACK with 0x8F (Topic Filter invalid, a SUBACK code) is malformed")
    void v5PubAckWithASubAckReasonIsMalformed() {
        byte[] fixture = bytes(
                0x40,              // PUBACK
                0x03,              // remaining length 3
                0x00, 0x01,        // packet identifier 1
                0x8F);             // reason code 0x8F: not in table 3-4
        assertRejected(server(V5), fixture, ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("5.0: PUBREL with 0x10 (No matching subscribers, a PUBACK code) is malformed")
    void v5PubRelWithAPubAckReasonIsMalformed() {
        byte[] fixture = bytes(
                0x62,              // PUBREL, flags 0010
                0x03,              // remaining length 3
                0x00, 0x01,        // packet identifier 1
                0x10);             // reason code 0x10: not in table 3-6
        assertRejected(server(V5), fixture, ReasonCode.MALFORMED_PACKET);
    }

    @ParameterizedTest
    @EnumSource(Ack.class)
    @DisplayName("5.0: bytes left after the properties are malformed")
    void v5TrailingBytesAreMalformed(Ack ack) {
        byte[] fixture = bytes(
                ack.firstByte,     // type and required flags
                0x05,              // remaining length 5
                0x00, 0x01,        // packet identifier 1
                0x00,              // reason code Success
                0x00,              // property length 0
                0x00);             // a byte no field accounts for
        assertRejected(client(V5), fixture, ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("5.0: a PUBREL after a 5.0 CONNECT is decoded with 5.0 rules")
    void v5PubRelAfterConnect() {
        byte[] fixture = bytes(
                0x62,              // PUBREL, flags 0010
                0x03,              // remaining length 3
                0x00, 0x05,        // packet identifier 5
                0x92);             // Packet Identifier not found
        assertDecodesAfterConnect(V5, fixture,
                new PubRel(5, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, MqttProperties.EMPTY));
    }

    // ---------------------------------------------------------------- MQTT 3.1.1

    @ParameterizedTest
    @EnumSource(Ack.class)
    @DisplayName("3.1.1: the acknowledgement is exactly the packet identifier (3.4.2)")
    void v3IsExactlyThePacketIdentifier(Ack ack) {
        byte[] fixture = bytes(
                ack.firstByte,     // type and required flags (3.1.1 also requires 0010 for PUBREL)
                0x02,              // remaining length 2
                0xAB, 0xCD);       // packet identifier 0xABCD
        MqttPacket expected = ack.of(0xABCD, ReasonCode.SUCCESS, MqttProperties.EMPTY);
        assertDecodesOnBothSides(V3_1_1, fixture, expected);
        assertEncodes(expected, V3_1_1, fixture);
    }

    @ParameterizedTest
    @EnumSource(Ack.class)
    @DisplayName("3.1.1: the encoder writes neither reason code nor properties")
    void v3EncoderDropsReasonAndProperties(Ack ack) {
        MqttPacket packet = ack.of(3, ack.failure, MqttProperties.builder().user("k", "v").build());
        assertEncodes(packet, V3_1_1, bytes(
                ack.firstByte,     // type and required flags
                0x02,              // remaining length 2
                0x00, 0x03));      // packet identifier 3
    }

    @Test
    @DisplayName("3.1.1: a PUBACK of remaining length 3 is malformed")
    void v3PubAckOfThreeBytesIsMalformed() {
        byte[] fixture = bytes(
                0x40,              // PUBACK
                0x03,              // remaining length 3: 3.1.1 has no reason code
                0x00, 0x01,        // packet identifier 1
                0x00);             // what would be a 5.0 reason code
        assertRejected(server(V3_1_1), fixture, ReasonCode.MALFORMED_PACKET);
        assertRejected(client(V3_1_1), fixture, ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("3.1.1: a PUBREL after a 3.1.1 CONNECT is decoded with 3.1.1 rules")
    void v3PubRelAfterConnect() {
        byte[] fixture = bytes(
                0x62,              // PUBREL, flags 0010
                0x02,              // remaining length 2
                0x00, 0x05);       // packet identifier 5
        assertDecodesAfterConnect(V3_1_1, fixture, PubRel.success(5));
    }

    // ---------------------------------------------------------------- both versions

    @ParameterizedTest
    @EnumSource(Ack.class)
    @DisplayName("Fixed-header flags other than the required ones are malformed [MQTT-2.1.3-1]")
    void wrongFixedHeaderFlagsAreMalformed(Ack ack) {
        int required = ack.firstByte & 0x0F;
        for (MqttVersion version : List.of(V3_1_1, V5)) {
            for (int flags = 0; flags < 16; flags++) {
                if (flags == required) {
                    continue;
                }
                byte[] fixture = bytes(
                        (ack.firstByte & 0xF0) | flags, // type with wrong flags
                        0x02,                            // remaining length 2
                        0x00, 0x01);                     // packet identifier 1
                assertRejected(server(version), fixture, ReasonCode.MALFORMED_PACKET);
            }
        }
    }

    @Test
    @DisplayName("PUBREL with flags 0000 is malformed [MQTT-3.6.1-1]")
    void pubRelWithoutItsFlagIsMalformed() {
        byte[] fixture = bytes(
                0x60,              // PUBREL with flags 0000 instead of 0010
                0x02,              // remaining length 2
                0x00, 0x01);       // packet identifier 1
        assertRejected(server(V5), fixture, ReasonCode.MALFORMED_PACKET);
        assertRejected(server(V3_1_1), fixture, ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("PUBACK with flags 0010 is malformed [MQTT-2.1.3-1]")
    void pubAckWithFlagsIsMalformed() {
        byte[] fixture = bytes(
                0x42,              // PUBACK with flags 0010 instead of 0000
                0x02,              // remaining length 2
                0x00, 0x01);       // packet identifier 1
        assertRejected(client(V5), fixture, ReasonCode.MALFORMED_PACKET);
        assertRejected(client(V3_1_1), fixture, ReasonCode.MALFORMED_PACKET);
    }

    @ParameterizedTest
    @EnumSource(Ack.class)
    @DisplayName("Packet identifier 0 is a protocol error [MQTT-2.2.1-3]")
    void packetIdentifierZeroIsAProtocolError(Ack ack) {
        byte[] fixture = bytes(
                ack.firstByte,     // type and required flags
                0x02,              // remaining length 2
                0x00, 0x00);       // packet identifier 0
        assertRejected(server(V5), fixture, ReasonCode.PROTOCOL_ERROR);
        assertRejected(server(V3_1_1), fixture, ReasonCode.PROTOCOL_ERROR);
    }

    @ParameterizedTest
    @EnumSource(Ack.class)
    @DisplayName("A body shorter than the packet identifier is malformed")
    void bodyShorterThanThePacketIdentifierIsMalformed(Ack ack) {
        byte[] oneByte = bytes(
                ack.firstByte,     // type and required flags
                0x01,              // remaining length 1
                0x00);             // half a packet identifier
        byte[] empty = bytes(
                ack.firstByte,     // type and required flags
                0x00);             // remaining length 0: no packet identifier
        for (MqttVersion version : List.of(V3_1_1, V5)) {
            assertRejected(client(version), oneByte, ReasonCode.MALFORMED_PACKET);
            assertRejected(client(version), empty, ReasonCode.MALFORMED_PACKET);
        }
    }

    @Test
    @DisplayName("A packet cut inside its body waits for the rest instead of failing")
    void cutPacketWaitsForTheRest() {
        MqttDecoder decoder = new MqttDecoder(client(V5));
        assertEquals(List.of(), decoder.decode(bytes(
                0x40,              // PUBACK
                0x03,              // remaining length 3
                0x00)));           // first byte of the packet identifier
        assertTrue(decoder.bufferedBytes() > 0, "the partial packet is kept");
        assertEquals(List.of(new PubAck(1, ReasonCode.NO_MATCHING_SUBSCRIBERS, MqttProperties.EMPTY)),
                decoder.decode(bytes(
                        0x01,      // second byte of the packet identifier
                        0x10)));   // No matching subscribers
    }
}
